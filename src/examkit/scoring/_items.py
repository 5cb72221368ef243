"""Item types, their responses, and how each is scored."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from examkit._fields import clean_text, required_text
from examkit.errors import InvalidInput
from examkit.scoring._templates import MapResponse, MapResponsePoint, MatchCorrect


class Rounding(enum.Enum):
    """How a fractional item score becomes whole (where fractions are not allowed)."""

    HALF_UP = "half_up"
    """To the nearest whole number, halves up."""
    DOWN = "down"
    """Down to a whole number."""
    UP = "up"
    """Up to a whole number."""


def _fraction(value: Any) -> Fraction:
    if isinstance(value, bool | float):
        raise InvalidInput("scoring.number.inexact", value=str(value))
    return Fraction(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(item) for item in value)


def _id_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(str(item) for item in value)


@attrs.frozen(kw_only=True)
class ItemBase:
    """What every item has: an identifier, whole or fractional scores, rounding."""

    id: str = attrs.field(converter=clean_text, validator=required_text(64))
    """The item's identifier within its test."""
    fractions_allowed: bool = False
    """Whether a fractional score stands (other tests); central exams use whole scores."""
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=Rounding)
    """How a fractional score is made whole when fractions are not allowed."""

    @property
    def automatic(self) -> bool:
        """Whether the item is scored without a corrector (SCO-1)."""
        return True

    @property
    def max_score(self) -> Fraction:  # pragma: no cover - every item type overrides
        """The most the item can score."""
        raise NotImplementedError

    def finish(self, raw: Fraction) -> Fraction:
        """Return *raw* made whole by the item's rounding, unless fractions are allowed."""
        if self.fractions_allowed or raw.denominator == 1:
            return raw
        if self.rounding is Rounding.DOWN:
            return Fraction(math.floor(raw))
        if self.rounding is Rounding.UP:
            return Fraction(math.ceil(raw))
        return Fraction(math.floor(raw + Fraction(1, 2)))


Scoring = MatchCorrect | MapResponse


@attrs.frozen(kw_only=True)
class ChoiceItem(ItemBase):
    """A single- or multiple-choice item; the response is the set of chosen identifiers.

    >>> item = ChoiceItem(id="q1", choices=("A", "B", "C", "D"), correct={"B"},
    ...                   scoring=MatchCorrect(points=2))
    >>> item.score(ChoiceResponse({"B"})), item.score(ChoiceResponse({"C"}))
    (Fraction(2, 1), Fraction(0, 1))

    Implements SCO-1.
    """

    choices: tuple[str, ...] = attrs.field(converter=_ids)
    """The choices' identifiers, in the order shown."""
    correct: frozenset[str] = attrs.field(converter=_id_set)
    """The correct response (one identifier for single choice)."""
    multiple: bool = False
    """Whether more than one choice may be given."""
    scoring: Scoring = attrs.field(factory=MatchCorrect)
    """The response-processing template."""

    def __attrs_post_init__(self) -> None:
        if len(set(self.choices)) != len(self.choices) or len(self.choices) < 2:
            raise InvalidInput("scoring.item.choices", field="choices", item=self.id)
        if not self.correct <= set(self.choices) or (not self.multiple and len(self.correct) != 1):
            raise InvalidInput("scoring.item.correct", field="correct", item=self.id)

    @property
    def max_score(self) -> Fraction:
        """The most the item can score."""
        if isinstance(self.scoring, MatchCorrect):
            return self.finish(self.scoring.points)
        return self.finish(self.scoring.best)

    def check(self, response: ChoiceResponse) -> None:
        """Refuse a response that names unknown choices or too many for single choice."""
        if not response.chosen <= set(self.choices):
            raise InvalidInput("scoring.response.unknown_choice", field=self.id, item=self.id)
        if not self.multiple and len(response.chosen) > 1:
            raise InvalidInput("scoring.response.single", field=self.id, item=self.id)

    def score(self, response: ChoiceResponse | None) -> Fraction:
        """Score *response* (``None``: no response)."""
        if response is None or not response.chosen:
            return Fraction(0)
        self.check(response)
        if isinstance(self.scoring, MatchCorrect):
            raw = self.scoring.points if response.chosen == self.correct else Fraction(0)
        else:
            raw = self.scoring.score(response.chosen)
        return self.finish(raw)


