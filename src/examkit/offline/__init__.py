"""Offline servers that synchronise: exam packages down, results up (SCH-7, SCH-8).

A school runs an offline server (*FAO*) so that a session survives a bad
internet connection: an examkit instance on its own local store (SQLite by
default) running the portal's exam-day screens, with a sync client. The
central system exposes a sync endpoint beside its portal.

Ownership is single and stated:

=====================  ======================================================
Owner                  What
=====================  ======================================================
central system         institutions, accounts and their grants, tests, exam
                       packages, candidates, groups as planned, planned
                       attempts (sent *down*)
offline server         what happened in the room: sign-ins, answers,
                       interventions, late saves, the group's state and the
                       session report (sent *up*)
=====================  ======================================================

A group handed to an offline server is held by it
(:attr:`~examkit.scheduling.TestSessionGroup.held_by`): read-only centrally
until its closed state has synchronised back. Nothing is merged by "last
writer wins": a real conflict is stored on both sides
(:class:`SyncConflict`) and shown in the portal.

Both directions use the same mechanism: a queue of entries with contiguous
sequence numbers, written in the same transaction as the change
(:class:`QueuedEntry`); the receiver applies each entry together with its
high-water mark and an inbox record in the same transaction as the effect,
on natural keys with set semantics (:data:`UP_KINDS`, :data:`DOWN_KINDS`).

Implements SCH-7 and SCH-8.
"""

from typing import TYPE_CHECKING

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
from examkit.offline._packages import (
    PUBLISH,
    ExamPackages,
    assemble_verified,
    check_digest,
    content_digest,
    missing_from,
    read_range,
    store_chunk,
    verified_content,
)
from examkit.offline._protocol import (
    CHUNK_SIZE,
    CRASH_POINTS,
    DOWN_KINDS,
    DOWN_PATH,
    MAX_BATCH,
    PACKAGES_PATH,
    PROTOCOL,
    UP_KINDS,
    UP_PATH,
    UP_STREAM,
    CrashHook,
    canonical_json,
    down_stream,
    entry_digest,
)
from examkit.offline._records import (
    APPLIED_KEYS,
    EXAM_PACKAGES,
    PACKAGE_CHUNKS,
    SERVER_CREDENTIALS,
    STATIONS,
    SYNC_CONFLICTS,
    SYNC_INBOX,
    SYNC_MARKS,
    SYNC_QUEUE,
    ChunkRecords,
    ConflictRecords,
    InboxRecords,
    PackageRecords,
    QueueRecords,
)
from examkit.offline._wire import (
    DownReply,
    DownRequest,
    UpReply,
    UpRequest,
    WireConflict,
    WireEntry,
    clock_offset_ms,
    entry_text,
    entry_text_of_stored,
    up_request_text,
)

if TYPE_CHECKING:
    from examkit.offline._account_erasure import (
        ACCOUNT_COUNTERS,
        ACCOUNT_RECORDS,
        ACCOUNT_TOKENS,
        AccountErasure,
        account_names,
        erase_account_here,
        forget_sign_ins,
    )
    from examkit.offline._central import (
        CREDENTIAL_PREFIX,
        HandOver,
        LocationServers,
        OfflineSync,
        ServerSync,
        ServerSyncStatus,
    )
    from examkit.offline._central_erasure import queue_erasure, servers_sent
    from examkit.offline._central_handover import master_records, queued_kind
    from examkit.offline._central_up import HELD_STATES, UpBatch, apply_batch, check_entries
    from examkit.offline._down import DownResult, apply_down, room_touched
    from examkit.offline._erasure import CandidateErasure, candidate_names, erase_here
    from examkit.offline._outbox import OutboxBackend, room_entries
    from examkit.offline._station import OfflineStation, StationStatus, SyncReport
