"""The memory backend and its transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from examkit.backends.memory._capabilities import (
    MemoryAttemptCounter,
    MemoryAuditStore,
    MemoryTokenStore,
)
from examkit.backends.memory._state import GONE, Overlay, Store
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


class MemoryBackend:
    """A complete, transactional, thread-safe backend that keeps everything in memory.

    Writing units of work are serialised (as SQLite's ``BEGIN IMMEDIATE``
    does): one waits up to *busy_timeout* seconds for another to finish, so
    every counter and token operation is atomic. A unit writes to an overlay;
    commit appends the overlay as a new version of each changed key (its cost
    grows with the change, not with what is stored), rollback drops it.
    Every unit reads the data as of the commit current when it began, so
    reading units never wait.

    Embedding teams can use it in their own test suites; it passes the same
    conformance suite as every other backend.

    >>> backend = MemoryBackend()
    >>> with backend.begin(readonly=True) as uow:
    ...     uow.institutions.list().items
    ()
    """

    capabilities = Capabilities(threads=True, snapshot_reads=True)

    def __init__(self, *, busy_timeout: float = 30.0) -> None:
        self._store = Store()
        self._writer = threading.Lock()
        self._busy_timeout = busy_timeout
        self._writing = WritingUnits()

    transaction_class: type[MemoryTransaction]  # set below, once the class exists
    """The class of this backend's transactions (a subclass may replace it)."""

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work (a reading one with *readonly*)."""
        if not readonly:
            self._acquire_writer()
        return RecordsUnit(self.transaction_class(self, readonly=readonly))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing unit this thread holds has closed (``False``: none)."""
        return self._writing.after(action)

    def close(self) -> None:
        """Nothing to release; kept for the port."""

    def _acquire_writer(self) -> None:
        if not self._writer.acquire(timeout=self._busy_timeout):
            raise StorageError("storage.busy")

    def _release_writer(self) -> None:
        self._writer.release()

    def _publish(self, overlay: Overlay) -> None:
        self._store.publish(overlay)

    def __repr__(self) -> str:
        return "MemoryBackend()"


