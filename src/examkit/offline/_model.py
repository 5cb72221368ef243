"""The offline synchronisation's stored values, on both sides (SCH-7, SCH-8).

Every examkit store holds every record type, so one declaration serves the
central system and the offline server (*FAO*): the central side keeps the
credentials, the inbox, the applied natural keys, the per-server marks, the
conflicts, the exam packages and each server's down queue; the offline
server keeps its up queue (the transactional outbox), its station state, the
package chunks it fetched and its own copy of the conflicts reported to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from examkit._fields import require_aware_utc


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value)


def sequence_key(stream: str, seq: int) -> str:
    """Return the key of entry *seq* of *stream*: sortable as text, in sequence order.

    >>> sequence_key("up", 7)
    'up:000000000007'

    Implements SCH-8.
    """
    return f"{stream}:{seq:012d}"


@attrs.frozen
class ServerCredential:
    """An offline server's credential, kept centrally as a keyed digest only.

    The credential reaches only the sync endpoint and only the server's own
    groups; it is revoked when the server is deactivated or deleted.

    Implements SCH-8.
    """

    server: str
    """The offline server's id, the key."""
    secret_digest: str
    """The keyed digest of the secret (:class:`examkit._digests.Digester`, purpose
    ``offline.credential``); the secret itself is shown once, when issued."""
    issued_at: datetime = attrs.field(converter=_aware)
    """When it was issued."""
    issued_by: str
    """The account that issued it."""
    revoked_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When it was revoked (``None``: valid)."""
    location: str | None = None
    """The server's location (BRIN6) when it was issued: who may see a deleted server's
    conflicts (its late uploads, refused and reported)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class QueuedEntry:
    """One entry of a queue (a stream), stored with its contiguous sequence number.

    Streams: ``up`` on the offline server (its transactional outbox: what
    happened in the room, written in the same transaction as the change);
    ``down:<server>`` centrally (master data for that server, written in the
    same transaction as the hand-over that queued it).

    Implements SCH-8.
    """

    stream: str
    """The stream: ``up`` or ``down:<server id>``."""
    seq: int
    """Its sequence number in the stream: 1, 2, 3, ... without gaps."""
    kind: str
    """What it sets (:data:`~examkit.offline.UP_KINDS`, :data:`~examkit.offline.DOWN_KINDS`)."""
    key: str
    """The natural key it sets (an attempt ``<group>:<candidate>``, an answer
    ``<group>:<candidate>:<item>``, a group's id, a record's key)."""
    revision: int
    """Its order among the entries of the same natural key (set semantics: an
    entry whose revision is not above the applied one changes nothing)."""
    body: Any
    """What it sets (JSON data), ``None`` where the key is removed."""
    digest: str
    """The SHA-256 of the entry's canonical JSON (:func:`~examkit.offline.entry_digest`)."""
    queued_at: datetime = attrs.field(converter=_aware)
    """When it was queued."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: :func:`sequence_key` of its stream and number."""
        return sequence_key(self.stream, self.seq)


@attrs.frozen
class InboxEntry:
    """Centrally: an up entry received and applied, stored with its effect.

    Implements SCH-8.
    """

    server: str
    """The offline server that sent it."""
    seq: int
    """Its sequence number in that server's up stream."""
    kind: str
    """Its kind."""
    key: str
    """Its natural key."""
    digest: str
    """Its digest: a later delivery of the same number with another digest is a conflict."""
    applied_at: datetime = attrs.field(converter=_aware)
    """When it was applied."""
    effect: str = "applied"
    """``applied``, ``superseded`` (a newer revision of the key was applied already)
    or ``conflict`` (recorded in the conflicts, not applied)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<server>:<seq>``, sortable by number."""
        return sequence_key(self.server, self.seq)


@attrs.frozen
class AppliedKey:
    """The revision applied for one natural key: one row per key, on either side.

    Implements SCH-8.
    """

    kind: str
    """The entry kind."""
    key: str
    """The natural key."""
    revision: int
    """The highest revision applied."""
    server: str
    """The offline server the entry came from (centrally) or went to (on the offline server)."""
    seq: int
    """The sequence number of the entry that set it."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<kind>|<natural key>``."""
        return f"{self.kind}|{self.key}"


@attrs.frozen
class SyncMark:
    """Centrally: where one offline server's synchronisation stands.

    Implements SCH-8.
    """

    server: str
    """The offline server, the key."""
    up_high_water: int = 0
    """The highest up sequence number applied; every number up to it is applied."""
    down_queued: int = 0
    """The highest down sequence number queued for the server."""
    down_acknowledged: int = 0
    """The highest down sequence number the server said it applied."""
    last_sync_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the server last synchronised (central clock)."""
    clock_offset_ms: int | None = None
    """The server's clock minus the central clock at the last sync, in milliseconds."""
    backlog: int = 0
    """How many up entries the server said were waiting at the last sync."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class StationState:
    """On the offline server: its link to the central system and where its sync stands.

    Implements SCH-8.
    """

    server: str
    """Its own id in the central registry, the key."""
    central_url: str
    """The central sync endpoint's base URL."""
    up_queued: int = 0
    """The highest up sequence number queued (the outbox's counter)."""
    up_acknowledged: int = 0
    """The highest up sequence number the central system applied (its high-water mark)."""
    down_high_water: int = 0
    """The highest down sequence number applied here; every number up to it is applied."""
    last_sync_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the last sync completed (own clock)."""
    last_attempt_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the last sync was tried (own clock)."""
    last_error: str = ""
    """The catalogue code of the last failed sync (empty: none)."""
    clock_offset_ms: int | None = None
    """Own clock minus the central clock at the last sync, in milliseconds."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class SyncConflict:
    """A real conflict, reported to both sides and to the portal; never merged silently.

    Implements SCH-8.
    """

    id: str
    """Its id: ``<server>:<seq>:<reason>`` (one per entry and reason)."""
    server: str
    """The offline server concerned."""
    kind: str
    """The entry kind."""
    key: str
    """The natural key."""
    seq: int
    """The sequence number of the entry (0: not from an entry)."""
    reason: str
    """The catalogue code saying what conflicts (``offline.conflict.*``)."""
    detected_at: datetime = attrs.field(converter=_aware)
    """When it was detected (the clock of the side that stores it)."""
    detail: str = ""
    """What each side holds, briefly (no personal data beyond ids)."""
    resolved_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When someone marked it dealt with."""
    resolved_by: str | None = None
    """Who did."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class ExamPackage:
    """An exam package: immutable content, addressed by its SHA-256 digest.

    Stored centrally when published; on the offline server once every chunk
    is fetched and the whole verified by its digest (*verified*).

    Implements SCH-8.
    """

    digest: str
    """The SHA-256 of the content (hex), the key."""
    exam: str
    """The test's code."""
    size: int
    """The content's length in bytes."""
    chunk_size: int
    """The length of every chunk but the last."""
    media_type: str
    """The content's media type (``application/json``, ``application/zip``)."""
    published_at: datetime = attrs.field(converter=_aware)
    """When it was published centrally."""
    verified: bool = False
    """Whether the content is complete and matches the digest (always true centrally)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def chunks(self) -> int:
        """How many chunks it has."""
        return max(1, -(-self.size // self.chunk_size))


@attrs.frozen
class PackageChunk:
    """One chunk of an exam package's content (base64 text), stored as fetched.

    Implements SCH-8.
    """

    digest: str
    """The package's digest."""
    index: int
    """Its place, from 0."""
    data: str = attrs.field(repr=False)
    """Its bytes, base64-encoded."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<digest>:<index>``, sortable by index."""
        return sequence_key(self.digest, self.index)
