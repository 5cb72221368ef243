"""The exam board's rule: central-exam score to grade, with the N-term, in exact arithmetic."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

import attrs

from examkit.errors import InvalidInput

Number = int | Fraction | Decimal
"""A score or N-term given exactly (never a float)."""

LOWEST_GRADE: Final = Fraction(1)
"""The lowest grade (1.0)."""
HIGHEST_GRADE: Final = Fraction(10)
"""The highest grade (10.0)."""
PASS_MARK: Final = Decimal("5.5")
"""The lowest passing grade after rounding."""

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_nterm(value: str | Number) -> Fraction:
    """Return an N-term as an exact fraction; ``"1,2"`` and ``"1.2"`` are the same.

    The N-term is never clamped: whatever the board sets is used.

    >>> parse_nterm("1,2"), parse_nterm("0.6"), parse_nterm(Decimal("1.05"))
    (Fraction(6, 5), Fraction(3, 5), Fraction(21, 20))

    Raises:
        InvalidInput: *value* is no number (a float is refused too: it is inexact).

    Implements SCO-5.
    """
    if isinstance(value, bool | float):
        raise InvalidInput("scoring.nterm.invalid", field="nterm", value=str(value))
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput("scoring.nterm.invalid", field="nterm", value=str(value))
        return Fraction(value)
    text = value.strip()
    if not _NUMBER.fullmatch(text):
        raise InvalidInput("scoring.nterm.invalid", field="nterm", value=value)
    try:
        return Fraction(Decimal(text.replace(",", ".")))
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern guards this
        raise InvalidInput("scoring.nterm.invalid", field="nterm", value=value) from None


def _exact(value: Number, field: str) -> Fraction:
    if isinstance(value, bool | float):
        raise InvalidInput("scoring.number.inexact", field=field, value=str(value))
    return Fraction(value)


def check_maximum(maximum: int) -> int:
    """Return *maximum* (L) when it is a whole number above 0; raise otherwise."""
    if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum <= 0:
        raise InvalidInput("scoring.maximum.invalid", field="max", value=str(maximum))
    return maximum


def round_half_up_tenths(value: Fraction) -> Decimal:
    """Round *value* to one decimal, half up, exactly.

    >>> round_half_up_tenths(Fraction(545, 100)), round_half_up_tenths(Fraction(544999, 100000))
    (Decimal('5.5'), Decimal('5.4'))
    """
    tenths = math.floor(value * 10 + Fraction(1, 2))
    return Decimal(tenths).scaleb(-1)


def exact_grade(score: Number, maximum: int, nterm: str | Number) -> Fraction:
    """Return the unrounded grade for *score* out of *maximum* with *nterm*, exactly.

    The rule: main line C = 9·S/L + N. With N = 1 the grade is the main
    line; with N > 1 it is the smallest of the main line,
    1 + S·(9/L)·2 and 10 − (L − S)·(9/L)·0.5; with N < 1 the largest of the
    main line, 1 + S·(9/L)·0.5 and 10 − (L − S)·(9/L)·2. Then it is bounded
    to 1 .. 10.

    Implements SCO-5.
    """
    high = check_maximum(maximum)
    s = _exact(score, "score")
    if not 0 <= s <= high:
        raise InvalidInput("scoring.score.out_of_range", field="score", value=str(s), maximum=high)
    n = parse_nterm(nterm)
    step = Fraction(9, high)
    main = step * s + n
    if n == 1:
        grade = main
    elif n > 1:
        grade = min(main, 1 + s * step * 2, 10 - (high - s) * step * Fraction(1, 2))
    else:
        grade = max(main, 1 + s * step * Fraction(1, 2), 10 - (high - s) * step * 2)
    return min(max(grade, LOWEST_GRADE), HIGHEST_GRADE)


def grade(score: Number, maximum: int, nterm: str | Number) -> Decimal:
    """Return the grade for *score* out of *maximum* with *nterm*: one decimal, half up.

    >>> grade(45, 90, "1.0"), grade(84, 90, "0,6"), grade(0, 90, 1)
    (Decimal('5.5'), Decimal('9.0'), Decimal('1.0'))

    Raises:
        InvalidInput: *maximum* is not above 0, *score* is outside 0 .. *maximum*,
            or *nterm* is no number.

    Implements SCO-5.
    """
    return round_half_up_tenths(exact_grade(score, maximum, nterm))


@attrs.frozen
class ConversionTable:
    """The score-to-grade table (*omzettingstabel*) for one maximum and N-term.

    >>> table = ConversionTable.build(90, "0.6")
    >>> [str(g) for _, g in table.rows[84:]]
    ['9.0', '9.1', '9.2', '9.4', '9.6', '9.8', '10.0']
    >>> table.lowest_pass
    49

    Implements SCO-5.
    """

    maximum: int
    """The test's maximum score L."""
    nterm: Fraction
    """The N-term."""
    rows: tuple[tuple[int, Decimal], ...]
    """``(score, grade)`` for every whole score 0 .. L."""

    @classmethod
    def build(cls, maximum: int, nterm: str | Number) -> ConversionTable:
        """Compute the table for *maximum* and *nterm*."""
        n = parse_nterm(nterm)
        high = check_maximum(maximum)
        return cls(
            maximum=high,
            nterm=n,
            rows=tuple((s, grade(s, high, n)) for s in range(high + 1)),
        )

    @property
    def lowest_pass(self) -> int | None:
        """The lowest score whose grade is 5.5 or more (``None`` if none is)."""
        for score, value in self.rows:
            if value >= PASS_MARK:
                return score
        return None

    def grade_of(self, score: int) -> Decimal:
        """Return the grade of whole *score*."""
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= self.maximum:
            raise InvalidInput(
                "scoring.score.out_of_range", field="score", value=str(score), maximum=self.maximum
            )
        return self.rows[score][1]

    def tenths(self) -> tuple[int, ...]:
        """Return every grade as a whole number of tenths (5.5 -> 55), by score."""
        return tuple(int(value.scaleb(1)) for _, value in self.rows)
