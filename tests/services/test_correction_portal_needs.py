# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A corrector's groups and a candidate's responses; published results and the role reports.

``kit.correction_work.assigned`` and ``kit.correction_work.responses``
(issue 23, the portal's work lists and scoring screen), and
``kit.results.publish`` and ``kit.results.reports`` (the reports of each
role), on the doubles and the production wiring (memory and SQLite).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.correction import ItemState
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Access, Authorization, ClassRef, Grant, Subject
from examkit.scheduling import GroupState
from examkit.testing import ManualClock, Wiring
from examkit.testing.correction import (
    DEFINITION,
    EXAM,
    SPARE,
    THIRD,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import L00, START, add_candidates, plan_group

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


def closed_with_classes(kit: Examkit) -> tuple[str, list[str]]:
    """Return a group of three (classes 4HA, 4HA, 4HB) corrected and closed, and its people."""
    group, people = corrected_group(kit, 3, classes=("4HA", "4HA", "4HB"))
    for person in people:
        for corrector in (FIRST, SECOND):
            kit.correction_work.score(corrector, group, person.id, {"o1": 2, "o2": 3})
    kit.correction_work.close(FIRST, group)
    return group, [person.id for person in people]


def report_reader(
    kit: Examkit, role: str, *, at: LocationCode | ClassRef, subject: Subject | None = None
) -> str:
    """Return a new account holding the Cito report *role* at *at* (a location or a class)."""
    short = {"cito_lvs.quality_officer": "Kwal", "cito_lvs.pupil_counsellor": "Ment"}
    account = f"lezer{short.get(role, 'Vak')}"
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=account,
                login_name=LoginName(f"22AB.{account}"),
                first_name="Kim",
                last_name="Lezer",
                email=f"{account}@school.nl",
                institutions=frozenset({Brin("22AB")}),
            )
        )
        uow.authorizations.add(
            Authorization(
                account=account,
                grants=[
                    Grant.of(role, [at], subject=subject, granted_at=START - timedelta(days=9))
                ],
                access=[Access("cito_lvs", Brin("22AB"))],
            )
        )
        uow.commit()
    return account


@pytest.mark.req("SCO-4", "SCO-5", "SCO-6")
def test_published_results_keep_their_n_term_and_each_report_role_reads_its_rows(
    kit: Examkit,
) -> None:
    group, people = closed_with_classes(kit)
    assert () == kit.results.reports(report_reader(kit, "cito_lvs.quality_officer", at=L00), L00)
    published = kit.results.publish(PLANNER, group, DEFINITION, "1.0")
    assert GroupState.RESULTS_PUBLISHED is published.state
    stored = kit.corrections.correction(group)
    assert "1,0" == stored.nterm
    assert kit.results.result_rows(PLANNER, group, DEFINITION, "1,0") == stored.published
    officer = "lezerKwal"
    assert sorted(people) == sorted(row.candidate for row in kit.results.reports(officer, L00))
    mentor = report_reader(kit, "cito_lvs.pupil_counsellor", at=ClassRef(L00, "4HB"))
    assert [people[2]] == [row.candidate for row in kit.results.reports(mentor, L00)]
    english = report_reader(
        kit, "cito_lvs.subject_teacher", at=ClassRef(L00, "4HA"), subject=Subject.ENGLISH
    )
    assert {"4HA"} == {row.class_key for row in kit.results.reports(english, L00)}
    for outsider in (FIRST, PLANNER):
        with pytest.raises(NotPermitted):
            kit.results.reports(outsider, L00)
    with pytest.raises(InvalidState):
        kit.results.publish(PLANNER, group, DEFINITION, "1,0")


