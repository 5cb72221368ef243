"""The offline synchronisation's records as stored: declared once, for every backend."""

from __future__ import annotations

from functools import partial
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
from examkit.offline._wire import entry_text, entry_text_of_stored
from examkit.storage import VERSION_FIELD, Index, NotPersonal, Personal, Records, RecordType

_SYNCED: Final = Personal(
    purpose="which candidate's attempt or answer a synchronised entry concerns (its natural key "
    "holds the candidate's id)",
    basis="public_task",
    retention="offline_sync",
    audience=("administrator", "operator", "offline_server"),
)


_acted: Final = partial(
    Personal, basis="public_task", retention="offline_sync", audience=("administrator", "operator")
)
"""The account that acted on the synchronisation (issued a credential, resolved a conflict):
give it the purpose."""


SERVER_CREDENTIALS: Final = RecordType(
    "offline_credentials",
    ServerCredential,
    kind="offline credential",
    key=lambda item: item.server,
    privacy={
        "server": NotPersonal("the offline server's id"),
        "secret_digest": NotPersonal("the keyed digest of the server's secret"),
        "issued_at": NotPersonal("when the credential was issued"),
        "issued_by": _acted("the account that issued the offline server's credential"),
        "revoked_at": NotPersonal("when the credential was revoked"),
        "location": NotPersonal("the server's location when it was issued"),
        "version": VERSION_FIELD,
    },
)
"""Centrally: each offline server's credential (a digest), by server."""

SYNC_QUEUE: Final = RecordType(
    "sync_queue",
    QueuedEntry,
    kind="sync entry",
    key=lambda item: item.id,
    indexes=(Index("stream", lambda item: item.stream),),
    privacy={
        "stream": NotPersonal("the stream: up, or down to one offline server"),
        "seq": NotPersonal("the entry's number in its stream"),
        "kind": NotPersonal("what the entry sets (an attempt, an answer, a group)"),
        "key": _SYNCED,
        "revision": NotPersonal("the entry's order among those of its key"),
        "body": Personal(
            purpose="what the entry carries to or from the offline server: candidates, "
            "attempts, answers, session reports (SCH-8), an erased candidate's or account's "
            "pseudonym (PRIV-3)",
            basis="public_task",
            retention="offline_sync",
            audience=("offline_server", "system"),
        ),
        "digest": NotPersonal("the SHA-256 of the entry's canonical JSON"),
        "queued_at": NotPersonal("when the entry was queued"),
        "version": VERSION_FIELD,
    },
)
"""Both sides: the entries waiting to be sent, by stream; listed by number (the key)."""

SYNC_INBOX: Final = RecordType(
    "sync_inbox",
    InboxEntry,
    kind="received sync entry",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
    privacy={
        "server": NotPersonal("the offline server that sent the entry"),
        "seq": NotPersonal("the entry's number in that server's stream"),
        "kind": NotPersonal("the entry's kind"),
        "key": _SYNCED,
        "digest": NotPersonal("the entry's digest"),
        "applied_at": NotPersonal("when the entry was applied"),
        "effect": NotPersonal("applied, superseded or conflict"),
        "version": VERSION_FIELD,
    },
)
"""Centrally: every up entry received, by server; listed by number (the key)."""

APPLIED_KEYS: Final = RecordType(
    "sync_applied_keys",
    AppliedKey,
    kind="synchronised key",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
    privacy={
        "kind": NotPersonal("the entry kind"),
        "key": _SYNCED,
        "revision": NotPersonal("the highest revision applied"),
        "server": NotPersonal("the offline server the entry came from or went to"),
        "seq": NotPersonal("the number of the entry that set it"),
        "version": VERSION_FIELD,
    },
)
"""Both sides: the revision applied per natural key (one row per key), by server."""

SYNC_MARKS: Final = RecordType(
    "sync_marks",
    SyncMark,
    kind="sync mark",
    key=lambda item: item.server,
    privacy={
        "server": NotPersonal("the offline server"),
        "up_high_water": NotPersonal("a sequence number"),
        "down_queued": NotPersonal("a sequence number"),
        "down_acknowledged": NotPersonal("a sequence number"),
        "last_sync_at": NotPersonal("when the server last synchronised"),
        "clock_offset_ms": NotPersonal("the server's clock offset"),
        "backlog": NotPersonal("how many entries were waiting"),
        "version": VERSION_FIELD,
    },
)
"""Centrally: each offline server's high-water marks, last sync and clock offset."""

