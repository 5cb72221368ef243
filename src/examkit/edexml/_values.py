r"""Checking a text value against a simple type, the way XML Schema (and libxml2) does.

Strings keep their white space (their length counts every character);
integers may have white space around them; dates and times may not (libxml2,
which the official schemas are run with, refuses it). Patterns use Unicode
classes: ``\p{Nd}`` is any decimal digit, ``\p{Lu}`` any upper-case letter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, TypeAlias

from examkit.edexml._schema import Segment, SimpleType
from examkit.errors import InvalidInput
from examkit.identifiers import SchoolYear

__all__ = ["ValueProblem", "check_value", "is_date", "is_datetime", "matches", "shown"]

ValueProblem: TypeAlias = tuple[str, dict[str, object]]
"""A value's problem: its catalogue code and the parameters of the message."""

_XML_SPACE: Final = " \t\n\r"
_INTEGER: Final = re.compile(r"[+-]?[0-9]+")
_DATE: Final = re.compile(r"(-?)([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_DATETIME: Final = re.compile(
    r"(-?)([0-9]{4,})-([0-9]{2})-([0-9]{2})"
    r"T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_LONG_MAX: Final = 2**63 - 1  # libxml2 keeps a year in a C long
_SHOWN: Final = 60


def shown(value: str) -> str:
    """Return *value* as a message shows it: cut short after 60 characters.

    >>> shown("x" * 70)[-3:]
    'xx…'
    """
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _is_leap(year: int) -> bool:
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in {4, 6, 9, 11} else 31


def _date_ok(sign: str, year_text: str, month: str, day: str) -> bool:
    if len(year_text) > 4 and year_text[0] == "0":
        return False
    year = int(year_text)
    if year == 0 or year > _LONG_MAX:
        return False
    signed = -year if sign else year
    return 1 <= int(month) <= 12 and 1 <= int(day) <= _days_in(signed, int(month))


def _zone_ok(zone: str | None) -> bool:
    if zone is None or zone == "Z":
        return True
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    return minutes <= 59 and (hours < 14 or (hours == 14 and minutes == 0))


def is_date(value: str) -> bool:
    """Return whether *value* is an ``xs:date`` (``2014-06-21``, an optional time zone).

    >>> is_date("2016-02-29"), is_date("2014-02-29"), is_date(" 2014-02-03")
    (True, False, False)
    """
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    sign, year, month, day, zone = match.groups()
    return _date_ok(sign, year, month, day) and _zone_ok(zone)


def is_datetime(value: str) -> bool:
    """Return whether *value* is an ``xs:dateTime`` (``2014-09-07T08:47:34``).

    >>> is_datetime("2014-09-07T24:00:00"), is_datetime("2014-09-07T23:59:60")
    (True, False)
    """
    match = _DATETIME.fullmatch(value)
    if match is None:
        return False
    sign, year, month, day, hour, minute, second, fraction, zone = match.groups()
    if not (_date_ok(sign, year, month, day) and _zone_ok(zone)):
        return False
    if int(minute) > 59 or int(second) > 59:
        return False
    if int(hour) == 24:
        return minute == "00" and second == "00" and set((fraction or ".")[1:]) <= {"0"}
    return int(hour) <= 23


def _in_class(char: str, segment: Segment) -> bool:
    kind = segment.char_class
    if kind == "digit":
        return "0" <= char <= "9"
    if kind == "hyphen":
        return char == "-"
    return unicodedata.category(char) == kind


def matches(pattern: tuple[Segment, ...], value: str) -> bool:
    """Return whether all of *value* has the form *pattern* describes.

    Neighbouring segments have different classes, so each takes the longest
    run of its class and no backtracking is needed.
    """
    position = 0
    for segment in pattern:
        start = position
        while (
            position < len(value)
            and position - start < segment.max
            and _in_class(value[position], segment)
        ):
            position += 1
        if position - start < segment.min:
            return False
    return position == len(value)


def check_value(simple: SimpleType, value: str, name: str) -> ValueProblem | None:
    """Return the problem of *value* as a value of *simple*, or ``None`` when it is valid.

    *name* says where the value is (``<jaargroep>``, ``<leerling key>``) in the message.

    >>> from examkit.edexml._grammar import GRAMMARS
    >>> from examkit.edexml._version import Version
    >>> types = GRAMMARS[Version.V2_1].simple_types
    >>> check_value(types["EDEXGeslachtType"], " 1 ", "<geslacht>") is None
    True
    >>> check_value(types["EDEXJaargroepType"], "100", "<jaargroep>")[0]
    'edexml.value.not_allowed'
    """
    problem = _check(simple, value, name)
    if problem is not None and simple.personal:
        # A personal number is never repeated: the message names the element and the rule.
        digits = simple.pattern[0].max if simple.pattern else 0
        return ("edexml.value.personal_number", {"name": name, "digits": digits})
    return problem


def _check(simple: SimpleType, value: str, name: str) -> ValueProblem | None:
    primitive = simple.primitive
    if primitive == "date":
        return None if is_date(value) else ("edexml.value.date", _params(value, name))
    if primitive == "dateTime":
        return None if is_datetime(value) else ("edexml.value.datetime", _params(value, name))
    if primitive == "integer":
        return _check_integer(simple, value, name)
    return _check_string(simple, value, name)


def _params(value: str, name: str, **extra: object) -> dict[str, object]:
    return {"value": shown(value), "name": name, **extra}


def _check_integer(simple: SimpleType, value: str, name: str) -> ValueProblem | None:
    collapsed = value.strip(_XML_SPACE)
    if not _INTEGER.fullmatch(collapsed):
        return ("edexml.value.integer", _params(value, name))
    number = int(collapsed)
    if simple.total_digits is not None and len(str(abs(number))) > simple.total_digits:
        return ("edexml.value.too_many_digits", _params(value, name, maximum=simple.total_digits))
    if simple.enumeration is not None and number not in {int(v) for v in simple.enumeration}:
        return ("edexml.value.not_allowed", _params(value, name, allowed=_allowed(simple)))
    return None


def _check_length(simple: SimpleType, value: str, name: str) -> ValueProblem | None:
    length = len(value)
    if simple.min_length is not None and length < simple.min_length:
        if length == 0:
            return ("edexml.value.empty", _params(value, name))
        return (
            "edexml.value.too_short",
            _params(value, name, length=length, minimum=simple.min_length),
        )
    if simple.max_length is not None and length > simple.max_length:
        return (
            "edexml.value.too_long",
            _params(value, name, length=length, maximum=simple.max_length),
        )
    return None


def _check_string(simple: SimpleType, value: str, name: str) -> ValueProblem | None:
    problem = _check_length(simple, value, name)
    if problem is not None:
        return problem
    if simple.pattern is not None and simple.pattern_code is not None:
        if not matches(simple.pattern, value):
            return (simple.pattern_code, _params(value, name))
        if simple.consecutive_years:
            return _check_school_year(value, name)
    if simple.enumeration is not None and value not in simple.enumeration:
        return ("edexml.value.not_allowed", _params(value, name, allowed=_allowed(simple)))
    return None


def _check_school_year(value: str, name: str) -> ValueProblem | None:
    first = int(value[:4])
    if int(value[5:]) != first + 1:
        return ("edexml.school_year.not_consecutive", _params(value, name, expected=first + 1))
    try:
        SchoolYear(value)
    except InvalidInput:
        return ("edexml.value.school_year", _params(value, name))
    return None


def _allowed(simple: SimpleType) -> str:
    values = simple.enumeration or ()
    if len(values) <= 25:
        return ", ".join(values)
    return ", ".join(values[:12]) + f", … ({len(values)})"
