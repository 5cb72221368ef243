# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every request of a sync times every fault, on SQLite: nothing lost, nothing twice.

Three syncs make up an offline day: the first (the master data and the exam
package come down: ``handed_over``), the one after the day (the results go
up: ``day_done``) and one with more than a batch of results (two up
requests: ``busy_day``). Each request of each (its step and index, listed in
:data:`REQUESTS` and checked against a clean run) meets each
:class:`~tests.offline.proof.faults.Fault`, once (the client's retry gets
through) and on every try (the sync stops there). Right after the faulty
sync, what central applied is a prefix of the up stream and what the
offline server applied a prefix of the down stream, no mark went back and
no forged body is stored anywhere; then the link heals, the day goes on
where it had not happened yet, and after a quiet sync every invariant of
:func:`~tests.offline.proof.invariants.check_healed` holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.offline.proof.conftest import WorldOf
from tests.offline.proof.faults import Fault
from tests.offline.proof.invariants import check_partial, forged_rows, sync_mark
from tests.offline.proof.room import whole_day

from examkit.offline import MAX_BATCH

pytestmark = [pytest.mark.req("SCH-7", "SCH-8")]

REQUESTS = {
    "handed_over": (("down", 0), ("package", 0)),
    "day_done": (("up", 0), ("down", 0)),
    "busy_day": (("up", 0), ("up", 1), ("down", 0)),
}
"""The requests of each world's next sync, by step and index (a clean run makes these)."""

HARMLESS = {Fault.DELAY, Fault.DUPLICATE}
"""Faults after which the sync must still complete."""
TRIES = 2
"""Requests per step the client makes before giving up (the world's client retries once)."""


@dataclass(frozen=True)
class Case:
    """One cell of the matrix: a world's next sync, one of its requests, one fault."""

    world: str
    step: str
    index: int
    fault: Fault
    times: int
    """How many tries the fault hits: once (the retry gets through) or every one."""


CASES = [
    pytest.param(
        Case(name, step, index, fault, times), id=f"{name}-{step}{index}-{fault.name}-x{times}"
    )
    for name, requests in REQUESTS.items()
    for step, index in requests
    for fault in Fault
    for times in (1, TRIES)
]


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_the_matrix_covers_every_request_of_each_sync(world_of: WorldOf, name: str) -> None:
    """A clean sync of each world makes exactly the requests the matrix lists."""
    world = world_of(name)
    report = world.sync()
    assert report.complete, report
    assert list(REQUESTS[name]) == [(sent.step, sent.index) for sent in world.faults.log]


@pytest.mark.parametrize("case", CASES)
def test_a_fault_on_any_request_loses_nothing_and_counts_nothing_twice(
    world_of: WorldOf, case: Case
) -> None:
    name, step, index, fault, times = case.world, case.step, case.index, case.fault, case.times
    world = world_of(name)
    before = sync_mark(world.central.backend, world.server).up_high_water
    world.faults.inject(fault, step=step, index=index, times=times)
    report = world.sync()
    assert [] == world.faults.unfired
    if fault in HARMLESS:
        assert report.complete, report
    elif (step, fault) == ("package", Fault.CORRUPT_REQUEST):
        # an altered address names a package central does not know (404): the sync goes
        # on, and the package stays pending (never used) for the next one to fetch
        assert 1 == world.station.status().packages_pending
    elif times == TRIES:
        assert not report.complete, f"{fault} on every try went unnoticed: {report}"
    check_partial(world.central.backend, world.station.store, world.server)
    if fault is Fault.CORRUPT_REQUEST and step == "up" and times == TRIES:
        # the corrupt batch was refused whole: central applied only the batches before it
        applied = sync_mark(world.central.backend, world.server).up_high_water
        assert before + MAX_BATCH * index == applied
    central, offline = world.snapshots()
    assert [] == forged_rows(central) + forged_rows(offline)
    if name == "handed_over":
        world.heal()
        world.room.load()
        whole_day(world.room)
    world.check()


def test_a_down_request_arriving_late_never_moves_the_acknowledgement_back(
    world_of: WorldOf,
) -> None:
    """A down request held back past later ones carries an old ``applied``: when it
    arrives, central must keep the higher acknowledgement (marks never go back; they
    are recorded after every request central runs)."""
    world = world_of("synced")
    world.hand_over_another_group()
    world.faults.inject(Fault.REORDER, step="down", held_for=2)
    report = world.sync()  # held; the retry brings the second group's entries down
    assert report.complete, report
    world.sync()  # the held request arrives after this sync's down request (a later one)
    assert [True] == [sent.late for sent in world.faults.log if sent.late]
    world.check()
