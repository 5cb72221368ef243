"""Reading a record's written-out JSON, with the converter behind it for any other shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from examkit.converter import structure

_T = TypeVar("_T")


def read_written(
    cls: type[_T],
    keys: frozenset[str],
    build: Callable[[dict[str, Any], int], _T],
    data: dict[str, Any],
    version: int,
) -> _T:
    """Return *build(data, version)* for data of the written shape, else the converter's.

    Data with other keys, or values *build* cannot take, goes through
    :func:`examkit.converter.structure`, with its checks and its errors.
    """
    try:
        if data.keys() != keys:
            raise KeyError
        return build(data, version)
    except (KeyError, TypeError, ValueError, AttributeError):
        return structure({**data, "version": version}, cls)
