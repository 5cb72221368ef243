"""The narrow backend port: the primitives a backend's transaction implements.

A backend implements :class:`Transaction` (get, insert, replace with a
version check, delete, find by index with keyset paging, commit, rollback)
over the records declared with :class:`~examkit.storage.RecordType`. What
must be atomic in one statement (the lockout counter, single-use tokens,
the audit append, an attempt's response save) is an optional capability
(:class:`~examkit.storage.AttemptCounter`, :class:`~examkit.storage.TokenStore`,
:class:`~examkit.audit.AuditStore`, ``record_response``), and so is reading
many records by key in one go (``many``: ``get_many(record, keys)``, one
round trip instead of one per key): a transaction
that offers one names it in :meth:`Transaction.capability`, and a generic
fallback built on the primitives serves the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from examkit.storage._declarations import IndexValue, RecordType

T = TypeVar("T")


class Transaction(Protocol):
    """One transaction of a backend: the primitives every repository is built on.

    Every method raises :class:`~examkit.errors.InvalidState` once the
    transaction is closed, and every writing one when it is reading only
    (``storage.readonly``). :meth:`insert` stores version 1; :meth:`replace`
    stores the item's version as given (the repository raised it by one).
    """

    readonly: bool
    """Whether this transaction only reads."""

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record of *record*'s kind with *key*, or ``None``."""
        ...

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items* at version 1 (whatever version they hold), all or nothing.

        Raises:
            AlreadyExists: a key is taken or repeated (``kind`` and ``key``),
                or a unique index value is (``storage.unique``, with ``index``
                and ``value``).
        """
        ...

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record of its key, which must be at *version*.

        Raises:
            NotFound: there is no record with its key.
            ConcurrentModification: the stored record is not at *version*.
            AlreadyExists: a unique index value it now has is taken.
        """
        ...

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key* (only at *version*, when given).

        Raises:
            NotFound: there is none.
            ConcurrentModification: *version* is given and stale.
        """
        ...

    def find(
        self,
        record: RecordType[Any, T],
        *,
        where: Mapping[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Sequence[T]:
        """Return the records with every index value in *where*, in listing order.

        *at_most* keeps those with a value of that index at most the bound;
        *after* starts after that place in the listing order
        (:meth:`~examkit.storage.RecordType.order_of`); *limit* caps the
        count. The rule is :meth:`~examkit.storage.RecordType.matches`.
        """
        ...

    def capability(self, name: str) -> Any:
        """Return the backend's own implementation of capability *name*, or ``None``.

        The names: ``counters`` (:class:`~examkit.storage.AttemptCounter`),
        ``tokens`` (:class:`~examkit.storage.TokenStore`), ``audit``
        (:class:`~examkit.audit.AuditStore`), ``responses`` (an
        object with ``record_response(key, item, response, now=...)``),
        ``committing_responses`` (the same, committing the unit with a
        stored save: a remote backend's one round trip, asked for by
        ``record_response(..., then_commit=True)``) and
        ``many`` (an object with ``get_many(record, keys)``, returning a
        mapping from each stored key asked to its record, the missing keys
        absent, each key read once however often it is asked: the same
        answers as :meth:`get`, in fewer round trips; the generic one is
        :class:`~examkit.storage.ManyFallback`) and ``stored_json`` (an
        object with ``between(record, first, last)``, returning ``(key,
        text)`` of every record with a key from *first* to *last*, in key
        order: the record's JSON as stored, undecoded; the converter's JSON
        of the record without its version, keys sorted, compact, for what
        examkit wrote; no generic one: a caller without it reads records).
        """
        ...

    def commit(self) -> None:
        """Make everything written visible to others, all at once, and close.

        Raises:
            StorageError: the backend failed; nothing was written.
        """
        ...

    def rollback(self) -> None:
        """Discard everything written and close (nothing happens when closed)."""
        ...
