# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The EDEXML import: preview, confirm, cancel, synchronisation, new year, jobs, listings."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.backends.memory import MemoryBackend
from examkit.edexml import (
    CombinationGroup,
    EdexmlRefused,
    Gender,
    Group,
    PersonName,
    Pupil,
    Teacher,
    TeacherGroup,
)
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    ExamkitErrorGroup,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import EdexmlImports, FieldChange, ImportSettings, calendar_year
from examkit.permissions import Grant
from examkit.records import Backend
from examkit.testing import ManualClock, RecordingMailer, edexml_document, make_kit, store_actor

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
YEAR = SchoolYear("2026-2027")
AT = datetime.fromisoformat("2026-09-01T08:00:00+00:00")


def admin(kit: Examkit, account: str = "acc-admin", *locations: LocationCode) -> str:
    """Store *account* as an administrator (*beheerder*) of *locations* (22AB00 by default).

    An account stored already gets the grant it lacks. Returns its id.
    """
    places = list(locations) or [L00]
    try:
        return store_actor(
            kit.backend, account, [("cito_lvs.administrator", places)], granted_at=AT
        )
    except AlreadyExists:
        pass
    with kit.backend.begin() as uow:
        held = uow.authorizations.get(account)
        grant = Grant.of("cito_lvs.administrator", places, granted_at=AT)
        if not any(g.role == grant.role and g.places == grant.places for g in held.grants):
            uow.authorizations.update(attrs.evolve(held, grants=(*held.grants, grant)))
        uow.commit()
    return account


def revoke_all(kit: Examkit, account: str) -> None:
    """Revoke every grant *account* holds, now."""
    with kit.backend.begin() as uow:
        held = uow.authorizations.get(account)
        now = kit.clock.now()
        revoked = tuple(
            attrs.evolve(g, revoked_at=now, revoked_by="administrator") for g in held.grants
        )
        uow.authorizations.update(attrs.evolve(held, grants=revoked))
        uow.commit()


def pupil(key: str, group: str | None = "g1", last_name: str = "Jansen", **changes: Any) -> Pupil:
    """Return a pupil of group *group*."""
    year_group = {"g1": "1", "g2": "2"}.get(group or "", "1")
    value = Pupil(
        key,
        PersonName(last_name, called_name=f"Kind{key}"),
        birth_date=date(2013, 5, 1),
        gender=Gender.FEMALE,
        year_group=year_group,
        group=group,
    )
    return attrs.evolve(value, **changes)


GROUPS = [Group("g1", "1A", "1"), Group("g2", "2A", "2")]
TEACHERS = [Teacher("t1", PersonName("Bos"), groups=(TeacherGroup("g1"),))]


def document(
    pupils: list[Pupil],
    *,
    location: LocationCode = L00,
    year: SchoolYear = YEAR,
    groups: list[Group] = GROUPS,
    teachers: list[Teacher] = TEACHERS,
) -> bytes:
    """Return an EDEXML file of *location*."""
    return edexml_document(
        school_year=year,
        brin=location.brin,
        dependancecode=str(location)[4:],
        groups=groups,
        combination_groups=[CombinationGroup("c1", "Engels")],
        pupils=pupils,
        teachers=teachers,
    )


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    if request.param == "memory":
        backend: Backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
        backend = SQLBackend(request.getfixturevalue(fixture), migrate=False)
    kit = make_kit(backend=backend)
    yield kit
    kit.close()


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


def current_keys(kit: Examkit, location: LocationCode = L00, **filters: object) -> list[str]:
    page = kit.rosters.pupils(location, limit=1000, **filters)  # type: ignore[arg-type]
    return [item.pupil.key for item in page.items]


def imported(kit: Examkit, data: bytes, actor: str | None = None) -> None:
    who = actor or admin(kit)
    kit.edexml_imports.confirm(who, kit.edexml_imports.preview(who, data))


