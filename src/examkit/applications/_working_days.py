"""Working days: weekends and the public holidays of the Algemene termijnenwet (ACC-6).

The legal deadlines act (*Algemene termijnenwet*, art. 3) names the days a
deadline skips besides Saturday and Sunday. :data:`ACT_HOLIDAYS` lists them
as data; :func:`act_holidays` takes their dates from the ``holidays``
package's Dutch calendar, keeping only the days the act names (the package
also returns Easter Sunday and Whit Sunday, and files 5 May under its
optional category in most years).

>>> from datetime import date
>>> add_working_days(date(2026, 4, 2), 5)  # over Good Friday and Easter Monday
datetime.date(2026, 4, 13)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

import holidays

from examkit.errors import InvalidInput

__all__ = ["ACT_HOLIDAYS", "AMSTERDAM", "act_holidays", "add_working_days", "is_working_day"]

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
"""Dutch time: an application's day and its due date are Dutch days."""

ACT_HOLIDAYS: Final[tuple[tuple[str, str, str], ...]] = (
    ("new_years_day", "Nieuwjaarsdag", "New Year's Day"),
    ("good_friday", "Goede Vrijdag", "Good Friday"),
    ("easter_monday", "Tweede Paasdag", "Easter Monday"),
    ("kings_day", "Koningsdag", "King's Day"),
    ("liberation_day", "Bevrijdingsdag (5 mei)", "Liberation Day (5 May)"),
    ("ascension_day", "Hemelvaartsdag", "Ascension Day"),
    ("whit_monday", "Tweede Pinksterdag", "Whit Monday"),
    ("christmas_day", "Eerste Kerstdag", "Christmas Day"),
    ("boxing_day", "Tweede Kerstdag", "Boxing Day"),
)
"""The days the Algemene termijnenwet skips besides weekends: (key, Dutch, English)."""

# The holidays package's English names (language en_US) of the act's days.
_PACKAGE_NAMES: Final[dict[str, str]] = {
    "New Year's Day": "new_years_day",
    "Good Friday": "good_friday",
    "Easter Monday": "easter_monday",
    "King's Day": "kings_day",
    "Queen's Day": "kings_day",
    "Liberation Day": "liberation_day",
    "Ascension Day": "ascension_day",
    "Pentecost Monday": "whit_monday",
    "Whit Monday": "whit_monday",
    "Christmas Day": "christmas_day",
    "Second Day of Christmas": "boxing_day",
}

_FIRST_YEAR: Final = 1990
_LAST_YEAR: Final = 2200


@functools.cache
def act_holidays(year: int) -> Mapping[date, str]:
    """Return the act's holidays in *year*: date -> key of :data:`ACT_HOLIDAYS`.

    Liberation Day (5 May) counts every year, whatever category the package
    files it under (when it is Ascension Day too, as in 2016, it is listed as that).

    >>> sorted(act_holidays(2026).values())[:3]
    ['ascension_day', 'boxing_day', 'christmas_day']
    >>> len(act_holidays(2026))
    9

    Raises:
        InvalidInput: *year* is outside 1990 to 2200.
    """
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise InvalidInput(
            "applications.year.out_of_range",
            field="year",
            value=year,
            first=_FIRST_YEAR,
            last=_LAST_YEAR,
        )
    calendar = holidays.country_holidays(
        "NL",
        years=year,
        categories=(holidays.PUBLIC, holidays.OPTIONAL),
        language="en_US",
    )
    found: dict[date, str] = {}
    for day, names in calendar.items():
        for name in names.split("; "):
            key = _PACKAGE_NAMES.get(name)
            if key is not None and found.get(day) in (None, "liberation_day"):
                found[day] = key
    found.setdefault(date(year, 5, 5), "liberation_day")
    return MappingProxyType(found)


def is_working_day(day: date) -> bool:
    """Return whether *day* is a working day: no weekend day and none of the act's holidays.

    >>> is_working_day(date(2026, 5, 5)), is_working_day(date(2026, 5, 6))
    (False, True)
    """
    return day.weekday() < 5 and day not in act_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """Return the day *days* working days after *start* (the due date of a deadline).

    Counting starts the day after *start*; only working days count.

    >>> add_working_days(date(2026, 12, 23), 5)  # Christmas, Boxing Day (Saturday), weekend
    datetime.date(2026, 12, 31)

    Raises:
        InvalidInput: *days* is negative.
    """
    if days < 0:
        raise InvalidInput("applications.days.negative", field="days", value=days)
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
