# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The central up applier: in order, once, grouped per attempt, conflicts reported (SCH-8)."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from tests.offline.central.conftest import (
    Room,
    answer,
    attempt_entry,
    entry,
    group_entry,
    offline_room,
    up,
)

from examkit import Examkit
from examkit.errors import InvalidInput
from examkit.scheduling import AttemptState, GroupState, TransitionRecord
from examkit.testing import Wiring
from examkit.testing.sessions import START


def key(room: Room, n: int, item: str) -> str:
    return f"{room.group}:{room.candidates[n]}:{item}"


def responses(kit: Examkit, room: Room, n: int) -> dict[str, tuple[object, int]]:
    attempt = kit.planning.attempts(room.group)[n]
    return {item: (saved.value, saved.sequence) for item, saved in attempt.responses.items()}


def high_water(kit: Examkit, room: Room) -> int:
    with kit.backend.begin(readonly=True) as uow:
        return uow.sync_marks.get(room.server).up_high_water


def inbox(kit: Examkit, room: Room) -> list[tuple[int, str]]:
    with kit.backend.begin(readonly=True) as uow:
        return [(row.seq, row.effect) for row in uow.sync_inbox.after(room.server, 0, limit=100)]


@pytest.mark.req("SCH-8")
def test_answers_are_applied_in_order_with_the_mark_and_inbox_and_one_audit_event(
    kit: Examkit, room: Room, wiring: Wiring
) -> None:
    planned = kit.planning.attempts(room.group)[0].version
    batch = up(
        room,
        answer(1, key(room, 0, "q1"), {"chosen": ["A"]}, sequence=1),
        answer(2, key(room, 0, "q2"), {"chosen": ["B"]}, sequence=2),
        answer(3, key(room, 1, "q1"), {"chosen": ["C"]}, sequence=1, at=START + timedelta(1)),
    )
    reply = kit.offline_sync.receive_up(room.server, batch)
    assert (3, ()) == (reply.high_water, reply.conflicts)
    assert {"q1": ({"chosen": ["A"]}, 1), "q2": ({"chosen": ["B"]}, 2)} == responses(kit, room, 0)
    attempts = kit.planning.attempts(room.group)
    assert (2, planned + 1) == (attempts[0].last_sequence, attempts[0].version)  # written once
    assert START + timedelta(1) == attempts[1].last_contact
    assert 3 == high_water(kit, room)
    assert [(1, "applied"), (2, "applied"), (3, "applied")] == inbox(kit, room)
    assert 1 == wiring.audit.actions().count("offline.sync.up")


@pytest.mark.req("SCH-8")
def test_a_batch_sent_again_changes_nothing(kit: Examkit, room: Room) -> None:
    batch = up(room, answer(1, key(room, 0, "q1"), "A", sequence=1))
    kit.offline_sync.receive_up(room.server, batch)
    before = kit.planning.attempts(room.group)
    reply = kit.offline_sync.receive_up(room.server, batch)
    assert (1, ()) == (reply.high_water, reply.conflicts)
    after = kit.planning.attempts(room.group)
    assert [a.version for a in before] == [a.version for a in after]
    assert [(1, "applied")] == inbox(kit, room)


@pytest.mark.req("SCH-8")
def test_a_number_applied_before_with_other_content_is_a_conflict_and_the_first_stands(
    kit: Examkit, room: Room
) -> None:
    kit.offline_sync.receive_up(
        room.server, up(room, answer(1, key(room, 0, "q1"), "A", sequence=1))
    )
    other = up(room, answer(1, key(room, 0, "q1"), "Z", sequence=1))
    reply = kit.offline_sync.receive_up(room.server, other)
    (conflict,) = reply.conflicts
    assert ("offline.conflict.digest", 1) == (conflict.reason, conflict.seq)
    assert {"q1": ("A", 1)} == responses(kit, room, 0)
    kit.offline_sync.receive_up(room.server, other)  # reported once
    assert [conflict.id] == [c.id for c in kit.offline_sync.conflicts("fao", room.server)]


@pytest.mark.req("SCH-8")
def test_a_gap_stops_the_batch_and_the_server_sends_again_from_the_mark(
    kit: Examkit, room: Room
) -> None:
    first, second, third, fourth = (
        answer(n, key(room, 0, item), item, sequence=n)
        for n, item in enumerate(("q1", "q2", "q3", "q1"), start=1)
    )
    assert 0 == kit.offline_sync.receive_up(room.server, up(room, third, fourth)).high_water
    assert {} == responses(kit, room, 0)
    assert 2 == kit.offline_sync.receive_up(room.server, up(room, first, second, fourth)).high_water
    assert [(1, "applied"), (2, "applied")] == inbox(kit, room)
    assert 4 == kit.offline_sync.receive_up(room.server, up(room, third, fourth)).high_water
    assert {"q1": ("q1", 4), "q2": ("q2", 2), "q3": ("q3", 3)} == responses(kit, room, 0)


