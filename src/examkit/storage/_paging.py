"""Keyset paging for listings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final, Generic, TypeVar

import attrs

from examkit.errors import InvalidInput

T = TypeVar("T")

DEFAULT_PAGE_SIZE: Final = 100
"""How many items a listing returns when the caller names no limit."""

MAX_PAGE_SIZE: Final = 1000
"""The most items one page may hold."""


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing, in the listing's stable order.

    Pass :attr:`next_after` as ``after`` to get the next page; it is ``None``
    on the last page. The cursor is opaque text: the sort key of the last
    item, so pages stay consistent while items are added or removed.
    """

    items: tuple[T, ...]
    """The items of this page."""
    next_after: str | None
    """The cursor of the next page, or ``None`` when this is the last."""


def check_page_size(limit: int) -> int:
    """Return *limit* when it is a usable page size; raise :class:`InvalidInput` otherwise."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput("storage.page_size", field="limit", maximum=MAX_PAGE_SIZE)
    return limit


def page_of(
    items: Iterable[T],
    sort_key: Callable[[T], str],
    after: str | None,
    limit: int,
) -> Page[T]:
    """Return the page after cursor *after* of *items* ordered by *sort_key*.

    A helper for backends that list in memory: the keys must be unique.

    >>> page_of(["b", "a", "c"], str, None, 2)
    Page(items=('a', 'b'), next_after='b')
    >>> page_of(["b", "a", "c"], str, "b", 2)
    Page(items=('c',), next_after=None)
    """
    check_page_size(limit)
    ordered: Sequence[T] = sorted(items, key=sort_key)
    if after is not None:
        ordered = [item for item in ordered if sort_key(item) > after]
    chosen = tuple(ordered[:limit])
    more = len(ordered) > limit
    return Page(items=chosen, next_after=sort_key(chosen[-1]) if more and chosen else None)
