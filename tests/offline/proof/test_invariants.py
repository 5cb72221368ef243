# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The invariant checker catches what it must: each invariant broken by hand, one at a time.

A healed day passes every check; then one store is altered directly (an
answer invented centrally, an inbox row lost, a key applied twice, a total
changed, a mark moved back, a body forged under its digest, ...) and the
checker must name what broke. A checker that passed everything would prove
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest
from tests.offline.proof.conftest import WorldOf
from tests.offline.proof.invariants import (
    Broken,
    MarkRecorder,
    check_healed,
    differences,
    snapshot,
    sync_mark,
)
from tests.offline.proof.world import World

from examkit.offline import AppliedKey, sequence_key
from examkit.scheduling import SavedResponse

pytestmark = [pytest.mark.req("SCH-8")]


def invent_an_answer(world: World) -> None:
    with world.central.backend.begin() as uow:
        attempt = uow.test_attempts.list_for_group(world.group)[0]
        made = SavedResponse("invented", 99, world.central_clock.now())
        uow.test_attempts.update(attrs.evolve(attempt, responses={**attempt.responses, "q9": made}))
        uow.commit()


def count_a_late_save_twice(world: World) -> None:
    with world.central.backend.begin() as uow:
        attempt = uow.test_attempts.list_for_group(world.group)[0]
        uow.test_attempts.update(attrs.evolve(attempt, late_saves=attempt.late_saves + 1))
        uow.commit()


def lose_an_inbox_row(world: World) -> None:
    with world.central.backend.begin() as uow:
        uow.sync_inbox.remove(sequence_key(world.server, 3))
        uow.commit()


def apply_a_key_nobody_sent(world: World) -> None:
    with world.central.backend.begin() as uow:
        uow.sync_applied_keys.add(
            AppliedKey("attempt", f"{world.group}:c-nobody", 1, world.server, 1)
        )
        uow.commit()


def move_the_high_water_mark_back(world: World) -> None:
    with world.central.backend.begin() as uow:
        mark = uow.sync_marks.get(world.server)
        uow.sync_marks.update(attrs.evolve(mark, up_high_water=mark.up_high_water - 1))
        uow.commit()


def forge_an_up_body(world: World) -> None:
    with world.station.store.begin() as uow:
        entry = uow.sync_queue.get(sequence_key("up", 1))
        uow.sync_queue.update(attrs.evolve(entry, body={"forged": True}))
        uow.commit()


def release_the_group_centrally(world: World) -> None:
    with world.central.backend.begin() as uow:
        group = uow.session_groups.get(world.group)
        uow.session_groups.update(attrs.evolve(group, held_by=world.server))
        uow.commit()


def count_one_more_answer_in_the_room(world: World) -> None:
    world.room.ledger.answer(world.group, world.room.candidates[0], "q9")


def drop_an_incident_centrally(world: World) -> None:
    with world.central.backend.begin() as uow:
        group = uow.session_groups.get(world.group)
        report = attrs.evolve(group.report, incidents=())
        uow.session_groups.update(attrs.evolve(group, report=report))
        uow.commit()


MUTATIONS: dict[str, tuple[Callable[[World], None], str]] = {
    "an answer invented centrally": (invent_an_answer, "central responses"),
    "a late save counted twice": (count_a_late_save_twice, "late saves"),
    "an inbox row lost": (lose_an_inbox_row, "the inbox"),
    "a key applied that nobody sent": (apply_a_key_nobody_sent, "applied keys: invented"),
    "the high-water mark moved back": (move_the_high_water_mark_back, "up_high_water"),
    "an up body forged under its digest": (forge_an_up_body, "digest does not match"),
    "a closed group still held": (release_the_group_centrally, "held_by"),
    "the room counted one more answer": (count_one_more_answer_in_the_room, "answers, test: "),
    "an incident dropped centrally": (drop_an_incident_centrally, "incidents"),
}


@pytest.fixture
def healed(world_of: WorldOf) -> World:
    world = world_of("day_done")
    world.check()
    return world


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_checker_names_each_broken_invariant(healed: World, name: str) -> None:
    mutate, expected = MUTATIONS[name]
    mutate(healed)
    with pytest.raises(Broken) as caught:
        check_healed(
            healed.central.backend, healed.station.store, healed.server, ledger=healed.room.ledger
        )
    assert expected in str(caught.value)


def test_a_snapshot_sees_any_change_but_the_sync_bookkeeping(healed: World) -> None:
    before = snapshot(healed.paths.central)
    with healed.central.backend.begin() as uow:
        mark = uow.sync_marks.get(healed.server)
        moment = healed.central_clock.now() + timedelta(hours=1)
        uow.sync_marks.update(attrs.evolve(mark, last_sync_at=moment, clock_offset_ms=7))
        uow.commit()
    assert [] == list(differences(before, snapshot(healed.paths.central)))
    count_a_late_save_twice(healed)
    assert ["examkit_test_attempts"] == [
        line.split(":")[0] for line in differences(before, snapshot(healed.paths.central))
    ]


def test_the_mark_recorder_sees_a_mark_going_back(healed: World) -> None:
    recorder = MarkRecorder(healed.central.backend, healed.station.store, healed.server)
    recorder.record()
    before = sync_mark(healed.central.backend, healed.server).up_high_water
    move_the_high_water_mark_back(healed)
    with pytest.raises(Broken, match=f"up_high_water went back from {before}"):
        recorder.record()