@pytest.mark.req("SCO-5")
def test_publishing_refuses_a_bad_n_term_an_open_correction_and_a_corrector(
    kit: Examkit,
) -> None:
    group, people = corrected_group(kit, 1)
    with pytest.raises(InvalidState):
        kit.results.publish(PLANNER, group, DEFINITION, "1,0")
    for corrector in (FIRST, SECOND):
        kit.correction_work.score(corrector, group, people[0].id, {"o1": 1, "o2": 1})
    kit.correction_work.close(FIRST, group)
    with pytest.raises(InvalidInput):
        kit.results.publish(PLANNER, group, DEFINITION, "veel")
    with pytest.raises(NotPermitted):
        kit.results.publish(FIRST, group, DEFINITION, "1,0")
    assert GroupState.CORRECTION_CLOSED is kit.planning.group(group).state
    assert () == kit.corrections.correction(group).published


@pytest.mark.req("SCO-3")
def test_the_planner_chooses_a_third_corrector_or_a_replacement_from_the_eligible(
    kit: Examkit,
) -> None:
    group, _ = corrected_group(kit, 1)
    eligible = kit.correctors.eligible(PLANNER, group)
    assert {THIRD, SPARE} == {c.account for c in eligible}
    assert [c.name for c in eligible] == sorted(c.name for c in eligible)
    kit.correctors.replace(PLANNER, group, "second", SPARE)
    assert {THIRD, SECOND} == {c.account for c in kit.correctors.eligible(PLANNER, group)}
    for outsider in (FIRST, "proctor"):
        with pytest.raises(NotPermitted):
            kit.correctors.eligible(outsider, group)


@pytest.mark.req("SCO-3")
def test_the_planner_sees_the_items_per_state_and_the_escalated_ones(kit: Examkit) -> None:
    group, people = corrected_group(kit, 2)
    start = kit.corrections.progress(PLANNER, group)
    assert (2, 4, 0, ()) == (start.candidates, start.total, start.final, start.escalated)
    assert 4 == start.states[ItemState.OPEN]
    with kit.backend.begin(readonly=True) as uow:
        names = {a: uow.accounts.get(a).full_name for a in (FIRST, SECOND)}
    assert names == dict(start.names)
    first, second = people[0].id, people[1].id
    kit.correction_work.score(FIRST, group, first, {"o1": 1, "o2": 1})
    kit.correction_work.score(SECOND, group, first, {"o1": 1, "o2": 3})
    kit.correction_work.escalate(SECOND, group, first, "o2")
    kit.correction_work.score(FIRST, group, second, {"o1": 2})
    now = kit.corrections.progress(PLANNER, group)
    expected = {ItemState.SETTLED: 1, ItemState.ESCALATED: 1, ItemState.OPEN: 2}
    assert expected == {state: n for state, n in now.states.items() if n}
    assert ((first, "o2"),) == now.escalated
    assert 1 == now.final
    for outsider in (FIRST, THIRD):
        with pytest.raises(NotPermitted):
            kit.corrections.progress(outsider, group)


@pytest.mark.req("SCO-4", "SCO-5")
def test_published_results_are_read_as_kept_and_another_n_term_is_computed(
    kit: Examkit,
) -> None:
    """Once published, the results by the published N-term are the rows kept then."""
    import attrs

    group, people = closed_with_classes(kit)
    computed = kit.results.results(PLANNER, group, DEFINITION, "1,0")
    kit.results.publish(PLANNER, group, DEFINITION, "1.0")
    assert computed == kit.results.results(PLANNER, group, DEFINITION, "1,0")
    assert computed == kit.results.results(PLANNER, group, DEFINITION, "1.0")
    with kit.backend.begin() as uow:  # a name corrected after the publication
        person = uow.candidates.get(people[0])
        uow.candidates.update(attrs.evolve(person, first_name="Anders"))
        uow.commit()
    kept = {row.candidate: row for row in kit.results.results(PLANNER, group, DEFINITION, "1,0")}
    before = {row.candidate: row for row in computed}
    assert before[people[0]].name == kept[people[0]].name  # as published
    other = kit.results.results(PLANNER, group, DEFINITION, "2,0")
    assert {row.candidate for row in other} == set(kept)
    assert any(row.name.startswith("Anders") for row in other)  # computed now
    with pytest.raises(InvalidInput):  # the definition is still checked
        kit.results.results(PLANNER, group, attrs.evolve(DEFINITION, items=()), "1,0")
