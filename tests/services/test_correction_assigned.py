# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""What a corrector finds: the groups they correct, and a candidate's responses to score.

``kit.correction_work.assigned`` and ``kit.correction_work.responses``
(issue 23, the portal's work lists and scoring screen), on the doubles and
the production wiring (memory and SQLite).
"""

from __future__ import annotations

import pytest

from examkit import Examkit
from examkit.errors import InvalidInput, NotPermitted
from examkit.scheduling import GroupState
from examkit.testing import ManualClock, Wiring
from examkit.testing.correction import (
    EXAM,
    SPARE,
    THIRD,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import START, add_candidates, plan_group

FIRST, SECOND, PLANNER = "corrector", "corrector2", "planner"


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    """A correction kit at the session's start, with the doubles and the production wiring."""
    return make_correction_kit(ManualClock(START), wiring.log, wiring.backend)


def answered_group(kit: Examkit) -> tuple[str, str]:
    """Return a group (one corrector) released for correction; its candidate answered o1."""
    (person,) = add_candidates(kit, 1)
    group = plan_group(kit, [person], starts_at=kit.clock.now(), exam=EXAM.code)
    kit.group_lifecycle.release("proctor", group)
    key = kit.sitting.sign_in(person.login_name, kit.group_lifecycle.access_code("proctor", group))
    kit.sitting.save_response(
        group, person.id, "o1", {"text": "Twaalf maal drie"}, sequence=1, key=key.key
    )
    kit.sitting.submit(group, person.id, key=key.key)
    kit.session_reports.write_report("proctor", group, completed=True)
    assert isinstance(kit.clock, ManualClock)
    kit.clock.advance(minutes=EXAM.duration.seconds // 60 + 1)
    kit.group_lifecycle.close("proctor", group)
    kit.group_lifecycle.transition(PLANNER, group, "release_for_correction")
    return group, person.id


@pytest.mark.req("SCO-3", "SCO-4")
def test_each_corrector_finds_the_groups_they_correct_and_corrected(kit: Examkit) -> None:
    group, people = corrected_group(kit, 2)
    assert [group] == [g.id for g in kit.correction_work.assigned(FIRST)]
    assert [group] == [g.id for g in kit.correction_work.assigned(SECOND)]
    assert () == kit.correction_work.assigned(THIRD)
    assert () == kit.correction_work.assigned(PLANNER)
    kit.correction_work.score(FIRST, group, people[0].id, {"o1": 1, "o2": 1})
    kit.correction_work.score(SECOND, group, people[0].id, {"o1": 1, "o2": 2})
    kit.correction_work.escalate(FIRST, group, people[0].id, "o2")
    kit.correctors.refer(PLANNER, group, THIRD)
    assert [group] == [g.id for g in kit.correction_work.assigned(THIRD)]
    kit.correctors.replace(PLANNER, group, "second", SPARE)
    assert [group] == [g.id for g in kit.correction_work.assigned(SPARE)]
    assert () == kit.correction_work.assigned(SECOND)
    kit.correction_work.score(THIRD, group, people[0].id, {"o2": 2})
    for person in people[1:]:
        kit.correction_work.score(FIRST, group, person.id, {"o1": 2, "o2": 2})
        kit.correction_work.score(SPARE, group, person.id, {"o1": 2, "o2": 2})
    kit.correction_work.close(FIRST, group)
    (closed,) = kit.correction_work.assigned(SECOND)
    assert (group, GroupState.CORRECTION_CLOSED) == (closed.id, closed.state)


@pytest.mark.req("SCO-3")
def test_a_corrector_reads_the_responses_to_the_open_items_as_text(kit: Examkit) -> None:
    group, person = answered_group(kit)
    assert {"o1": "Twaalf maal drie", "o2": ""} == kit.correction_work.responses(
        FIRST, group, person
    )
    for outsider in (PLANNER, THIRD, "proctor"):
        with pytest.raises(NotPermitted):
            kit.correction_work.responses(outsider, group, person)
    with pytest.raises(InvalidInput) as refused:
        kit.correction_work.responses(FIRST, group, "c-nobody")
    assert ("correction.candidate.unknown", "candidate") == (
        refused.value.code,
        refused.value.field,
    )


@pytest.mark.req("SCO-4")
def test_a_former_corrector_still_reads_the_responses_of_a_closed_group(kit: Examkit) -> None:
    group, person = answered_group(kit)
    kit.correction_work.score(FIRST, group, person, {"o1": 2, "o2": 1})
    kit.correction_work.close(FIRST, group)
    assert "Twaalf maal drie" == kit.correction_work.responses(FIRST, group, person)["o1"]
    for outsider in (SECOND, THIRD):
        with pytest.raises(NotPermitted):
            kit.correction_work.responses(outsider, group, person)
