"""School years (``2020-2021``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Final
from zoneinfo import ZoneInfo

import attrs

from examkit.errors import InvalidInput
from examkit.identifiers._base import Identifier, squeeze

_SCHOOL_YEAR = re.compile(r"([0-9]{4})[-\u2013\u2014/]([0-9]{4})")
_FIRST_MONTH = 8  # a Dutch and Flemish school year runs from 1 August (NL) / 1 September (BE)
_DUTCH_TIME: Final = ZoneInfo("Europe/Amsterdam")  # where the Dutch school year's boundary falls


@attrs.frozen(order=True, repr=False)
class SchoolYear(Identifier):
    """A school year (*schooljaar*), written ``2020-2021``: the second year is the first + 1.

    Any year is accepted, unlike the official EDEXML schemas' fixed list.

    >>> year = SchoolYear.parse("2025 / 2026")
    >>> year, year.first_year, year.next()
    (SchoolYear('2025-2026'), 2025, SchoolYear('2026-2027'))

    Implements ORG-4.
    """

    kind: ClassVar[str] = "school_year"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        match = _SCHOOL_YEAR.fullmatch(value)
        if match is None:
            raise InvalidInput("org.school_year.invalid", field=cls.kind, value=text)
        first, second = (int(part) for part in match.groups())
        if first < 1900:
            raise InvalidInput("org.school_year.invalid", field=cls.kind, value=text)
        if second != first + 1:
            raise InvalidInput(
                "org.school_year.not_consecutive",
                field=cls.kind,
                value=text,
                expected=first + 1,
            )
        return f"{first}-{second}"

    @classmethod
    def starting(cls, first_year: int) -> SchoolYear:
        """Return the school year that starts in *first_year*.

        >>> SchoolYear.starting(2026)
        SchoolYear('2026-2027')
        """
        return cls(f"{first_year}-{first_year + 1}")

    @classmethod
    def containing(cls, day: date) -> SchoolYear:
        """Return the Dutch school year *day* falls in (a year runs from 1 August).

        >>> SchoolYear.containing(date(2027, 7, 31)), SchoolYear.containing(date(2027, 8, 1))
        (SchoolYear('2026-2027'), SchoolYear('2027-2028'))
        """
        first = day.year if day.month >= _FIRST_MONTH else day.year - 1
        return cls.starting(first)

    @classmethod
    def at(cls, moment: datetime) -> SchoolYear:
        """Return the Dutch school year *moment* falls in, reckoned in the Netherlands.

        A year starts on 1 August at 0:00 Dutch time: the current school
        year follows the calendar.

        >>> from datetime import UTC
        >>> SchoolYear.at(datetime(2027, 7, 31, 21, 59, tzinfo=UTC))
        SchoolYear('2026-2027')
        >>> SchoolYear.at(datetime(2027, 7, 31, 22, 0, tzinfo=UTC))
        SchoolYear('2027-2028')

        Raises:
            InvalidInput: *moment* has no time zone (``input.time.naive``).
        """
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInput("input.time.naive", field="moment", value=moment.isoformat())
        return cls.containing(moment.astimezone(_DUTCH_TIME).date())

    @property
    def first_year(self) -> int:
        """The calendar year the school year starts in."""
        return int(self.value[:4])

    @property
    def second_year(self) -> int:
        """The calendar year the school year ends in."""
        return self.first_year + 1

    @property
    def first_day(self) -> date:
        """The first day of the Dutch school year (1 August)."""
        return date(self.first_year, _FIRST_MONTH, 1)

    @property
    def last_day(self) -> date:
        """The last day of the Dutch school year (31 July)."""
        return date(self.second_year, _FIRST_MONTH - 1, 31)

    def next(self) -> SchoolYear:
        """Return the following school year."""
        return SchoolYear.starting(self.first_year + 1)

    def previous(self) -> SchoolYear:
        """Return the preceding school year."""
        return SchoolYear.starting(self.first_year - 1)

    def parts(self) -> Mapping[str, Any]:
        """Return ``first_year`` and ``second_year``."""
        return {"first_year": self.first_year, "second_year": self.second_year}
