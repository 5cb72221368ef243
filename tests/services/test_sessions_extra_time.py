# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Extra time the proctor gives a running attempt (``kit.proctoring.extend_time``, SCH-4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import AttemptState
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

pytestmark = pytest.mark.req("SCH-4")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


def started(kit: Examkit, count: int = 2) -> tuple[str, list[str]]:
    """A released group of *count* candidates, the first one working; its id and the ids."""
    people = add_candidates(kit, count)
    group = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    kit.sitting.sign_in(people[0].login_name, code)
    return group, [person.id for person in people]


def test_extra_time_moves_the_deadline_and_is_logged(kit: Examkit, clock: ManualClock) -> None:
    group, (working, _) = started(kit)
    before = kit.sitting.attempt(group, working).deadline
    assert before is not None
    clock.advance(minutes=20)
    kit.proctoring.intervene("proctor", group, working, "pause")
    after = kit.proctoring.extend_time("proctor", group, working, minutes=15, reason="storing")
    assert before + timedelta(minutes=15) == after.deadline
    assert (AttemptState.PAUSED, 0) == (after.state, after.extra_time_minutes)
    event = after.log[-1]
    assert ("extra_time", "proctor", "+15 storing") == (event.event, event.actor, event.reason)
    assert after == kit.sitting.attempt(group, working)
    (line,) = [
        c
        for c in kit.proctoring.monitor("proctor").groups[0].candidates
        if c.state is AttemptState.PAUSED
    ]
    assert (120 - 20 + 15) * 60 == line.seconds_left


@pytest.mark.parametrize("minutes", [0, -5, 121, 1.5, True, "10"])
def test_extra_time_is_1_to_120_whole_minutes(kit: Examkit, minutes: object) -> None:
    group, (working, _) = started(kit)
    before = kit.sitting.attempt(group, working)
    with pytest.raises(InvalidInput) as caught:
        kit.proctoring.extend_time("proctor", group, working, minutes=minutes)  # type: ignore[arg-type]
    assert ("sessions.attempt.minutes", "minutes") == (caught.value.code, caught.value.field)
    assert "120" in caught.value.message("en")
    assert before == kit.sitting.attempt(group, working)


def test_only_a_running_attempt_gets_extra_time(kit: Examkit) -> None:
    group, (working, waiting) = started(kit)
    with pytest.raises(InvalidState) as caught:
        kit.proctoring.extend_time("proctor", group, waiting, minutes=10)
    assert "sessions.attempt.not_running" == caught.value.code
    kit.proctoring.intervene("proctor", group, working, "terminate", reason="onwel")
    with pytest.raises(InvalidState):
        kit.proctoring.extend_time("proctor", group, working, minutes=10)


def test_only_the_proctor_gives_extra_time(kit: Examkit) -> None:
    group, (working, _) = started(kit)
    before = kit.sitting.attempt(group, working)
    for who in ("planner", "corrector", "elsewhere"):
        with pytest.raises(NotPermitted):
            kit.proctoring.extend_time(who, group, working, minutes=10)
    assert before == kit.sitting.attempt(group, working)