@attrs.frozen
class ChoiceResponse:
    """The choices a candidate gave."""

    chosen: frozenset[str] = attrs.field(converter=_id_set)
    """The chosen identifiers (empty: no choice)."""


@attrs.frozen(kw_only=True)
class OrderItem(ItemBase):
    """An ordering item; the response is the order the candidate put the choices in.

    Implements SCO-1.
    """

    choices: frozenset[str] = attrs.field(converter=_id_set)
    """The identifiers to put in order."""
    correct: tuple[str, ...] = attrs.field(converter=_ids)
    """The correct order."""
    scoring: MatchCorrect = attrs.field(factory=MatchCorrect)
    """Ordering is scored by ``match_correct``."""

    def __attrs_post_init__(self) -> None:
        if set(self.correct) != self.choices or len(self.correct) != len(self.choices):
            raise InvalidInput("scoring.item.correct", field="correct", item=self.id)

    @property
    def max_score(self) -> Fraction:
        """The most the item can score."""
        return self.finish(self.scoring.points)

    def score(self, response: OrderResponse | None) -> Fraction:
        """Score *response*."""
        if response is None or not response.order:
            return Fraction(0)
        if not set(response.order) <= self.choices:
            raise InvalidInput("scoring.response.unknown_choice", field=self.id, item=self.id)
        correct = response.order == self.correct
        return self.finish(self.scoring.points if correct else Fraction(0))


@attrs.frozen
class OrderResponse:
    """The order a candidate gave."""

    order: tuple[str, ...] = attrs.field(converter=_ids)
    """The identifiers in the candidate's order."""


class Tolerance(enum.Enum):
    """How a numeric answer is compared (QTI ``toleranceMode``)."""

    EXACT = "exact"
    """Equal only."""
    ABSOLUTE = "absolute"
    """Within ± the tolerance."""
    RELATIVE = "relative"
    """Within ± the tolerance, in percent of the correct value."""


@attrs.frozen(kw_only=True)
class NumericItem(ItemBase):
    """A numeric item, scored ``match_correct`` with a tolerance.

    >>> item = NumericItem(id="q2", correct=Decimal("9.81"), tolerance=Decimal("0.05"),
    ...                    mode=Tolerance.ABSOLUTE)
    >>> item.score(NumericResponse("9,8")), item.score(NumericResponse("9.7"))
    (Fraction(1, 1), Fraction(0, 1))

    Implements SCO-1.
    """

    correct: Fraction = attrs.field(converter=_fraction)
    """The correct value."""
    tolerance: Fraction = attrs.field(default=Fraction(0), converter=_fraction)
    """The tolerance (absolute, or percent for relative)."""
    mode: Tolerance = attrs.field(default=Tolerance.EXACT, converter=Tolerance)
    """How the answer is compared."""
    scoring: MatchCorrect = attrs.field(factory=MatchCorrect)
    """Scored by ``match_correct``."""

    @property
    def max_score(self) -> Fraction:
        """The most the item can score."""
        return self.finish(self.scoring.points)

    def matches(self, value: Fraction) -> bool:
        """Return whether *value* counts as correct."""
        if self.mode is Tolerance.EXACT:
            return value == self.correct
        margin = (
            self.tolerance
            if self.mode is Tolerance.ABSOLUTE
            else abs(self.correct) * self.tolerance / 100
        )
        return abs(value - self.correct) <= margin

    def score(self, response: NumericResponse | None) -> Fraction:
        """Score *response*; an answer that is no number scores 0."""
        if response is None or response.value is None:
            return Fraction(0)
        return self.finish(self.scoring.points if self.matches(response.value) else Fraction(0))


