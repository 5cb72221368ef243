"""The offline server's transactional outbox: every change the room makes, queued as it commits.

:class:`OutboxBackend` wraps the offline server's own store. Its writing
units watch the room-owned records (attempts and session groups) and, when
they commit, queue what changed as ``up`` entries
(:class:`~examkit.offline.QueuedEntry`) numbered after
:attr:`~examkit.offline.StationState.up_queued`, raised in the same
transaction: a unit that rolls back leaves neither an entry nor a gap.

What is queued (the design of the *Offline servers* page):

- ``attempt`` (key ``<group>:<candidate>``, revision: the attempt's version)
  when a field other than its responses, last save number and last contact
  changed; the body is the attempt without its responses, last save number
  and version. A heartbeat alone queues nothing.
- ``answer`` (key ``<group>:<candidate>:<item>``, revision: the save's
  number) for every response whose save number changed.
- ``group`` (key: the group's id, revision: its version) when its state,
  access code, log or session report changed.

While a group is open (planned, released, blocked) and when it closes,
every write of it records the station's last measured clock offset in its
session report (:attr:`~examkit.scheduling.SessionReport.clock_offset_ms`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, TypeVar

import attrs

from examkit.clocks import SystemClock
from examkit.converter import unstructure
from examkit.errors import ConcurrentModification, InvalidState, StorageError
from examkit.offline._model import QueuedEntry, StationState
from examkit.offline._protocol import UP_STREAM, CrashHook, entry_digest
from examkit.offline._records import STATIONS, SYNC_QUEUE
from examkit.ports import Clock
from examkit.records import Backend, RecordsUnit
from examkit.scheduling import Attempt, GroupState, TestSessionGroup
from examkit.scheduling._records import SESSION_GROUPS, TEST_ATTEMPTS
from examkit.storage import RETRIES, Capabilities, IndexValue, RecordType, Transaction, with_version

__all__ = ["OutboxBackend", "OutboxTransaction", "room_entries"]

T = TypeVar("T")

ROOM_RECORDS: Final = frozenset({TEST_ATTEMPTS.name, SESSION_GROUPS.name})
"""The records the room owns: their changes are queued up."""

HIDDEN_CAPABILITIES: Final = frozenset({"responses", "committing_responses"})
"""A save in one statement would pass the outbox by: the save reads and writes the attempt."""

OPEN_STATES: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED})
"""The group states in which the session report is still being written."""

_ATTEMPT_SKIPPED: Final = ("responses", "last_sequence", "version")
_GROUP_FIELDS: Final = ("state", "access_code", "log", "report")

Entry = tuple[str, str, int, Any]
"""What one change queues: kind, natural key, revision, body."""


def _no_crash(_: str) -> None:
    """The production crash hook: nothing."""


def _room_part(attempt: Attempt) -> Attempt:
    """Return *attempt* without what travels as answers or stays in the room (contacts)."""
    return attrs.evolve(attempt, responses={}, last_sequence=0, last_contact=None)


def attempt_body(attempt: Attempt) -> dict[str, Any]:
    """Return the body of an ``attempt`` entry: the attempt without responses and version."""
    data: dict[str, Any] = unstructure(attempt)
    for name in _ATTEMPT_SKIPPED:
        data.pop(name, None)
    return data


def group_body(group: TestSessionGroup) -> dict[str, Any]:
    """Return the body of a ``group`` entry: its state, access code, log and session report."""
    return {name: unstructure(getattr(group, name)) for name in _GROUP_FIELDS}


def room_entries(before: Any, after: Any) -> list[Entry]:
    """Return the up entries that the change of one room-owned record from *before* queues.

    *before* is ``None`` for a record new in the unit.

    >>> from examkit.scheduling import Attempt, SavedResponse
    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 5, 12, 7, 5, tzinfo=timezone.utc)
    >>> old = Attempt("g-1", "c-1", "NE", "KAND0001", version=3)
    >>> new = old.with_response("q1", SavedResponse("A", 1, at))
    >>> [(kind, key, revision) for kind, key, revision, _ in room_entries(old, new)]
    [('answer', 'g-1:c-1:q1', 1)]

    Implements SCH-7 and SCH-8.
    """
    if isinstance(after, Attempt):
        return _attempt_entries(before, after)
    if isinstance(after, TestSessionGroup):
        if before is None or any(
            getattr(before, name) != getattr(after, name) for name in _GROUP_FIELDS
        ):
            return [("group", after.id, after.version, group_body(after))]
        return []
    raise TypeError(f"not a room-owned record: {type(after).__name__}")


def _attempt_entries(before: Attempt | None, after: Attempt) -> list[Entry]:
    entries: list[Entry] = []
    if before is None or _room_part(before) != _room_part(after):
        entries.append(("attempt", after.id, after.version, attempt_body(after)))
    previous = {} if before is None else before.responses
    for item, response in after.responses.items():
        earlier = previous.get(item)
        if earlier is None or earlier.sequence != response.sequence:
            entries.append(
                ("answer", f"{after.id}:{item}", response.sequence, unstructure(response))
            )
    return entries


class OutboxBackend:
    """A backend whose writing units queue the room's changes as ``up`` entries.

    Wraps the offline server's own store (*inner*; its units must be
    :class:`~examkit.records.RecordsUnit`, as the memory and SQL backends'
    are). The station must be initialised (its one
    :class:`~examkit.offline.StationState`) before the room writes.
    Two units writing at once never take the same numbers: the counter is
    read and written over its version in the unit, and the loser reads
    again (:data:`~examkit.storage.RETRIES` times).

    Args:
        inner: The local store.
        crash: Called at ``offline.outbox.before_commit`` (tests crash there).
        clock: Dates the entries (the system clock by default).

    Implements SCH-7 and SCH-8.
    """

    def __init__(
        self, inner: Backend, *, crash: CrashHook | None = None, clock: Clock | None = None
    ) -> None:
        self.inner = inner
        """The local store underneath (the down applier writes there, queueing nothing)."""
        self.capabilities: Capabilities = inner.capabilities
        """The local store's capabilities."""
        self.crash: CrashHook = crash if crash is not None else _no_crash
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._server: str | None = None

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work on the local store whose room changes are queued at commit."""
        unit = self.inner.begin(readonly=readonly)
        if not isinstance(unit, RecordsUnit):
            unit.rollback()
            raise TypeError("OutboxBackend needs a backend whose units are RecordsUnit")
        return RecordsUnit(OutboxTransaction(self, unit.transaction))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing units this thread holds have closed."""
        return self.inner.after_writing(action)

    def close(self) -> None:
        """Close the local store."""
        self.inner.close()

    def schema_status(self) -> str:
        """Return where the local store's schema stands (``not_versioned``: no migrations)."""
        status = getattr(self.inner, "schema_status", None)
        return str(status()) if callable(status) else "not_versioned"

    def station_of(self, transaction: Transaction) -> StationState:
        """Return the station's state as *transaction* sees it.

        Raises:
            InvalidState: ``offline.station.missing``: the station is not initialised.
        """
        if self._server is not None:
            found = transaction.get(STATIONS, self._server)
            if found is not None:
                return found
        stations = transaction.find(STATIONS, where={}, limit=1)
        if not stations:
            raise InvalidState("offline.station.missing")
        self._server = stations[0].server
        return stations[0]

    def __repr__(self) -> str:
        return f"OutboxBackend({self.inner!r})"


