# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Who read whose data: each reading use case records one read per person it returned (PRIV-2).

:data:`examkit._reading.READINGS` is the table of the kit's reading use
cases. :data:`MUST_LOG` spells out the rule on its own, as a school's data
protection officer reads it: whoever views results, answers, personal
details or a list of people by name is recorded. Every row that records
reads is run here, in the worlds of the revoked-grant tables
(``test_revoked_grant*.py``, whose rows call each use case with an actor
that may) or, for the rows those tables lack, in :data:`OWN_CASES`; each
must write ``privacy.read`` events of its ``what``, one per person, of the
row's kind of person. On the kit's own audit log, on memory and an SQLite
file (``wiring``); :mod:`tests.services.test_read_log_sql` counts the
statements on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import ModuleType
from typing import Any

import attrs
import pytest
from tests.privacy.export_people import PUPIL
from tests.privacy.test_export import seed
from tests.services import (
    test_revoked_grant,
    test_revoked_grant_correction,
    test_revoked_grant_roles,
)
from tests.services.revoked_grant import new_actor
from tests.services.test_correction_portal_needs import closed_with_classes, report_reader

from examkit import Examkit
from examkit._reading import READ, READINGS
from examkit.audit import AuditEvent
from examkit.backends.memory import MemoryBackend
from examkit.edexml import Group
from examkit.errors import StorageError
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.imports import roster_key
from examkit.privacy import PersonRef
from examkit.testing import ManualClock, RecordingMailer, Wiring, store_actor
from examkit.testing.correction import DEFINITION, NTERM, corrected_group, make_correction_kit
from examkit.testing.sessions import L00, START

MUST_LOG = frozenset(
    {
        "rosters.class_pupils",
        "rosters.pupils_for",
        "candidates.candidates",
        "planning_desk.group_details",
        "planning_desk.candidate_details",
        "group_lifecycle.access_slips",
        "session_reports.session_report",
        "correction_work.responses",
        "correction_work.work_list",
        "reviews.review",
        "reviews.review_page",
        "reviews.history",
        "results.results",
        "results.result_rows",
        "results.partial_report",
        "results.reports",
        "results.exchange",
        "flemish.participation_list",
        "flemish.registration",
        "users.list_at",
        "users.user_at",
        "privacy_export.export",
    }
)
"""Use cases that show someone else's results, answers, personal details or names: logged."""

OWN_DATA = frozenset({"profile.update_profile", "web_sessions.user", "sitting.open_page"})
"""Use cases that show the actor their own data: reading oneself is not logged."""

TABLES: tuple[ModuleType, ...] = (
    test_revoked_grant,
    test_revoked_grant_correction,
    test_revoked_grant_roles,
)
LVS = "lvsadmin"
"""Sees the classes and pupils of 22AB00 (the Cito administrator)."""
SCHOOL = Instellingsnummer("012345")
YEAR = SchoolYear("2025-2026")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def production(request: pytest.FixtureRequest) -> Iterator[Wiring]:
    """The kit's own audit log on memory, an SQLite file or PostgreSQL (the trail is read back)."""
    if request.param == "memory":
        yield Wiring.production(MemoryBackend())
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue(f"{request.param}_url"), migrate=False)
    try:
        yield Wiring.production(backend, "postgresql" if request.param == "postgres" else "sqlite")
    finally:
        backend.close()


def _own_world(wiring: Wiring) -> Examkit:
    """The correction world with the export's people seeded, a class 8A listing the pupil."""
    kit = make_correction_kit(ManualClock(START), wiring.log, wiring.backend)
    seed(kit.backend)
    with kit.backend.begin() as uow:
        listed = uow.class_lists.get(roster_key(L00, YEAR))
        uow.class_lists.update(attrs.evolve(listed, groups=(Group("8A", "8A", "8"),)))
        uow.commit()
    store_actor(kit.backend, "coordinator", [("vlaamse_toetsen.test_coordinator", [SCHOOL])])
    store_actor(kit.backend, LVS, [("cito_lvs.administrator", [L00])])
    return kit


