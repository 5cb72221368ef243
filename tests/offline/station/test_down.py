# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline server's down applier: in order, once, gaps waited for, conflicts kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.world import (
    SERVER,
    entry,
    hand_over_entries,
    init_station,
    new_store,
    queued,
    station_kit,
    station_state,
)

from examkit import Examkit
from examkit.errors import InvalidInput
from examkit.offline import DownResult, WireEntry, apply_down, entry_digest
from examkit.records import Backend
from examkit.scheduling import AttemptState, GroupState
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

NOW = START - timedelta(days=1)


@pytest.fixture
def central() -> Examkit:
    """The central system, a group of two planned on it."""
    return make_session_kit(ManualClock(NOW), seed="central")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The offline server's store, its station initialised."""
    backend = new_store(request.param, tmp_path)
    init_station(backend)
    yield backend
    backend.close()


def planned(central: Examkit) -> str:
    return plan_group(central, add_candidates(central, 2))


def wire(entries: list[dict[str, Any]]) -> tuple[WireEntry, ...]:
    return tuple(WireEntry.from_json(item) for item in entries)


def apply(store: Backend, entries: list[dict[str, Any]], **options: Any) -> DownResult:
    return apply_down(store, SERVER, wire(entries), now=NOW, **options)


def snapshot(store: Backend) -> dict[str, Any]:
    """Every record the down stream sets, with its stored version."""
    with store.begin(readonly=True) as uow:
        groups = uow.session_groups.list().items
        return {
            "groups": [(g, g.version) for g in groups],
            "attempts": [
                (a, a.version) for g in groups for a in uow.test_attempts.list_for_group(g.id)
            ],
            "candidates": [(c, c.version) for c in uow.candidates.list().items],
            "applied": uow.sync_applied_keys.get_many(["exams|NE-GL-2026"]),
            "station": station_state(store),
        }


@pytest.mark.req("SCH-8")
def test_a_hand_over_is_applied_in_order_with_the_mark_and_queues_nothing_up(
    central: Examkit, store: Backend
) -> None:
    """The records arrive as planned, the group as the server's own; the mark is the last."""
    group = planned(central)
    entries = hand_over_entries(central.backend, group)
    result = apply(store, entries)
    assert (len(entries), 0, False) == (result.applied, result.duplicates, result.gap)
    assert len(entries) == station_state(store).down_high_water
    with store.begin(readonly=True) as uow:
        here = uow.session_groups.get(group)
        attempts = uow.test_attempts.list_for_group(group)
        applied = uow.sync_applied_keys.get(f"session_groups|{group}")
    assert (None, GroupState.PLANNED) == (here.held_by, here.state)
    assert list(central.planning.attempts(group)) == list(attempts)
    assert central.planning.group(group) == here
    assert (SERVER, entries[-1 - len(attempts)]["seq"]) == (applied.server, applied.seq)
    assert () == queued(store)
    assert 0 == station_state(store).up_queued


@pytest.mark.req("SCH-8")
def test_a_repeated_reply_changes_nothing_and_other_content_is_a_conflict(
    central: Examkit, store: Backend
) -> None:
    """Duplicates are skipped; one with a digest other than the applied one is reported."""
    entries = hand_over_entries(central.backend, planned(central))
    apply(store, entries)
    before = snapshot(store)
    again = apply(store, entries)
    assert (0, len(entries), ()) == (again.applied, again.duplicates, again.conflicts)
    assert before == snapshot(store)
    exam = next(item for item in entries if item["kind"] == "exams")
    with central.backend.begin(readonly=True) as uow:
        changed = attrs.evolve(uow.exams.get(exam["key"]), title="Anders")
    other = entry(exam["seq"], "exams", changed)
    result = apply(store, [other])
    (conflict,) = result.conflicts
    assert ("offline.conflict.digest", exam["seq"]) == (conflict.reason, conflict.seq)
    assert before["groups"] == snapshot(store)["groups"]
    with store.begin(readonly=True) as uow:
        assert "Nederlands GL/TL" == uow.exams.get(exam["key"]).title
        assert [conflict] == list(uow.sync_conflicts.for_server(SERVER))
    assert () == apply(store, [other]).conflicts  # reported once


@pytest.mark.req("SCH-8")
def test_a_gap_stops_the_applier_at_the_mark_until_the_missing_entry_comes(
    central: Examkit, store: Backend
) -> None:
    """Entries past a missing number wait; sent again from the mark, they are applied."""
    entries = hand_over_entries(central.backend, planned(central))
    result = apply(store, [*entries[:2], *entries[3:]])
    assert (2, True, 2) == (result.applied, result.gap, result.high_water)
    assert 2 == station_state(store).down_high_water
    with store.begin(readonly=True) as uow:
        assert [] == list(uow.candidates.list().items)[1:]
    rest = apply(store, entries[2:])
    assert (len(entries) - 2, False, len(entries)) == (rest.applied, rest.gap, rest.high_water)


