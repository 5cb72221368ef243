# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The session group's lifecycle, spelled out from seeds 002 and 004, through the kit.

The expected moves below are written out independently of
``GROUP_LIFECYCLE``: seed 002 ("Proces inplannen tot correctie": the proctor
releases and closes, the planner releases for correction, the corrector
closes the correction, then review) and seed 004 chapter 3 (the proctor's
"Vrijgeven / Blokkeren / Afsluiten afnamegroep", the planner's release for
correction, the corrector's close of the correction).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import (
    GROUP_LIFECYCLE,
    AttemptState,
    GroupState,
    Incident,
    TransitionNotAllowed,
)
from examkit.testing import ManualClock, MemoryAuditLog, StoredAuditTrail, Wiring
from examkit.testing.sessions import (
    FT_EXAM,
    START,
    add_candidates,
    make_session_kit,
    plan_group,
)

S = GroupState

# (state, event) -> (new state, the account that may make it), from the seeds.
SEED_MOVES = {
    (S.PLANNED, "release"): (S.RELEASED, "proctor"),
    (S.RELEASED, "block"): (S.BLOCKED, "proctor"),
    (S.BLOCKED, "release"): (S.RELEASED, "proctor"),
    (S.RELEASED, "close"): (S.CLOSED, "proctor"),
    (S.BLOCKED, "close"): (S.CLOSED, "proctor"),
    (S.CLOSED, "release_for_correction"): (S.RELEASED_FOR_CORRECTION, "planner"),
    (S.RELEASED_FOR_CORRECTION, "close_correction"): (S.CORRECTION_CLOSED, "corrector"),
    (S.CORRECTION_CLOSED, "publish_results"): (S.RESULTS_PUBLISHED, "planner"),
    (S.RESULTS_PUBLISHED, "open_review"): (S.REVIEW_OPEN, "planner"),
    (S.RESULTS_PUBLISHED, "archive"): (S.ARCHIVED, "planner"),
    (S.REVIEW_OPEN, "archive"): (S.ARCHIVED, "planner"),
    (S.PLANNED, "cancel"): (S.CANCELLED, "planner"),
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    return wiring.audit


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


@pytest.mark.req("SCH-3")
def test_the_declared_table_is_the_seeds_lifecycle() -> None:
    """Every row of GROUP_LIFECYCLE is a move of the seeds, and every seed move is a row."""
    declared = {
        (source, row.event): row.target for row in GROUP_LIFECYCLE.rows for source in row.sources
    }
    assert {key: target for key, (target, _) in SEED_MOVES.items()} == declared


@pytest.mark.req("SCH-3", "SCH-5", "SCH-6")
def test_a_group_goes_from_planned_to_archived(kit: Examkit, clock: ManualClock) -> None:
    """The whole life, each move by its own role, logged with who, role, when and reason."""
    people = add_candidates(kit, 2)
    group_id = plan_group(kit, people)
    proctor, planner = "proctor", "planner"
    group = kit.group_lifecycle.release(proctor, group_id)
    assert S.RELEASED == group.state
    code = group.access_code
    assert code is not None
    assert code == kit.group_lifecycle.access_code(proctor, group_id)
    group = kit.group_lifecycle.block(proctor, group_id, reason="brandalarm")
    assert S.BLOCKED == group.state
    assert code == group.access_code
    group = kit.group_lifecycle.release(proctor, group_id)
    assert code == group.access_code
    key = kit.sitting.sign_in(people[0].login_name, code).key
    kit.sitting.submit(group_id, people[0].id, key=key)
    kit.session_reports.write_report(
        proctor,
        group_id,
        started_at=START,
        ended_at=START + timedelta(hours=2),
        incidents=[Incident(at=START, text="Kandidaat kwam te laat", candidate=people[0].id)],
        notes="Verder rustig.",
        completed=True,
    )
    group = kit.group_lifecycle.close(proctor, group_id)
    assert S.CLOSED == group.state
    assert group.access_code is None
    assert [AttemptState.SUBMITTED, AttemptState.ABSENT] == [
        a.state
        for a in sorted(
            kit.planning.attempts(group_id), key=lambda a: a.login_name != people[0].login_name
        )
    ]
    for event in ("release_for_correction",):
        group = kit.group_lifecycle.transition(planner, group_id, event)
    corrector = "corrector"
    with pytest.raises(InvalidState) as caught:  # an answer waits for the corrector
        kit.group_lifecycle.transition(corrector, group_id, "close_correction")
    assert "sessions.guard.through_correction" == caught.value.code
    assert S.RELEASED_FOR_CORRECTION == kit.planning.group(group_id).state
    kit.correction_work.score(corrector, group_id, people[0].id, {"q3": 2})
    group = kit.correction_work.close(corrector, group_id)
    for event in ("publish_results", "open_review", "archive"):
        group = kit.group_lifecycle.transition(planner, group_id, event)
    assert S.ARCHIVED == group.state
    assert [
        ("release", "facet.proctor", ""),
        ("block", "facet.proctor", "brandalarm"),
        ("release", "facet.proctor", ""),
        ("close", "facet.proctor", ""),
        ("release_for_correction", "facet.planner", ""),
        ("close_correction", "facet.corrector", ""),
        ("publish_results", "facet.planner", ""),
        ("open_review", "facet.planner", ""),
        ("archive", "facet.planner", ""),
    ] == [(r.event, r.role, r.reason) for r in group.log]
    assert all(r.at == clock.now() for r in group.log)


@pytest.mark.req("SCH-3")
@pytest.mark.parametrize("event", sorted({row.event for row in GROUP_LIFECYCLE.rows}))
def test_every_move_refused_from_planned_except_its_own_changes_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail, event: str
) -> None:
    """From planned only release and cancel are allowed; anything else is TransitionNotAllowed."""
    group_id = plan_group(kit, add_candidates(kit, 1))
    before = kit.planning.group(group_id)
    who = {"close_correction": "corrector"}.get(event, "planner")
    if event in {"release", "block", "close"}:
        who = "proctor"
    if (S.PLANNED, event) in SEED_MOVES:
        return
    with pytest.raises(TransitionNotAllowed) as caught:
        kit.group_lifecycle.transition(who, group_id, event)
    assert "sessions.transition.not_allowed" == caught.value.code
    after = kit.planning.group(group_id)
    assert before == after
    assert before.version == after.version
    assert ("failure", "sessions.transition.not_allowed") == (
        audit.events[-1].outcome,
        audit.events[-1].details["reason"],
    )


