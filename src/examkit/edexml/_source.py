"""Reading an EDEXML file safely: the limits, the source, and libxml2's settings.

A file is read as bytes, so its byte order mark and the encoding its XML
declaration names decide how its text is decoded (UTF-8, UTF-16,
ISO-8859-1, ...). libxml2 reads it with everything that could reach outside
the file turned off: no DTD is loaded, no entity is expanded, no network is
used, XInclude is never processed. A file with a document type declaration
is refused outright (EDEXML has none; every entity attack needs one).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, Final, Self

import attrs

from examkit.edexml._problems import EdexmlRefused
from examkit.errors import ConfigurationError, InvalidInput

__all__ = [
    "DEFAULT_LIMITS",
    "LIBXML2_TEXT_LIMIT",
    "PARSER_OPTIONS",
    "VALIDATING_OPTIONS",
    "LimitedReader",
    "Limits",
    "Refusal",
    "Source",
    "refuse",
]

LIBXML2_TEXT_LIMIT: Final = 10_000_000
"""libxml2's own, fixed limit on one text or attribute value, in characters."""

_DEPTH_RANGE: Final = (8, 256)  # the standard needs 6 levels; libxml2 stops at 256


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            "config.invalid", field=attribute.name, reason=f"{attribute.name} > 0"
        )


def _depth(instance: Limits, attribute: attrs.Attribute[int], value: int) -> None:
    _positive(instance, attribute, value)
    low, high = _DEPTH_RANGE
    if not low <= value <= high:
        raise ConfigurationError(
            "config.invalid", field=attribute.name, reason=f"{low} <= max_depth <= {high}"
        )


def _up_to_libxml2(instance: Limits, attribute: attrs.Attribute[int], value: int) -> None:
    _positive(instance, attribute, value)
    if value > LIBXML2_TEXT_LIMIT:
        raise ConfigurationError(
            "config.invalid",
            field=attribute.name,
            reason=f"{attribute.name} <= {LIBXML2_TEXT_LIMIT} (libxml2's own limit)",
        )


@attrs.frozen
class Limits:
    """The limits a file must stay within; beyond any of them it is refused unread.

    >>> Limits(max_elements=1_000).max_depth
    32

    Args:
        max_bytes: The largest file, in bytes (256 MiB by default).
        max_depth: The deepest nesting of elements (8 to 256; the standard needs 6).
        max_elements: The most elements (10 million by default; a file of
            100,000 pupils has about 1.5 million).
        max_records: The most records: pupils, teachers, groups,
            combination groups and sites together (1 million by default).
        max_record_elements: The most elements inside one record, at any
            depth below it (10,000 by default). A record here is the
            school or any element two levels below the root: a pupil,
            teacher, group, combination group or site. One record is held
            whole while it is read, so this bounds memory whatever the
            file; a real pupil has about 20 elements and a teacher one
            more per group taught.
        max_attributes: The most attributes on one element (64 by default;
            EDEXML's elements have at most 3).
        max_attribute_length: The longest attribute value, in characters
            (10,000 by default; at most 10 million, libxml2's own limit).
        max_text_length: The longest text an element starts with (its
            value), in characters (1 million by default; at most 10
            million, libxml2's own limit, which also bounds text between
            elements).
        max_problems: The most problems a report lists (1,000 by default):
            beyond it problems are only counted, and the report ends with
            ``edexml.problems.truncated`` saying how many more there were.
            The only limit that does not refuse the file.

    Raises:
        ConfigurationError: a limit is out of range (code ``config.invalid``).

    Implements EDX-1.
    """

    max_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    """The largest file accepted, in bytes."""
    max_depth: int = attrs.field(default=32, validator=_depth)
    """The deepest nesting of elements accepted."""
    max_elements: int = attrs.field(default=10_000_000, validator=_positive)
    """The most elements accepted."""
    max_records: int = attrs.field(default=1_000_000, validator=_positive)
    """The most records (pupils, teachers, groups, combination groups and sites) accepted."""
    max_record_elements: int = attrs.field(default=10_000, validator=_positive)
    """The most elements inside one record (the school, a pupil, teacher, group or site)."""
    max_attributes: int = attrs.field(default=64, validator=_positive)
    """The most attributes on one element (EDEXML's have at most 3)."""
    max_attribute_length: int = attrs.field(default=10_000, validator=_up_to_libxml2)
    """The longest attribute value accepted, in characters (EDEXML's longest is 256)."""
    max_text_length: int = attrs.field(default=1_000_000, validator=_up_to_libxml2)
    """The longest text accepted, in characters (EDEXML's longest value is 256)."""
    max_problems: int = attrs.field(default=1_000, validator=_positive)
    """The most problems listed; the rest are counted (not a refusal)."""


