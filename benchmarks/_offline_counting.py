"""What the offline-sync benchmark counts: requests at the transport, sync entries read.

Not a benchmark itself (:mod:`benchmarks.offline_sync` uses it for its quiet
syncs). :class:`CountingTransport` wraps the sync client's ``httpx``
transport and counts the requests that reach it. :class:`CountingBackend`
wraps a store (any :class:`~examkit.records.Backend`) so that every unit of
work runs on a :class:`CountingTransaction`, which counts the entries of the
sync queue and the inbox (``uow.sync_queue``, ``uow.sync_inbox``) that
``get``, ``find`` and the ``many`` capability hand back, and notes those at
or below a high-water mark given beforehand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from examkit.offline import SYNC_INBOX, SYNC_QUEUE, InboxEntry, QueuedEntry
from examkit.records import RecordsUnit
from examkit.storage import RecordType

COUNTED = frozenset({SYNC_QUEUE.name, SYNC_INBOX.name})
"""The records whose reads are counted: the queues and the inbox."""


class CountingTransport(httpx.BaseTransport):
    """An ``httpx`` transport that counts the requests it passes on.

    Args:
        inner: The transport that sends them (a plain ``httpx.HTTPTransport``).
    """

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner if inner is not None else httpx.HTTPTransport()
        self.requests = 0
        """How many requests it passed on."""
        self.paths: list[str] = []
        """The path of each, in order."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Count *request* and send it."""
        self.requests += 1
        self.paths.append(request.url.path)
        return self._inner.handle_request(request)

    def close(self) -> None:
        """Close the inner transport."""
        self._inner.close()


@dataclass
class Reads:
    """The sync entries read, by record; and those at or below a mark given beforehand."""

    marks: dict[str, int] = field(default_factory=dict)
    """Stream or server -> its high-water mark: an entry read at or below it is noted."""
    by_record: dict[str, int] = field(default_factory=dict)
    """Record name -> entries read."""
    at_or_below: int = 0
    """Entries read at or below their stream's (or server's) mark."""

    @property
    def total(self) -> int:
        """Every sync entry read."""
        return sum(self.by_record.values())

    def reset(self, marks: Mapping[str, int]) -> None:
        """Start counting afresh against *marks*."""
        self.marks = dict(marks)
        self.by_record.clear()
        self.at_or_below = 0

    def add(self, record: RecordType[Any, Any], found: Iterable[Any]) -> None:
        """Count the entries in *found*, read from *record*."""
        if record.name not in COUNTED:
            return
        for item in found:
            self.by_record[record.name] = self.by_record.get(record.name, 0) + 1
            owner = item.stream if isinstance(item, QueuedEntry) else None
            if isinstance(item, InboxEntry):
                owner = item.server
            mark = self.marks.get(owner or "")
            if mark is not None and item.seq <= mark:
                self.at_or_below += 1


class _CountingMany:
    def __init__(self, inner: Any, reads: Reads) -> None:
        self._inner = inner
        self._reads = reads

    def get_many(self, record: RecordType[Any, Any], keys: Sequence[str]) -> Mapping[str, Any]:
        found: Mapping[str, Any] = self._inner.get_many(record, keys)
        self._reads.add(record, found.values())
        return found


class CountingTransaction:
    """A backend's transaction that counts the sync entries read through it.

    Every other attribute is the inner transaction's.
    """

    def __init__(self, inner: Any, reads: Reads) -> None:
        self._inner = inner
        self._reads = reads

    def get(self, record: RecordType[Any, Any], key: str) -> Any:
        """The inner ``get``, counted."""
        found = self._inner.get(record, key)
        if found is not None:
            self._reads.add(record, (found,))
        return found

    def find(self, record: RecordType[Any, Any], **options: Any) -> Sequence[Any]:
        """The inner ``find``, counted."""
        found: Sequence[Any] = self._inner.find(record, **options)
        self._reads.add(record, found)
        return found

    def capability(self, name: str) -> Any:
        """The inner capability; ``many`` counted."""
        part = self._inner.capability(name)
        if name == "many" and part is not None:
            return _CountingMany(part, self._reads)
        return part

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class CountingBackend:
    """A store whose units of work count the sync entries they read (:class:`Reads`).

    Every other attribute is the inner backend's.

    Args:
        inner: The store.
        reads: Where to count.
    """

    def __init__(self, inner: Any, reads: Reads) -> None:
        self._inner = inner
        self.reads = reads
        """Where it counts."""

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work on the inner store, counting."""
        unit = self._inner.begin(readonly=readonly)
        return RecordsUnit(CountingTransaction(unit.transaction, self.reads))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """The inner store's."""
        return bool(self._inner.after_writing(action))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
