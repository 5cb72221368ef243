"""The generic repository: add, get, update, remove and the named queries of declared indexes."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from examkit.errors import NotFound
from examkit.storage._declarations import IndexValue, RecordType
from examkit.storage._fallbacks import ManyFallback
from examkit.storage._paging import Page, check_page_size
from examkit.storage._primitives import Transaction

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def with_version(item: T, version: int) -> T:
    """Return *item* at *version*: a copy with that one field changed, validated once already.

    ``attrs.evolve`` would run every validator of the record again (a tenth
    of a bulk import's time), though only the version changes.
    """
    if item.version == version:  # type: ignore[attr-defined]
        return item
    kind = type(item)
    names = _FIELDS.get(kind)
    if names is None:
        fields = attrs.fields(kind)  # type: ignore[arg-type]
        names = _FIELDS.setdefault(kind, tuple(field.name for field in fields))
    copied = object.__new__(kind)
    for name in names:
        object.__setattr__(copied, name, getattr(item, name))
    object.__setattr__(copied, "version", version)
    return copied


_FIELDS: dict[type, tuple[str, ...]] = {}
"""Each record class's field names (a class, not data: the same in every process)."""


class Records(Generic[K, T]):
    """The repository of one declared record kind, on any backend's :class:`Transaction`.

    Every aggregate's repository is this class, with its named queries
    written once on ``_find``, ``_find_one`` and ``_page``.
    Versions: :meth:`add` stores 1, :meth:`update` accepts only the version
    it last read and stores the next.
    """

    def __init__(self, transaction: Transaction, record: RecordType[K, T]) -> None:
        self._tx = transaction
        self.record = record
        """The declaration of the records kept here."""

    def add(self, item: T) -> T:
        """Store a new *item*; return it as stored (version 1).

        Raises:
            AlreadyExists: its key, or another unique value, is taken.
        """
        self._tx.insert(self.record, (item,))
        return with_version(item, 1)

    def add_many(self, items: Sequence[T]) -> None:
        """Store many new *items* at version 1, all or nothing.

        Raises:
            AlreadyExists: a key or unique value is taken, or repeated in *items*.
        """
        self._tx.insert(self.record, items)

    def get(self, key: K) -> T:
        """Return the item with *key*.

        Raises:
            NotFound: there is none.
        """
        found = self._tx.get(self.record, str(key))
        if found is None:
            raise NotFound(kind=self.record.kind, key=str(key))
        return found

    def get_many(self, keys: Iterable[K]) -> Mapping[K, T]:
        """Return the items with *keys*, by key: the ones there are (a missing key is absent).

        The same answers as :meth:`get`, in one read where the backend
        offers the ``many`` capability (one round trip per few hundred keys
        on SQL) and one ``get`` per key where it does not. A repeated key is
        read once; the mapping is in the order the keys were first asked.
        """
        asked = {str(key): key for key in keys}
        if not asked:
            return {}
        many = self._tx.capability("many")
        reader = ManyFallback(self._tx) if many is None else many
        found: Mapping[str, T] = reader.get_many(self.record, list(asked))
        return {asked[text]: item for text, item in found.items()}

    def update(self, item: T) -> T:
        """Store *item* over the version it was read at; return it as stored.

        Raises:
            NotFound: it was removed meanwhile.
            ConcurrentModification: it was changed meanwhile.
            AlreadyExists: a unique value it now has is taken.
        """
        version: int = item.version  # type: ignore[attr-defined]
        stored = with_version(item, version + 1)
        self._tx.replace(self.record, stored, version=version)
        return stored

    def remove(self, key: K, *, version: int | None = None) -> None:
        """Remove the item with *key* (only at *version*, when given).

        Raises:
            NotFound: there is none.
            ConcurrentModification: *version* is given and stale.
        """
        self._tx.delete(self.record, str(key), version=version)

    # -- named queries, written once on the declared indexes ------------------------------

    def _find(
        self,
        where: Mapping[str, IndexValue | None] | None = None,
        *,
        at_most: tuple[str, IndexValue] | None = None,
    ) -> tuple[T, ...]:
        """Return every record with the values of *where* (``None`` values: any), in order."""
        return tuple(self._tx.find(self.record, where=_given(where), at_most=at_most, after=None))

    def _find_one(self, index: str, value: IndexValue) -> T | None:
        """Return the record with *value* in unique *index*, or ``None``."""
        found = self._tx.find(self.record, where={index: value}, limit=1)
        return found[0] if found else None

    def _page(
        self,
        where: Mapping[str, IndexValue | None] | None = None,
        *,
        after: str | None,
        limit: int,
        at_most: tuple[str, IndexValue] | None = None,
    ) -> Page[T]:
        """Return one page of the records with the values of *where*, in listing order."""
        check_page_size(limit)
        found = self._tx.find(
            self.record, where=_given(where), at_most=at_most, after=after, limit=limit + 1
        )
        items = tuple(found[:limit])
        more = len(found) > limit
        return Page(items=items, next_after=self.record.order_of(items[-1]) if more else None)

    def _remove_found(
        self,
        where: Mapping[str, IndexValue | None] | None = None,
        *,
        at_most: tuple[str, IndexValue] | None = None,
    ) -> int:
        """Remove every record :meth:`_find` returns; return how many."""
        found = self._find(where, at_most=at_most)
        for item in found:
            self._tx.delete(self.record, self.record.key_text(item), version=None)
        return len(found)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.record.name})"


def _given(where: Mapping[str, Any] | None) -> dict[str, IndexValue]:
    return {name: value for name, value in (where or {}).items() if value is not None}
