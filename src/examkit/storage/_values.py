r"""What every backend can store: the one check of outside values before they reach storage.

A value a client sends (a candidate's response, a save's sequence number, a
login name typed at sign-in) is checked here, by the service, before any
backend sees it. What passes is stored and returned alike by every backend
(the memory backend, SQLite and PostgreSQL, and any backend that passes the
conformance suite, which holds each to these limits); what fails is refused
with the same :class:`~examkit.errors.InvalidInput` code on every backend.

The limits are the narrowest of the stores examkit supports:

* a sequence number is a whole number from 1 to :data:`MAX_SEQUENCE`
  (a 32-bit column; a counter, not milliseconds since 1970);
* a JSON value is ``None``, a boolean, text, a number, a list (or tuple) or
  a dict with text keys; numbers are finite and within
  ±\ :data:`MAX_JSON_NUMBER` (the range every JSON reader keeps exact, and
  that PostgreSQL's ``jsonb`` returns as it was given); text is valid
  Unicode (no lone surrogate) without NUL characters; lists and dicts are
  nested at most :data:`MAX_JSON_DEPTH` deep;
* a key of the attempt counter is at most :data:`MAX_KEY_LENGTH` characters
  of valid Unicode without control characters; anything else is counted
  under its digest (:func:`storable_key`).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, Final, cast

from examkit.errors import InvalidInput

MAX_SEQUENCE: Final = 2**31 - 1
"""The highest sequence number of a save (2,147,483,647: a signed 32-bit column)."""

MAX_JSON_NUMBER: Final = 2**53 - 1
"""The largest magnitude of a number in a stored JSON value (9,007,199,254,740,991)."""

MAX_JSON_DEPTH: Final = 32
"""How deep lists and dicts may be nested in a stored JSON value (a flat list is depth 1)."""

MAX_KEY_LENGTH: Final = 255
"""The longest key the attempt counter stores as given (longer keys are digested)."""


def check_sequence(value: object, *, field: str = "sequence") -> int:
    """Return *value* if it is a storable sequence number: a whole number 1..MAX_SEQUENCE.

    >>> check_sequence(7)
    7
    >>> check_sequence(1_733_300_000_000)  # milliseconds since 1970 are no counter
    Traceback (most recent call last):
    examkit.errors.InvalidInput: ...

    Raises:
        InvalidInput: ``storage.value.sequence``, with *field* and the maximum.
    """
    if type(value) is not int or not 1 <= value <= MAX_SEQUENCE:
        raise InvalidInput("storage.value.sequence", field=field, maximum=MAX_SEQUENCE)
    return value


def is_storable_text(text: object) -> bool:
    r"""Return whether *text* is text every backend can store: valid Unicode without NUL.

    A backend answers a lookup by any other text as not found, without
    asking its store (a key that cannot be stored cannot exist).

    >>> is_storable_text("Zoë 𝄞"), is_storable_text("a\x00b"), is_storable_text("\ud800")
    (True, False, False)
    """
    if not isinstance(text, str) or "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Refusal(Exception):
    """A refused part of a value; each level it passes adds its step to the path."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.steps: list[str] = []


def _json(value: object, depth: int) -> Any:  # noqa: PLR0912 - one branch per JSON kind
    kind = type(value)
    if kind is str:
        if not is_storable_text(value):
            raise _Refusal("storage.value.text")
        return value
    if value is None or kind is bool:
        return value
    if kind is int or kind is float:
        number = cast("int | float", value)
        if (kind is float and not math.isfinite(number)) or abs(number) > MAX_JSON_NUMBER:
            raise _Refusal("storage.value.number", maximum=MAX_JSON_NUMBER)
        if kind is float and number == 0:
            return 0.0  # -0.0 reads back as 0.0 from PostgreSQL's jsonb: stored so everywhere
        return number
    if kind is not list and kind is not tuple and kind is not dict:
        raise _Refusal("storage.value.type", kind=kind.__name__)
    if depth >= MAX_JSON_DEPTH:
        raise _Refusal("storage.value.depth", maximum=MAX_JSON_DEPTH)
    if kind is not dict:
        result = []
        for index, item in enumerate(cast("list[object]", value)):
            try:
                result.append(_json(item, depth + 1))
            except _Refusal as refusal:
                refusal.steps.append(f"[{index}]")
                raise
        return result
    mapping: dict[str, Any] = {}
    for key, item in cast("dict[object, object]", value).items():
        if type(key) is not str:
            raise _Refusal("storage.value.type", kind=type(key).__name__)
        if not is_storable_text(key):
            raise _Refusal("storage.value.text")
        try:
            mapping[key] = _json(item, depth + 1)
        except _Refusal as refusal:
            refusal.steps.append(f".{key}" if len(key) <= 40 else f".{key[:40]}...")
            raise
    return mapping


def json_value(value: object, *, field: str = "value") -> Any:
    """Return *value* as it is stored: checked, as plain lists and dicts, ``-0.0`` as ``0.0``.

    The copy is the caller's no longer: changing *value* afterwards changes
    nothing stored. Tuples become lists (as JSON has them).

    >>> json_value({"choice": ("B", "C"), "score": 1.5})
    {'choice': ['B', 'C'], 'score': 1.5}
    >>> json_value(float("nan"))
    Traceback (most recent call last):
    examkit.errors.InvalidInput: ...

    Raises:
        InvalidInput: ``storage.value.type`` (not JSON data), ``storage.value.number``
            (not finite, or beyond ±MAX_JSON_NUMBER), ``storage.value.text`` (a lone
            surrogate or NUL), ``storage.value.depth`` (nested deeper than
            MAX_JSON_DEPTH); each with *field* and the path inside the value.
    """
    try:
        return _json(value, 0)
    except _Refusal as refusal:
        path = "$" + "".join(reversed(refusal.steps))
        raise InvalidInput(refusal.code, field=field, path=path, **refusal.params) from None


def is_storable_key(text: str) -> bool:
    r"""Return whether *text* is stored as given as an attempt counter's key.

    >>> is_storable_key("K7HQ3MXA"), is_storable_key("a\x00b"), is_storable_key("x" * 256)
    (True, False, False)
    """
    return (
        0 < len(text) <= MAX_KEY_LENGTH
        and is_storable_text(text)
        and all(ch.isprintable() for ch in text)
    )


def storable_key(text: str) -> str:
    r"""Return *text* if it is a storable key, or ``#`` and its SHA-256 digest.

    Every text has one key (the same for the same text), and no backend
    ever sees a key it cannot store. Lone surrogates are digested as given.

    >>> storable_key("K7HQ3MXA")
    'K7HQ3MXA'
    >>> key = storable_key("\ud800")
    >>> key.startswith("#"), len(key)
    (True, 65)
    """
    if is_storable_key(text) and not text.startswith("#"):
        return text
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