class OutboxTransaction:
    """A local store's transaction that notes the room's changes and queues them at commit."""

    def __init__(self, backend: OutboxBackend, inner: Transaction) -> None:
        self._backend = backend
        self._inner = inner
        self.readonly = inner.readonly
        self._before: dict[tuple[str, str], Any] = {}
        self._after: dict[tuple[str, str], Any] = {}

    # -- reading: as the local store -----------------------------------------------------------

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None``."""
        return self._inner.get(record, key)

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
        return self._inner.find(record, where=where, at_most=at_most, after=after, limit=limit)

    def capability(self, name: str) -> Any:
        """Return the local store's capability *name*, but never a save in one statement."""
        if name in HIDDEN_CAPABILITIES:
            return None
        return self._inner.capability(name)

    # -- writing: noted ------------------------------------------------------------------------

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items*; note the room's."""
        if record.name not in ROOM_RECORDS:
            self._inner.insert(record, items)
            return
        stamped = [self._stamped(record, None, item) for item in items]
        self._inner.insert(record, stamped)
        for item in stamped:
            self._note(record, None, with_version(item, 1))

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record at *version*; note the room's."""
        if record.name not in ROOM_RECORDS:
            self._inner.replace(record, item, version=version)
            return
        key = record.key_text(item)
        noted = (record.name, key)
        previous = self._after[noted] if noted in self._after else self._inner.get(record, key)
        item = self._stamped(record, previous, item)
        self._inner.replace(record, item, version=version)
        self._note(record, previous, item)

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key*; the room never removes an attempt or a group.

        Raises:
            InvalidState: ``offline.outbox.removal``: a room-owned record.
        """
        if record.name in ROOM_RECORDS:
            raise InvalidState("offline.outbox.removal", kind=record.kind, key=key)
        self._inner.delete(record, key, version=version)

    def _note(self, record: RecordType[Any, Any], previous: Any, item: Any) -> None:
        noted = (record.name, record.key_text(item))
        if noted not in self._before:
            self._before[noted] = previous
        self._after[noted] = item

    def _stamped(self, record: RecordType[Any, T], previous: Any, item: T) -> T:
        """Return *item* with the clock offset in its report while the report is written."""
        if record.name != SESSION_GROUPS.name or not isinstance(item, TestSessionGroup):
            return item
        was = item.state if previous is None else previous.state
        if was not in OPEN_STATES:
            return item
        offset = self._backend.station_of(self._inner).clock_offset_ms
        if item.report.clock_offset_ms == offset:
            return item
        report = attrs.evolve(item.report, clock_offset_ms=offset)
        return with_version(attrs.evolve(item, report=report), item.version)

    # -- ending --------------------------------------------------------------------------------

    def commit(self) -> None:
        """Queue the room's changes (numbered, with the counter), then commit it all at once."""
        entries = [
            entry
            for noted, after in self._after.items()
            for entry in room_entries(self._before[noted], after)
        ]
        if entries and not self.readonly:
            self._queue(entries)
            self._backend.crash("offline.outbox.before_commit")
        self._inner.commit()

    def rollback(self) -> None:
        """Discard everything written, the notes too."""
        self._before.clear()
        self._after.clear()
        self._inner.rollback()

    def _queue(self, entries: list[Entry]) -> None:
        first = self._claim(len(entries))
        now: datetime = self._backend.clock.now()
        queued = [
            QueuedEntry(
                stream=UP_STREAM,
                seq=first + offset,
                kind=kind,
                key=key,
                revision=revision,
                body=body,
                digest=entry_digest(kind, key, revision, body),
                queued_at=now,
            )
            for offset, (kind, key, revision, body) in enumerate(entries)
        ]
        self._inner.insert(SYNC_QUEUE, queued)

    def _claim(self, count: int) -> int:
        """Raise the counter by *count* over the version read; return the first number."""
        for _ in range(RETRIES):
            station = self._backend.station_of(self._inner)
            raised = attrs.evolve(
                station, up_queued=station.up_queued + count, version=station.version + 1
            )
            try:
                self._inner.replace(STATIONS, raised, version=station.version)
            except ConcurrentModification:
                continue
            return station.up_queued + 1
        raise StorageError("storage.busy")
