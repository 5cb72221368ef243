# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Correction through the kit: work lists, agreement, escalation, replacement, closing.

The expected moves are written out here independently of ``ITEM_LIFECYCLE``,
from seed 002 ("overeen te komen correcties", escalation to the competent
authority and a third corrector) and issue 12.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from examkit import Examkit
from examkit.correction import (
    ITEM_LIFECYCLE,
    ItemMoveNotAllowed,
    ItemState,
    Mark,
    Outcome,
)
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import GroupState
from examkit.scoring import TestDefinition
from examkit.testing import ManualClock, MemoryAuditLog, StoredAuditTrail, Wiring
from examkit.testing.correction import (
    DEFINITION,
    NTERM,
    THIRD,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import START

IS = ItemState
OC = Outcome

# (state, move, what the scores then are) -> next state, from the seed.
SEED_MOVES = {
    (IS.OPEN, "score", OC.INCOMPLETE): IS.OPEN,
    (IS.OPEN, "score", OC.EQUAL): IS.SETTLED,
    (IS.OPEN, "score", OC.DIFFERENT): IS.DIFFERENT,
    (IS.SETTLED, "score", OC.EQUAL): IS.SETTLED,
    (IS.SETTLED, "score", OC.DIFFERENT): IS.DIFFERENT,
    (IS.DIFFERENT, "agree", None): IS.AGREED,
    (IS.DIFFERENT, "escalate", None): IS.ESCALATED,
    (IS.ESCALATED, "refer", None): IS.THIRD,
    (IS.THIRD, "decide", None): IS.DECIDED,
}
FINAL = {IS.SETTLED, IS.AGREED, IS.DECIDED}


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    """Where the kit's audit events are read."""
    return wiring.audit


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    """A correction kit at the session's start, with the doubles and the production wiring."""
    return make_correction_kit(ManualClock(START), wiring.log, wiring.backend)


@pytest.mark.req("SCO-3")
def test_the_item_lifecycle_is_the_seeds() -> None:
    """Every row of the table is one of the seed's moves, and every move is in the table."""
    table = {
        (source, row.event, row.guard): row.target
        for row in ITEM_LIFECYCLE.rows
        for source in row.sources
    }
    assert SEED_MOVES == table
    assert FINAL == {state for state in ItemState if state.is_final}


@pytest.mark.req("SCO-3", "PLAT-2")
def test_the_item_lifecycle_is_a_state_machine_like_the_others() -> None:
    """One declared type for every lifecycle: the item's table is checked as the others are.

    Only an agreed score and the third corrector's have no way out (a settled
    item is scored again when a score changes), and an unknown move is refused.
    """
    from examkit.auth import FLOW
    from examkit.scheduling import ATTEMPT_LIFECYCLE, GROUP_LIFECYCLE, SERVER_LIFECYCLE
    from examkit.statemachine import StateMachine

    machines = (ITEM_LIFECYCLE, GROUP_LIFECYCLE, ATTEMPT_LIFECYCLE, SERVER_LIFECYCLE, FLOW)
    assert all(isinstance(machine, StateMachine) for machine in machines)
    assert {IS.AGREED, IS.DECIDED} == ITEM_LIFECYCLE.final
    assert IS.OPEN is ITEM_LIFECYCLE.start
    with pytest.raises(InvalidInput) as unknown:
        ITEM_LIFECYCLE.event("approve")
    assert "correction.move.unknown" == unknown.value.code


@pytest.mark.req("SCO-3")
def test_each_corrector_sees_only_their_own_scores_until_both_scored(kit: Examkit) -> None:
    """The first corrector's scores stay hidden from the second until the second scored."""
    group, people = corrected_group(kit, 2)
    first, second = "corrector", "corrector2"
    kit.correction_work.score(first, group, people[0].id, {"o1": 2, "o2": 3})
    seen = {(w.candidate, w.item): w for w in kit.correction_work.work_list(second, group).items}
    assert None is seen[(people[0].id, "o1")].own
    assert None is seen[(people[0].id, "o1")].other
    kit.correction_work.score(second, group, people[0].id, {"o1": 2, "o2": 4})
    seen = {(w.candidate, w.item): w for w in kit.correction_work.work_list(second, group).items}
    assert (2, 2, IS.SETTLED, 2) == (
        seen[(people[0].id, "o1")].own,
        seen[(people[0].id, "o1")].other,
        seen[(people[0].id, "o1")].state,
        seen[(people[0].id, "o1")].final,
    )
    assert (4, 3, IS.DIFFERENT) == (
        seen[(people[0].id, "o2")].own,
        seen[(people[0].id, "o2")].other,
        seen[(people[0].id, "o2")].state,
    )
    listed = kit.correction_work.differences(first, group)
    assert [(people[0].id, "o2", 3, 4)] == [
        (d.candidate, d.item, d.first, d.second) for d in listed
    ]
    assert 4 == len(kit.correction_work.work_list(first, group).to_do) + 2


@pytest.mark.req("SCO-3")
def test_a_proctor_or_a_stranger_sees_no_work_list(kit: Examkit) -> None:
    """Only the group's own correctors get its work list."""
    group, _ = corrected_group(kit, 1)
    for account in ("proctor", "planner", THIRD):
        with pytest.raises(NotPermitted):
            kit.correction_work.work_list(account, group)


@pytest.mark.req("SCO-3")
def test_scores_out_of_range_or_for_unknown_items_are_refused_together(kit: Examkit) -> None:
    """Every bad score is reported and nothing is stored."""
    group, people = corrected_group(kit, 1)
    first = "corrector"
    with pytest.raises(InvalidInput) as caught:
        kit.correction_work.score(first, group, people[0].id, {"o1": 4, "k1": 1, "o2": 2})
    assert {"o1", "k1"} == {e.field for e in caught.value.exceptions}  # type: ignore[attr-defined]
    assert () == kit.corrections.sheet(group, people[0].id).versions


@pytest.mark.req("SCO-3")
def test_agreement_makes_the_score_final_and_every_change_is_a_version(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """Scores, a changed score and the agreed score are kept as versions: who, when, old, new."""
    group, people = corrected_group(kit, 1)
    first, second = "corrector", "corrector2"
    who = people[0].id
    kit.correction_work.score(first, group, who, {"o1": 1, "o2": 2})
    kit.clock.advance(minutes=5)  # type: ignore[attr-defined]
    kit.correction_work.score(first, group, who, {"o1": 2})
    kit.correction_work.score(second, group, who, {"o1": 3, "o2": 2})
    sheet = kit.correction_work.agree(second, group, who, "o1", 3, comment="Goed beargumenteerd")
    assert IS.AGREED == sheet.items["o1"].state
    assert 3 == sheet.items["o1"].final
    versions = [(v.item, v.mark, v.old, v.new, v.by) for v in sheet.versions]
    assert [
        ("o1", Mark.FIRST, None, 1, "corrector"),
        ("o2", Mark.FIRST, None, 2, "corrector"),
        ("o1", Mark.FIRST, 1, 2, "corrector"),
        ("o1", Mark.SECOND, None, 3, "corrector2"),
        ("o2", Mark.SECOND, None, 2, "corrector2"),
        ("o1", Mark.AGREED, None, 3, "corrector2"),
    ] == versions
    assert sheet.versions[2].at == sheet.versions[0].at + timedelta(minutes=5)
    assert 4 == sum(1 for e in audit.events if e.action in {"correction.score", "correction.agree"})
    with pytest.raises(ItemMoveNotAllowed):
        kit.correction_work.agree(first, group, who, "o1", 2)


@pytest.mark.req("SCO-3")
def test_escalation_goes_to_a_third_corrector_whose_score_replaces_both(kit: Examkit) -> None:
    """Escalated, referred by the planner to an independent third corrector, decided."""
    group, people = corrected_group(kit, 1)
    first, second, planner = (a for a in ("corrector", "corrector2", "planner"))
    who = people[0].id
    kit.correction_work.score(first, group, who, {"o1": 0, "o2": 4})
    kit.correction_work.score(second, group, who, {"o1": 3, "o2": 4})
    kit.correction_work.escalate(first, group, who, "o1")
    with pytest.raises(InvalidInput):
        kit.correctors.refer(planner, group, "corrector2")
    with pytest.raises(NotPermitted):
        kit.correctors.refer(first, group, THIRD)
    kit.correctors.refer(planner, group, THIRD)
    third = THIRD
    listed = kit.correction_work.work_list(third, group).items
    assert [(who, "o1", IS.THIRD)] == [(w.candidate, w.item, w.state) for w in listed]
    with pytest.raises(ItemMoveNotAllowed):
        kit.correction_work.score(third, group, who, {"o2": 1})
    sheet = kit.correction_work.score(third, group, who, {"o1": 2})
    assert (IS.DECIDED, 2) == (sheet.items["o1"].state, sheet.items["o1"].final)


@pytest.mark.req("SCO-3")
def test_closing_with_an_unresolved_difference_is_refused_and_changes_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The close names the first unresolved item; the group stays released for correction."""
    group, people = corrected_group(kit, 2)
    first, second = "corrector", "corrector2"
    for person in people:
        kit.correction_work.score(first, group, person.id, {"o1": 2, "o2": 1})
        kit.correction_work.score(second, group, person.id, {"o1": 2, "o2": 1})
    kit.correction_work.score(second, group, people[1].id, {"o2": 3})
    before = kit.corrections.correction(group)
    with pytest.raises(InvalidState) as caught:
        kit.correction_work.close(first, group)
    assert "correction.close.unresolved" == caught.value.code
    assert {"candidate": people[1].id, "item": "o2"} == dict(caught.value.params)
    assert GroupState.RELEASED_FOR_CORRECTION == kit.planning.group(group).state
    assert before == kit.corrections.correction(group)
    assert "denied" == audit.events[-1].outcome
    kit.correction_work.agree(first, group, people[1].id, "o2", 2)
    handed = kit.correction_work.close(first, group)
    assert GroupState.CORRECTION_CLOSED == handed.state
    assert ("close_correction", "facet.corrector") == (handed.log[-1].event, handed.log[-1].role)
    with pytest.raises(InvalidState):
        kit.correction_work.score(first, group, people[0].id, {"o1": 1})


@pytest.mark.req("SCO-3")
def test_replacing_a_corrector_keeps_the_scores(kit: Examkit) -> None:
    """The newcomer takes the place with the scores entered so far; the leaver loses access."""
    group, people = corrected_group(kit, 1)
    planner, first = "planner", "corrector"
    kit.correction_work.score(first, group, people[0].id, {"o1": 1})
    changed = kit.correctors.replace(planner, group, Mark.FIRST, THIRD)
    assert (THIRD, "corrector") == (changed.first, changed.replacements[-1].old)
    newcomer = THIRD
    own = {w.item: w.own for w in kit.correction_work.work_list(newcomer, group).items}
    assert {"o1": 1, "o2": None} == own
    with pytest.raises(NotPermitted):
        kit.correction_work.score(first, group, people[0].id, {"o2": 1})
    with pytest.raises(InvalidInput):
        kit.correctors.replace(planner, group, Mark.SECOND, THIRD)
    with pytest.raises(NotPermitted):
        kit.correctors.replace(first, group, Mark.SECOND, "corrector")


@pytest.mark.req("SCO-3", "SCO-4")
def test_one_corrector_settles_and_views_the_closed_group_read_only(kit: Examkit) -> None:
    """Without a second corrector a score is final; after closing the corrector only reads."""
    group, people = corrected_group(kit, 2, second=False, absent=1)
    first = "corrector"
    assert [people[0].id] == [
        w.candidate for w in kit.correction_work.work_list(first, group).items
    ][:1]
    assert {people[0].id} == {
        w.candidate for w in kit.correction_work.work_list(first, group).items
    }
    with pytest.raises(InvalidState):
        kit.correction_work.closed_view(first, group)
    kit.correction_work.score(first, group, people[0].id, {"o1": 3, "o2": 0})
    kit.correction_work.close(first, group)
    view = kit.correction_work.closed_view(first, group)
    assert view.closed
    assert {("o1", 3), ("o2", 0)} == {(w.item, w.final) for w in view.items}
    with pytest.raises(NotPermitted):
        kit.correction_work.closed_view("corrector2", group)


def _closed_group(kit: Examkit) -> tuple[str, list[str]]:
    group, people = corrected_group(kit, 3)
    first, second = "corrector", "corrector2"
    for n, person in enumerate(people):
        scores = {"o1": n, "o2": 4 - n}
        kit.correction_work.score(first, group, person.id, scores)
        kit.correction_work.score(second, group, person.id, scores, comments={"o2": f"c{n}"})
    kit.correction_work.close(first, group)
    return group, [p.id for p in people]


@pytest.mark.req("SCO-4", "SCO-5")
def test_results_and_the_partial_report_grade_with_the_nterm(kit: Examkit) -> None:
    """Totals add the automatic and the final open scores; grades follow the N-term."""
    group, people = _closed_group(kit)
    planner = "planner"
    rows = {row.candidate: row for row in kit.results.results(planner, group, DEFINITION, NTERM)}
    # k1 answered A, B, C (only B is right: 2 points); k2 is right for all (1 point); o1 + o2 = 4.
    assert {people[0]: 5, people[1]: 7, people[2]: 5} == {k: r.total for k, r in rows.items()}
    # grade = 9 * S / L + N with L = 10, N = 1.0 (before the boundary rules): 5.5, 7.3, 5.5.
    assert {people[0]: Decimal("5.5"), people[1]: Decimal("7.3")} == {
        k: rows[k].grade for k in people[:2]
    }
    report = kit.results.partial_report(planner, group, DEFINITION, NTERM)
    assert (3, 10, Decimal("6.1")) == (len(report.rows), report.maximum, report.mean_grade)
    assert ("kandidaat", "naam", "klas", "score", "cijfer") == report.as_csv_rows()[0]
    with pytest.raises(NotPermitted):
        kit.results.results("corrector", group, DEFINITION, NTERM)


@pytest.mark.req("SCO-4")
def test_review_only_while_granted_and_shows_responses_scores_and_comments(
    kit: Examkit,
) -> None:
    """The planner grants a period; the view is there within it and refused outside it."""
    group, people = _closed_group(kit)
    planner = "planner"
    with pytest.raises(InvalidState):
        kit.reviews.review(planner, group, people[1], DEFINITION, NTERM)
    now = kit.clock.now()
    with pytest.raises(InvalidInput):
        kit.reviews.grant_review(
            planner, group, people[1], starts_at=now, ends_at=now + timedelta(days=60)
        )
    kit.reviews.grant_review(
        planner, group, people[1], starts_at=now, ends_at=now + timedelta(days=2)
    )
    from examkit.correction._records import CorrectionSheetRecords

    def whole_group(*_: object) -> None:
        raise AssertionError("a candidate's review read the whole group's sheets")

    with pytest.MonkeyPatch.context() as patched:  # benchmarks/portal_pages.py: one candidate's
        patched.setattr(CorrectionSheetRecords, "list_for_group", whole_group)
        view = kit.reviews.review(planner, group, people[1], DEFINITION, NTERM)
    items = {i.identifier: (i.response, i.score, i.max_score, i.comment) for i in view.items}
    assert {
        "k1": ("B", Fraction(2), Fraction(2), ""),
        "k2": ("C", Fraction(1), Fraction(1), ""),
        "o1": ("", Fraction(1), Fraction(3), ""),
        "o2": ("", Fraction(3), Fraction(4), "c1"),
    } == items
    assert (Fraction(7), Decimal("7.3"), "Engels HAVO") == (view.total, view.grade, view.test)
    kit.clock.advance(days=3)  # type: ignore[attr-defined]
    with pytest.raises(InvalidState):
        kit.reviews.review(planner, group, people[1], DEFINITION, NTERM)


@pytest.mark.req("SCO-3", "SCO-4")
def test_the_review_page_is_the_review_with_its_group_period_and_history(kit: Examkit) -> None:
    """One unit of work gives what review, correction and history give one by one."""
    group, people = _closed_group(kit)
    planner, now = "planner", kit.clock.now()
    kit.reviews.grant_review(planner, group, people[1], starts_at=now, ends_at=now + timedelta(2))
    asked: list[str] = []

    def answer_key(exam: str) -> TestDefinition:
        asked.append(exam)
        return DEFINITION

    page = kit.reviews.review_page(planner, group, people[1], answer_key, NTERM)
    assert [kit.planning.group(group).exam] == asked
    assert kit.planning.group(group) == page.group
    assert kit.reviews.review(planner, group, people[1], DEFINITION, NTERM) == page.view
    (grant,) = kit.corrections.correction(group).reviews
    assert grant == page.grant
    assert kit.reviews.history(planner, group, people[1]) == page.history
    assert page.history
    kit.clock.advance(days=3)  # type: ignore[attr-defined]
    with pytest.raises(InvalidState):
        kit.reviews.review_page(planner, group, people[1], answer_key, NTERM)


@pytest.mark.req("SCO-3")
def test_the_planner_reads_every_version_and_a_corrector_only_after_closing(kit: Examkit) -> None:
    """The history of a candidate's scores: the planner any time, a corrector once closed."""
    group, people = corrected_group(kit, 1, second=False)
    first, planner = "corrector", "planner"
    kit.correction_work.score(first, group, people[0].id, {"o1": 1, "o2": 2})
    kit.correction_work.score(first, group, people[0].id, {"o1": 3})
    assert [("o1", None, 1), ("o2", None, 2), ("o1", 1, 3)] == [
        (v.item, v.old, v.new) for v in kit.reviews.history(planner, group, people[0].id)
    ]
    with pytest.raises(NotPermitted):
        kit.reviews.history(first, group, people[0].id)
    kit.correction_work.close(first, group)
    assert 3 == len(kit.reviews.history(first, group, people[0].id))


@pytest.mark.req("SCO-3")
@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url"])
def test_two_correctors_scoring_the_same_candidates_at_once_lose_nothing(
    request: pytest.FixtureRequest, database: str
) -> None:
    """In two threads: a call is done again when the other wrote the same sheet first.

    SQLite serialises the writing units; PostgreSQL (READ COMMITTED) lets both
    read a sheet, and the second write finds a newer version.
    """
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue(database), migrate=False)
    try:
        kit = make_correction_kit(ManualClock(START), MemoryAuditLog(), backend)
        group, people = corrected_group(kit, 12)
        errors: list[BaseException] = []

        def work(account: str, value: int) -> None:
            who = account
            try:
                for person in people:
                    kit.correction_work.score(who, group, person.id, {"o1": value, "o2": value})
            except BaseException as error:
                errors.append(error)

        threads = [
            threading.Thread(target=work, args=("corrector", 1)),
            threading.Thread(target=work, args=("corrector2", 2)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [] == errors
        for person in people:
            sheet = kit.corrections.sheet(group, person.id)
            assert 4 == len(sheet.versions)
            assert {(1, 2, IS.DIFFERENT)} == {
                (i.first, i.second, i.state) for i in sheet.items.values()
            }
    finally:
        backend.close()
