"""Item scoring by the QTI response-processing templates (SCO-1), hand-worked examples."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from examkit.errors import InvalidInput
from examkit.scoring import (
    Area,
    ChoiceItem,
    ChoiceResponse,
    MapResponse,
    MapResponsePoint,
    MatchCorrect,
    NumericItem,
    NumericResponse,
    OpenItem,
    OrderItem,
    OrderResponse,
    PointItem,
    PointResponse,
    Rounding,
    Shape,
    TextItem,
    TextResponse,
    score_item,
)

pytestmark = pytest.mark.req("SCO-1")


def test_match_correct_single_choice() -> None:
    """match_correct: the points for exactly the correct choice, else 0; no response 0."""
    item = ChoiceItem(id="q1", choices="ABCD", correct="C", scoring=MatchCorrect(points=2))
    assert Fraction(2) == item.score(ChoiceResponse("C"))
    assert Fraction(0) == item.score(ChoiceResponse("A"))
    assert Fraction(0) == item.score(None)
    assert Fraction(2) == item.max_score


def test_match_correct_multiple_response_needs_the_exact_set() -> None:
    """For multiple response, match_correct needs exactly the correct set."""
    item = ChoiceItem(id="q", choices="ABCD", correct="AC", multiple=True)
    assert Fraction(1) == item.score(ChoiceResponse("CA"))
    assert Fraction(0) == item.score(ChoiceResponse("A"))
    assert Fraction(0) == item.score(ChoiceResponse("ACD"))


def test_map_response_sums_distinct_values_and_applies_bounds() -> None:
    """map_response: mapped points per chosen value, default for others, then the bounds."""
    mapping = MapResponse({"A": 1, "C": 1, "D": -1}, default=0, lower=0, upper=2)
    item = ChoiceItem(id="q", choices="ABCDE", correct="AC", multiple=True, scoring=mapping)
    assert Fraction(2) == item.score(ChoiceResponse("AC"))
    assert Fraction(1) == item.score(ChoiceResponse("ACD"))  # 1 + 1 - 1
    assert Fraction(0) == item.score(ChoiceResponse("D"))  # -1, bounded below at 0
    assert Fraction(1) == item.score(ChoiceResponse("AB"))  # B unmapped: default 0
    assert Fraction(2) == item.max_score


def test_map_response_default_value_counts_for_unmapped_values() -> None:
    """An unmapped value scores the default value."""
    mapping = MapResponse({"A": 2}, default=-1)
    item = ChoiceItem(id="q", choices="ABC", correct="A", multiple=True, scoring=mapping)
    assert Fraction(1) == item.score(ChoiceResponse("AB"))
    assert Fraction(-2) == MapResponse({"A": 2}, default=-1).score(["B", "C"])


def test_fractional_mapping_is_rounded_as_the_item_says() -> None:
    """A fractional mapped score is rounded per the item (or kept when fractions are allowed)."""
    mapping = MapResponse({"A": Fraction(1, 2), "B": Fraction(1, 2), "C": Fraction(1, 2)})
    half_up = ChoiceItem(id="q", choices="ABCD", correct="ABC", multiple=True, scoring=mapping)
    down = ChoiceItem(
        id="q",
        choices="ABCD",
        correct="ABC",
        multiple=True,
        scoring=mapping,
        rounding=Rounding.DOWN,
    )
    kept = ChoiceItem(
        id="q",
        choices="ABCD",
        correct="ABC",
        multiple=True,
        scoring=mapping,
        fractions_allowed=True,
    )
    assert Fraction(1) == half_up.score(ChoiceResponse("A"))  # 0.5 -> 1
    assert Fraction(0) == down.score(ChoiceResponse("A"))
    assert Fraction(1, 2) == kept.score(ChoiceResponse("A"))
    assert Fraction(2) == half_up.score(ChoiceResponse("ABC"))  # 1.5 -> 2


def test_order_item() -> None:
    """An ordering item scores only the exact order."""
    item = OrderItem(id="q", choices="ABC", correct="CAB")
    assert Fraction(1) == item.score(OrderResponse("CAB"))
    assert Fraction(0) == item.score(OrderResponse("ABC"))


def test_numeric_item_with_tolerances() -> None:
    """Numeric items compare exactly, within an absolute or a relative tolerance."""
    exact = NumericItem(id="q", correct=Decimal("12.5"))
    absolute = NumericItem(id="q", correct=10, tolerance=Decimal("0.5"), mode="absolute")
    assert Fraction(1) == exact.score(NumericResponse("12,5"))
    assert Fraction(0) == exact.score(NumericResponse("12.51"))
    assert Fraction(0) == exact.score(NumericResponse("twaalf"))
    assert Fraction(1) == absolute.score(NumericResponse("10.5"))
    assert Fraction(0) == absolute.score(NumericResponse("10.51"))


def test_numeric_relative_tolerance() -> None:
    """A relative tolerance is a percentage of the correct value."""
    from examkit.scoring import Tolerance

    item = NumericItem(id="q", correct=200, tolerance=1, mode=Tolerance.RELATIVE)
    assert Fraction(1) == item.score(NumericResponse("198"))
    assert Fraction(0) == item.score(NumericResponse("197.9"))


def test_text_item_accepted_answers() -> None:
    """Short text: accepted answers, white space trimmed, case as the mapping says."""
    item = TextItem(id="q", scoring=MapResponse({"Utrecht": 1}, case_sensitive=False))
    strict = TextItem(id="q", scoring=MapResponse({"Utrecht": 1}))
    assert Fraction(1) == item.score(TextResponse("  utrecht "))
    assert Fraction(0) == strict.score(TextResponse("utrecht"))
    assert Fraction(0) == item.score(TextResponse(""))


def test_map_response_point_areas() -> None:
    """map_response_point: each area hit once, default outside, bounded."""
    areas = (
        Area(Shape.CIRCLE, (10, 10, 5), 2),
        Area(Shape.RECT, (20, 0, 30, 10), 1),
        Area(Shape.POLY, (0, 20, 10, 20, 5, 30), 1),
    )
    item = PointItem(id="q", scoring=MapResponsePoint(areas, default=-1, lower=0))
    assert Fraction(2) == item.score(PointResponse([(10, 14)]))
    assert Fraction(2) == item.score(PointResponse([(10, 14), (11, 11)]))  # same area once
    assert Fraction(3) == item.score(PointResponse([(10, 14), (25, 5)]))
    assert Fraction(1) == item.score(PointResponse([(5, 22)]))  # inside the triangle
    assert Fraction(0) == item.score(PointResponse([(50, 50)]))  # -1, bounded at 0
    assert Fraction(4) == item.max_score


def test_open_item_rubric() -> None:
    """An open item is scored by a corrector per criterion, within each criterion's points."""
    item = OpenItem(id="q", rubric={"methode": 2, "antwoord": 1})
    assert not item.automatic
    assert Fraction(3) == item.score_manually({"methode": 2, "antwoord": 1})
    with pytest.raises(InvalidInput):
        item.score_manually({"methode": 3})
    with pytest.raises(InvalidInput):
        item.score_manually({"bonus": 1})
    with pytest.raises(InvalidInput):
        score_item(item, None)