@pytest.mark.req("EDX-2", "EDX-6")
def test_preview_shows_identification_counts_and_changes_nothing(kit: Examkit) -> None:
    """The preview tells school, year and counts, and no pupil or class is stored."""
    preview = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2", "g2")]))
    assert (L00, YEAR) == (preview.location, preview.school_year)
    assert Brin("22AB") == preview.school.brin
    assert 2 == preview.counts.pupils
    assert ("1", "2") == preview.diff.pupils.added
    assert ("g1", "g2") == preview.diff.groups.added
    assert ("t1",) == preview.diff.teachers.added
    assert () == kit.rosters.school_years(L00)
    with pytest.raises(NotFound):
        kit.rosters.pupils(L00)


@pytest.mark.req("EDX-2", "EDX-4")
def test_confirm_applies_the_previewed_difference(kit: Examkit) -> None:
    """After confirmation the pupils, groups and teachers are stored, and the result says so."""
    actor = admin(kit)
    preview = kit.edexml_imports.preview(actor, document([pupil("1"), pupil("2", "g2")]))
    result = kit.edexml_imports.confirm(actor, preview)
    assert preview.diff == result.diff
    assert ["1", "2"] == current_keys(kit)
    assert ["2"] == current_keys(kit, group="g2")
    assert ["1"] == current_keys(kit, year_group="1")
    classes = kit.rosters.classes(L00)
    assert ["g1", "g2"] == [group.key for group in classes.groups]
    assert {"g1": 1, "g2": 1} == kit.rosters.quantities(L00)
    with pytest.raises(NotFound):
        kit.edexml_imports.confirm(actor, preview)


@pytest.mark.req("EDX-4")
def test_a_changed_file_synchronises_field_by_field_and_archives_gone_pupils(
    kit: Examkit,
) -> None:
    """New pupils are added, changed ones updated (field by field), missing ones archived."""
    imported(kit, document([pupil("1"), pupil("2"), pupil("3")]))
    later = document(
        [pupil("1", "g2"), pupil("2", last_name="Jansen-Smit"), pupil("4")],
        groups=[Group("g1", "1B", "1"), Group("g2", "2A", "2")],
        teachers=[],
    )
    preview = kit.edexml_imports.preview(admin(kit), later)
    diff = preview.diff
    assert ("4",) == diff.pupils.added
    assert ("3",) == diff.pupils.gone
    changes = {change.key: change.fields for change in diff.pupils.changed}
    assert (FieldChange("year_group", "1", "2"), FieldChange("group", "g1", "g2")) == changes["1"]
    assert (FieldChange("name.last_name", "Jansen", "Jansen-Smit"),) == changes["2"]
    assert ("g1",) == tuple(change.key for change in diff.groups.changed)
    assert ("t1",) == diff.teachers.gone
    assert {
        "pupils": {
            "1": "Kind1 Jansen",
            "2": "Kind2 Jansen-Smit",
            "3": "Kind3 Jansen",
            "4": "Kind4 Jansen",
        },
        "groups": {"g1": "1B"},
        "combination_groups": {},
        "teachers": {"t1": "Bos"},
    } == preview.names
    assert preview.names == kit.edexml_imports.get_preview(admin(kit), preview.id).names
    kit.edexml_imports.confirm(admin(kit), preview)
    assert ["1", "2", "4"] == current_keys(kit)
    archived = kit.rosters.pupils(L00, archived=True).items
    assert ["3"] == [item.pupil.key for item in archived]
    assert clock(kit).now() == archived[0].archived_at
    assert "Jansen-Smit" == kit.rosters.pupils(L00, group="g1").items[0].pupil.name.last_name


@pytest.mark.req("EDX-4")
def test_reimporting_the_same_file_changes_nothing(kit: Examkit) -> None:
    """The second import of one file shows an empty difference and keeps every version."""
    data = document([pupil("1"), pupil("2", "g2")])
    imported(kit, data)
    before = kit.rosters.pupils(L00).items
    preview = kit.edexml_imports.preview(admin(kit), data)
    assert preview.diff.is_empty
    kit.edexml_imports.confirm(admin(kit), preview)
    after = kit.rosters.pupils(L00).items
    assert before == after
    assert [p.version for p in before] == [p.version for p in after]


