# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline server's outbox: what each change queues, numbered without gaps, in its unit."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.world import (
    init_station,
    new_store,
    queued,
    released,
    room,
    room_on,
    station_state,
)

from examkit.backends.sql import SQLBackend
from examkit.converter import unstructure
from examkit.errors import InvalidState
from examkit.offline import STATIONS, OutboxBackend, entry_digest
from examkit.records import RecordsUnit
from examkit.scheduling import AttemptState, GroupState
from examkit.storage import Transaction
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

STORES = ["memory", "sqlite"]


def kinds_since(outbox: OutboxBackend, after: int) -> list[tuple[str, str]]:
    return [(entry.kind, entry.key) for entry in queued(outbox.inner, after)]


@pytest.mark.req("SCH-7", "SCH-8")
@pytest.mark.parametrize("kind", STORES)
def test_each_room_change_queues_its_entries_and_a_heartbeat_none(
    kind: str, tmp_path: Path
) -> None:
    """Release: the group; sign-in: the attempt; a save: its answer only; a heartbeat: nothing."""
    with room(kind, tmp_path) as (kit, outbox, clock):
        group, people, code = released(kit)
        first = people[0].id
        mark = station_state(outbox.inner).up_queued
        session = kit.sitting.sign_in(people[0].login_name, code)
        assert [("attempt", f"{group}:{first}")] == kinds_since(outbox, mark)
        mark = station_state(outbox.inner).up_queued
        kit.sitting.save_response(
            group, first, "q1", {"choice": ["B"]}, sequence=1, key=session.key
        )
        assert [("answer", f"{group}:{first}:q1")] == kinds_since(outbox, mark)
        (answer,) = queued(outbox.inner, mark)
        assert (1, {"choice": ["B"]}) == (answer.revision, answer.body["value"])
        mark = station_state(outbox.inner).up_queued
        clock.advance(minutes=5)
        kit.sitting.contact(group, first, key=session.key)
        assert kit.sitting.attempt(group, first).last_contact == clock.now()
        assert [] == kinds_since(outbox, mark)
        kit.proctoring.intervene("proctor", group, first, "pause")
        entries = queued(outbox.inner, mark)
        assert [("attempt", f"{group}:{first}")] == [(e.kind, e.key) for e in entries]
        paused = kit.sitting.attempt(group, first)
        assert AttemptState.PAUSED.value == entries[0].body["state"]
        assert paused.version == entries[0].revision
        assert {"responses", "last_sequence", "version"}.isdisjoint(entries[0].body)
        mark = station_state(outbox.inner).up_queued
        kit.session_reports.write_report("proctor", group, notes="Rustig verlopen.")
        (report,) = queued(outbox.inner, mark)
        assert ("group", group) == (report.kind, report.key)
        assert {"access_code", "log", "report", "state"} == set(report.body)
        assert -1500 == report.body["report"]["clock_offset_ms"]
        assert -1500 == kit.planning.group(group).report.clock_offset_ms


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("kind", STORES)
def test_entries_are_numbered_contiguously_with_the_counter_and_carry_their_digest(
    kind: str, tmp_path: Path
) -> None:
    """Every number from 1 to the counter, once; each digest is the entry's content's."""
    with room(kind, tmp_path) as (kit, outbox, _):
        group, people, code = released(kit, 3)
        for n, person in enumerate(people):
            key = kit.sitting.sign_in(person.login_name, code).key
            kit.sitting.save_response(group, person.id, "q1", "A", sequence=n + 1, key=key)
        entries = queued(outbox.inner)
        assert list(range(1, len(entries) + 1)) == [entry.seq for entry in entries]
        assert station_state(outbox.inner).up_queued == len(entries)
        for entry in entries:
            assert entry_digest(entry.kind, entry.key, entry.revision, entry.body) == entry.digest


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("kind", STORES)
def test_a_unit_rolled_back_or_crashed_before_commit_leaves_no_entry_and_no_gap(
    kind: str, tmp_path: Path
) -> None:
    """Nothing queued survives a rollback or a crash at offline.outbox.before_commit."""
    with room(kind, tmp_path) as (kit, outbox, _):
        group, people, code = released(kit)
        before = station_state(outbox.inner).up_queued
        with outbox.begin() as uow:
            attempt = uow.test_attempts.get(f"{group}:{people[0].id}")
            uow.test_attempts.update(attrs.evolve(attempt, reentry_allowed=True))
        assert before == station_state(outbox.inner).up_queued

        def crash(point: str) -> None:
            raise RuntimeError(point)

        outbox.crash = crash
        with pytest.raises(RuntimeError, match=r"offline\.outbox\.before_commit"):
            kit.sitting.sign_in(people[0].login_name, code)
        assert before == station_state(outbox.inner).up_queued
        assert before == len(queued(outbox.inner))
        assert AttemptState.REGISTERED is kit.sitting.attempt(group, people[0].id).state
        outbox.crash = lambda point: None
        kit.sitting.sign_in(people[0].login_name, code)
        entries = queued(outbox.inner)
        assert list(range(1, before + 2)) == [entry.seq for entry in entries]


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("kind", STORES)
def test_writes_to_the_store_underneath_queue_nothing(kind: str, tmp_path: Path) -> None:
    """The down applier's writes (to the inner store) make no up entries."""
    with room(kind, tmp_path) as (kit, outbox, _):
        group, _, _ = released(kit)
        before = station_state(outbox.inner).up_queued
        with outbox.inner.begin() as uow:
            stored = uow.session_groups.get(group)
            uow.session_groups.update(attrs.evolve(stored, room="Gymzaal"))
            uow.commit()
        assert before == station_state(outbox.inner).up_queued
        assert "Gymzaal" == kit.planning.group(group).room


