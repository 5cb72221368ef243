"""A deliberately minimal backend: the storage primitives and nothing else (issue 20).

It knows nothing of examkit's domain: it keeps any declared record in plain
dictionaries, one per record kind, replaced whole on commit (a reading
transaction keeps the dictionaries it began with: snapshot reads), with
one writer at a time. It offers no capability, so the attempt counter, the
single-use tokens, the audit trail and the response save all run on the
storage core's fallbacks. It passes the whole conformance suite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    InvalidState,
    NotFound,
    StorageError,
)
from examkit.records import RecordsUnit
from examkit.storage import (
    Capabilities,
    HeldUnit,
    IndexValue,
    RecordType,
    WritingUnits,
    with_version,
)

T = TypeVar("T")
_GONE: Any = object()


class MinimalBackend:
    """The primitives on dictionaries: snapshot reads, one writer at a time, no capability."""

    capabilities = Capabilities(threads=True, snapshot_reads=True)

    def __init__(self, *, busy_timeout: float = 30.0) -> None:
        self.committed: dict[str, dict[str, Any]] = {}
        self._writer = threading.Lock()
        self._busy_timeout = busy_timeout
        self._writing = WritingUnits()

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work (a reading one with *readonly*)."""
        held = None
        if not readonly:
            if not self._writer.acquire(timeout=self._busy_timeout):
                raise StorageError("storage.busy")
            held = self._writing.opened()
        return RecordsUnit(MinimalTransaction(self, dict(self.committed), readonly, held))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once this thread's writing unit has closed (``False``: none open)."""
        return self._writing.after(action)

    def close(self) -> None:
        """Nothing to release."""

    def publish(self, changes: Mapping[str, Mapping[str, Any]]) -> None:
        """Apply a transaction's *changes*: each changed kind's dictionary replaced whole."""
        for name, changed in changes.items():
            table = dict(self.committed.get(name, {}))
            for key, item in changed.items():
                if item is _GONE:
                    table.pop(key, None)
                else:
                    table[key] = item
            self.committed[name] = table

    def release(self, held: HeldUnit | None) -> None:
        """End a writing transaction."""
        self._writer.release()
        if held is not None:
            held.close()


class MinimalTransaction:
    """The primitives over a snapshot and this transaction's own changes."""

    def __init__(
        self,
        backend: MinimalBackend,
        snapshot: dict[str, dict[str, Any]],
        readonly: bool,
        held: HeldUnit | None,
    ) -> None:
        self.readonly = readonly
        self._backend = backend
        self._snapshot = snapshot
        self._changes: dict[str, dict[str, Any]] = {}
        self._held = held
        self._open = True

    def _check(self, writing: bool = False) -> None:
        if not self._open:
            raise InvalidState("storage.unit_closed")
        if writing and self.readonly:
            raise InvalidState("storage.readonly")

    def _items(self, record: RecordType[Any, Any]) -> dict[str, Any]:
        items = dict(self._snapshot.get(record.name, {}))
        for key, item in self._changes.get(record.name, {}).items():
            if item is _GONE:
                items.pop(key, None)
            else:
                items[key] = item
        return items

    def _owner(self, record: RecordType[Any, Any], index: str, value: IndexValue) -> str | None:
        for key, item in self._items(record).items():
            if value in record.index(index).values(item):
                return key
        return None

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None``."""
        self._check()
        found: T | None = self._items(record).get(key)
        return found

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items* at version 1, all or nothing."""
        self._check(writing=True)
        stored = self._items(record)
        batch: dict[str, T] = {}
        claimed: dict[tuple[str, IndexValue], str] = {}
        for item in items:
            key = record.key_text(item)
            if key in stored or key in batch:
                raise AlreadyExists(kind=record.kind, key=key)
            for index in record.indexes:
                if not index.unique:
                    continue
                for value in index.values(item):
                    owner = claimed.get((index.name, value)) or self._owner(
                        record, index.name, value
                    )
                    if owner is not None:
                        raise AlreadyExists(
                            "storage.unique", kind=record.kind, index=index.name, value=str(value)
                        )
                    claimed[index.name, value] = key
            batch[key] = with_version(item, 1)
        self._changes.setdefault(record.name, {}).update(batch)

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record at *version*."""
        self._check(writing=True)
        key = record.key_text(item)
        self._current(record, key, version)
        for index in record.indexes:
            if not index.unique:
                continue
            for value in index.values(item):
                owner = self._owner(record, index.name, value)
                if owner is not None and owner != key:
                    raise AlreadyExists(
                        "storage.unique", kind=record.kind, index=index.name, value=str(value)
                    )
        self._changes.setdefault(record.name, {})[key] = item

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key* (only at *version*, when given)."""
        self._check(writing=True)
        self._current(record, key, version)
        self._changes.setdefault(record.name, {})[key] = _GONE

    def _current(self, record: RecordType[Any, Any], key: str, version: int | None) -> Any:
        found = self._items(record).get(key)
        if found is None:
            raise NotFound(kind=record.kind, key=key)
        if version is not None and found.version != version:
            raise ConcurrentModification(kind=record.kind, key=key)
        return found

    def find(
        self,
        record: RecordType[Any, T],
        *,
        where: Mapping[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Sequence[T]:
        """Return the records with every value of *where*, in listing order."""
        self._check()
        wanted = dict(where)
        chosen = sorted(
            (
                item
                for item in self._items(record).values()
                if record.matches(item, wanted, at_most)
            ),
            key=record.order_of,
        )
        if after is not None:
            chosen = [item for item in chosen if record.order_of(item) > after]
        return chosen if limit is None else chosen[:limit]

    def capability(self, name: str) -> Any:
        """Offer none: every capability runs on the fallbacks."""
        self._check()
        return None

    def commit(self) -> None:
        """Publish this transaction's changes, all at once, and close."""
        self._check()
        self._open = False
        if not self.readonly:
            try:
                self._backend.publish(self._changes)
            finally:
                self._backend.release(self._held)

    def rollback(self) -> None:
        """Discard this transaction's changes and close."""
        if not self._open:
            return
        self._open = False
        if not self.readonly:
            self._backend.release(self._held)
