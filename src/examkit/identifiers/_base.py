"""The shared shape of every identifier value."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import attrs

from examkit.errors import InvalidInput

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Only ASCII letters are upper-cased: str.upper() would turn "ß" into "SS"
# and "ı" into "I", letting non-ASCII text pass as a code.
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def squeeze(text: str) -> str:
    r"""Return *text* without any white space (inner or surrounding), ASCII letters upper case.

    >>> squeeze(" 22ab\u00a001 ")
    '22AB01'
    """
    return _SPACES.sub("", text).translate(_ASCII_UPPER)


def _normalise(value: str, instance: Identifier) -> str:
    cls = type(instance)
    field = cls.kind
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", field=field, actual=type(value).__name__)
    if not value.strip():
        raise InvalidInput("input.required", field=field)
    if len(value) > 64:
        raise InvalidInput("input.too_long", field=field, maximum=64)
    return cls._normalise(value)


@attrs.frozen(order=True, repr=False)
class Identifier:
    """An identifier value: parsed, validated and normalised at construction.

    Construct one with ``Kind.parse(text)`` (or ``Kind(text)``, the same).
    Equal identifiers of the same kind compare and hash equal; ``str()``
    gives the normalised form. Subclasses set :attr:`kind` and implement
    ``_normalise``.
    """

    kind: ClassVar[str] = "identifier"
    """The kind's stable name, also the field named in errors."""

    value: str = attrs.field(converter=attrs.Converter(_normalise, takes_self=True))  # type: ignore[misc,call-overload]
    """The normalised text."""

    @classmethod
    def parse(cls, text: str, *, field: str | None = None) -> Self:
        """Return *text* parsed as this kind of identifier.

        Raises:
            InvalidInput: *text* is malformed; the error names *field* (the
                kind's name by default) and what is wrong.
        """
        try:
            return cls(text)
        except InvalidInput as error:
            if field is None:
                raise
            raise error.with_location(field=field) from None

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """Return whether *text* parses as this kind."""
        try:
            cls(text)
        except InvalidInput:
            return False
        return True

    @classmethod
    def _normalise(cls, text: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def parts(self) -> Mapping[str, Any]:
        """Return the named parts of this identifier (empty for a plain one)."""
        return {}

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"