@pytest.mark.req("SCH-3", "ROLE-1")
@pytest.mark.parametrize(
    ("event", "wrong"),
    [
        ("release", "planner"),
        ("release", "corrector"),
        ("release", "elsewhere"),
        ("cancel", "proctor"),
        ("cancel", "administrator"),
        ("release", "ft_proctor"),
    ],
)
def test_a_move_without_the_grant_is_not_permitted_and_changes_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail, event: str, wrong: str
) -> None:
    """The wrong role, or the right role at another location, gets NotPermitted."""
    group_id = plan_group(kit, add_candidates(kit, 1))
    before = kit.planning.group(group_id)
    with pytest.raises(NotPermitted):
        kit.group_lifecycle.transition(wrong, group_id, event)
    assert before.version == kit.planning.group(group_id).version
    assert ("denied", wrong) == (audit.events[-1].outcome, audit.events[-1].actor)


@pytest.mark.req("SCH-3", "SCH-5")
def test_close_needs_a_completed_report_and_no_running_attempt(
    kit: Examkit, clock: ManualClock
) -> None:
    """The close's guard: report completed, every started attempt over; then absentees marked."""
    people = add_candidates(kit, 3)
    group_id = plan_group(kit, people)
    proctor = "proctor"
    code = kit.group_lifecycle.release(proctor, group_id).access_code
    assert code is not None
    with pytest.raises(InvalidState) as caught:
        kit.group_lifecycle.close(proctor, group_id)
    assert "sessions.guard.report_incomplete" == caught.value.code
    kit.session_reports.write_report(proctor, group_id, completed=True)
    kit.sitting.sign_in(people[0].login_name, code)
    kit.sitting.sign_in(people[1].login_name, code)
    with pytest.raises(InvalidState) as caught:
        kit.group_lifecycle.close(proctor, group_id)
    assert "sessions.guard.attempts_running" == caught.value.code
    assert S.RELEASED == kit.planning.group(group_id).state
    kit.proctoring.intervene(proctor, group_id, people[0].id, "terminate", reason="onwel")
    clock.advance(hours=3)
    group = kit.group_lifecycle.close(proctor, group_id)
    states = {a.candidate: a.state for a in kit.planning.attempts(group_id)}
    assert {
        people[0].id: AttemptState.TERMINATED,
        people[1].id: AttemptState.TIMED_OUT,
        people[2].id: AttemptState.ABSENT,
    } == states
    assert S.CLOSED == group.state


