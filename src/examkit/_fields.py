"""Small shared field validators and converters for attrs values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs

from examkit.errors import InvalidInput

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def clean_text(value: object) -> str:
    """Return *value* with surrounding white space removed and inner runs collapsed."""
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    return " ".join(value.split())


def required_text(max_length: int = 200) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """Return an attrs validator: the text is not empty and at most *max_length* long."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if not value:
            raise InvalidInput("input.required", field=attribute.name)
        if len(value) > max_length:
            raise InvalidInput("input.too_long", field=attribute.name, maximum=max_length)

    return check


def optional_text(max_length: int = 200) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """Return an attrs validator: the text (possibly empty) is at most *max_length* long."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if len(value) > max_length:
            raise InvalidInput("input.too_long", field=attribute.name, maximum=max_length)

    return check


def normalise_email(value: object) -> str:
    """Return an e-mail address stripped, with its domain in lower case."""
    text = clean_text(value)
    local, at, domain = text.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else text


def is_email(value: str) -> bool:
    """Return whether *value* is a plausible e-mail address (at most 254 characters).

    >>> is_email("j.van.gent@school.nl"), is_email("j.van.gent")
    (True, False)
    """
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def check_email(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """Attrs validator: *value* is a plausible e-mail address (at most 254 characters)."""
    if not value:
        raise InvalidInput("input.required", field=attribute.name)
    if not is_email(value):
        raise InvalidInput("input.email.invalid", field=attribute.name, value=value)


def require_aware_utc(moment: datetime, field: str = "time") -> datetime:
    """Return *moment* converted to UTC; refuse a naive datetime.

    >>> from datetime import datetime, timezone, timedelta
    >>> require_aware_utc(datetime(2026, 9, 1, 10, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.timezone.utc)
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("input.time.naive", field=field, value=moment.isoformat())
    return moment.astimezone(UTC)