def _registration(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return str(uow.flemish_registrations.list(limit=1).items[0].id)


def _responses(kit: Examkit) -> object:
    group, people = corrected_group(kit, 2)
    return kit.correction_work.responses("corrector", group, people[0].id)


def _candidate_details(kit: Examkit) -> object:
    _, people = corrected_group(kit, 1)
    return kit.planning_desk.candidate_details("planner", people[0].id)


def _reports(kit: Examkit) -> object:
    group, _ = closed_with_classes(kit)
    kit.results.publish("planner", group, DEFINITION, NTERM)
    return kit.results.reports(report_reader(kit, "cito_lvs.quality_officer", at=L00), L00)


OWN_CASES: dict[str, Callable[[Examkit], object]] = {
    "rosters.class_pupils": lambda kit: kit.rosters.class_pupils(LVS, L00, "8A"),
    "rosters.pupils_for": lambda kit: kit.rosters.pupils_for(LVS, L00),
    "flemish.registration": lambda kit: kit.flemish.registration("coordinator", _registration(kit)),
    "flemish.registrations_for": lambda kit: kit.flemish.registrations_for("coordinator"),
    "correction_work.responses": _responses,
    "planning_desk.candidate_details": _candidate_details,
    "results.reports": _reports,
    "users.list_at": lambda kit: kit.users.list_at("administrator", L00),
    "users.user_at": lambda kit: kit.users.user_at("administrator", L00, "planner"),
    "privacy_export.export": lambda kit: kit.privacy_export.export("administrator", PUPIL),
}
"""How to run the recording rows the revoked-grant tables do not hold, in :func:`_own_world`."""

RECORDING = {reading.call: reading for reading in READINGS if reading.records}


def _acting(call: str) -> tuple[ModuleType, Any] | None:
    for module in TABLES:
        case = module.ACTING_USE_CASES.get(call)
        if case is not None:
            return module, case
    return None


def _run(call: str, wiring: Wiring) -> list[AuditEvent]:
    """Run the row *call* with an actor that may; return the reads it recorded."""
    found = _acting(call)
    if found is None:
        kit = _own_world(wiring)
        before = _reads(wiring)
        OWN_CASES[call](kit)
    else:
        module, case = found
        world = module.make_world(wiring)
        if hasattr(case, "needs"):
            actor = new_actor(world.kit, case.needs, granted_at=START - timedelta(days=30))
        else:
            actor = case.actor
        before = _reads(wiring)
        case.call(world, actor)
    return [event for event in _reads(wiring) if event not in before]


def _reads(wiring: Wiring) -> list[AuditEvent]:
    """The reads stored (the seeded trail holds events later than the clock's now)."""
    return [event for event in wiring.audit.events if event.action == READ]


@pytest.mark.req("PRIV-2")
def test_the_table_holds_the_rule() -> None:
    """What must be logged is logged; one's own data is not; every other row says why not."""
    assert set() == MUST_LOG - set(RECORDING)
    assert set() == OWN_DATA & set(RECORDING)
    assert OWN_DATA <= {reading.call for reading in READINGS}
    for reading in READINGS:
        assert reading.records or reading.why, reading.call


@pytest.mark.req("PRIV-2")
def test_every_row_names_a_use_case_of_the_kit(wiring: Wiring) -> None:
    """No row names a service or method the kit does not have; no use case is in twice."""
    kit = _own_world(wiring)
    calls = [reading.call for reading in READINGS]
    assert len(calls) == len(set(calls))
    for call in calls:
        service, _, method = call.partition(".")
        assert callable(getattr(getattr(kit, service), method)), call


@pytest.mark.req("PRIV-2")
def test_every_recording_row_has_a_way_to_run_it() -> None:
    """Each row that records reads is run below: a revoked-grant row or one of OWN_CASES."""
    assert set() == {call for call in RECORDING if _acting(call) is None} - set(OWN_CASES)
    assert set() == set(OWN_CASES) - set(RECORDING)


@pytest.mark.req("PRIV-2", "SCH-1", "SCH-5", "SCH-6", "SCH-9", "SCO-3", "SCO-4", "SCO-6", "EDX-3")
@pytest.mark.req("ROLE-2")
@pytest.mark.parametrize("call", sorted(RECORDING))
def test_each_reading_use_case_records_one_read_per_person(call: str, wiring: Wiring) -> None:
    """The row's ``what``, one event per person of the row's kind, by the actor, at a place."""
    reading = RECORDING[call]
    reads = _run(call, wiring)
    assert reads, f"{call} recorded no read"
    subjects = [event.subject for event in reads]
    assert len(subjects) == len(set(subjects))
    for event in reads:
        kind = event.subject.partition(":")[0]
        assert reading.whose in {kind, "person"}, event
        assert kind in {"pupil", "candidate", "account"}
        assert reading.what == event.details["what"]
        assert event.details["location"]
        assert event.actor
        assert "success" == event.outcome


@pytest.mark.req("PRIV-2", "EDX-3")
def test_a_class_list_is_a_read_of_each_pupil_found_by_the_pupil(production: Wiring) -> None:
    """The class's pupil is read by name; the administrator finds it asking about that pupil."""
    kit = _own_world(production)
    kit.rosters.class_pupils(LVS, L00, "8A")
    reads = kit.privacy_export.reads("administrator", str(L00), person=PUPIL).items
    assert [(PUPIL.label, "pupils", LVS)] == [
        (read.person, read.what, read.reader) for read in reads
    ]
    trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ).items
    assert [{"what": "pupils", "location": "22AB00", "listed": "class:22AB00/8A"}] == [
        {k: v for k, v in entry.event.details.items() if k != "request"} for entry in trail
    ]
    other = PersonRef.pupil(str(L00), "nobody")
    assert () == kit.privacy_export.reads("administrator", str(L00), person=other).items


