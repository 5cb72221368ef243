"""The server's units of work: each client unit's transaction on the backend, held under a lease.

A client's unit of work is one transaction of the server's backend, begun
by the unit's first request and kept, under a lease that ends after
*timeout* idle seconds (rolled back), until a request commits or rolls it
back. Each request carries the unit's id and its place (``seq``); the
answer to each place is kept, so a request sent again (its answer was
lost) gets the same answer and nothing is done twice. A committed unit's
answer is also stored with its idempotency key, in the commit's own
transaction (:data:`COMMITS`), for retries after the lease is forgotten.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any, Final, TypeVar

import attrs

from examkit.errors import ExamkitError, InvalidInput, NotFound
from examkit.storage import (
    VERSION_FIELD,
    Index,
    IndexValue,
    NotPersonal,
    Personal,
    RecordType,
    microseconds,
)

T = TypeVar("T")


@attrs.frozen
class CommitEntry:
    """A committed unit's idempotency key, the digest of its request, and its answer."""

    key: str
    digest: str
    token: str
    answer: str
    at: datetime
    version: int = 0


COMMITS: Final = RecordType(
    "http_commits",
    CommitEntry,
    kind="commit",
    key=lambda entry: entry.key,
    indexes=(Index("at", lambda entry: microseconds(entry.at), number=True),),
    privacy={
        "key": NotPersonal("the client's random idempotency key"),
        "digest": NotPersonal("the digest of the committed request"),
        "token": NotPersonal(
            "the id of the service token (a portal or offline server, not a person)"
        ),
        "answer": Personal(
            purpose="the committed unit's answer, sent again to a client that retries: it "
            "may hold whatever the unit read (names, answers)",
            basis="public_task",
            retention="idempotency",
            audience=("system",),
        ),
        "at": NotPersonal("when the unit was committed"),
        "version": VERSION_FIELD,
    },
)
"""The storage server's idempotency keys: give it to the backend behind the server
(``SQLBackend(url, records=SERVER_RECORDS)``)."""

SERVER_RECORDS: Final = (COMMITS,)
"""The records the storage server keeps in the backend behind it."""


