"""Exact lines for elements beyond line 65,534.

libxml2 keeps an element's line in 16 bits; beyond 65,534 lxml reports a
line borrowed from a neighbouring text node, often one too many. When a
problem lies there, one extra pass with expat (which counts lines exactly)
finds the elements by their address. For such an element the line is the
one its start tag begins on.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final
from xml.parsers import expat

from examkit.edexml._findings import Where
from examkit.edexml._source import Source

__all__ = ["LIBXML2_LAST_EXACT_LINE", "exact_lines"]

LIBXML2_LAST_EXACT_LINE: Final = 65_534
"""The last line libxml2 reports exactly for an element."""

_CHUNK: Final = 1 << 16


class _Done(Exception):
    pass


class _Unsafe(Exception):
    pass


def exact_lines(source: Source, wanted: Collection[Where]) -> dict[Where, int]:
    """Return the line each element at an address in *wanted* starts on.

    An address not found (or a file expat cannot read) is left out, and the
    caller keeps libxml2's line.
    """
    remaining = set(wanted)
    found: dict[Where, int] = {}
    if not remaining:
        return found
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[tuple[Where, dict[str, int]]] = [((), {})]

    def start(name: str, _attributes: object) -> None:
        tag = "{" + name if "}" in name else name
        where, counters = stack[-1]
        index = counters.get(tag, 0) + 1
        counters[tag] = index
        here = (*where, (tag, index))
        stack.append((here, {}))
        if here in remaining:
            found[here] = parser.CurrentLineNumber
            remaining.discard(here)
            if not remaining:
                raise _Done

    def end(_name: str) -> None:
        stack.pop()

    def unsafe(*_: object) -> None:
        raise _Unsafe

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = unsafe
    parser.EntityDeclHandler = unsafe
    parser.ExternalEntityRefHandler = unsafe  # type: ignore[assignment]
    try:
        with source.open() as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (_Done, _Unsafe, expat.ExpatError):
        pass
    return found