STATIONS: Final = RecordType(
    "offline_stations",
    StationState,
    kind="offline station",
    key=lambda item: item.server,
    privacy={
        "server": NotPersonal("the offline server's own id"),
        "central_url": NotPersonal("the central system's address"),
        "up_queued": NotPersonal("a sequence number"),
        "up_acknowledged": NotPersonal("a sequence number"),
        "down_high_water": NotPersonal("a sequence number"),
        "last_sync_at": NotPersonal("when the last sync completed"),
        "last_attempt_at": NotPersonal("when the last sync was tried"),
        "last_error": NotPersonal("the last failed sync's error code"),
        "clock_offset_ms": NotPersonal("the station's clock offset"),
        "version": VERSION_FIELD,
    },
)
"""On the offline server: its one station state (link, counters, last sync)."""

SYNC_CONFLICTS: Final = RecordType(
    "sync_conflicts",
    SyncConflict,
    kind="sync conflict",
    key=lambda item: item.id,
    indexes=(Index("server", lambda item: item.server),),
    privacy={
        "id": NotPersonal("the conflict's id: server, number and reason"),
        "server": NotPersonal("the offline server concerned"),
        "kind": NotPersonal("the entry kind"),
        "key": _SYNCED,
        "seq": NotPersonal("the entry's number"),
        "reason": NotPersonal("the catalogue code of what conflicts"),
        "detected_at": NotPersonal("when it was detected"),
        "detail": Personal(
            purpose="what each side of the conflict holds, briefly (the ids of the candidates "
            "and records concerned, no other personal data)",
            basis="public_task",
            retention="offline_sync",
            audience=("administrator", "operator"),
        ),
        "resolved_at": NotPersonal("when someone dealt with it"),
        "resolved_by": _acted("the account that dealt with the conflict"),
        "version": VERSION_FIELD,
    },
)
"""Both sides: the conflicts found, by server."""

EXAM_PACKAGES: Final = RecordType(
    "exam_packages",
    ExamPackage,
    kind="exam package",
    key=lambda item: item.digest,
    indexes=(Index("exam", lambda item: item.exam),),
    privacy={
        "digest": NotPersonal("the content's SHA-256"),
        "exam": NotPersonal("the test's code"),
        "size": NotPersonal("the content's length"),
        "chunk_size": NotPersonal("the chunks' length"),
        "media_type": NotPersonal("the content's media type"),
        "published_at": NotPersonal("when it was published"),
        "verified": NotPersonal("whether the content is complete and matches"),
        "version": VERSION_FIELD,
    },
)
"""Both sides: exam packages by digest, and by test."""

PACKAGE_CHUNKS: Final = RecordType(
    "package_chunks",
    PackageChunk,
    kind="exam package chunk",
    key=lambda item: item.id,
    indexes=(Index("digest", lambda item: item.digest),),
    privacy={
        "digest": NotPersonal("the package's digest"),
        "index": NotPersonal("the chunk's place"),
        "data": NotPersonal("the test's content (items, media), no one's answers"),
        "version": VERSION_FIELD,
    },
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

    def wire_texts(self, stream: str, first: int, last: int) -> tuple[str, ...]:
        """Return the JSON texts of the entries :meth:`numbered` returns, as they travel.

        Each is :func:`~examkit.offline.entry_text` of its entry, or JSON that
        reads the same. A store with capability ``stored_json`` (SQL) is read
        in one statement, each entry's stored text passed through
        (:func:`~examkit.offline.entry_text_of_stored`, no entry decoded or
        built: a sender holds strings while it waits for the reply); the
        entries of another shape, and any other store's, are read and
        encoded.
        """
        if first > last:
            return ()
        stored = self._tx.capability("stored_json")
        if stored is None:
            return tuple(entry_text(entry) for entry in self.numbered(stream, first, last))
        rows = stored.between(self.record, sequence_key(stream, first), sequence_key(stream, last))
        texts: list[str | None] = []
        seq, wanted = first, sequence_key(stream, first)
        for key, text in rows:
            if key != wanted:
                if key < wanted:
                    continue  # another stream's key between the bounds
                break  # a number missing: stop before it
            texts.append(entry_text_of_stored(text, stream, seq))
            seq += 1
            wanted = sequence_key(stream, seq)
        if None in texts:
            others = [sequence_key(stream, first + n) for n, text in enumerate(texts) if not text]
            decoded = self.get_many(others)
            texts = [
                text or entry_text(decoded[sequence_key(stream, first + n)])
                for n, text in enumerate(texts)
            ]
        return tuple(text for text in texts if text is not None)


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
