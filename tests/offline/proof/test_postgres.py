# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""With the central store on PostgreSQL: every crash point, and one fault per step.

The same day as on SQLite (:mod:`tests.offline.proof.test_crash_points`,
:mod:`tests.offline.proof.test_matrix`), the central store a PostgreSQL
database (a copy of a built world, made from it as its template), the
offline server on its SQLite file. Skips without PostgreSQL; fails under
``EXAMKIT_CI=1``.

One fault per step, each the hardest of its step, on every try (the sync
stops there): an up answer lost after central committed it, a down request
held back and delivered after the next (an old acknowledgement arriving
late), a package's bytes corrupted on the way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.offline.proof.conftest import PostgresWorldOf, fresh_paths
from tests.offline.proof.crashes import CrashSwitch
from tests.offline.proof.faults import Fault
from tests.offline.proof.invariants import check_partial, forged_rows
from tests.offline.proof.room import whole_day
from tests.offline.proof.test_crash_points import DAY_POINTS, live_through_the_day
from tests.offline.proof.test_matrix import TRIES
from tests.offline.proof.world import Paths, build

pytestmark = [pytest.mark.req("SCH-7", "SCH-8"), pytest.mark.postgres]

ONE_FAULT_PER_STEP = [
    ("day_done", "up", Fault.DROP_RESPONSE),
    ("handed_over", "down", Fault.REORDER),
    ("handed_over", "package", Fault.CORRUPT_RESPONSE),
]


@pytest.mark.parametrize("point", DAY_POINTS)
def test_a_crash_at_any_point_heals_with_central_on_postgresql(
    postgres_world_of: PostgresWorldOf, point: str
) -> None:
    live_through_the_day(postgres_world_of("handed_over"), point)


@pytest.mark.parametrize(("name", "step", "fault"), ONE_FAULT_PER_STEP)
def test_a_fault_on_each_step_heals_with_central_on_postgresql(
    postgres_world_of: PostgresWorldOf, name: str, step: str, fault: Fault
) -> None:
    world = postgres_world_of(name)
    world.faults.inject(fault, step=step, index=0, times=TRIES)
    report = world.sync()
    assert not report.complete, report
    check_partial(world.central.backend, world.station.store, world.server)
    central, offline = world.snapshots()
    assert [] == forged_rows(central) + forged_rows(offline)
    if name == "handed_over":
        world.heal()
        world.room.load()
        whole_day(world.room)
    world.check()


def test_a_crash_while_handing_over_heals_with_central_on_postgresql(
    postgres_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    switch = CrashSwitch()
    switch.arm("central.handover.before_commit")
    offline = fresh_paths(sqlite_template, tmp_path).offline
    world = build(Paths(postgres_url, offline), crash=switch)
    try:
        assert ["central.handover.before_commit"] == switch.fired
        world.sync()
        world.room.load()
        whole_day(world.room)
        world.check()
    finally:
        world.close()