def _number_or_none(value: Any) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text:
            return None
        try:
            return Fraction(Decimal(text))
        except ArithmeticError:
            return None
    return _fraction(value)


@attrs.frozen
class NumericResponse:
    """A numeric answer as typed (a decimal comma is accepted); ``None`` when no number."""

    value: Fraction | None = attrs.field(converter=_number_or_none)
    """The number given, exactly."""


@attrs.frozen(kw_only=True)
class TextItem(ItemBase):
    """A short-text item: accepted answers with their points (``map_response``).

    >>> item = TextItem(id="q3", scoring=MapResponse({"Den Haag": 1, "'s-Gravenhage": 1},
    ...                                               case_sensitive=False))
    >>> item.score(TextResponse(" den haag ")), item.score(TextResponse("Amsterdam"))
    (Fraction(1, 1), Fraction(0, 1))

    Implements SCO-1.
    """

    scoring: MapResponse
    """The accepted answers and their points."""

    @property
    def max_score(self) -> Fraction:
        """The most the item can score (the best single answer, within the bounds)."""
        best = max(self.scoring.mapping.values(), default=Fraction(0))
        if self.scoring.upper is not None:
            best = min(best, self.scoring.upper)
        return self.finish(best)

    def score(self, response: TextResponse | None) -> Fraction:
        """Score *response*."""
        if response is None or not response.text.strip():
            return Fraction(0)
        return self.finish(self.scoring.score([response.text]))


@attrs.frozen
class TextResponse:
    """A short text answer as typed."""

    text: str
    """The text given."""


def _points(value: Iterable[tuple[Any, Any]]) -> tuple[tuple[Fraction, Fraction], ...]:
    return tuple((_fraction(x), _fraction(y)) for x, y in value)


@attrs.frozen(kw_only=True)
class PointItem(ItemBase):
    """A hotspot / select-point item scored by ``map_response_point``.

    Implements SCO-1.
    """

    scoring: MapResponsePoint
    """The areas and their points."""

    @property
    def max_score(self) -> Fraction:
        """The most the item can score."""
        return self.finish(self.scoring.best)

    def score(self, response: PointResponse | None) -> Fraction:
        """Score *response*."""
        if response is None:
            return Fraction(0)
        return self.finish(self.scoring.score(response.points))


@attrs.frozen
class PointResponse:
    """The points a candidate selected."""

    points: tuple[tuple[Fraction, Fraction], ...] = attrs.field(converter=_points)
    """The (x, y) points."""


def _criteria(value: Mapping[str, Any]) -> Mapping[str, Fraction]:
    return MappingProxyType({str(key): _fraction(points) for key, points in value.items()})


@attrs.frozen(kw_only=True)
class OpenItem(ItemBase):
    """An open item, scored by a corrector against a rubric of criteria and points.

    >>> item = OpenItem(id="q4", rubric={"method": 2, "answer": 1})
    >>> item.max_score, item.score_manually({"method": 2, "answer": 0})
    (Fraction(3, 1), Fraction(2, 1))

    Implements SCO-1 (open items are not automatic: a corrector scores them).
    """

    rubric: Mapping[str, Fraction] = attrs.field(converter=_criteria)
    """The criteria and the most each can give (*correctievoorschrift*)."""

    @property
    def automatic(self) -> bool:
        """Open items need a corrector."""
        return False

    @property
    def max_score(self) -> Fraction:
        """The sum of the criteria's points."""
        return self.finish(sum(self.rubric.values(), Fraction(0)))

    def score_manually(self, awarded: Mapping[str, Any]) -> Fraction:
        """Return the score for the points a corrector *awarded* per criterion.

        Raises:
            InvalidInput: a criterion is unknown, or points outside 0 .. its maximum.
        """
        total = Fraction(0)
        for criterion, points in awarded.items():
            if criterion not in self.rubric:
                raise InvalidInput(
                    "scoring.rubric.unknown", field=self.id, item=self.id, criterion=criterion
                )
            given = _fraction(points)
            if not 0 <= given <= self.rubric[criterion]:
                raise InvalidInput(
                    "scoring.rubric.out_of_range",
                    field=self.id,
                    item=self.id,
                    criterion=criterion,
                    maximum=str(self.rubric[criterion]),
                )
            total += given
        return self.finish(total)


