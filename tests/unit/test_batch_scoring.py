"""Batch scoring (numpy) equals the per-item path (SCO-1, SCO-2, SCO-5)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examkit.errors import InvalidInput
from examkit.scoring import (
    BatchScorer,
    CandidateScores,
    ChoiceItem,
    ChoiceResponse,
    MapResponse,
    MatchCorrect,
    Neutralisation,
    NumericItem,
    TestDefinition,
    results,
    score_candidate,
    total,
)


@st.composite
def batch_cases(
    draw: st.DrawFn,
) -> tuple[TestDefinition, list[list[ChoiceResponse | None]], list[Neutralisation]]:
    items = []
    for index in range(draw(st.integers(1, 8))):
        choices = "ABCDEF"[: draw(st.integers(2, 6))]
        multiple = draw(st.booleans())
        if multiple:
            correct = draw(st.sets(st.sampled_from(choices), min_size=1))
            scoring: MatchCorrect | MapResponse = (
                MatchCorrect(points=draw(st.integers(1, 3)))
                if draw(st.booleans())
                else MapResponse(
                    {c: (1 if c in correct else -1) for c in choices}, lower=0, upper=len(correct)
                )
            )
        else:
            correct = {draw(st.sampled_from(choices))}
            scoring = MatchCorrect(points=draw(st.integers(1, 3)))
        items.append(
            ChoiceItem(
                id=f"q{index}", choices=choices, correct=correct, multiple=multiple, scoring=scoring
            )
        )
    test = TestDefinition(items)
    responses = []
    for _ in range(draw(st.integers(0, 12))):
        row: list[ChoiceResponse | None] = []
        for item in items:
            if item.multiple:
                chosen = draw(st.sets(st.sampled_from(item.choices)))
            else:
                chosen = draw(st.sets(st.sampled_from(item.choices), max_size=1))
            row.append(ChoiceResponse(chosen) if chosen else None)
        responses.append(row)
    neutral = [
        Neutralisation(item.id) for item in items if draw(st.booleans()) and draw(st.booleans())
    ]
    return test, responses, neutral


@pytest.mark.req("SCO-1", "SCO-2")
@settings(max_examples=60)
@given(batch_cases())
def test_vectorised_totals_equal_the_per_item_path(
    case: tuple[TestDefinition, list[list[ChoiceResponse | None]], list[Neutralisation]],
) -> None:
    """On random tests and responses, BatchScorer gives the per-item path's totals exactly."""
    test, responses, neutral = case
    scorer = BatchScorer(test, neutral)
    codes = scorer.encode(responses)
    per_item = [
        total(
            test,
            score_candidate(test, f"k{n}", {i.id: r for i, r in zip(test.items, row, strict=True)}),
            neutral,
        )
        for n, row in enumerate(responses)
    ]
    assert per_item == [Fraction(int(t)) for t in scorer.totals(codes)]
    raw = scorer.item_scores(codes)
    for n, row in enumerate(responses):
        for column, (item, response) in enumerate(zip(test.items, row, strict=True)):
            assert isinstance(item, ChoiceItem)
            assert item.score(response) == raw[n, column]


@pytest.mark.req("SCO-5")
def test_vectorised_grades_equal_the_per_candidate_grades() -> None:
    """Grades from the batch path equal results() for every candidate."""
    rng = np.random.default_rng(7)
    items = [ChoiceItem(id=f"q{i}", choices="ABCD", correct="ABCD"[i % 4]) for i in range(30)]
    test = TestDefinition(items)
    codes = rng.integers(0, 5, size=(400, 30))
    scorer = BatchScorer(test, [Neutralisation("q3")])
    tenths = scorer.grade_tenths(scorer.totals(codes), "0,8")
    candidates = [
        CandidateScores(f"k{n}", {f"q{i}": int(codes[n, i] == i % 4 + 1) for i in range(30)})
        for n in range(400)
    ]
    expected = [
        int(r.grade.scaleb(1)) for r in results(test, candidates, "0.8", [Neutralisation("q3")])
    ]
    assert expected == tenths.tolist()


def test_batch_refuses_what_it_cannot_score() -> None:
    """Non-choice items, bad shapes and out-of-range codes are refused."""
    with pytest.raises(InvalidInput):
        BatchScorer(TestDefinition([NumericItem(id="n", correct=1)]))
    scorer = BatchScorer(TestDefinition([ChoiceItem(id="q", choices="AB", correct="A")]))
    with pytest.raises(InvalidInput):
        scorer.totals(np.zeros((3, 2), dtype=np.int32))
    with pytest.raises(InvalidInput):
        scorer.totals(np.array([[3]]))
    with pytest.raises(InvalidInput):
        scorer.totals(np.array([[0.5]]))
