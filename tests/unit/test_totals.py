"""Totals with neutralised items (SCO-2), results and the re-grading dry run (SCO-5)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.scoring import (
    CandidateScores,
    ChoiceItem,
    ChoiceResponse,
    MatchCorrect,
    Neutralisation,
    OpenItem,
    TestDefinition,
    conversion_table,
    grade,
    regrade_dry_run,
    results,
    score_candidate,
    total,
)

TEST = TestDefinition(
    [
        ChoiceItem(id="q1", choices="ABCD", correct="A"),
        ChoiceItem(id="q2", choices="ABCD", correct="B", scoring=MatchCorrect(points=2)),
        ChoiceItem(id="q3", choices="ABCD", correct="C"),
        OpenItem(id="q4", rubric={"methode": 3, "antwoord": 1}),
    ]
)


@pytest.mark.req("SCO-1")
def test_automatic_items_are_scored_and_open_items_taken_from_the_corrector() -> None:
    """score_candidate scores every automatic item and takes open scores as given."""
    scores = score_candidate(
        TEST, "k1", {"q1": ChoiceResponse("A"), "q2": ChoiceResponse("C")}, manual={"q4": 3}
    )
    assert {"q1": 1, "q2": 0, "q3": 0, "q4": 3} == dict(scores.item_scores)
    assert Fraction(8) == TEST.maximum


@pytest.mark.req("SCO-2")
def test_a_neutralised_item_gives_everyone_its_maximum_and_l_stays() -> None:
    """Neutralising q2 gives every candidate its 2 points; L stays 8; responses are untouched."""
    wrong = CandidateScores("k1", {"q1": 1, "q2": 0, "q3": 1, "q4": 2})
    right = CandidateScores("k2", {"q1": 0, "q2": 2, "q3": 0, "q4": 0})
    neutral = [Neutralisation("q2")]
    assert Fraction(6) == total(TEST, wrong, neutral)
    assert Fraction(2) == total(TEST, right, neutral)
    assert Fraction(4) == total(TEST, wrong)
    assert Fraction(8) == TEST.maximum
    assert Fraction(0) == wrong.item_scores["q2"]


@pytest.mark.req("SCO-2")
def test_the_board_may_set_a_fixed_lower_score() -> None:
    """A neutralisation with a fixed score gives everyone that score instead."""
    scores = CandidateScores("k1", {"q1": 1, "q2": 2, "q3": 1, "q4": 4})
    assert Fraction(7) == total(TEST, scores, [Neutralisation("q2", 1)])
    with pytest.raises(InvalidInput):
        total(TEST, scores, [Neutralisation("q2", 3)])
    with pytest.raises(InvalidInput):
        total(TEST, scores, [Neutralisation("q9")])


@pytest.mark.req("SCO-5")
def test_results_and_conversion_table() -> None:
    """results() totals and grades every candidate by the rule."""
    scores = [CandidateScores("k1", {"q1": 1, "q2": 2, "q3": 1}), CandidateScores("k2", {})]
    found = results(TEST, scores, "1.0")
    assert [("k1", Fraction(4), Decimal("5.5")), ("k2", Fraction(0), Decimal("1.0"))] == [
        (r.candidate, r.total, r.grade) for r in found
    ]
    assert conversion_table(TEST, "1.0").lowest_pass == 4


@pytest.mark.req("SCO-5")
def test_results_grade_each_candidate_by_their_own_total_when_totals_repeat() -> None:
    """Candidates with the same total get the same grade, each their own (graded once per total)."""
    given: list[dict[str, int | Fraction]] = [
        {"q1": 1, "q2": 2, "q3": 1},
        {"q4": Fraction(5, 2)},
        {"q1": 1, "q2": 2, "q3": 1},
        {},
        {"q4": Fraction(5, 2)},
        {"q2": 2, "q4": 4},
    ]
    scores = [CandidateScores(f"k{n}", items) for n, items in enumerate(given)]
    found = results(TEST, scores, "0.6")
    expected = [
        ("k0", Fraction(4), grade(4, 8, "0.6")),
        ("k1", Fraction(5, 2), grade(Fraction(5, 2), 8, "0.6")),
        ("k2", Fraction(4), grade(4, 8, "0.6")),
        ("k3", Fraction(0), Decimal("1.0")),
        ("k4", Fraction(5, 2), grade(Fraction(5, 2), 8, "0.6")),
        ("k5", Fraction(6), grade(6, 8, "0.6")),
    ]
    assert expected == [(r.candidate, r.total, r.grade) for r in found]
    assert len({r.grade for r in found}) == 4


@pytest.mark.req("SCO-2", "SCO-5")
def test_dry_run_shows_who_changes_and_changes_nothing() -> None:
    """A dry run lists the candidates whose total or grade would change, from what to what."""
    scores = [
        CandidateScores("k1", {"q1": 1, "q2": 0, "q3": 1, "q4": 2}),
        CandidateScores("k2", {"q1": 1, "q2": 2, "q3": 1, "q4": 4}),
    ]
    changes = regrade_dry_run(TEST, scores, nterm="1.0", new_neutralisations=[Neutralisation("q2")])
    assert [("k1", Fraction(4), Fraction(6), Decimal("5.5"), Decimal("7.8"))] == [
        (c.candidate, c.total_before, c.total_after, c.grade_before, c.grade_after) for c in changes
    ]
    by_n = regrade_dry_run(TEST, scores, nterm="1.0", new_nterm="1,5")
    assert {c.candidate for c in by_n} == {"k1"}
    assert Fraction(0) == scores[0].item_scores["q2"]


def test_every_bad_response_is_reported_at_once() -> None:
    """Several unusable responses come back together."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        score_candidate(
            TEST,
            "k1",
            {"q1": ChoiceResponse("Z"), "q2": ChoiceResponse("AB")},
            manual={"q4": 9, "q7": 1},
        )
    assert len(caught.value.problems) == 4


def test_a_test_needs_distinct_items() -> None:
    """Duplicate item identifiers are refused."""
    with pytest.raises(InvalidInput):
        TestDefinition([ChoiceItem(id="q", choices="AB", correct="A")] * 2)
