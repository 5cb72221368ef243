"""An erasure of a candidate of a group an offline server holds reaches it through the sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.offline.station.linked import Linked, linked

from examkit.backends.memory import MemoryBackend
from examkit.privacy import PersonRef, PrivacyErasure, PrivacySettings

PRIVACY = PrivacySettings(pseudonym_key=b"pseudonym-key-of-the-test-portal")


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Linked]:
    """A central system in memory and its offline server on an SQLite file."""
    with linked(MemoryBackend(), tmp_path) as made:
        yield made


def _on_station(day: Linked) -> tuple[set[str], tuple[str, ...], set[str]]:
    """The station's candidates' ids, its group's candidates and its attempts' candidates."""
    with day.station.kit.backend.begin(readonly=True) as uow:
        people = set(uow.candidates.get_many(uow.session_groups.get(day.group).candidates))
        group = uow.session_groups.get(day.group).candidates
        attempts = {a.candidate for a in uow.test_attempts.list_for_group(day.group)}
    return people, group, attempts


@pytest.mark.req("PRIV-3", "SCH-8")
def test_an_erased_candidate_is_erased_on_the_offline_server(day: Linked) -> None:
    """Down entries remove the candidate and their planned attempt, and the group loses them."""
    assert day.station.sync_once().error == ""
    people, group, attempts = _on_station(day)
    erased = group[0]
    assert erased in people
    assert erased in attempts
    with day.station.kit.backend.begin(readonly=True) as uow:
        login = uow.candidates.get(erased).login_name

    erasure = PrivacyErasure(day.central.ports, PRIVACY)
    report = erasure.erase("administrator", PersonRef.candidate(erased))
    assert report.erased["candidates"] == 1
    assert report.offline == 4  # the erasure, the candidate, the planned attempt, the group

    synced = day.station.sync_once()
    assert (synced.error, synced.received) == ("", 4)
    people, group, attempts = _on_station(day)
    assert erased not in group
    assert erased not in attempts
    with day.station.kit.backend.begin(readonly=True) as uow:
        assert uow.candidates.get_many([erased]) == {}
        assert all(c.login_name != login for c in uow.candidates.get_many(group).values())
    assert len(group) == 2  # the others stay
    again = erasure.erase("administrator", PersonRef.candidate(erased))
    assert (again.changed, again.offline) == (False, 0)
    assert day.station.sync_once().received == 0
