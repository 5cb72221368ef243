"""Who read what: reading a person's results or personal data is recorded, and shown (PRIV-2).

Reads through the library (the export, a closed group's results, the
candidates' list, a class's pupils) write ``privacy.read`` audit events in
the reading use case's own unit; ``kit.privacy_export.reads`` shows a
location's reads to its administrator. On the kit's own audit log and an
SQLite file, as in production.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.privacy.export_people import PUPIL
from tests.privacy.test_export import seed

from examkit import Examkit
from examkit.errors import InvalidInput, NotPermitted
from examkit.privacy import Read
from examkit.testing import ManualClock
from examkit.testing.correction import DEFINITION, NTERM, corrected_group, make_correction_kit
from examkit.testing.sessions import L00, START


@pytest.fixture
def kit(sqlite_url: str) -> Iterator[Examkit]:
    """The correction world on a real SQLite file with the kit's own audit log."""
    from examkit.backends.sql import SQLBackend

    made = make_correction_kit(ManualClock(START), backend=SQLBackend(sqlite_url, migrate=False))
    seed(made.backend)
    try:
        yield made
    finally:
        made.close()


def all_reads(kit: Examkit, location: str = "22AB00") -> list[Read]:
    found: list[Read] = []
    after: str | None = None
    while True:
        page = kit.privacy_export.reads("administrator", location, after=after, limit=3)
        found.extend(page.items)
        if page.next_after is None:
            return found
        after = page.next_after


@pytest.mark.req("PRIV-2")
def test_an_export_is_shown_as_a_read_to_the_locations_administrator(kit: Examkit) -> None:
    kit.privacy_export.export("administrator", PUPIL)
    (read,) = [read for read in all_reads(kit) if read.what == "export"]
    assert ("administrator", PUPIL.label, "22AB00") == (read.reader, read.person, read.location)
    assert kit.clock.now() == read.at


@pytest.mark.req("PRIV-2")
def test_reading_a_groups_results_records_a_read_of_each_candidates_results(
    kit: Examkit,
) -> None:
    group, people = corrected_group(kit, 2)
    for person in people:
        scores = {"o1": 1, "o2": 2}
        kit.correction_work.score("corrector", group, person.id, scores)
        kit.correction_work.score("corrector2", group, person.id, scores)
    kit.correction_work.close("corrector", group)
    kit.results.results("planner", group, DEFINITION, NTERM)
    reads = [(r.reader, r.person) for r in all_reads(kit) if r.what == "results"]
    assert sorted(("planner", f"candidate:{person.id}") for person in people) == sorted(reads)


@pytest.mark.req("PRIV-2", "SCH-1")
def test_listing_the_candidates_records_a_read_of_each_candidate_listed(kit: Examkit) -> None:
    listed = kit.candidates.candidates("planner", L00)
    reads = [(r.reader, r.person) for r in all_reads(kit) if r.what == "candidates"]
    assert listed
    assert sorted(("planner", f"candidate:{c.id}") for c in listed) == sorted(reads)


@pytest.mark.req("PRIV-2")
def test_a_refused_read_records_no_read(kit: Examkit) -> None:
    with pytest.raises(NotPermitted):
        kit.candidates.candidates("admin-nowhere", L00)
    with pytest.raises(NotPermitted):
        kit.privacy_export.export("planner", PUPIL)
    assert [] == all_reads(kit)


@pytest.mark.req("PRIV-2")
def test_only_who_may_see_the_location_sees_its_reads(kit: Examkit) -> None:
    with pytest.raises(NotPermitted):
        kit.privacy_export.reads("planner", "22AB00")
    with pytest.raises(NotPermitted):
        kit.privacy_export.reads("administrator", "22AB01")
    with pytest.raises(InvalidInput):
        kit.privacy_export.reads("administrator", "not a place")
    with pytest.raises(InvalidInput):
        kit.privacy_export.reads("administrator", "22AB00", limit=0)


@pytest.mark.req("PRIV-2")
def test_the_reads_of_another_location_are_not_shown(kit: Examkit) -> None:
    from examkit.testing.sessions import add_operator

    add_operator(kit)
    kit.privacy_export.export("operator", PUPIL)
    assert [] == [read for read in all_reads(kit, "22AB00") if read.location != "22AB00"]
    assert [PUPIL.label] == [read.person for read in all_reads(kit) if read.what == "export"]