@pytest.mark.req("PRIV-2", "ROLE-2")
def test_the_users_list_records_no_read_of_the_reader(wiring: Wiring) -> None:
    """The administrator is among the users listed: reading oneself is not logged."""
    kit = _own_world(wiring)
    listed = {user.account.id for user in kit.users.list_at("administrator", L00)}
    read = {event.subject for event in _reads(wiring)}
    assert "administrator" in listed
    assert {f"account:{a}" for a in listed - {"administrator"}} == read


@pytest.mark.req("PRIV-2", "EDX-3")
def test_a_read_is_recorded_once_a_day_per_reader_and_purpose(production: Wiring) -> None:
    """Reading the class again that day adds nothing; another reader or the next day does."""
    kit = _own_world(production)
    clock = kit.clock
    assert isinstance(clock, ManualClock)
    store_actor(kit.backend, "second", [("cito_lvs.administrator", [L00])])

    def pupil_reads() -> list[tuple[str | None, str]]:
        trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ)
        return [(entry.event.actor, entry.event.at.isoformat()) for entry in trail.items]

    kit.rosters.class_pupils(LVS, L00, "8A")
    first = pupil_reads()
    kit.rosters.class_pupils(LVS, L00, "8A")
    kit.rosters.pupils_for(LVS, L00)  # the same pupils' data, for the same purpose
    assert first == pupil_reads()
    assert [LVS] == [actor for actor, _ in first]
    kit.rosters.class_pupils("second", L00, "8A")
    clock.advance(days=1)
    kit.rosters.class_pupils(LVS, L00, "8A")
    assert [LVS, "second", LVS] == [actor for actor, _ in pupil_reads()]