@pytest.mark.req("EDX-4")
def test_a_returning_pupil_is_restored(kit: Examkit) -> None:
    """A pupil archived by one import and back in the next is current again."""
    imported(kit, document([pupil("1"), pupil("2")]))
    imported(kit, document([pupil("1")]))
    preview = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2")]))
    assert ("2",) == preview.diff.pupils.added
    kit.edexml_imports.confirm(admin(kit), preview)
    assert ["1", "2"] == current_keys(kit)
    assert () == kit.rosters.pupils(L00, archived=True).items


@pytest.mark.req("EDX-4")
def test_a_year_later_file_starts_the_new_year_and_leaves_the_old_one(kit: Examkit) -> None:
    """Next year's file waits for 1 August; the previous year's pupils stay as they were."""
    imported(kit, document([pupil("1"), pupil("2")]))
    imported(kit, document([pupil("2", "g2"), pupil("3")], year=YEAR.next()))
    assert (YEAR, YEAR.next()) == kit.rosters.school_years(L00)
    assert YEAR == kit.rosters.current_year(L00)
    assert ["1", "2"] == current_keys(kit)
    clock(kit).set(datetime.fromisoformat("2027-08-01T00:00:00+02:00"))
    assert YEAR.next() == kit.rosters.current_year(L00)
    assert ["2", "3"] == current_keys(kit)
    assert ["1", "2"] == current_keys(kit, school_year=YEAR)
    assert () == kit.rosters.pupils(L00, school_year=YEAR, archived=True).items


@pytest.mark.req("EDX-2", "EDX-5")
def test_a_file_for_a_location_the_actor_does_not_administer_is_refused(kit: Examkit) -> None:
    """Administering 22AB00 does not allow importing 22AB01's file; nothing is held."""
    with pytest.raises(NotPermitted) as refused:
        kit.edexml_imports.preview(admin(kit), document([pupil("1")], location=L01))
    assert "imports.location.not_administered" == refused.value.code
    with kit.backend.begin() as uow:  # rolled back: only counting what a purge would find
        assert 0 == uow.pending_imports.purge_expired(AT + timedelta(days=999))


@pytest.mark.req("EDX-5")
def test_two_locations_imports_never_mix(kit: Examkit) -> None:
    """An administrator of two locations imports each one's file; each keeps its own pupils."""
    actor = admin(kit, "acc-both", L00, L01)
    imported(kit, document([pupil("1"), pupil("2")]), actor)
    imported(kit, document([pupil("2"), pupil("9")], location=L01), actor)
    imported(kit, document([pupil("1")]), actor)
    assert ["1"] == current_keys(kit, L00)
    assert ["2", "9"] == current_keys(kit, L01)
    assert () == kit.rosters.pupils(L01, archived=True).items


@pytest.mark.req("EDX-2")
def test_a_schoolkey_only_file_takes_the_chosen_location(kit: Examkit) -> None:
    """Without a BRIN the administrator picks the location; without a pick it is refused."""
    data = edexml_document(
        school_year=YEAR, brin=None, schoolkey="41323", groups=GROUPS, pupils=[pupil("1")]
    )
    with pytest.raises(InvalidInput) as missing:
        kit.edexml_imports.preview(admin(kit), data)
    assert "imports.location.missing" == missing.value.code
    preview = kit.edexml_imports.preview(admin(kit), data, location=L00)
    assert L00 == preview.location
    with pytest.raises(InvalidInput) as mismatch:
        kit.edexml_imports.preview(admin(kit, "a", L00, L01), document([pupil("1")]), location=L01)
    assert "imports.location.mismatch" == mismatch.value.code


@pytest.mark.req("EDX-2")
def test_a_brin_without_dependancecode_is_the_main_location(kit: Examkit) -> None:
    """No dependancecode means location 00."""
    data = edexml_document(
        school_year=YEAR, brin=Brin("22AB"), dependancecode=None, pupils=[pupil("1", None)]
    )
    assert L00 == kit.edexml_imports.preview(admin(kit), data).location


