"""The exam board's score-to-grade rule (SCO-5), from its published examples."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest

from examkit.errors import InvalidInput
from examkit.scoring import ConversionTable, exact_grade, grade, parse_nterm

pytestmark = pytest.mark.req("SCO-5")


def test_published_table_for_l90_n06() -> None:
    """L = 90, N = 0.6: S = 84..90 give 9.0, 9.1, 9.2, 9.4, 9.6, 9.8, 10.0."""
    expected = ["9.0", "9.1", "9.2", "9.4", "9.6", "9.8", "10.0"]
    assert expected == [str(grade(s, 90, "0.6")) for s in range(84, 91)]


@pytest.mark.parametrize("maximum", [40, 57, 90, 100])
def test_n1_gives_1_5_5_and_10_at_0_50_and_100_percent(maximum: int) -> None:
    """With N = 1.0: 0 % gives 1.0, 50 % gives 5.5, 100 % gives 10.0."""
    assert Decimal("1.0") == grade(0, maximum, "1.0")
    assert Decimal("10.0") == grade(maximum, maximum, "1.0")
    if maximum % 2 == 0:
        assert Decimal("5.5") == grade(maximum // 2, maximum, "1.0")


def test_n_term_accepts_comma_and_point() -> None:
    """1,2 and 1.2 are the same N-term."""
    assert parse_nterm("1,2") == parse_nterm("1.2") == Fraction(6, 5)
    assert grade(60, 80, "1,2") == grade(60, 80, "1.2")


def test_n_term_is_never_clamped() -> None:
    """An N-term outside 0.0 .. 2.0 is used as given (the bounds 1 and 10 still hold)."""
    assert Decimal("10.0") == grade(80, 80, "3.5")
    assert exact_grade(40, 80, "2.5") < exact_grade(40, 80, "3.0")


def test_half_up_on_the_exact_value() -> None:
    """Rounding is half up on the exact value, never on a float."""
    # L = 40, N = 1: S = 21 gives 9*21/40 + 1 = 5.725 exactly -> 5.7; S = 15: 4.375 -> 4.4.
    assert Decimal("5.7") == grade(21, 40, "1.0")
    assert Decimal("4.4") == grade(15, 40, "1.0")


def test_bad_values_are_refused() -> None:
    """L <= 0, S outside 0..L, a non-numeric or float N are InvalidInput."""
    calls: list[Callable[[], object]] = [
        lambda: grade(1, 0, "1"),
        lambda: grade(-1, 90, "1"),
        lambda: grade(91, 90, "1"),
        lambda: grade(10, 90, "abc"),
        lambda: grade(10, 90, 1.2),  # type: ignore[arg-type]
        lambda: grade(10, 90, ""),
    ]
    for call in calls:
        with pytest.raises(InvalidInput):
            call()


def test_conversion_table_and_lowest_pass() -> None:
    """The table holds every whole score; the lowest pass is the first 5.5."""
    table = ConversionTable.build(90, "1.0")
    assert len(table.rows) == 91
    assert table.lowest_pass == 45
    assert Decimal("5.5") == table.grade_of(45)
    assert Decimal("5.4") == table.grade_of(44)
    assert table.tenths()[45] == 55
