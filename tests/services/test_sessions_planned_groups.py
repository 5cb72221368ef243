# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A location's planned session groups, listed for who may consult them (issue 22, SCH-1).

Run on the doubles and on the production wiring (memory, an SQLite file).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import NotPermitted
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import L00, L01, START, add_candidates, make_session_kit, plan_group


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return make_session_kit(ManualClock(START - timedelta(days=2)), wiring.log, wiring.backend)


def plan_three(kit: Examkit) -> list[str]:
    """Plan groups on the 12th at 13:00 and 09:00, and on the 13th at 09:00; return their ids."""
    pupils = add_candidates(kit, 3)
    later = plan_group(kit, pupils[:1], starts_at=START + timedelta(hours=4))
    first = plan_group(kit, pupils[1:2])
    next_day = plan_group(kit, pupils[2:], starts_at=START + timedelta(days=1))
    return [first, later, next_day]


@pytest.mark.req("SCH-1", "WEB-1")
def test_the_planner_lists_the_location_s_groups_by_start_in_pages(kit: Examkit) -> None:
    """By start time; a page at a time; one day's only when asked."""
    first, later, next_day = plan_three(kit)
    page = kit.planning.planned_groups("planner", L00, limit=2)
    assert [first, later] == [group.id for group in page.items]
    assert page.next_after is not None
    rest = kit.planning.planned_groups("planner", L00, after=page.next_after, limit=2)
    assert [next_day] == [group.id for group in rest.items]
    assert rest.next_after is None
    on_the_12th = kit.planning.planned_groups("planner", L00, day=START.date())
    assert [first, later] == [group.id for group in on_the_12th.items]
    assert () == tuple(kit.planning.planned_groups("elsewhere", L01).items)


@pytest.mark.req("SCH-1", "ROLE-5")
@pytest.mark.parametrize("who", ["proctor", "corrector", "elsewhere", "nobody"])
def test_who_may_not_consult_the_planned_sessions_there_is_refused(
    kit: Examkit, wiring: Wiring, who: str
) -> None:
    """The proctor and the corrector do not hold *Raadplegen geplande afnames*; audited denied."""
    plan_three(kit)
    with pytest.raises(NotPermitted):
        kit.planning.planned_groups(who, L00)
    last = wiring.audit.events[-1]
    assert ("sessions.groups.listed", "denied", who) == (last.action, last.outcome, last.actor)