@pytest.mark.req("EDX-2", "EDX-6")
def test_confirm_is_refused_after_a_concurrent_change_with_nothing_changed(kit: Examkit) -> None:
    """Two previews on one base: the second confirmation finds the data changed."""
    imported(kit, document([pupil("1")]))
    first = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2")]))
    second = kit.edexml_imports.preview(admin(kit), document([pupil("3")]))
    kit.edexml_imports.confirm(admin(kit), first)
    stored = kit.rosters.pupils(L00).items
    with pytest.raises(ConcurrentModification) as stale:
        kit.edexml_imports.confirm(admin(kit), second)
    assert "imports.pending.stale" == stale.value.code
    assert stored == kit.rosters.pupils(L00).items
    assert [p.version for p in stored] == [p.version for p in kit.rosters.pupils(L00).items]


@pytest.mark.req("EDX-2", "EDX-6", "WEB-1")
def test_a_reloaded_page_gets_the_same_preview_by_its_id(kit: Examkit) -> None:
    """The same school, counts, difference and expiry; nothing stored; then confirmable."""
    imported(kit, document([pupil("1")]))
    shown = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2")]))
    again = kit.edexml_imports.get_preview(admin(kit), shown.id)
    assert shown == again
    assert 1 == len(kit.rosters.pupils(L00).items)
    kit.edexml_imports.confirm(admin(kit), again.id)
    assert 2 == len(kit.rosters.pupils(L00).items)
    with pytest.raises(NotFound):
        kit.edexml_imports.get_preview(admin(kit), shown.id)


@pytest.mark.req("EDX-2", "EDX-6")
def test_a_preview_stored_without_its_difference_shows_the_same_difference_again(
    kit: Examkit,
) -> None:
    """A preview kept by an earlier release (no difference stored): computed at its reading."""
    imported(kit, document([pupil("1"), pupil("3")]))
    shown = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2")]))
    with kit.backend.begin() as uow:
        kept = uow.pending_imports.get(shown.id)
        assert kept.diff == shown.diff
        uow.pending_imports.update(attrs.evolve(kept, diff=None))
        uow.commit()
    again = kit.edexml_imports.get_preview(admin(kit), shown.id)
    assert (shown.diff, shown.names) == (again.diff, again.names)
    assert ("2",) == again.diff.pupils.added
    assert ("3",) == again.diff.pupils.gone


@pytest.mark.req("EDX-1", "EDX-2")
def test_the_files_warnings_come_with_the_preview_and_again_after_a_reload(kit: Examkit) -> None:
    """A pupil without jaargroep: the derived year group is a warning with its line, kept."""
    shown = kit.edexml_imports.preview(
        admin(kit), document([pupil("1"), pupil("2", year_group=None)])
    )
    assert [("edexml.pupil.year_group_derived", "2")] == [
        (warning.code, dict(warning.params)["key"]) for warning in shown.warnings
    ]
    line = shown.warnings[0].line
    assert line is not None
    assert line > 1
    assert "Leerling '2' heeft geen jaargroep" in shown.warnings[0].message("nl")
    assert shown.warnings[0].message("en").startswith("Pupil '2' has no jaargroep")
    assert shown.warnings == kit.edexml_imports.get_preview(admin(kit), shown.id).warnings
    clean = kit.edexml_imports.preview(admin(kit), document([pupil("1")]))
    assert () == clean.warnings


@pytest.mark.req("EDX-2", "EDX-6")
def test_a_preview_is_not_shown_to_another_when_expired_or_when_stale(kit: Examkit) -> None:
    """Another actor is refused; an expired preview is not found; a stale one says so."""
    imported(kit, document([pupil("1")]))
    first = kit.edexml_imports.preview(admin(kit), document([pupil("1"), pupil("2")]))
    second = kit.edexml_imports.preview(admin(kit), document([pupil("3")]))
    other = admin(kit, "acc-other")
    with pytest.raises(NotPermitted) as refused:
        kit.edexml_imports.get_preview(other, first.id)
    assert "imports.pending.other_actor" == refused.value.code
    kit.edexml_imports.confirm(admin(kit), first)
    with pytest.raises(ConcurrentModification) as stale:
        kit.edexml_imports.get_preview(admin(kit), second.id)
    assert "imports.pending.stale" == stale.value.code
    third = kit.edexml_imports.preview(admin(kit), document([pupil("4")]))
    clock(kit).advance(hours=1)
    with pytest.raises(NotFound) as expired:
        kit.edexml_imports.get_preview(admin(kit), third.id)
    assert "imports.pending.not_found" == expired.value.code