DEFAULT_LIMITS: Final = Limits()
"""The limits used when none are given."""

PARSER_OPTIONS: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "resolve_entities": False,
        "load_dtd": False,
        "dtd_validation": False,
        "no_network": True,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
        "recover": False,
    }
)
"""What every libxml2 parser examkit makes is told: nothing outside the file is read."""

VALIDATING_OPTIONS: Final[Mapping[str, Any]] = MappingProxyType(
    {**PARSER_OPTIONS, "resolve_entities": "internal"}
)
"""The options of a parser that validates against a schema as it reads.

Only for a file already known to have no document type declaration, so no
entity can be declared and there is nothing to expand. With a schema and
``resolve_entities=False``, lxml 6 lets some fatal errors pass silently (a
file cut short, a bare ``&``, a namespace that is no URI); with
``"internal"`` it reports them.
"""


class Refusal(Exception):
    """Internal: raised where a limit is crossed, turned into :class:`EdexmlRefused`."""

    def __init__(self, limit: str, maximum: int, line: int | None = None) -> None:
        super().__init__(limit)
        self.limit = limit
        self.maximum = maximum
        self.line = line


_REFUSAL_CODES: Final = {
    "max_bytes": "edexml.refused.size",
    "max_depth": "edexml.refused.depth",
    "max_elements": "edexml.refused.elements",
    "max_records": "edexml.refused.records",
    "max_record_elements": "edexml.refused.record_elements",
    "max_attributes": "edexml.refused.attributes",
    "max_attribute_length": "edexml.refused.attribute_length",
    "max_text_length": "edexml.refused.text_length",
    "doctype": "edexml.refused.doctype",
}


def refuse(refusal: Refusal) -> EdexmlRefused:
    """Return the public error for an internal *refusal*."""
    return EdexmlRefused(
        _REFUSAL_CODES[refusal.limit],
        line=refusal.line,
        limit=refusal.limit,
        maximum=refusal.maximum,
    )


class LimitedReader:
    """A byte stream that raises :class:`Refusal` once more than *limit* bytes were read."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        """Return up to *size* more bytes (all that is left, within the limit, for -1)."""
        chunk = self._stream.read(size if size >= 0 else self._limit + 1)
        self._read += len(chunk)
        if self._read > self._limit:
            raise Refusal("max_bytes", self._limit)
        return chunk

    def close(self) -> None:
        """Close the underlying stream."""
        self._stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Source:
    """An EDEXML file to read: bytes, or a path opened afresh for every pass.

    Raises:
        InvalidInput: *source* is text or another kind of object
            (``edexml.source.not_bytes``), or the path cannot be read
            (``edexml.source.unreadable``).
        EdexmlRefused: the file is larger than ``limits.max_bytes``.
    """

    def __init__(self, source: object, limits: Limits) -> None:
        self.limits = limits
        self.data: bytes | None = None
        self.path: Path | None = None
        if isinstance(source, bytes | bytearray | memoryview):
            self.data = bytes(source)
            size = len(self.data)
        elif isinstance(source, os.PathLike):
            self.path = Path(source)
            try:
                status = self.path.stat()
            except OSError as error:
                raise _unreadable(self.path, error) from None
            if not self.path.is_file():
                raise InvalidInput(
                    "edexml.source.unreadable", path=str(self.path), reason="not a file"
                )
            size = status.st_size
        else:
            raise InvalidInput("edexml.source.not_bytes", actual=type(source).__name__)
        if size > limits.max_bytes:
            raise refuse(Refusal("max_bytes", limits.max_bytes))

    @property
    def name(self) -> str:
        """The path as text, or ``<bytes>``."""
        return str(self.path) if self.path is not None else "<bytes>"

    def open(self) -> LimitedReader:
        """Return a fresh stream over the whole file, refusing more than ``max_bytes``."""
        if self.data is not None:
            stream: BinaryIO = io.BytesIO(self.data)
        else:
            assert self.path is not None  # noqa: S101 - set by __init__ when data is not
            try:
                stream = self.path.open("rb")
            except OSError as error:
                raise _unreadable(self.path, error) from None
        return LimitedReader(stream, self.limits.max_bytes)


def _unreadable(path: Path, error: OSError) -> InvalidInput:
    return InvalidInput(
        "edexml.source.unreadable", path=str(path), reason=error.strerror or type(error).__name__
    )
