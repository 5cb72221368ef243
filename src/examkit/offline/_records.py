"""The offline synchronisation's records as stored: declared once, for every backend."""

from __future__ import annotations

from typing import Final

from examkit.offline._model import (
    AppliedKey,
    ExamPackage,
    InboxEntry,
    PackageChunk,
    QueuedEntry,
    ServerCredential,
    StationState,
    SyncConflict,
    SyncMark,
    sequence_key,
)
from examkit.storage import Index, Records, RecordType

SERVER_CREDENTIALS: Final = RecordType(
    "offline_credentials", ServerCredential, kind="offline credential", key=lambda item: item.server
)
"""Centrally: each offline server's credential (a digest), by server."""

SYNC_QUEUE: Final = RecordType(
    "sync_queue",
    QueuedEntry,
    kind="sync entry",
    key=lambda item: item.id,
    indexes=(Index("stream", lambda item: item.stream),),
)
"""Both sides: the entries waiting to be sent, by stream; listed by number (the key)."""

SYNC_INBOX: Final = RecordType(
    "sync_inbox",
    InboxEntry,
    kind="received sync entry",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
)
"""Centrally: every up entry received, by server; listed by number (the key)."""

APPLIED_KEYS: Final = RecordType(
    "sync_applied_keys",
    AppliedKey,
    kind="synchronised key",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
)
"""Both sides: the revision applied per natural key (one row per key), by server."""

SYNC_MARKS: Final = RecordType(
    "sync_marks", SyncMark, kind="sync mark", key=lambda item: item.server
)
"""Centrally: each offline server's high-water marks, last sync and clock offset."""

STATIONS: Final = RecordType(
    "offline_stations", StationState, kind="offline station", key=lambda item: item.server
)
"""On the offline server: its one station state (link, counters, last sync)."""

SYNC_CONFLICTS: Final = RecordType(
    "sync_conflicts",
    SyncConflict,
    kind="sync conflict",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
)
"""Both sides: the conflicts found, by server."""

EXAM_PACKAGES: Final = RecordType(
    "exam_packages",
    ExamPackage,
    kind="exam package",
    key=lambda item: item.digest,
    indexes=(Index("exam", lambda item: item.exam),),
)
"""Both sides: exam packages by digest, and by test."""

PACKAGE_CHUNKS: Final = RecordType(
    "package_chunks",
    PackageChunk,
    kind="exam package chunk",
    key=lambda item: item.id,
    indexes=(Index("digest", lambda item: item.digest),),
)
"""Both sides: the packages' content in chunks, by package; listed by index (the key)."""


class QueueRecords(Records[str, QueuedEntry]):
    """The queued entries of every stream."""

    def after(self, stream: str, seq: int, *, limit: int) -> tuple[QueuedEntry, ...]:
        """Return at most *limit* entries of *stream* numbered above *seq*, in order.

        Hands back nothing at or below *seq* (keyset paging on the key); but on
        SQL the database reaches the rows by the stream's index and sorts them,
        reading every entry of the stream (``benchmarks/offline_sync.py``):
        a sender that knows its numbers reads them with :meth:`numbered`.
        """
        found = self._tx.find(
            self.record,
            where={"stream": stream},
            after=sequence_key(stream, seq),
            limit=limit,
        )
        return tuple(found)

    def numbered(self, stream: str, first: int, last: int) -> tuple[QueuedEntry, ...]:
        """Return the entries of *stream* numbered *first* to *last*, in order, by their keys.

        For a sender that knows its counters (numbers are contiguous): it reads
        those entries by key and nothing else, whatever the database's indexes
        (none when *first* is above *last*). Stops before the first number
        missing.
        """
        if first > last:
            return ()
        keys = [sequence_key(stream, seq) for seq in range(first, last + 1)]
        found = self.get_many(keys)
        entries: list[QueuedEntry] = []
        for key in keys:
            entry = found.get(key)
            if entry is None:
                break
            entries.append(entry)
        return tuple(entries)


class InboxRecords(Records[str, InboxEntry]):
    """The up entries received centrally."""

    def after(self, server: str, seq: int, *, limit: int) -> tuple[InboxEntry, ...]:
        """Return at most *limit* entries of *server* numbered above *seq*, in order."""
        found = self._tx.find(
            self.record,
            where={"server": server},
            after=sequence_key(server, seq),
            limit=limit,
        )
        return tuple(found)


class ConflictRecords(Records[str, SyncConflict]):
    """The conflicts found."""

    def for_server(self, server: str) -> tuple[SyncConflict, ...]:
        """Return the conflicts of *server*, by id."""
        return self._find({"server": server})


class PackageRecords(Records[str, ExamPackage]):
    """The exam packages."""

    def of_exam(self, exam: str) -> tuple[ExamPackage, ...]:
        """Return the packages of the test *exam* stored here, by digest."""
        return self._find({"exam": exam})


class ChunkRecords(Records[str, PackageChunk]):
    """The packages' chunks."""

    def of_package(self, digest: str) -> tuple[PackageChunk, ...]:
        """Return the chunks of the package *digest* stored here, by index."""
        return self._find({"digest": digest})