@pytest.mark.req("EDX-2", "EDX-6")
def test_an_expired_preview_is_refused_and_erased(kit: Examkit) -> None:
    """After an hour the preview cannot be confirmed and is gone."""
    preview = kit.edexml_imports.preview(admin(kit), document([pupil("1")]))
    clock(kit).advance(hours=1)
    with pytest.raises(NotFound) as expired:
        kit.edexml_imports.confirm(admin(kit), preview)
    assert "imports.pending.not_found" == expired.value.code
    assert () == kit.rosters.school_years(L00)
    with pytest.raises(NotFound):
        kit.edexml_imports.cancel(admin(kit), preview)


@pytest.mark.req("EDX-2", "EDX-6")
def test_another_actors_preview_is_refused(kit: Examkit) -> None:
    """Only the actor who previewed may confirm or cancel, even at the same location."""
    preview = kit.edexml_imports.preview(admin(kit, "acc-1"), document([pupil("1")]))
    for attempt in (kit.edexml_imports.confirm, kit.edexml_imports.cancel):
        with pytest.raises(NotPermitted) as other:
            attempt(admin(kit, "acc-2"), preview)
        assert "imports.pending.other_actor" == other.value.code
    assert () == kit.rosters.school_years(L00)
    kit.edexml_imports.confirm(admin(kit, "acc-1"), preview)
    assert ["1"] == current_keys(kit)


@pytest.mark.req("EDX-2", "EDX-5")
def test_confirm_is_refused_when_the_actor_no_longer_administers_the_location(
    kit: Examkit,
) -> None:
    """Permission is checked again at confirmation: a revoked administrator changes nothing."""
    preview = kit.edexml_imports.preview(admin(kit, "acc-1"), document([pupil("1")]))
    revoke_all(kit, "acc-1")
    with pytest.raises(NotPermitted) as refused:
        kit.edexml_imports.confirm("acc-1", preview)
    assert "imports.location.not_administered" == refused.value.code
    assert () == kit.rosters.school_years(L00)


@pytest.mark.req("EDX-6")
def test_the_purge_job_erases_expired_previews_only(kit: Examkit) -> None:
    """``purge_expired`` erases what lapsed and leaves fresh previews."""
    kit.edexml_imports.preview(admin(kit), document([pupil("1")]))
    clock(kit).advance(minutes=30)
    fresh = kit.edexml_imports.preview(admin(kit), document([pupil("2")]))
    clock(kit).advance(minutes=31)
    assert 1 == kit.import_housekeeping.purge_expired()
    kit.edexml_imports.confirm(admin(kit), fresh)
    assert ["2"] == current_keys(kit)


@pytest.mark.req("EDX-4", "EDX-6")
def test_archived_pupils_are_erased_after_the_retention_period(kit: Examkit) -> None:
    """The retention job erases archived pupils older than the period, and only those."""
    imported(kit, document([pupil("1"), pupil("2"), pupil("3")]))
    imported(kit, document([pupil("1"), pupil("2")]))
    clock(kit).advance(days=200)
    imported(kit, document([pupil("1")]))
    clock(kit).advance(days=200)
    assert 1 == kit.import_housekeeping.purge_archived()
    assert ["2"] == [
        p.pupil.key for p in kit.rosters.pupils(L00, school_year=YEAR, archived=True).items
    ]
    assert ["1"] == current_keys(kit, school_year=YEAR)