@pytest.mark.req("SCH-3")
def test_cancel_only_while_nobody_started(kit: Examkit) -> None:
    """A planned group is cancelled by the planner; once released it can no longer be."""
    planner = "planner"
    people = add_candidates(kit, 2)
    group_id = plan_group(kit, people[:1])
    assert S.CANCELLED == kit.group_lifecycle.transition(planner, group_id, "cancel").state
    other = plan_group(kit, people[1:])
    kit.group_lifecycle.release("proctor", other)
    with pytest.raises(TransitionNotAllowed):
        kit.group_lifecycle.transition(planner, other, "cancel")


@pytest.mark.req("SCH-3", "SCO-3")
def test_release_for_correction_needs_a_corrector_when_the_test_has_open_items(
    kit: Examkit,
) -> None:
    """Without a first corrector the planner cannot release a test with open items."""
    people = add_candidates(kit, 1)
    group_id = plan_group(kit, people, first_corrector=None)
    proctor = "proctor"
    kit.group_lifecycle.release(proctor, group_id)
    kit.session_reports.write_report(proctor, group_id, completed=True)
    kit.group_lifecycle.close(proctor, group_id)
    with pytest.raises(InvalidState) as caught:
        kit.group_lifecycle.transition("planner", group_id, "release_for_correction")
    assert "sessions.guard.no_corrector" == caught.value.code
    assert S.CLOSED == kit.planning.group(group_id).state


@pytest.mark.req("SCH-2")
def test_functionality_test_groups_are_planned_and_run_by_the_ft_roles(kit: Examkit) -> None:
    """The FT planner plans the FT exam; the FT proctor runs it; the regular roles cannot."""
    people = add_candidates(kit, 1)
    with pytest.raises(NotPermitted):
        plan_group(kit, people, exam=FT_EXAM.code, proctor="ft_proctor", first_corrector=None)
    with pytest.raises(NotPermitted):
        plan_group(kit, people, exam="NE-GL-2026", planner="ft_planner")
    group_id = plan_group(
        kit,
        people,
        exam=FT_EXAM.code,
        planner="ft_planner",
        proctor="ft_proctor",
        first_corrector=None,
    )
    with pytest.raises(NotPermitted):
        kit.group_lifecycle.release("proctor", group_id)
    ft_proctor = "ft_proctor"
    assert S.RELEASED == kit.group_lifecycle.release(ft_proctor, group_id).state
    kit.session_reports.write_report(ft_proctor, group_id, completed=True)
    assert S.CLOSED == kit.group_lifecycle.close(ft_proctor, group_id).state
    with pytest.raises(TransitionNotAllowed):
        kit.group_lifecycle.transition("planner", group_id, "release_for_correction")


@pytest.mark.req("SCH-1")
def test_planning_checks_proctor_correctors_and_candidates(kit: Examkit) -> None:
    """A proctor or corrector without the role there, or a foreign candidate, is refused."""
    people = add_candidates(kit, 1)
    with pytest.raises(InvalidInput) as caught:
        plan_group(kit, people, proctor="planner")
    assert "sessions.group.proctor" == caught.value.code
    with pytest.raises(InvalidInput) as caught:
        plan_group(kit, people, proctor="elsewhere")
    assert "sessions.group.proctor" == caught.value.code
    with pytest.raises(InvalidInput) as caught:
        plan_group(kit, people, first_corrector="proctor")
    assert "sessions.group.corrector" == caught.value.code
    with kit.backend.begin(readonly=True) as uow:
        assert () == uow.session_groups.list().items