def test_wrong_responses_are_refused() -> None:
    """Unknown choices, two choices for single choice, and a wrong response type are refused."""
    item = ChoiceItem(id="q", choices="ABC", correct="A")
    with pytest.raises(InvalidInput):
        item.score(ChoiceResponse("Z"))
    with pytest.raises(InvalidInput):
        item.score(ChoiceResponse("AB"))
    with pytest.raises(InvalidInput):
        score_item(item, TextResponse("A"))


def test_bad_item_definitions_are_refused() -> None:
    """A correct response outside the choices, or floats for points, are refused."""
    with pytest.raises(InvalidInput):
        ChoiceItem(id="q", choices="ABC", correct="D")
    with pytest.raises(InvalidInput):
        ChoiceItem(id="q", choices="ABC", correct="AB")
    with pytest.raises(InvalidInput):
        MatchCorrect(points=1.5)


def test_stored_responses_round_trip_for_every_item_type() -> None:
    """What a session stores for a response reads back as the same response."""
    from examkit.scoring import Item, Response, response_data, response_from_data

    cases: list[tuple[Item, Response]] = [
        (ChoiceItem(id="c", choices="ABCD", correct="AC", multiple=True), ChoiceResponse("CA")),
        (OrderItem(id="o", choices="ABC", correct="CAB"), OrderResponse("CAB")),
        (NumericItem(id="n", correct="9.81"), NumericResponse("9,81")),
        (TextItem(id="t", scoring=MapResponse({"Utrecht": 1})), TextResponse("Utrecht")),
        (
            PointItem(id="p", scoring=MapResponsePoint([Area(Shape.CIRCLE, (1, 1, 1), 1)])),
            PointResponse([(1, 2)]),
        ),
    ]
    for item, response in cases:
        data = response_data(response)
        assert response == response_from_data(item, data)
        assert score_item(item, response) == score_item(item, response_from_data(item, data))
    assert response_from_data(cases[0][0], None) is None
    with pytest.raises(InvalidInput):
        response_from_data(cases[0][0], {"answer": "A"})
    with pytest.raises(InvalidInput):
        response_from_data(OpenItem(id="q", rubric={"a": 1}), {"text": "x"})