@pytest.mark.req("EDX-6")
def test_the_audit_trail_has_counts_and_hash_but_no_personal_data(kit: Examkit) -> None:
    """Preview, confirm and cancel are audited with who, when, file hash and counts only."""
    data = document([pupil("1", last_name="Geheimnaam")])
    imported(kit, data)
    kit.edexml_imports.cancel(admin(kit), kit.edexml_imports.preview(admin(kit), data))
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(subject="location:22AB00").items
    assert ["imports.preview", "imports.confirm", "imports.preview", "imports.cancel"] == [
        event.action for event in events
    ]
    confirm = events[1]
    assert "acc-admin" == confirm.actor
    assert "1" == confirm.details["pupils_added"]
    assert "1" == confirm.details["file_pupils"]
    assert 64 == len(confirm.details["file_sha256"])
    text = repr(events)
    assert "Geheimnaam" not in text
    assert "Kind1" not in text


def _file_bytes_after_vacuum(path: Path) -> bytes:
    """Return the SQLite file's bytes after a WAL checkpoint and a VACUUM."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.req("EDX-6")
def test_cancel_and_expiry_leave_no_trace_in_the_sqlite_file(tmp_path: Path) -> None:
    """The file's personal data is in the database while previewed, and gone after both."""
    from examkit.backends.sql import SQLBackend

    path = tmp_path / "trace.db"
    kit = make_kit(backend=SQLBackend(f"sqlite:///{path}"))
    cancelled = document([pupil("1", last_name="Qwertyzanten")])
    expired = document([pupil("2", last_name="Plofvaardig")])
    try:
        kit.edexml_imports.cancel(admin(kit), kit.edexml_imports.preview(admin(kit), cancelled))
        kit.edexml_imports.preview(admin(kit), expired)
        clock(kit).advance(hours=2)
        assert 1 == kit.import_housekeeping.purge_expired()
    finally:
        kit.close()
    assert b"Qwertyzanten" not in _file_bytes_after_vacuum(path)
    assert b"Plofvaardig" not in _file_bytes_after_vacuum(path)


@pytest.mark.req("EDX-6")
def test_the_trace_check_sees_a_held_preview(tmp_path: Path) -> None:
    """Control for the test above: a preview still held is found in the file's bytes."""
    from examkit.backends.sql import SQLBackend

    path = tmp_path / "held.db"
    kit = make_kit(backend=SQLBackend(f"sqlite:///{path}"))
    try:
        kit.edexml_imports.preview(admin(kit), document([pupil("1", last_name="Qwertyzanten")]))
    finally:
        kit.close()
    assert b"Qwertyzanten" in _file_bytes_after_vacuum(path)


# -- issue 19: hostile files and the school year (EDX-1, EDX-4, EDX-6) ---------------------


def nobody(kit: Examkit) -> str:
    """Store a user with no grants at all (once); return its id."""
    with contextlib.suppress(AlreadyExists):
        store_actor(kit.backend, "acc-nobody")
    return "acc-nobody"


@pytest.mark.req("EDX-1", "EDX-6")
def test_point_1_preview_refuses_an_actor_who_may_import_nowhere_before_reading(
    kit: Examkit,
) -> None:
    """No grants: refused before the file is read (bytes that are no XML give the same answer)."""
    for data in (document([pupil("1")]), b"not xml at all", b"<EDEX>" * 100_000):
        with pytest.raises(NotPermitted) as raised:
            kit.edexml_imports.preview(nobody(kit), data)
        assert "imports.actor.no_location" == raised.value.code
    elsewhere = admin(kit, "acc-other", L01)
    with pytest.raises(NotPermitted) as refused:
        kit.edexml_imports.preview(elsewhere, document([pupil("1")]))
    assert "imports.location.not_administered" == refused.value.code
    assert () == kit.rosters.school_years(L00)


