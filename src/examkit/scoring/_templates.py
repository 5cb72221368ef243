"""The IMS QTI response-processing templates: match_correct, map_response, map_response_point."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from examkit.errors import InvalidInput


def _fraction(value: Any) -> Fraction:
    if isinstance(value, bool | float):
        raise InvalidInput("scoring.number.inexact", value=str(value))
    return Fraction(value)


def _optional_fraction(value: Any) -> Fraction | None:
    return None if value is None else _fraction(value)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Fraction]:
    return MappingProxyType({str(key): _fraction(points) for key, points in value.items()})


@attrs.frozen
class MatchCorrect:
    """QTI ``match_correct``: all points when the response equals the correct response, else 0.

    ``points`` is what a correct response is worth (QTI's template gives 1;
    an exam item worth more says so here).
    """

    points: Fraction = attrs.field(default=Fraction(1), converter=_fraction)
    """What a correct response scores."""


@attrs.frozen
class MapResponse:
    """QTI ``map_response``: each distinct value given scores its mapped points.

    Values not in the mapping score *default*; the sum is bounded by *lower*
    and *upper* when given. No response scores 0. Keys are compared after
    trimming white space and, unless *case_sensitive*, case-folded (as QTI's
    ``caseSensitive="false"``).
    """

    mapping: Mapping[str, Fraction] = attrs.field(converter=_frozen_mapping)
    """Points per value."""
    default: Fraction = attrs.field(default=Fraction(0), converter=_fraction)
    """Points for a value that is not in the mapping."""
    lower: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    """The lowest total (QTI ``lowerBound``)."""
    upper: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    """The highest total (QTI ``upperBound``)."""
    case_sensitive: bool = True
    """Whether text values must match in case."""

    def key(self, value: str) -> str:
        """Return *value* as it is looked up."""
        text = value.strip()
        return text if self.case_sensitive else text.casefold()

    def score(self, values: Iterable[str]) -> Fraction:
        """Return the mapped score of the distinct *values* (empty: 0)."""
        table = {self.key(key): points for key, points in self.mapping.items()}
        seen = {self.key(value) for value in values}
        if not seen:
            return Fraction(0)
        total = sum((table.get(value, self.default) for value in seen), Fraction(0))
        return bounded(total, self.lower, self.upper)

    @property
    def best(self) -> Fraction:
        """The highest score the mapping can give (for the item's maximum)."""
        positives = sum((p for p in self.mapping.values() if p > 0), Fraction(0))
        return self.upper if self.upper is not None and self.upper < positives else positives


def bounded(total: Fraction, lower: Fraction | None, upper: Fraction | None) -> Fraction:
    """Return *total* within *lower* .. *upper* (either may be absent)."""
    if lower is not None:
        total = max(total, lower)
    if upper is not None:
        total = min(total, upper)
    return total


class Shape(enum.Enum):
    """The shape of an area in ``map_response_point`` (QTI ``shape``)."""

    CIRCLE = "circle"
    """``coords``: centre x, centre y, radius."""
    RECT = "rect"
    """``coords``: left x, top y, right x, bottom y."""
    ELLIPSE = "ellipse"
    """``coords``: centre x, centre y, horizontal radius, vertical radius."""
    POLY = "poly"
    """``coords``: x1, y1, x2, y2, ... (closed polygon)."""
    DEFAULT = "default"
    """Everywhere else."""


def _coords(value: Iterable[Any]) -> tuple[Fraction, ...]:
    return tuple(_fraction(c) for c in value)


@attrs.frozen
class Area:
    """One area of an area mapping, with the points a point inside it scores."""

    shape: Shape
    """The area's shape."""
    coords: tuple[Fraction, ...] = attrs.field(converter=_coords)
    """The shape's coordinates."""
    points: Fraction = attrs.field(converter=_fraction)
    """What a point inside it scores."""

    def __attrs_post_init__(self) -> None:
        wanted = {Shape.CIRCLE: 3, Shape.RECT: 4, Shape.ELLIPSE: 4, Shape.DEFAULT: 0}
        count = len(self.coords)
        if self.shape in wanted and count != wanted[self.shape]:
            raise InvalidInput("scoring.area.coords", field="coords", shape=self.shape.value)
        if self.shape is Shape.POLY and (count < 6 or count % 2):
            raise InvalidInput("scoring.area.coords", field="coords", shape=self.shape.value)

    def contains(self, x: Fraction, y: Fraction) -> bool:
        """Return whether point (*x*, *y*) lies inside (edges included)."""
        c = self.coords
        if self.shape is Shape.DEFAULT:
            return True
        if self.shape is Shape.CIRCLE:
            return (x - c[0]) ** 2 + (y - c[1]) ** 2 <= c[2] ** 2
        if self.shape is Shape.RECT:
            return min(c[0], c[2]) <= x <= max(c[0], c[2]) and min(c[1], c[3]) <= y <= max(
                c[1], c[3]
            )
        if self.shape is Shape.ELLIPSE:
            if c[2] == 0 or c[3] == 0:
                return False
            return ((x - c[0]) / c[2]) ** 2 + ((y - c[1]) / c[3]) ** 2 <= 1
        return _in_polygon(x, y, list(zip(c[0::2], c[1::2], strict=True)))


def _in_polygon(x: Fraction, y: Fraction, corners: list[tuple[Fraction, Fraction]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True):
        if _on_segment(x, y, x1, y1, x2, y2):
            return True
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def _on_segment(x: Fraction, y: Fraction, x1: Fraction, y1: Fraction, *end: Fraction) -> bool:
    x2, y2 = end
    cross = (x - x1) * (y2 - y1) - (y - y1) * (x2 - x1)
    return cross == 0 and min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2)


def _areas(value: Iterable[Area]) -> tuple[Area, ...]:
    return tuple(value)


@attrs.frozen
class MapResponsePoint:
    """QTI ``map_response_point``: each area hit by a point scores its points once.

    Points outside every area score *default*; the sum is bounded by
    *lower* and *upper*. No response scores 0.
    """

    areas: tuple[Area, ...] = attrs.field(converter=_areas)
    """The areas, in order; a point counts for the first area it lies in."""
    default: Fraction = attrs.field(default=Fraction(0), converter=_fraction)
    """Points for a point in no area."""
    lower: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    """The lowest total."""
    upper: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    """The highest total."""

    def score(self, points: Iterable[tuple[Fraction, Fraction]]) -> Fraction:
        """Return the mapped score of *points* (empty: 0)."""
        given = list(points)
        if not given:
            return Fraction(0)
        hit: set[int] = set()
        total = Fraction(0)
        for x, y in given:
            for index, area in enumerate(self.areas):
                if area.contains(x, y):
                    if index not in hit:
                        hit.add(index)
                        total += area.points
                    break
            else:
                total += self.default
        return bounded(total, self.lower, self.upper)

    @property
    def best(self) -> Fraction:
        """The highest score the mapping can give."""
        positives = sum((a.points for a in self.areas if a.points > 0), Fraction(0))
        return self.upper if self.upper is not None and self.upper < positives else positives