@pytest.mark.req("SCH-8")
def test_a_closed_group_keeps_the_offset_measured_while_it_was_open(tmp_path: Path) -> None:
    """The report records the offset as it was at the close; later measurements leave it."""
    with room("memory", tmp_path) as (kit, outbox, clock):
        group, _, _ = released(kit)
        kit.session_reports.write_report("proctor", group, completed=True)
        with outbox.inner.begin() as uow:
            state = uow.offline_stations.get(station_state(outbox.inner).server)
            uow.offline_stations.update(attrs.evolve(state, clock_offset_ms=250))
            uow.commit()
        clock.set(START + timedelta(minutes=130))
        closed = kit.group_lifecycle.close("proctor", group)
        assert (GroupState.CLOSED, 250) == (
            closed.state,
            kit.planning.group(group).report.clock_offset_ms,
        )
        last = queued(outbox.inner)[-1]
        assert ("group", 250) == (last.kind, last.body["report"]["clock_offset_ms"])
        with outbox.inner.begin() as uow:
            state = uow.offline_stations.get(state.server)
            uow.offline_stations.update(attrs.evolve(state, clock_offset_ms=9))
            uow.commit()
        kit.session_reports.add_remark("planner", group, "Gezien.")
        assert 250 == kit.planning.group(group).report.clock_offset_ms


@pytest.mark.req("SCH-8")
def test_the_room_never_removes_an_attempt_through_the_outbox(tmp_path: Path) -> None:
    """Removing a room-owned record is refused: it would never reach the central system."""
    with room("memory", tmp_path) as (kit, outbox, _):
        group, people, _ = released(kit)
        with outbox.begin() as uow, pytest.raises(InvalidState) as caught:
            uow.test_attempts.remove(f"{group}:{people[0].id}")
        assert "offline.outbox.removal" == caught.value.code


@pytest.mark.req("SCH-8")
def test_writing_before_the_station_is_initialised_is_refused() -> None:
    """Without a station state there is no counter: the room's write is refused, not lost."""
    outbox = OutboxBackend(new_store("memory", Path()))
    clock = ManualClock(START)
    kit = make_session_kit(clock, backend=outbox)
    with pytest.raises(InvalidState) as caught:
        plan_group(kit, add_candidates(kit, 1))
    assert "offline.station.missing" == caught.value.code


@pytest.mark.req("SCH-7", "SCH-8")
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_saves_from_many_threads_take_every_number_once(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Eight candidates saving at once: one answer entry per save, numbers 1..N without gaps.

    SQLite serialises the writers; PostgreSQL (READ COMMITTED) does not, and
    the counter's version check refuses the loser, which reads it again.
    """
    if database == "sqlite":
        store = new_store("sqlite", tmp_path)
    else:
        store = SQLBackend(request.getfixturevalue("postgres_url"), migrate=False)
    with room_on(store) as (kit, outbox, _):
        group, people, code = released(kit, 8)
        keys = {p.id: kit.sitting.sign_in(p.login_name, code).key for p in people}
        errors: list[BaseException] = []
        barrier = threading.Barrier(len(people))

        def saves(candidate: str) -> None:
            try:
                barrier.wait()
                for n in range(1, 11):
                    kit.sitting.save_response(
                        group, candidate, "q1", {"n": n}, sequence=n, key=keys[candidate]
                    )
            except BaseException as error:  # reported below, on the test's thread
                errors.append(error)

        threads = [threading.Thread(target=saves, args=(p.id,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [] == errors
        entries = queued(outbox.inner)
        assert list(range(1, len(entries) + 1)) == [entry.seq for entry in entries]
        answers = [(e.key, e.revision) for e in entries if e.kind == "answer"]
        assert len(set(answers)) == len(answers) == 8 * 10
        assert station_state(outbox.inner).up_queued == len(entries)


class _Interleaved:
    """A transaction whose first counter write loses to another writer's (a version check)."""

    def __init__(self, inner: Transaction, rival: Any) -> None:
        self._inner = inner
        self._rival = rival

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def replace(self, record: Any, item: Any, *, version: int) -> None:
        if record is STATIONS and self._rival is not None:
            rival, self._rival = self._rival, None
            rival()
        self._inner.replace(record, item, version=version)


@pytest.mark.req("SCH-8")
def test_a_unit_that_loses_the_counter_reads_it_again_and_takes_the_next_numbers(
    tmp_path: Path,
) -> None:
    """Where writers are not serialised, the version check refuses the loser, which retries."""
    store = new_store("memory", tmp_path)
    init_station(store)
    outbox = OutboxBackend(store)
    kit = make_session_kit(ManualClock(START - timedelta(minutes=10)), backend=outbox)
    group = plan_group(kit, add_candidates(kit, 1))
    before = station_state(store).up_queued
    unit = outbox.begin()
    assert isinstance(unit, RecordsUnit)
    tx = unit.transaction
    inner = tx._inner  # type: ignore[attr-defined]

    def rival() -> None:  # another writer takes two numbers between the read and the write
        state = inner.get(STATIONS, "fao-1")
        inner.replace(
            STATIONS,
            attrs.evolve(state, up_queued=state.up_queued + 2, version=state.version + 1),
            version=state.version,
        )

    tx._inner = _Interleaved(inner, rival)  # type: ignore[attr-defined]
    with unit:
        stored = unit.session_groups.get(group)
        unit.session_groups.update(attrs.evolve(stored, access_code="ABCDEF"))
        unit.commit()
    (entry,) = queued(store, before)
    assert (before + 3, "group") == (entry.seq, entry.kind)
    assert before + 3 == station_state(store).up_queued
    assert "ABCDEF" == unstructure(entry.body)["access_code"]