@pytest.mark.req("EDX-1")
def test_point_1_preview_of_a_file_with_many_problems_lists_the_first_and_counts_all(
    kit: Examkit,
) -> None:
    """3,000 bad pupils: the error group lists 1,000 problems and says how many more."""
    bad = [pupil(str(number), year_group="99") for number in range(3_000)]
    with pytest.raises(ExamkitErrorGroup) as raised:
        kit.edexml_imports.preview(admin(kit), document(bad))
    problems = raised.value.problems
    assert 1_001 == len(problems)
    last = problems[-1]
    assert ("edexml.problems.truncated", 2_000, 2_000, 1_000) == (
        last.code,
        last.params["more"],
        last.params["errors"],
        last.params["maximum"],
    )
    assert raised.value.message("en").startswith("The EDEXML file has 3000 error(s)")
    assert () == kit.rosters.school_years(L00)


@pytest.mark.req("EDX-1")
def test_point_2_an_element_with_many_attributes_is_refused_at_once(kit: Examkit) -> None:
    """200,000 attributes on one pupil are refused in well under the minutes they used to take."""
    attributes = " ".join(f'a{number}="x"' for number in range(200_000))
    data = document([pupil("1")]).replace(
        b'<leerling key="1"', f'<leerling key="1" {attributes}'.encode()
    )
    started = time.perf_counter()
    with pytest.raises(EdexmlRefused) as raised:
        kit.edexml_imports.preview(admin(kit), data)
    assert time.perf_counter() - started < 20
    assert ("edexml.refused.attributes", "max_attributes", 64) == (
        raised.value.code,
        raised.value.limit,
        raised.value.params["maximum"],
    )


@pytest.mark.req("EDX-3", "EDX-4")
def test_point_3_a_file_for_next_year_is_kept_but_does_not_become_current(kit: Examkit) -> None:
    """Next year's file is stored for planning; the default listings stay on this year's pupils."""
    imported(kit, document([pupil("1"), pupil("2"), pupil("3"), pupil("4")]))
    imported(kit, document([pupil("9")], year=YEAR.next()))
    assert (YEAR, YEAR.next()) == kit.rosters.school_years(L00)
    assert YEAR == kit.rosters.current_year(L00)
    assert ["1", "2", "3", "4"] == current_keys(kit)
    assert {"g1": 4, "g2": 0} == kit.rosters.quantities(L00)
    assert ["9"] == current_keys(kit, school_year=YEAR.next())
    clock(kit).set(datetime.fromisoformat("2027-07-31T23:59:59+02:00"))
    assert YEAR == kit.rosters.current_year(L00)
    clock(kit).set(datetime.fromisoformat("2027-08-01T00:00:00+02:00"))
    assert YEAR.next() == kit.rosters.current_year(L00)
    assert ["9"] == current_keys(kit)


@pytest.mark.req("EDX-4")
def test_point_3_a_file_more_than_a_year_ahead_is_refused(kit: Examkit) -> None:
    """2099-2100 (and, by default, 2028-2029 in 2026) is refused with the years; nothing stored."""
    for year in (SchoolYear("2099-2100"), YEAR.next().next()):
        with pytest.raises(InvalidInput) as raised:
            kit.edexml_imports.preview(admin(kit), document([pupil("1")], year=year))
        assert ("imports.school_year.too_far_ahead", str(year), str(YEAR)) == (
            raised.value.code,
            raised.value.params["school_year"],
            raised.value.params["current"],
        )
    assert () == kit.rosters.school_years(L00)
    imported(kit, document([pupil("1")], year=SchoolYear("2020-2021")))
    assert (SchoolYear("2020-2021"),) == kit.rosters.school_years(L00)


@pytest.mark.req("EDX-4")
def test_point_3_how_far_ahead_is_configurable(kit: Examkit) -> None:
    """years_ahead=0 refuses next year's file; 2 accepts the year after; -1 is no setting."""
    service = EdexmlImports(kit.ports, ImportSettings(years_ahead=0))
    with pytest.raises(InvalidInput) as refused:
        service.preview(admin(kit), document([pupil("1")], year=YEAR.next()))
    assert ("imports.school_year.too_far_ahead", 0) == (
        refused.value.code,
        refused.value.params["years_ahead"],
    )
    wider = EdexmlImports(kit.ports, ImportSettings(years_ahead=2))
    wider.confirm(
        admin(kit), wider.preview(admin(kit), document([pupil("1")], year=YEAR.next().next()))
    )
    assert (YEAR.next().next(),) == kit.rosters.school_years(L00)
    for wrong in (-1, True, 1.5):
        with pytest.raises(ConfigurationError) as raised:
            ImportSettings(years_ahead=wrong)  # type: ignore[arg-type]
        assert "imports.setting.not_a_count" == raised.value.code


