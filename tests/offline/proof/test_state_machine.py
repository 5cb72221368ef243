# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A hypothesis state machine over an offline day: the room, syncs, faults and crashes.

Each run starts from a group handed over and synchronised once
(``synced``), and interleaves, in any order hypothesis picks: the proctor
releasing, pausing, resuming, ending, giving extra time, writing incidents
and closing; candidates signing in, saving answers (also while paused, after
handing in and past every deadline) and handing in; the clock moving on;
central handing more groups over; syncs with any fault on any step (once or
on every try, a request held back past up to three later ones); syncs with
either peer crashing at any crash point; the room's own writes crashing;
restarts of either peer.

After every sync: what central applied is a prefix of the up stream, what
the offline server applied a prefix of the down stream, no forged body is
stored, and no high-water mark went back (recorded over time). At the end
of each run the link heals, a quiet sync follows, and every invariant of
:func:`~tests.offline.proof.invariants.check_healed` holds against the
room's own count (:class:`~tests.offline.proof.invariants.Ledger`).

Example count: :data:`EXAMPLES` runs of at most :data:`STEPS_PER_RUN` steps each
(set here, whatever the hypothesis profile; about 20 s on one idle core).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from tests.offline.proof.faults import STEPS, Fault
from tests.offline.proof.invariants import check_partial, forged_rows
from tests.offline.proof.room import ITEMS
from tests.offline.proof.world import Saved, World, open_copy

from examkit.offline import CRASH_POINTS

pytestmark = [pytest.mark.req("SCH-7", "SCH-8")]

EXAMPLES = 60
"""Runs of the state machine (the example count)."""
STEPS_PER_RUN = 30
"""The most steps one run takes."""

SYNC_POINTS = [
    point
    for point in CRASH_POINTS
    if point not in {"central.handover.before_commit", "offline.outbox.before_commit"}
]
"""The crash points a sync passes (the hand-over's is not part of a day)."""

VALUES = st.one_of(
    st.integers(-1000, 1000),
    st.text(alphabet="abcdé ÿ€😀", max_size=8),
    st.lists(st.sampled_from("ABCD"), max_size=3, unique=True).map(lambda c: {"choice": c}),
)
"""Answers as a test's page would save them."""
SEATS = st.integers(0, 2)
"""A candidate, by place (the group has three)."""


def machine(saved: Saved, root: Path) -> type[RuleBasedStateMachine]:
    """Return the state machine over copies of *saved* (one folder per run under *root*)."""
    runs = itertools.count()

    class OfflineDay(RuleBasedStateMachine):
        """One offline day; see the module's description."""

        def __init__(self) -> None:
            super().__init__()
            self.world: World = open_copy(saved, root / f"run-{next(runs)}")
            self.handed_over = 0

        @property
        def room(self) -> Any:
            return self.world.room

        def seat(self, n: int) -> str:
            return str(self.room.candidates[n % len(self.room.candidates)])

        # -- the room ----------------------------------------------------------------------

        @precondition(lambda self: self.room.state == "planned")
        @rule()
        def release(self) -> None:
            self.room.release()

        @precondition(lambda self: self.room.state == "released")
        @rule(n=SEATS)
        def sign_in(self, n: int) -> None:
            candidate = self.seat(n)
            if self.room.seats[candidate].key is None:
                self.room.attempt(lambda: self.room.sign_in(candidate))

        @precondition(lambda self: self.room.state == "released")
        @rule(n=SEATS, item=st.sampled_from(ITEMS), value=VALUES)
        def save(self, n: int, item: str, value: object) -> None:
            candidate = self.seat(n)
            if self.room.seats[candidate].key is not None:
                self.room.save(candidate, item, value)

        @precondition(lambda self: self.room.state == "released")
        @rule(n=SEATS, event=st.sampled_from(["pause", "resume", "terminate"]))
        def intervene(self, n: int, event: str) -> None:
            self.room.attempt(lambda: self.room.intervene(self.seat(n), event))

        @precondition(lambda self: self.room.state == "released")
        @rule(n=SEATS, minutes=st.integers(1, 30))
        def extend(self, n: int, minutes: int) -> None:
            self.room.attempt(lambda: self.room.extend(self.seat(n), minutes))

        @precondition(lambda self: self.room.state == "released")
        @rule(n=SEATS)
        def submit(self, n: int) -> None:
            candidate = self.seat(n)
            if self.room.seats[candidate].key is not None:
                self.room.attempt(lambda: self.room.submit(candidate))

        @precondition(lambda self: self.room.state in {"planned", "released"})
        @rule(text=st.sampled_from(["Stroomstoring.", "Kandidaat ziek.", "Brandalarm."]))
        def incident(self, text: str) -> None:
            self.room.attempt(lambda: self.room.incident(text))

        @precondition(lambda self: self.room.state == "released")
        @rule()
        def close(self) -> None:
            self.room.attempt(self.room.close)

        @rule(minutes=st.integers(1, 40))
        def time_passes(self, minutes: int) -> None:
            self.room.clock.advance(minutes=minutes)
            self.world.central_clock.advance(minutes=minutes)

        @precondition(lambda self: not self.room.overtime)
        @rule()
        def past_every_deadline(self) -> None:
            self.room.time_out()

        @rule()
        def the_room_crashes_on_its_next_write(self) -> None:
            self.world.offline_crash.arm("offline.outbox.before_commit")

        # -- the link and the peers ---------------------------------------------------------

        @rule(
            fault=st.none() | st.sampled_from(Fault),
            step=st.sampled_from(STEPS),
            times=st.integers(1, 2),
            held_for=st.integers(1, 3),
        )
        def sync(self, fault: Fault | None, step: str, times: int, held_for: int) -> None:
            if fault is not None:
                self.world.faults.inject(fault, step=step, times=times, held_for=held_for)
            self.world.sync()
            self.world.faults.plans.clear()  # a fault whose request never came: forget it
            self.after_sync()

        @rule(point=st.sampled_from(SYNC_POINTS))
        def sync_and_crash(self, point: str) -> None:
            world = self.world
            switch = world.central_crash if point.startswith("central.") else world.offline_crash
            switch.arm(point)
            self.world.sync()
            self.world.central_crash.armed = None
            if self.world.offline_crash.armed != "offline.outbox.before_commit":
                self.world.offline_crash.armed = None
            self.after_sync()

        @precondition(lambda self: self.handed_over < 2)
        @rule()
        def central_hands_over_another_group(self) -> None:
            self.world.hand_over_another_group()
            self.handed_over += 1

        @rule()
        def restart_the_offline_server(self) -> None:
            self.world.restart_station()

        @rule()
        def restart_central(self) -> None:
            self.world.restart_central()

        def after_sync(self) -> None:
            check_partial(self.world.central.backend, self.world.station.store, self.world.server)
            central, offline = self.world.snapshots()
            assert [] == forged_rows(central) + forged_rows(offline)

        def teardown(self) -> None:
            try:
                self.world.check()
            finally:
                self.world.close()

    return OfflineDay


def test_any_interleaving_of_the_room_syncs_faults_and_crashes_heals(
    saved_worlds: dict[str, Saved], tmp_path: Path
) -> None:
    run_state_machine_as_test(
        machine(saved_worlds["synced"], tmp_path),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS_PER_RUN,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