class MemoryTransaction:
    """A transaction of :class:`MemoryBackend`: the storage primitives on its overlay.

    Its own capabilities (the attempt counter, token store and audit trail)
    are made from the classes named here, which a subclass may replace.
    """

    counters_class: type[MemoryAttemptCounter] = MemoryAttemptCounter
    tokens_class: type[MemoryTokenStore] = MemoryTokenStore
    audit_class: type[MemoryAuditStore] = MemoryAuditStore

    def __init__(self, backend: MemoryBackend, *, readonly: bool) -> None:
        self._backend = backend
        self.readonly = readonly
        self._overlay: Overlay | None = Overlay(backend._store.open_snapshot())
        self._held: HeldUnit | None = None if readonly else backend._writing.opened()

    def capability(self, name: str) -> Any:
        """Return this backend's atomic counter, token store or audit trail (else ``None``)."""
        self._read_view()
        if name == "counters":
            return self.counters_class(self)
        if name == "tokens":
            return self.tokens_class(self)
        if name == "audit":
            return self.audit_class(self)
        return None

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None``."""
        found = self._read_view().get(record.name, key)
        return None if found is GONE else found

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items*, all or nothing."""
        overlay = self._write_view()
        if len(items) == 1:  # every check comes before the first change
            self._insert_one(overlay, record, items[0])
            return
        saved = _saved(overlay, record)
        try:
            for item in items:
                self._insert_one(overlay, record, item)
        except BaseException:
            _restore(overlay, record, saved)
            raise

    def _insert_one(self, overlay: Overlay, record: RecordType[Any, T], item: T) -> None:
        item = with_version(item, 1)
        key = record.key_text(item)
        if overlay.get(record.name, key) is not GONE:
            raise AlreadyExists(kind=record.kind, key=key)
        _claim(overlay, record, item, key)
        overlay.put(record.name, key, item)

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record at *version*."""
        overlay = self._write_view()
        key = record.key_text(item)
        current = _current(overlay, record, key, version)
        _release(overlay, record, current)
        try:
            _claim(overlay, record, item, key)
        except AlreadyExists:
            _claim(overlay, record, current, key)
            raise
        overlay.put(record.name, key, item)

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key* (only at *version*, when given)."""
        overlay = self._write_view()
        current = _current(overlay, record, key, version)
        _release(overlay, record, current)
        overlay.put(record.name, key, GONE)

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
        overlay = self._read_view()
        wanted = dict(where)
        unique = [name for name in wanted if record.index(name).unique]
        if unique and at_most is None:  # one lookup, then the other values checked
            owner = overlay.index_owner(record.name, unique[0], wanted[unique[0]])
            found = overlay.get(record.name, owner) if owner is not GONE else GONE
            candidates = [] if found is GONE else [found]
        else:
            candidates = list(overlay.values(record.name))
        chosen = sorted(
            (item for item in candidates if record.matches(item, wanted, at_most)),
            key=record.order_of,
        )
        if after is not None:
            chosen = [item for item in chosen if record.order_of(item) > after]
        return chosen if limit is None else chosen[:limit]

    def _read_view(self) -> Overlay:
        """Return the overlay to read from; refuse when closed."""
        if self._overlay is None:
            raise InvalidState("storage.unit_closed")
        return self._overlay

    def _write_view(self) -> Overlay:
        """Return the overlay to write to; refuse when closed or reading only."""
        overlay = self._read_view()
        if self.readonly:
            raise InvalidState("storage.readonly")
        return overlay

    def commit(self) -> None:
        """Publish everything written, all at once, and close the unit."""
        overlay = self._read_view()
        self._overlay = None
        overlay.base.close()
        if not self.readonly:
            try:
                self._backend._publish(overlay)
            finally:
                self._backend._release_writer()
                self._closed()

    def rollback(self) -> None:
        """Discard everything written and close the unit."""
        if self._overlay is None:
            return
        self._overlay.base.close()
        self._overlay = None
        if not self.readonly:
            self._backend._release_writer()
            self._closed()

    def _closed(self) -> None:
        """Run what waited for this writing unit to close (its lock is released)."""
        held, self._held = self._held, None
        if held is not None:
            held.close()


def _current(overlay: Overlay, record: RecordType[Any, Any], key: str, version: int | None) -> Any:
    current = overlay.get(record.name, key)
    if current is GONE:
        raise NotFound(kind=record.kind, key=key)
    if version is not None and current.version != version:
        raise ConcurrentModification(kind=record.kind, key=key)
    return current


def _claim(overlay: Overlay, record: RecordType[Any, Any], item: Any, key: Hashable) -> None:
    wanted = [
        (index.name, value)
        for index in record.indexes
        if index.unique
        for value in index.values(item)
    ]
    for name, value in wanted:
        owner = overlay.index_owner(record.name, name, value)
        if owner is not GONE and owner != key:
            raise AlreadyExists("storage.unique", kind=record.kind, index=name, value=str(value))
    for name, value in wanted:
        overlay.set_index(record.name, name, value, key)


def _release(overlay: Overlay, record: RecordType[Any, Any], item: Any) -> None:
    for index in record.indexes:
        if index.unique:
            for value in index.values(item):
                overlay.set_index(record.name, index.name, value, GONE)


def _saved(overlay: Overlay, record: RecordType[Any, Any]) -> list[tuple[Any, Any, Any]]:
    names = [(record.name, index.name) for index in record.indexes if index.unique]
    return [
        (overlay.tables, record.name, dict(overlay.tables.get(record.name, {}))),
        *((overlay.indexes, name, dict(overlay.indexes.get(name, {}))) for name in names),
    ]


def _restore(overlay: Overlay, record: RecordType[Any, Any], saved: list[Any]) -> None:
    for mapping, name, changes in saved:
        mapping[name] = changes


MemoryBackend.transaction_class = MemoryTransaction
