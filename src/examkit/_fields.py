"""Small shared field validators and converters for attrs values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

import attrs

from examkit.errors import InvalidInput
from examkit.messages import LANGUAGES

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


REFUSED_CHARACTERS: Final[tuple[tuple[int, int, str], ...]] = (
    (0x00, 0x08, "C0 control characters"),
    (0x0B, 0x0C, "C0 control characters (vertical tab, form feed)"),
    (0x0E, 0x1F, "C0 control characters"),
    (0x7F, 0x9F, "delete and the C1 control characters"),
    (0x202A, 0x202E, "bidirectional embeddings and overrides (LRE, RLE, PDF, LRO, RLO)"),
    (0x2066, 0x2069, "bidirectional isolates (LRI, RLI, FSI, PDI)"),
    (0xD800, 0xDFFF, "lone surrogates (no character of their own)"),
)
"""The characters refused in every text field, as (first, last, what) code point ranges.

Tab, line feed and carriage return are the control characters not
refused: a one-line field turns them into a space (:func:`clean_text`),
a multi-line one (notes) keeps them.
"""

_REFUSED: Final = re.compile(
    "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last, _ in REFUSED_CHARACTERS) + "]"
)


def refuse_unprintable(value: str, field: str | None = None) -> None:
    r"""Refuse *value* if it holds a character of :data:`REFUSED_CHARACTERS`.

    Control characters would be printed into documents and e-mails as they
    are, and the bidirectional controls make a name show its characters in
    another order than the one stored, so that what is read is not what is
    searched, sorted or compared.

    >>> refuse_unprintable("Noëlle Çelik")
    >>> try:
    ...     refuse_unprintable("Jan\u202esen", "name")
    ... except InvalidInput as error:
    ...     print(error.code, error.field, error.params["character"])
    input.text.character name U+202E

    Raises:
        InvalidInput: ``input.text.character``, naming the first such character (``U+202E``).
    """
    found = _REFUSED.search(value)
    if found is not None:
        raise InvalidInput(
            "input.text.character", field=field, character=f"U+{ord(found.group()):04X}"
        )


_SPACE: Final = re.compile(r"[^\S\x0b\x0c\x1c-\x1f\x85]+")
"""A run of white space, the control characters Python also counts as space left out."""


def clean_text(value: str) -> str:
    r"""Return *value* with surrounding white space removed and inner runs collapsed.

    Tabs and line breaks count as space; the control characters that Python
    also counts as space (vertical tab, form feed, U+001C to U+001F, U+0085)
    are kept, for the validators to refuse (:data:`REFUSED_CHARACTERS`).

    >>> clean_text("  Jan\t van\u00a0 Gent\n"), clean_text("a\x1fb")
    ('Jan van Gent', 'a\x1fb')
    """
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    return _SPACE.sub(" ", value).strip(" ")


def required_text(max_length: int = 200) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """Return an attrs validator: the text is not empty, at most *max_length* long, printable.

    Printable: no character of :data:`REFUSED_CHARACTERS` (``input.text.character``).
    """

    def check(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if not value:
            raise InvalidInput("input.required", field=attribute.name)
        if len(value) > max_length:
            raise InvalidInput("input.too_long", field=attribute.name, maximum=max_length)
        refuse_unprintable(value, attribute.name)

    return check


def optional_text(max_length: int = 200) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """Return an attrs validator: the text (possibly empty) is at most *max_length* long, printable.

    Printable: no character of :data:`REFUSED_CHARACTERS` (``input.text.character``).
    """

    def check(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if len(value) > max_length:
            raise InvalidInput("input.too_long", field=attribute.name, maximum=max_length)
        refuse_unprintable(value, attribute.name)

    return check


def normalise_email(value: str) -> str:
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


def check_lang(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: *value* is a language examkit speaks (``input.lang.unknown``)."""
    if value not in LANGUAGES:
        raise InvalidInput(
            "input.lang.unknown",
            field=attribute.name,
            value=str(value),
            languages=", ".join(LANGUAGES),
        )


def require_aware_utc(moment: datetime, field: str = "time") -> datetime:
    """Return *moment* converted to UTC; refuse a naive datetime.

    >>> from datetime import datetime, timezone, timedelta
    >>> require_aware_utc(datetime(2026, 9, 1, 10, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.timezone.utc)
    """
    if moment.tzinfo is UTC:  # the common case, already as wanted
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("input.time.naive", field=field, value=moment.isoformat())
    return moment.astimezone(UTC)