@pytest.mark.req("SCH-8")
def test_an_older_save_arriving_later_is_superseded(kit: Examkit, room: Room) -> None:
    newer = answer(1, key(room, 0, "q1"), "new", sequence=9)
    older = answer(2, key(room, 0, "q1"), "old", sequence=4)
    kit.offline_sync.receive_up(room.server, up(room, newer, older))
    assert {"q1": ("new", 9)} == responses(kit, room, 0)
    assert [(1, "applied"), (2, "superseded")] == inbox(kit, room)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("digest", "offline.entry.digest"),
        ("order", "offline.entry.order"),
        ("kind", "offline.entry.kind"),
        ("body", "offline.entry.body"),
    ],
)
def test_a_corrupt_or_disordered_batch_is_refused_whole(
    kit: Examkit, room: Room, change: str, code: str
) -> None:
    good = answer(1, key(room, 0, "q1"), "A", sequence=1)
    second = answer(2, key(room, 0, "q2"), "B", sequence=2)
    if change == "digest":
        second = attrs.evolve(second, body={**second.body, "value": "X"})
    elif change == "order":
        good, second = second, good
    elif change == "kind":
        second = entry(2, "score", second.key, 2, second.body)
    else:
        second = entry(2, "answer", second.key, 2, {"value": "B"})
    with pytest.raises(InvalidInput) as refused:
        kit.offline_sync.receive_up(room.server, up(room, good, second))
    assert code == refused.value.code
    assert {} == responses(kit, room, 0)
    assert [] == inbox(kit, room)


@pytest.mark.req("SCH-8")
def test_an_attempt_entry_sets_the_rooms_fields_and_keeps_the_answers(
    kit: Examkit, room: Room
) -> None:
    planned = kit.planning.attempts(room.group)[0]
    started = attrs.evolve(
        planned,
        state=AttemptState.IN_PROGRESS,
        started_at=START,
        deadline=START + timedelta(hours=2),
        last_contact=START + timedelta(minutes=5),
        late_saves=1,
    )
    save = answer(1, key(room, 0, "q1"), "A", sequence=7, at=START + timedelta(minutes=9))
    reply = kit.offline_sync.receive_up(room.server, up(room, save, attempt_entry(2, started, 3)))
    assert 2 == reply.high_water
    stored = kit.planning.attempts(room.group)[0]
    assert (AttemptState.IN_PROGRESS, START, 1) == (
        stored.state,
        stored.started_at,
        stored.late_saves,
    )
    assert ({"q1": ("A", 7)}, 7) == (responses(kit, room, 0), stored.last_sequence)
    assert START + timedelta(minutes=9) == stored.last_contact  # the later of the two
    assert stored.version == planned.version + 1  # read once, written once
    stale = attrs.evolve(started, state=AttemptState.PAUSED)
    kit.offline_sync.receive_up(room.server, up(room, attempt_entry(3, stale, 2)))
    assert AttemptState.IN_PROGRESS == kit.planning.attempts(room.group)[0].state
    assert (3, "superseded") == inbox(kit, room)[-1]


@pytest.mark.req("SCH-8", "SCH-7")
def test_the_closed_group_coming_back_ends_the_hold(kit: Examkit, room: Room) -> None:
    group = kit.planning.group(room.group)
    assert room.server == group.held_by
    record = TransitionRecord(
        event="close",
        source=GroupState.RELEASED,
        target=GroupState.CLOSED,
        actor="proctor",
        role="proctor",
        at=START + timedelta(hours=3),
    )
    released = attrs.evolve(group, state=GroupState.RELEASED, access_code="ABCD1234")
    closed = attrs.evolve(group, state=GroupState.CLOSED, access_code=None, log=(record,))
    kit.offline_sync.receive_up(room.server, up(room, group_entry(1, released, 3)))
    assert (GroupState.RELEASED, room.server) == (
        kit.planning.group(room.group).state,
        kit.planning.group(room.group).held_by,
    )
    planned = kit.planning.attempts(room.group)[1]
    late = attrs.evolve(planned, state=AttemptState.ABSENT, late_saves=2)
    batch = up(room, group_entry(2, closed, 5), attempt_entry(3, late, 4))
    reply = kit.offline_sync.receive_up(room.server, batch)
    assert (3, ()) == (reply.high_water, reply.conflicts)  # the room's late news still counts
    back = kit.planning.group(room.group)
    assert (GroupState.CLOSED, None, (record,)) == (back.state, back.held_by, back.log)
    assert 2 == kit.planning.attempts(room.group)[1].late_saves
    changed = kit.group_lifecycle.transition("planner", room.group, "release_for_correction")
    assert GroupState.RELEASED_FOR_CORRECTION == changed.state


@pytest.mark.req("SCH-8")
def test_an_entry_of_a_group_the_server_does_not_hold_is_a_conflict(
    kit: Examkit, room: Room
) -> None:
    other = offline_room(kit, 1)  # planned on another server, never handed over
    stray = answer(1, f"{other.group}:{other.candidates[0]}:q1", "A", sequence=1)
    reply = kit.offline_sync.receive_up(room.server, up(room, stray))
    (conflict,) = reply.conflicts
    assert (1, "offline.conflict.not_held") == (reply.high_water, conflict.reason)
    assert [(1, "conflict")] == inbox(kit, room)
    assert {} == {
        item: saved
        for a in kit.planning.attempts(other.group)
        for item, saved in a.responses.items()
    }
    location = kit.planning.group(room.group).location
    assert 1 == _open_conflicts(kit, room)
    resolved = kit.offline_sync.resolve_conflict("fao", conflict.id)
    assert ("fao", 0) == (resolved.resolved_by, _open_conflicts(kit, room))
    assert location == kit.planning.group(other.group).location


def _open_conflicts(kit: Examkit, room: Room) -> int:
    location = kit.planning.group(room.group).location
    (status,) = [s for s in kit.offline_sync.status("fao", location) if s.server == room.server]
    return status.open_conflicts
