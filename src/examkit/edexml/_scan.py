"""A look at the raw bytes before libxml2 reads them: start tags with too many attributes.

libxml2 holds every attribute of an element at once (and, when it
validates, one error for each one the schema does not allow), so a
single start tag with millions of attributes would take a hundred times
its size in memory before examkit saw the element. This scan refuses such
a tag first. It costs little: the file is split at every ``<`` in C, and
only a stretch between two ``<`` longer than ``max_attributes`` attributes
could possibly be (`` a=""`` is 5 bytes) is looked at more closely.
Namespace declarations (``xmlns:p="..."``) count as attributes here.
"""

from __future__ import annotations

import re
from typing import Final

from examkit.edexml._source import Refusal, Source

__all__ = ["scan_attributes"]

_CHUNK: Final = 1 << 20
_SHORTEST: Final = 5  # ' a=""'
_ATTRIBUTE: Final = re.compile(rb"""\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*')""")
_NAME: Final = re.compile(rb"""[^\s<>/!?=][^\s<>/=]*""")


def _judge(part: bytes, line: int, limit: int) -> None:
    """Refuse the start tag *part* begins with (if it is one) if it has over *limit* attributes.

    Raises:
        Refusal: more than *limit* attributes.
    """
    name = _NAME.match(part)
    if name is None:
        return
    position = name.end()
    count = 0
    while (match := _ATTRIBUTE.match(part, position)) is not None:
        count += 1
        if count > limit:
            raise Refusal("max_attributes", limit, line)
        position = match.end()


def scan_attributes(source: Source, *, chunk_size: int = _CHUNK) -> None:
    """Refuse the file if a start tag has more than ``max_attributes`` attributes.

    Reads the file once in chunks of *chunk_size* bytes; holds at most one
    chunk and the stretch since the last ``<``.

    Raises:
        Refusal: ``max_attributes`` is crossed (with the line the tag starts on).
    """
    limit = source.limits.max_attributes
    long = re.compile(rb"<[^<]{%d}" % (_SHORTEST * (limit + 1) + 1))
    line = 1
    pending: list[bytes] = []  # from the last "<" read on, while no other "<" came
    with source.open() as stream:
        while chunk := stream.read(chunk_size):
            cut = chunk.rfind(b"<")
            if cut < 0:
                pending.append(chunk)
                continue
            data = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
            pending = [chunk[cut:]]
            _check(data, long, line, limit)
            line += data.count(b"\n")
    if pending:
        _check(b"".join(pending), long, line, limit)


def _check(data: bytes, long: re.Pattern[bytes], line: int, limit: int) -> None:
    """Judge each stretch of *data* from a ``<`` long enough to hide too many attributes."""
    for match in long.finditer(data):
        start = match.start()
        end = data.find(b"<", match.end())
        part = data[start + 1 : end if end >= 0 else len(data)]
        _judge(part, line + data.count(b"\n", 0, start), limit)