@pytest.mark.req("PRIV-2")
def test_a_kit_started_afresh_records_the_days_first_read_again(production: Wiring) -> None:
    """The marks are the kit's own, in memory: a new kit on the same store records once more."""
    kit = _own_world(production)
    kit.rosters.class_pupils(LVS, L00, "8A")
    again = Examkit(
        backend=kit.backend,
        mailer=RecordingMailer(),
        settings=kit.settings,
        clock=kit.clock,
        audit=production.log,
    )
    again.rosters.class_pupils(LVS, L00, "8A")
    trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ)
    assert [LVS, LVS] == [entry.event.actor for entry in trail.items]


@contextmanager
def write_lock_held_elsewhere(backend: MemoryBackend) -> Iterator[None]:
    """Hold *backend*'s write lock in another thread for the block."""
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with backend.begin():
            held.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        yield
    finally:
        done.set()
        holder.join()


@pytest.mark.req("PRIV-2", "PLAT-2")
def test_a_list_viewed_again_reads_without_the_write_lock_and_a_new_read_waits_for_it() -> None:
    """A reading use case stays a reading unit: only a read not yet recorded today writes.

    While another unit holds the write lock, the day's second view of the class
    answers; a first view by another reader cannot write its reads and is refused
    (the busy timeout), so no list leaves unrecorded, and it records no mark.
    """
    backend = MemoryBackend(busy_timeout=0.2)
    kit = _own_world(Wiring.production(backend))
    store_actor(kit.backend, "second", [("cito_lvs.administrator", [L00])])
    kit.rosters.class_pupils(LVS, L00, "8A")
    with write_lock_held_elsewhere(backend):
        assert kit.rosters.class_pupils(LVS, L00, "8A").items
        with pytest.raises(StorageError) as refused:
            kit.rosters.class_pupils("second", L00, "8A")
    assert "storage.busy" == refused.value.code
    kit.rosters.class_pupils("second", L00, "8A")
    trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ)
    assert [LVS, "second"] == [entry.event.actor for entry in trail.items]


@pytest.mark.req("PRIV-2", "PLAT-2")
def test_reads_in_a_thread_holding_a_writing_unit_are_written_once_it_closes() -> None:
    """Called inside this thread's own writing unit, a list's reads wait for it, not for a lock."""
    backend = MemoryBackend(busy_timeout=0.2)
    kit = _own_world(Wiring.production(backend))

    def pupil_reads() -> list[str | None]:
        trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ)
        return [entry.event.actor for entry in trail.items]

    with backend.begin():  # the caller's own unit (rolled back: the reads do not depend on it)
        assert kit.rosters.class_pupils(LVS, L00, "8A").items
        assert [] == pupil_reads()
    assert [LVS] == pupil_reads()
    kit.rosters.class_pupils(LVS, L00, "8A")
    assert [LVS] == pupil_reads()


@pytest.mark.req("PRIV-2", "PLAT-2")
def test_reads_that_could_not_be_written_are_not_marked_and_are_recorded_next_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The day's mark follows the write: a write that failed leaves the next view to record."""
    backend = MemoryBackend(busy_timeout=0.2)
    kit = _own_world(Wiring.production(backend))
    real_begin = backend.begin
    failures: list[str] = []

    def failing_writer(*, readonly: bool = False) -> Any:
        if not readonly and not failures:
            failures.append("busy")
            raise StorageError("storage.busy")
        return real_begin(readonly=readonly)

    def read_inside_a_writing_unit() -> None:
        with backend.begin():
            monkeypatch.setattr(backend, "begin", failing_writer)
            kit.rosters.class_pupils(LVS, L00, "8A")

    with pytest.raises(StorageError):  # the deferred write fails as the caller's unit closes
        read_inside_a_writing_unit()
    assert ["busy"] == failures
    kit.rosters.class_pupils(LVS, L00, "8A")
    trail = kit.privacy_audit.list_at("administrator", subject=PUPIL.label, action=READ)
    assert [LVS] == [entry.event.actor for entry in trail.items]
