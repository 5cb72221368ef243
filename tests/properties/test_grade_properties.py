"""Grades against an independent reference, for random L, N and S (SCO-5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.scoring import ConversionTable, grade

pytestmark = pytest.mark.req("SCO-5")


def reference_tenths(s: int, big_l: int, n_tenths: int) -> int:
    """The rule in integers: everything in units of 1 / (20 * L), then round half up to tenths."""
    unit = 20 * big_l  # grade 1.0 == unit
    main = 180 * s + 2 * n_tenths * big_l  # (9 S / L + N) * unit
    if n_tenths == 10:
        value = main
    elif n_tenths > 10:
        value = min(main, unit + 360 * s, 10 * unit - 90 * (big_l - s))
    else:
        value = max(main, unit + 90 * s, 10 * unit - 360 * (big_l - s))
    value = min(max(value, unit), 10 * unit)
    # tenths = floor(value * 10 / unit + 1/2) = floor((20 * value + unit) / (2 * unit))
    return (20 * value + unit) // (2 * unit)


@given(
    big_l=st.integers(1, 200),
    n_tenths=st.integers(0, 30),
    fraction=st.fractions(0, 1),
)
def test_grade_equals_the_reference(big_l: int, n_tenths: int, fraction: object) -> None:
    """For every L in 1..200, N in 0.0..3.0 (steps of 0.1) and S, the grade equals the reference."""
    s = int(fraction * big_l)  # type: ignore[operator]
    nterm = f"{n_tenths // 10}.{n_tenths % 10}"
    assert Decimal(reference_tenths(s, big_l, n_tenths)).scaleb(-1) == grade(s, big_l, nterm)


@given(big_l=st.integers(1, 200), n_tenths=st.integers(0, 30))
def test_grades_are_monotone_and_bounded(big_l: int, n_tenths: int) -> None:
    """Grades never fall as S rises and stay within 1.0 .. 10.0."""
    table = ConversionTable.build(big_l, f"{n_tenths / 10:.1f}")
    grades = [value for _, value in table.rows]
    assert grades == sorted(grades)
    assert all(Decimal("1.0") <= value <= Decimal("10.0") for value in grades)


def test_float_arithmetic_would_get_grades_wrong() -> None:
    """Why exact arithmetic: floats disagree with the rule for L = 40..100, N = 0.0..2.0.

    Float arithmetic with a manual half-up round gets dozens of grades wrong;
    Python's ``round()`` (half to even, on a binary float) more than a thousand.
    """
    wrong_half_up = 0
    wrong_round = 0
    for big_l in range(40, 101):
        for n_tenths in range(21):
            n = n_tenths / 10
            for s in range(big_l + 1):
                main = 9.0 * s / big_l + n
                if n == 1:
                    c = main
                elif n > 1:
                    c = min(main, 1 + s * (9 / big_l) * 2, 10 - (big_l - s) * (9 / big_l) * 0.5)
                else:
                    c = max(main, 1 + s * (9 / big_l) * 0.5, 10 - (big_l - s) * (9 / big_l) * 2)
                c = min(max(c, 1.0), 10.0)
                exact = reference_tenths(s, big_l, n_tenths)
                wrong_half_up += int(c * 10 + 0.5) != exact
                wrong_round += round(round(c, 1) * 10) != exact
    assert wrong_half_up > 10
    assert wrong_round > 1000
