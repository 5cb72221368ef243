"""The shape every aggregate's repository shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

K_contra = TypeVar("K_contra", contravariant=True)
T = TypeVar("T")


class Repository(Protocol[K_contra, T]):
    """Add, get, update and remove one kind of aggregate.

    Every aggregate carries a ``version``: :meth:`add` stores version 1,
    :meth:`update` accepts only the version it last read and stores the
    next. A stale write raises
    :class:`~examkit.errors.ConcurrentModification` and writes nothing.
    """

    def add(self, item: T) -> T:
        """Store a new *item*; return it as stored (version 1).

        Raises:
            AlreadyExists: its key, or another unique value, is taken.
        """
        ...

    def add_many(self, items: Sequence[T]) -> None:
        """Store many new *items* at version 1, as one bulk write (an import).

        All or nothing: when one of them is refused, none is stored.

        Raises:
            AlreadyExists: a key or unique value is taken, or repeated in *items*.
        """
        ...

    def get(self, key: K_contra) -> T:
        """Return the item with *key*.

        Raises:
            NotFound: there is none (``get`` never returns ``None``).
        """
        ...

    def get_many(self, keys: Iterable[K_contra]) -> Mapping[Any, T]:
        """Return the items with *keys*, by key; a key with no item is absent.

        The same answers as :meth:`get` for each key, read at once (one
        round trip per few hundred keys on a backend with the ``many``
        capability). Repeated keys are read once; no keys, no read.
        """
        ...

    def update(self, item: T) -> T:
        """Store *item* over the version it was read at; return it as stored.

        Raises:
            NotFound: it was removed meanwhile.
            ConcurrentModification: it was changed meanwhile.
            AlreadyExists: a unique value it now has is taken.
        """
        ...

    def remove(self, key: K_contra, *, version: int | None = None) -> None:
        """Remove the item with *key* (only at *version*, when given).

        Raises:
            NotFound: there is none.
            ConcurrentModification: *version* is given and stale.
        """
        ...