@pytest.mark.req("SCH-1")
def test_no_candidate_in_two_overlapping_groups_extra_time_counted(kit: Examkit) -> None:
    """A group ending at 11:00 overlaps one at 11:15 for a candidate with 30 minutes extra."""
    extra, plain = add_candidates(kit, 2, extra=30)
    plan_group(kit, [extra, plain])
    later = START + timedelta(minutes=135)
    plan_group(kit, [plain], starts_at=later)
    with pytest.raises(InvalidInput) as caught:
        plan_group(kit, [extra], starts_at=later)
    assert "sessions.group.overlap" == caught.value.code
    plan_group(kit, [extra], starts_at=START + timedelta(minutes=150))


@pytest.mark.req("SCH-1")
def test_more_than_30_minutes_extra_time_is_refused_at_a_central_exam(kit: Examkit) -> None:
    """Central exams allow at most 30 minutes extra time."""
    people = add_candidates(kit, 1, extra=45)
    with pytest.raises(InvalidInput) as caught:
        plan_group(kit, people)
    assert "sessions.group.extra_time" == caught.value.code


@pytest.mark.req("SCH-5")
def test_the_report_is_immutable_after_close_except_for_the_planners_remarks(
    kit: Examkit,
) -> None:
    """After close the proctor cannot change the report; the planner appends remarks."""
    group_id = plan_group(kit, add_candidates(kit, 1))
    proctor, planner = "proctor", "planner"
    kit.group_lifecycle.release(proctor, group_id)
    with pytest.raises(InvalidState):
        kit.session_reports.add_remark(planner, group_id, "te vroeg")
    kit.session_reports.write_report(proctor, group_id, notes="Goed verlopen", completed=True)
    kit.group_lifecycle.close(proctor, group_id)
    with pytest.raises(InvalidState) as caught:
        kit.session_reports.write_report(proctor, group_id, notes="Achteraf gewijzigd")
    assert "sessions.report.closed" == caught.value.code
    with pytest.raises(NotPermitted):
        kit.session_reports.add_remark(proctor, group_id, "mag niet")
    group = kit.session_reports.add_remark(planner, group_id, "Gecontroleerd.")
    assert "Goed verlopen" == group.report.notes
    assert ["Gecontroleerd."] == [r.text for r in group.report.remarks]


@pytest.mark.req("SCH-1", "SCO-3")
def test_the_planner_assigns_correctors_until_the_release_for_correction(kit: Examkit) -> None:
    """First and second correctors, each holding the role here; not after the release."""
    group_id = plan_group(kit, add_candidates(kit, 1), first_corrector=None)
    planner, proctor = "planner", "proctor"
    with pytest.raises(InvalidInput):
        kit.group_lifecycle.assign_correctors(
            planner, group_id, first="corrector", second="corrector"
        )
    with pytest.raises(InvalidInput):
        kit.group_lifecycle.assign_correctors(planner, group_id, first="proctor")
    with pytest.raises(NotPermitted):
        kit.group_lifecycle.assign_correctors(proctor, group_id, first="corrector")
    kit.group_lifecycle.release(proctor, group_id)
    kit.session_reports.write_report(proctor, group_id, completed=True)
    kit.group_lifecycle.close(proctor, group_id)
    group = kit.group_lifecycle.assign_correctors(
        planner, group_id, first="corrector", second="corrector2"
    )
    assert ("corrector", "corrector2") == (group.first_corrector, group.second_corrector)
    kit.group_lifecycle.transition(planner, group_id, "release_for_correction")
    with pytest.raises(InvalidState):
        kit.group_lifecycle.assign_correctors(planner, group_id, first="corrector2")