else:
    from examkit import _lazy

    # The central side's and the offline server's parts sit above the records
    # (examkit.records), which import this package's values: they are imported on first
    # use (imported here, they made `import examkit.records` alone a circular import).
    __getattr__, __dir__ = _lazy.exports(
        __name__,
        {
            "ACCOUNT_COUNTERS": "examkit.offline._account_erasure",
            "ACCOUNT_RECORDS": "examkit.offline._account_erasure",
            "ACCOUNT_TOKENS": "examkit.offline._account_erasure",
            "AccountErasure": "examkit.offline._account_erasure",
            "account_names": "examkit.offline._account_erasure",
            "erase_account_here": "examkit.offline._account_erasure",
            "forget_sign_ins": "examkit.offline._account_erasure",
            "CREDENTIAL_PREFIX": "examkit.offline._central",
            "HandOver": "examkit.offline._central",
            "LocationServers": "examkit.offline._central",
            "OfflineSync": "examkit.offline._central",
            "ServerSync": "examkit.offline._central",
            "ServerSyncStatus": "examkit.offline._central",
            "queue_erasure": "examkit.offline._central_erasure",
            "servers_sent": "examkit.offline._central_erasure",
            "master_records": "examkit.offline._central_handover",
            "queued_kind": "examkit.offline._central_handover",
            "HELD_STATES": "examkit.offline._central_up",
            "UpBatch": "examkit.offline._central_up",
            "apply_batch": "examkit.offline._central_up",
            "check_entries": "examkit.offline._central_up",
            "DownResult": "examkit.offline._down",
            "apply_down": "examkit.offline._down",
            "room_touched": "examkit.offline._down",
            "CandidateErasure": "examkit.offline._erasure",
            "candidate_names": "examkit.offline._erasure",
            "erase_here": "examkit.offline._erasure",
            "OutboxBackend": "examkit.offline._outbox",
            "room_entries": "examkit.offline._outbox",
            "OfflineStation": "examkit.offline._station",
            "StationStatus": "examkit.offline._station",
            "SyncReport": "examkit.offline._station",
        },
    )

__all__ = [
    "ACCOUNT_COUNTERS",
    "ACCOUNT_RECORDS",
    "ACCOUNT_TOKENS",
    "APPLIED_KEYS",
    "CHUNK_SIZE",
    "CRASH_POINTS",
    "CREDENTIAL_PREFIX",
    "DOWN_KINDS",
    "DOWN_PATH",
    "EXAM_PACKAGES",
    "HELD_STATES",
    "MAX_BATCH",
    "PACKAGES_PATH",
    "PACKAGE_CHUNKS",
    "PROTOCOL",
    "PUBLISH",
    "SERVER_CREDENTIALS",
    "STATIONS",
    "SYNC_CONFLICTS",
    "SYNC_INBOX",
    "SYNC_MARKS",
    "SYNC_QUEUE",
    "UP_KINDS",
    "UP_PATH",
    "UP_STREAM",
    "AccountErasure",
    "AppliedKey",
    "CandidateErasure",
    "ChunkRecords",
    "ConflictRecords",
    "CrashHook",
    "DownReply",
    "DownRequest",
    "DownResult",
    "ExamPackage",
    "ExamPackages",
    "HandOver",
    "InboxEntry",
    "InboxRecords",
    "LocationServers",
    "OfflineStation",
    "OfflineSync",
    "OutboxBackend",
    "PackageChunk",
    "PackageRecords",
    "QueueRecords",
    "QueuedEntry",
    "ServerCredential",
    "ServerSync",
    "ServerSyncStatus",
    "StationState",
    "StationStatus",
    "SyncConflict",
    "SyncMark",
    "SyncReport",
    "UpBatch",
    "UpReply",
    "UpRequest",
    "WireConflict",
    "WireEntry",
    "account_names",
    "apply_batch",
    "apply_down",
    "assemble_verified",
    "candidate_names",
    "canonical_json",
    "check_digest",
    "check_entries",
    "clock_offset_ms",
    "content_digest",
    "down_stream",
    "entry_digest",
    "entry_text",
    "entry_text_of_stored",
    "erase_account_here",
    "erase_here",
    "forget_sign_ins",
    "master_records",
    "missing_from",
    "queue_erasure",
    "queued_kind",
    "read_range",
    "room_entries",
    "room_touched",
    "sequence_key",
    "servers_sent",
    "store_chunk",
    "up_request_text",
    "verified_content",
]
