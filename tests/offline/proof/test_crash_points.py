# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every named crash point, in either peer, with a restart over the same SQLite files.

Each test arms one crash point of :data:`examkit.offline.CRASH_POINTS` and
lives through an offline day from the hand-over: the first sync, the exam
day in the room, the sync after it. Where the point is reached the peer
"dies" (:class:`~tests.offline.proof.crashes.Crash`: its open transaction
rolls back, nothing of it survives) and a new kit or station is started over
the same store; a crashed room action is done again, as the proctor or the
candidate would. The point must have fired, and after healing and a quiet
sync every invariant holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.offline.proof.conftest import WorldOf, fresh_paths
from tests.offline.proof.crashes import CrashSwitch
from tests.offline.proof.room import whole_day
from tests.offline.proof.world import World, build

from examkit.offline import CRASH_POINTS

pytestmark = [pytest.mark.req("SCH-7", "SCH-8")]

DAY_POINTS = [point for point in CRASH_POINTS if point != "central.handover.before_commit"]
"""The points an offline day passes after the hand-over (the hand-over's own: below)."""


def live_through_the_day(world: World, point: str) -> None:
    """Arm *point* in its peer, then: first sync, the day, the sync after it; then check."""
    switch = world.central_crash if point.startswith("central.") else world.offline_crash
    switch.arm(point)
    world.sync()
    world.sync()  # the first sync again, should it have crashed (a switch fires once)
    world.room.load()
    whole_day(world.room)
    world.sync()
    assert [point] == switch.fired, f"{point} was never reached: {sorted(switch.reached)}"
    world.check()


@pytest.mark.parametrize("point", DAY_POINTS)
def test_a_crash_at_any_point_of_the_day_heals(world_of: WorldOf, point: str) -> None:
    live_through_the_day(world_of("handed_over"), point)


def test_a_crash_while_handing_over_stores_nothing_and_heals(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """Central dies before the hand-over commits: nothing of it is stored (checked before
    the planner hands over again); then the day runs as usual."""
    switch = CrashSwitch()
    switch.arm("central.handover.before_commit")
    world = build(fresh_paths(sqlite_template, tmp_path), crash=switch)
    try:
        assert ["central.handover.before_commit"] == switch.fired
        world.sync()
        world.room.load()
        whole_day(world.room)
        world.check()
    finally:
        world.close()