@pytest.mark.req("SCH-8")
def test_an_older_revision_of_a_key_changes_nothing(central: Examkit, store: Backend) -> None:
    """Set semantics: a key's revision not above the applied one is superseded."""
    entries = hand_over_entries(central.backend, planned(central))
    apply(store, entries)
    exam = next(item for item in entries if item["kind"] == "exams")
    with central.backend.begin(readonly=True) as uow:
        older = attrs.evolve(uow.exams.get(exam["key"]), title="Oud", version=0)
    result = apply(store, [entry(len(entries) + 1, "exams", older)])
    assert (1, len(entries) + 1) == (result.applied, result.high_water)
    with store.begin(readonly=True) as uow:
        assert "Nederlands GL/TL" == uow.exams.get(exam["key"]).title


@pytest.mark.req("SCH-7", "SCH-8")
def test_an_attempt_the_room_touched_is_never_replaced_a_central_change_is_a_conflict(
    central: Examkit, store: Backend
) -> None:
    """Before the room touches it a newer attempt replaces it; after, the change is reported."""
    group = planned(central)
    entries = hand_over_entries(central.backend, group)
    apply(store, entries)
    first, second = central.planning.attempts(group)
    more = attrs.evolve(first, extra_time_minutes=30, version=first.version + 1)
    seq = len(entries) + 1
    assert 1 == apply(store, [entry(seq, "test_attempts", more)]).applied
    clock = ManualClock(START - timedelta(minutes=5))
    kit = station_kit(store, clock)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    kit.sitting.sign_in(second.login_name, code)
    touched = attrs.evolve(second, extra_time_minutes=45, version=second.version + 1)
    result = apply(store, [entry(seq + 1, "test_attempts", touched)])
    (conflict,) = result.conflicts
    assert ("offline.conflict.central_changed", touched.id) == (conflict.reason, conflict.key)
    assert "extra_time_minutes" == conflict.detail
    assert (30, AttemptState.REGISTERED) == (
        kit.sitting.attempt(group, first.candidate).extra_time_minutes,
        kit.sitting.attempt(group, first.candidate).state,
    )
    here = kit.sitting.attempt(group, second.candidate)
    assert (0, AttemptState.IN_PROGRESS) == (here.extra_time_minutes, here.state)
    again = attrs.evolve(central.planning.group(group), room="Gymzaal", version=9)
    apply(store, [entry(seq + 2, "session_groups", again)])
    kept = kit.planning.group(group)
    assert ("Gymzaal", GroupState.RELEASED, code) == (kept.room, kept.state, kept.access_code)


@pytest.mark.req("SCH-8")
def test_a_damaged_or_unknown_entry_is_refused_with_the_whole_reply(
    central: Examkit, store: Backend
) -> None:
    """A digest not matching its content, an unknown kind, entries out of order: nothing."""
    entries = hand_over_entries(central.backend, planned(central))
    replies = {
        "offline.entry.digest": [*entries[:3], {**entries[3], "key": "someone-else"}],
        "offline.entry.kind": [*entries[:3], {**entries[3], "kind": "pupils"}],
        "offline.entry.order": [entries[1], entries[0]],
    }
    for code, reply in replies.items():
        with pytest.raises(InvalidInput) as caught:
            apply(store, reply)
        assert code == caught.value.code
    body = {**entries[0], "body": {"id": "x"}, "revision": 99}
    body["digest"] = entry_digest(body["kind"], body["key"], 99, body["body"])
    with pytest.raises(InvalidInput) as caught:
        apply(store, [body])
    assert "offline.entry.body" == caught.value.code
    assert 0 == station_state(store).down_high_water
    with store.begin(readonly=True) as uow:
        assert () == uow.accounts.list().items


@pytest.mark.req("SCH-8")
def test_a_crash_before_the_commit_applies_nothing(central: Examkit, store: Backend) -> None:
    """At offline.down.before_commit nothing of the reply is stored; the next reply heals."""
    entries = hand_over_entries(central.backend, planned(central))

    def crash(point: str) -> None:
        raise RuntimeError(point)

    with pytest.raises(RuntimeError):
        apply(store, entries, crash=crash)
    assert 0 == station_state(store).down_high_water
    with store.begin(readonly=True) as uow:
        assert () == uow.session_groups.list().items
    assert len(entries) == apply(store, entries).high_water


@pytest.mark.req("SCH-8")
def test_a_removal_removes_a_record_the_room_has_not_touched(
    central: Examkit, store: Backend
) -> None:
    """A removal (no body) removes an attempt nobody signed in to."""
    group = planned(central)
    entries = hand_over_entries(central.backend, group)
    apply(store, entries)
    first, _ = central.planning.attempts(group)
    seq = len(entries) + 1
    gone = entry(seq, "test_attempts", first.id, key=first.id)
    gone = {**gone, "revision": first.version + 1}
    gone["digest"] = entry_digest("test_attempts", first.id, first.version + 1, None)
    assert 1 == apply(store, [gone]).applied
    with store.begin(readonly=True) as uow:
        assert [] == [a for a in uow.test_attempts.list_for_group(group) if a.id == first.id]