class RecordingTransaction:
    """A backend's transaction that notes the keys written through it (not checked as reads)."""

    def __init__(self, transaction: Any) -> None:
        self._tx = transaction
        self.written: set[tuple[str, str]] = set()
        """The ``(record name, key)`` of every record written in this transaction."""

    @property
    def readonly(self) -> bool:
        """Whether the transaction only reads."""
        return bool(self._tx.readonly)

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None``."""
        found: T | None = self._tx.get(record, key)
        return found

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items*."""
        self._tx.insert(record, items)
        self.written.update((record.name, record.key_text(item)) for item in items)

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the version given."""
        self._tx.replace(record, item, version=version)
        self.written.add((record.name, record.key_text(item)))

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key*."""
        self._tx.delete(record, key, version=version)
        self.written.add((record.name, key))

    def find(
        self,
        record: RecordType[Any, T],
        *,
        where: Mapping[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Sequence[T]:
        """Return the records found."""
        found: Sequence[T] = self._tx.find(
            record, where=where, at_most=at_most, after=after, limit=limit
        )
        return found

    def capability(self, name: str) -> Any:
        """Return the backend's own capability *name*, or ``None``."""
        return self._tx.capability(name)

    def commit(self) -> None:
        """Commit."""
        self._tx.commit()

    def rollback(self) -> None:
        """Roll back."""
        self._tx.rollback()


class Lease:
    """One client unit's server-side transaction, its place, and the answers given."""

    def __init__(self, unit_id: str, token_id: str) -> None:
        self.unit_id = unit_id
        self.token_id = token_id
        self.lock = threading.Lock()
        """Held while a request of the unit runs (one at a time)."""
        self.unit: Any = None
        """The backend's unit of work (a :class:`~examkit.records.RecordsUnit`), once begun."""
        self.recording: RecordingTransaction | None = None
        self.seq = 0
        """The place of the last request answered."""
        self.digest = ""
        """The digest of the last request answered (a repeat must match it)."""
        self.answer: tuple[int, bytes] | None = None
        """The last answer given (status, body), for a request sent again."""
        self.open = True
        """Whether the transaction is still open."""
        self.touched = time.monotonic()
        self._worker: _Worker | None = _Worker.lend()

    def run(self, step: Callable[[], T]) -> T:
        """Run *step* on this unit's own thread; return what it returns.

        A unit's transaction is only ever used from one thread (a database
        connection is not passed from thread to thread between requests).
        """
        worker = self._worker
        if worker is None:  # closed: nothing of the transaction is left to keep to a thread
            return step()
        return worker.run(step)

    def close(self) -> None:
        """Roll back the transaction if it is open (a lease that lapsed), on its thread."""
        if self.unit is not None:
            self.run(self.roll_back)
        self.open = False
        self.release()

    def roll_back(self) -> None:
        """Roll back the open transaction, on the calling thread (the unit's own)."""
        unit, self.unit = self.unit, None
        self.open = False
        if unit is not None:
            unit.rollback()

    def release_if_closed(self) -> None:
        """Let the unit's thread end once its transaction has closed."""
        if not self.open:
            self.release()

    def release(self) -> None:
        """Give the unit's thread back (the transaction is closed)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.give_back()


class _Worker:
    """A thread that runs one unit's steps at a time; lent to a unit for its whole life.

    Threads are kept (up to :data:`KEEP_IDLE`) and lent again: starting a
    thread per unit of work cost more than a whole save.
    """

    KEEP_IDLE: Final = 64
    _idle: list[_Worker] = []  # noqa: RUF012 - the shared pool of idle threads
    _idle_lock = threading.Lock()

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        thread = threading.Thread(target=self._serve, name="examkit-unit", daemon=True)
        thread.start()

    @classmethod
    def lend(cls) -> _Worker:
        """Return an idle thread, or a new one."""
        with cls._idle_lock:
            if cls._idle:
                return cls._idle.pop()
        return cls()

    def give_back(self) -> None:
        """Return this thread to the idle ones (or let it end when there are enough)."""
        with self._idle_lock:
            if len(self._idle) < self.KEEP_IDLE:
                self._idle.append(self)
                return
        self._jobs.put(None)

    def run(self, step: Callable[[], T]) -> T:
        """Run *step* on this thread; return its result (or raise what it raised)."""
        done: Future[T] = Future()
        self._jobs.put((step, done))
        return done.result()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            step, done = job
            try:
                done.set_result(step())
            except BaseException as error:  # handed to the waiting caller
                done.set_exception(error)


class Leases:
    """Every open (and recently closed) unit of a server, and the reaper that ends idle ones."""

    def __init__(
        self,
        *,
        timeout: float,
        keep: float,
        housekeeping: Callable[[], object],
        housekeeping_every: float,
    ) -> None:
        self.timeout = timeout
        self.keep = keep
        self._by_id: dict[str, Lease] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._housekeeping = housekeeping
        self._every = housekeeping_every
        self._reaper = threading.Thread(target=self._reap, name="examkit-leases", daemon=True)
        self._reaper.start()

    def take(self, unit_id: str, token_id: str, *, create: bool) -> Lease | None:
        """Return the lease of *unit_id* (made when *create* and unknown), not yet locked."""
        with self._lock:
            lease = self._by_id.get(unit_id)
            if lease is None and create:
                lease = self._by_id[unit_id] = Lease(unit_id, token_id)
            return lease

    def _reap(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(min(0.5, self.timeout / 4)):
            now = time.monotonic()
            with self._lock:
                leases = list(self._by_id.values())
            for lease in leases:
                if not lease.lock.acquire(blocking=False):
                    continue
                try:
                    if lease.open and now - lease.touched > self.timeout:
                        _quietly(lease.close)
                    if not lease.open and now - lease.touched > self.keep:
                        with self._lock:
                            self._by_id.pop(lease.unit_id, None)
                finally:
                    lease.lock.release()
            if now - last > self._every:
                last = now
                _quietly(self._housekeeping)

    def close(self) -> None:
        """Stop the reaper and roll back every open unit."""
        self._stop.set()
        self._reaper.join(timeout=5)
        with self._lock:
            leases, self._by_id = list(self._by_id.values()), {}
        for lease in leases:
            with lease.lock:
                _quietly(lease.close)


def _quietly(action: Callable[[], object]) -> None:
    """Run *action*; a lapsed unit's rollback or a purge that fails is tried again later."""
    with contextlib.suppress(Exception):
        action()


def check_stored(backend: Any) -> None:
    """Refuse a backend that cannot keep the server's records (:data:`COMMITS`).

    Raises:
        ConfigurationError: ``http.server.records``.
    """
    from examkit.errors import ConfigurationError

    try:
        with backend.begin(readonly=True) as uow:
            uow.transaction.get(COMMITS, "probe")
    except (KeyError, AttributeError, ExamkitError):
        raise ConfigurationError("http.server.records", record=COMMITS.name) from None


def stored_answer(backend: Any, key: str, digest: str, token: str) -> bytes | None:
    """Return the answer kept for idempotency *key*, ``None`` when there is none.

    Only to the token that committed it: another token learns nothing of it.

    Raises:
        InvalidInput: ``http.idempotency.mismatch``: the key was used with another request.
    """
    with backend.begin(readonly=True) as uow:
        entry = uow.transaction.get(COMMITS, key)
    if entry is None or entry.token != token:
        return None
    if entry.digest != digest:
        raise InvalidInput("http.idempotency.mismatch", field="key")
    return entry.answer.encode("utf-8", "surrogatepass")  # type: ignore[no-any-return]


PURGE_BATCH: Final = 500
"""The most idempotency keys one unit of work of :func:`purge_keys` removes."""


def purge_keys(backend: Any, before: datetime, *, limit: int = PURGE_BATCH) -> int:
    """Remove the idempotency keys stored at or before *before*; return how many.

    In units of work of at most *limit* keys each, until none is left; a key
    another purge removed meanwhile is passed over (not counted), so two
    purges at once neither fail nor count a key twice.
    """
    removed = 0
    while True:
        with backend.begin() as uow:
            found = uow.transaction.find(
                COMMITS, where={}, at_most=("at", microseconds(before)), limit=limit
            )
            for entry in found:
                try:
                    uow.transaction.delete(COMMITS, entry.key, version=None)
                except NotFound:
                    continue
                removed += 1
            uow.commit()
        if len(found) < limit:
            return removed