@pytest.mark.req("EDX-4", "EDX-6")
def test_point_3_a_wrongly_imported_year_can_be_removed(kit: Examkit) -> None:
    """remove_year erases that year's pupils (archived too) and classes, and nothing else."""
    imported(kit, document([pupil("1"), pupil("2")]))
    imported(kit, document([pupil("1")], location=L01), admin(kit, "acc-admin", L01))
    imported(kit, document([pupil("7"), pupil("8")], year=YEAR.next()))
    imported(kit, document([pupil("7")], year=YEAR.next()))
    with pytest.raises(NotPermitted):
        kit.edexml_imports.remove_year(admin(kit, "acc-other", L01), L00, YEAR.next())
    assert 2 == kit.edexml_imports.remove_year(admin(kit), L00, YEAR.next())
    assert (YEAR,) == kit.rosters.school_years(L00)
    assert ["1", "2"] == current_keys(kit)
    assert ["1"] == current_keys(kit, L01)
    with pytest.raises(NotFound) as raised:
        kit.rosters.classes(L00, YEAR.next())
    assert "imports.location.no_import" == raised.value.code
    with pytest.raises(NotFound) as again:
        kit.edexml_imports.remove_year(admin(kit), L00, YEAR.next())
    assert "imports.school_year.not_found" == again.value.code
    imported(kit, document([pupil("7")], year=YEAR.next()))
    assert ["7"] == current_keys(kit, school_year=YEAR.next())
    with kit.backend.begin(readonly=True) as uow:
        actions = [event.action for event in uow.audit.list(subject="location:22AB00").items]
    assert "imports.remove_year" in actions


@pytest.mark.req("EDX-3", "EDX-4")
def test_point_3_a_year_not_yet_imported_is_not_replaced_by_another(kit: Examkit) -> None:
    """On 1 August without this year's file the listings say so, not last year's pupils."""
    imported(kit, document([pupil("1")]))
    clock(kit).set(datetime.fromisoformat("2027-08-01T00:00:00+02:00"))
    with pytest.raises(NotFound) as raised:
        kit.rosters.pupils(L00)
    assert ("imports.school_year.not_imported", "2027-2028") == (
        raised.value.code,
        raised.value.params["school_year"],
    )
    assert ["1"] == current_keys(kit, school_year=YEAR)


@pytest.mark.req("EDX-1", "EDX-4", "EDX-6")
def test_points_1_and_3_with_the_production_defaults(tmp_path: Path) -> None:
    """Examkit(...) on an SQLite file, its own clock and audit log: the same rules."""
    from examkit.backends.sql import SQLBackend

    kit = Examkit(
        backend=SQLBackend(f"sqlite:///{tmp_path / 'examkit.db'}"),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
    )
    try:
        now = calendar_year(kit.clock.now())
        with pytest.raises(NotPermitted):
            kit.edexml_imports.preview(nobody(kit), b"not xml")
        with pytest.raises(InvalidInput) as raised:
            kit.edexml_imports.preview(admin(kit), document([pupil("1")], year=now.next().next()))
        assert "imports.school_year.too_far_ahead" == raised.value.code
        imported(kit, document([pupil("1"), pupil("2")], year=now))
        imported(kit, document([pupil("9")], year=now.next()))
        assert now == kit.rosters.current_year(L00)
        assert ["1", "2"] == current_keys(kit)
        assert 1 == kit.edexml_imports.remove_year(admin(kit), L00, now.next())
        assert (now,) == kit.rosters.school_years(L00)
    finally:
        kit.close()