Item = ChoiceItem | OrderItem | NumericItem | TextItem | PointItem | OpenItem
"""Every item type."""

Response = ChoiceResponse | OrderResponse | NumericResponse | TextResponse | PointResponse
"""Every response type of an automatically scored item."""


def score_item(item: Item, response: Response | None) -> Fraction:
    """Score one automatic *item*'s *response* (``None``: no response).

    Raises:
        InvalidInput: the response is of the wrong type for the item, or the item is open.

    Implements SCO-1.
    """
    pairs: tuple[tuple[type[Any], type[Any]], ...] = (
        (ChoiceItem, ChoiceResponse),
        (OrderItem, OrderResponse),
        (NumericItem, NumericResponse),
        (TextItem, TextResponse),
        (PointItem, PointResponse),
    )
    for item_type, response_type in pairs:
        if isinstance(item, item_type):
            if response is not None and not isinstance(response, response_type):
                raise InvalidInput("scoring.response.type", field=item.id, item=item.id)
            return item.score(response)  # type: ignore[no-any-return]
    raise InvalidInput("scoring.item.manual", field=item.id, item=item.id)


_RESPONSE_FIELDS: tuple[tuple[type[Any], type[Any], str], ...] = (
    (ChoiceItem, ChoiceResponse, "chosen"),
    (OrderItem, OrderResponse, "order"),
    (NumericItem, NumericResponse, "value"),
    (TextItem, TextResponse, "text"),
    (PointItem, PointResponse, "points"),
)
"""Item type, response type, and the one key of the response's stored form."""


def response_data(response: Response) -> dict[str, Any]:
    """Return *response* as the JSON data a session stores for it.

    >>> response_data(ChoiceResponse("B"))
    {'chosen': ['B']}

    Implements SCO-1 (the structure the sessions issue stores as given).
    """
    for _, response_type, key in _RESPONSE_FIELDS:
        if isinstance(response, response_type):
            value = getattr(response, key)
            if isinstance(value, frozenset):
                return {key: sorted(value)}
            if isinstance(value, Fraction):
                return {key: str(Decimal(value.numerator) / Decimal(value.denominator))}
            if isinstance(value, tuple):
                return {key: [list(map(str, v)) if isinstance(v, tuple) else v for v in value]}
            return {key: value}
    raise InvalidInput("scoring.response.type", field="response", item="-")


def response_from_data(item: Item, data: Any) -> Response | None:
    """Return the response to *item* that a session stored as *data* (``None``: none).

    >>> item = ChoiceItem(id="v1", choices="ABCD", correct="B")
    >>> response_from_data(item, {"chosen": ["B"]})
    ChoiceResponse(chosen=frozenset({'B'}))

    Raises:
        InvalidInput: *data* is not the stored form of *item*'s response type.

    Implements SCO-1.
    """
    if data is None:
        return None
    for item_type, response_type, key in _RESPONSE_FIELDS:
        if isinstance(item, item_type):
            if not isinstance(data, dict) or set(data) != {key}:
                raise InvalidInput("scoring.response.type", field=item.id, item=item.id)
            try:
                return response_type(data[key])  # type: ignore[no-any-return]
            except (TypeError, ValueError) as error:
                raise InvalidInput("scoring.response.type", field=item.id, item=item.id) from error
    raise InvalidInput("scoring.item.manual", field=item.id, item=item.id)
