"""The sync protocol's requests and replies as values, to and from their JSON (SCH-8).

Both peers use them: the central endpoint reads requests and writes replies,
the offline server's client writes requests and reads replies. Reading
checks every field and refuses a malformed message with an
:class:`~examkit.errors.InvalidInput` naming the field
(``offline.wire.field``), never a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from json.encoder import encode_basestring  # what the encoder writes a text with
from typing import Any, Final, Self

import attrs

from examkit.errors import InvalidInput
from examkit.offline._model import QueuedEntry, SyncConflict
from examkit.offline._protocol import MAX_BATCH

_MAX_INT: Final = 2**53 - 1


def _field(data: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    """Return field *name* of *data*: text, a list, or a whole number from 0 (*kind* int)."""
    value = data.get(name)
    whole = type(value) is int and 0 <= value <= _MAX_INT
    if not (whole if kind is int else isinstance(value, kind)):
        raise InvalidInput("offline.wire.field", field=f"{where}{name}")
    return value


def _object(data: object, where: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("offline.wire.field", field=where.rstrip(".") or "body")
    return data


def _time(data: Mapping[str, Any], name: str, where: str) -> datetime:
    text = _field(data, name, str, where)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput("offline.wire.field", field=f"{where}{name}")
    return moment


def _text(value: str, limit: int = 200) -> bool:
    return bool(value) and len(value) <= limit


@attrs.frozen
class WireEntry:
    """One queued entry as it travels: ``{"seq", "kind", "key", "revision", "body", "digest"}``.

    Implements SCH-8.
    """

    seq: int
    """Its number in its stream."""
    kind: str
    """What it sets."""
    key: str
    """The natural key it sets."""
    revision: int
    """Its revision of that key."""
    body: Any
    """What it sets (JSON data; ``None``: removed)."""
    digest: str
    """The SHA-256 of its content (:func:`~examkit.offline.entry_digest`)."""

    @classmethod
    def of(cls, entry: QueuedEntry) -> WireEntry:
        """Return stored *entry* as it travels."""
        return cls(entry.seq, entry.kind, entry.key, entry.revision, entry.body, entry.digest)

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "key": self.key,
            "revision": self.revision,
            "body": self.body,
            "digest": self.digest,
        }

    @classmethod
    def from_json(cls, data: object, where: str = "") -> Self:
        """Return the entry *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field``: a field is missing or of the wrong kind.
        """
        if type(data) is dict:  # the common case at once: every field as it must be
            seq, kind, key = data.get("seq"), data.get("kind"), data.get("key")
            revision, digest = data.get("revision"), data.get("digest")
            if (
                type(seq) is int
                and 1 <= seq <= _MAX_INT
                and type(revision) is int
                and 0 <= revision <= _MAX_INT
                and type(kind) is str
                and 0 < len(kind) <= 1000
                and type(key) is str
                and 0 < len(key) <= 1000
                and type(digest) is str
                and 0 < len(digest) <= 64
            ):
                return cls(seq, kind, key, revision, data.get("body"), digest)
        return cls.by_field(data, where)

    @classmethod
    def by_field(cls, data: object, where: str = "") -> Self:
        """Return the entry *data* describes, checked field by field (:meth:`from_json`'s rules).

        Raises:
            InvalidInput: ``offline.wire.field``, naming the first field missing or wrong.
        """
        found = _object(data, where)
        seq = _field(found, "seq", int, where)
        if seq < 1:
            raise InvalidInput("offline.wire.field", field=f"{where}seq")
        texts = {}
        for name in ("kind", "key"):
            texts[name] = _field(found, name, str, where)
            if not _text(texts[name], 1000):
                raise InvalidInput("offline.wire.field", field=f"{where}{name}")
        revision = _field(found, "revision", int, where)
        digest = _field(found, "digest", str, where)
        if not _text(digest, 64):
            raise InvalidInput("offline.wire.field", field=f"{where}digest")
        return cls(seq, texts["kind"], texts["key"], revision, found.get("body"), digest)


_TEXT_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_STRING: Final = r'"(?:[^"\\\x00-\x1f]|\\.)*"'
_STORED_TAIL: Final = re.compile(
    rf',"digest":("[0-9a-f]{{1,64}}"),"key":({_STRING}),"kind":({_STRING}),'
    rf'"queued_at":"[0-9T:.+-]*","revision":(0|[1-9][0-9]{{0,15}}),"seq":([1-9][0-9]{{0,15}}),'
    rf'"stream":({_STRING})\}}'
)
"""What follows a stored queued entry's body: its other fields, in sorted order."""


def entry_text(entry: QueuedEntry) -> str:
    """Return the JSON text of queued *entry* as it travels (:meth:`WireEntry.to_json`'s data).

    Compact and not ASCII-escaped (the request travels as UTF-8).
    """
    return _TEXT_ENCODER.encode(WireEntry.of(entry).to_json())


def entry_text_of_stored(stored: str, stream: str, seq: int) -> str | None:
    """Return the wire text of entry *seq* of *stream* from its stored JSON, or ``None``.

    *stored* is the queued entry's JSON as the SQL backend stores it (the
    converter's, keys sorted, compact: capability ``stored_json``):
    ``{"body":…,"digest":…,"key":…,"kind":…,"queued_at":…,"revision":…,"seq":…,"stream":…}``.
    Its body, digest, key, kind, revision and number are passed through as
    they are, undecoded (the number and stream checked against those asked),
    in :meth:`WireEntry.to_json`'s order: JSON that reads as :func:`entry_text`'s
    (a property test holds them equal). Text of any other shape gives
    ``None``: the caller decodes that entry.

    The last ``,"digest":"`` of the text is the entry's own: within a JSON
    text a quote after a letter or a comma is never inside a string, and
    after the body come only the fields matched here.
    """
    if not stored.startswith('{"body":'):
        return None
    at = stored.rfind(',"digest":"')
    if at < 9:
        return None
    tail = _STORED_TAIL.fullmatch(stored, at)
    if tail is None:
        return None
    digest, key, kind, revision, number, where = tail.groups()
    if number != str(seq) or where != encode_basestring(stream):
        return None
    body = stored[8:at]
    return (
        f'{{"seq":{number},"kind":{kind},"key":{key},"revision":{revision},'
        f'"body":{body},"digest":{digest}}}'
    )


def _entries(data: Mapping[str, Any]) -> tuple[WireEntry, ...]:
    found = _field(data, "entries", list, "")
    if len(found) > MAX_BATCH:
        raise InvalidInput("offline.wire.batch", field="entries", maximum=MAX_BATCH)
    return tuple(WireEntry.from_json(item, f"entries[{n}].") for n, item in enumerate(found))


@attrs.frozen
class WireConflict:
    """A conflict as a reply reports it.

    Implements SCH-8.
    """

    id: str
    """The conflict's id."""
    kind: str
    """The entry kind."""
    key: str
    """The natural key."""
    seq: int
    """The entry's number (0: not from an entry)."""
    reason: str
    """The catalogue code (``offline.conflict.*``)."""
    detail: str = ""
    """What each side holds, briefly."""

    @classmethod
    def of(cls, conflict: SyncConflict) -> WireConflict:
        """Return stored *conflict* as it travels."""
        return cls(
            conflict.id, conflict.kind, conflict.key, conflict.seq, conflict.reason, conflict.detail
        )

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, data: object, where: str = "") -> Self:
        """Return the conflict *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field``.
        """
        found = _object(data, where)
        return cls(
            id=_field(found, "id", str, where),
            kind=_field(found, "kind", str, where),
            key=_field(found, "key", str, where),
            seq=_field(found, "seq", int, where),
            reason=_field(found, "reason", str, where),
            detail=_field(found, "detail", str, where),
        )


@attrs.frozen
class UpRequest:
    """``POST /v1/up``: the next entries of the offline server's up stream.

    Implements SCH-8.
    """

    server: str
    """The sending server's id."""
    entries: tuple[WireEntry, ...]
    """At most :data:`~examkit.offline.MAX_BATCH` entries, in order."""
    sent_at: datetime
    """When it was sent (the offline server's clock)."""
    backlog: int
    """How many entries wait to be sent, these included."""
    clock_offset_ms: int | None = None
    """The offline server's own measurement of its clock offset at its last exchange, if any
    (an addition to the design's fields, optional: central records it when given)."""

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        data: dict[str, Any] = {
            "server": self.server,
            "entries": [entry.to_json() for entry in self.entries],
            "sent_at": self.sent_at.isoformat(),
            "backlog": self.backlog,
        }
        if self.clock_offset_ms is not None:
            data["clock_offset_ms"] = self.clock_offset_ms
        return data

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Return the request *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field`` or ``offline.wire.batch``.
        """
        found = _object(data, "")
        return cls(
            server=_field(found, "server", str, ""),
            entries=_entries(found),
            sent_at=_time(found, "sent_at", ""),
            backlog=_field(found, "backlog", int, ""),
            clock_offset_ms=_offset(found),
        )


def up_request_text(
    server: str,
    entries: Sequence[str],
    sent_at: datetime,
    backlog: int,
    clock_offset_ms: int | None = None,
) -> str:
    """Return the JSON text of an up request whose *entries* are given as their wire texts.

    JSON that reads as ``UpRequest(server, <the entries>, sent_at, backlog,
    clock_offset_ms).to_json()`` (a test holds them equal): the entries'
    texts (:func:`entry_text`, :func:`entry_text_of_stored`) are joined as
    they are, the other fields encoded around them.
    """
    head: dict[str, Any] = {
        "server": server,
        "sent_at": sent_at.isoformat(),
        "backlog": backlog,
    }
    if clock_offset_ms is not None:
        head["clock_offset_ms"] = clock_offset_ms
    return f'{_TEXT_ENCODER.encode(head)[:-1]},"entries":[{",".join(entries)}]}}'


def _offset(data: Mapping[str, Any]) -> int | None:
    value = data.get("clock_offset_ms")
    if value is not None and (type(value) is not int or abs(value) > _MAX_INT):
        raise InvalidInput("offline.wire.field", field="clock_offset_ms")
    return value


@attrs.frozen
class UpReply:
    """The answer to ``POST /v1/up``: the high-water mark, central's clock, the conflicts.

    Implements SCH-8.
    """

    high_water: int
    """The highest up number applied; every number up to it is applied."""
    received_at: datetime
    """When the request arrived (the central clock)."""
    replied_at: datetime
    """When the reply left, after the commit (the central clock)."""
    conflicts: tuple[WireConflict, ...] = ()
    """The conflicts this batch found."""

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        return {
            "high_water": self.high_water,
            "received_at": self.received_at.isoformat(),
            "replied_at": self.replied_at.isoformat(),
            "conflicts": [conflict.to_json() for conflict in self.conflicts],
        }

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Return the reply *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field``.
        """
        found = _object(data, "")
        conflicts = _field(found, "conflicts", list, "")
        return cls(
            high_water=_field(found, "high_water", int, ""),
            received_at=_time(found, "received_at", ""),
            replied_at=_time(found, "replied_at", ""),
            conflicts=tuple(
                WireConflict.from_json(item, f"conflicts[{n}].") for n, item in enumerate(conflicts)
            ),
        )


@attrs.frozen
class DownRequest:
    """``POST /v1/down``: the highest down number the offline server applied.

    Implements SCH-8.
    """

    server: str
    """The asking server's id."""
    applied: int
    """Its down high-water mark."""
    sent_at: datetime
    """When it was sent (the offline server's clock)."""
    clock_offset_ms: int | None = None
    """The offline server's own measurement of its clock offset at its last exchange, if any
    (optional, as in :class:`UpRequest`)."""

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        data: dict[str, Any] = {
            "server": self.server,
            "applied": self.applied,
            "sent_at": self.sent_at.isoformat(),
        }
        if self.clock_offset_ms is not None:
            data["clock_offset_ms"] = self.clock_offset_ms
        return data

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Return the request *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field``.
        """
        found = _object(data, "")
        return cls(
            server=_field(found, "server", str, ""),
            applied=_field(found, "applied", int, ""),
            sent_at=_time(found, "sent_at", ""),
            clock_offset_ms=_offset(found),
        )


@attrs.frozen
class DownReply:
    """The answer to ``POST /v1/down``: the next down entries and central's clock.

    Implements SCH-8.
    """

    entries: tuple[WireEntry, ...]
    """At most :data:`~examkit.offline.MAX_BATCH` entries above the applied mark, in order."""
    queued: int
    """The highest down number queued for the server."""
    received_at: datetime
    """When the request arrived (the central clock)."""
    replied_at: datetime
    """When the reply left (the central clock)."""

    def to_json(self) -> dict[str, Any]:
        """Return it as JSON data."""
        return {
            "entries": [entry.to_json() for entry in self.entries],
            "queued": self.queued,
            "received_at": self.received_at.isoformat(),
            "replied_at": self.replied_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Return the reply *data* describes.

        Raises:
            InvalidInput: ``offline.wire.field`` or ``offline.wire.batch``.
        """
        found = _object(data, "")
        return cls(
            entries=_entries(found),
            queued=_field(found, "queued", int, ""),
            received_at=_time(found, "received_at", ""),
            replied_at=_time(found, "replied_at", ""),
        )


def clock_offset_ms(
    sent_at: datetime, received_at: datetime, replied_at: datetime, receipt: datetime
) -> int:
    """Return the offline clock minus the central clock in ms, as NTP measures it.

    *sent_at* (t0) and *receipt* (t3) on the offline clock, *received_at*
    (t1) and *replied_at* (t2) on the central clock:
    ``((t0 - t1) + (t3 - t2)) / 2``.

    >>> from datetime import timedelta
    >>> t0 = datetime.fromisoformat("2026-05-12T07:00:10+00:00")
    >>> t1 = t0 - timedelta(seconds=10) + timedelta(milliseconds=20)
    >>> clock_offset_ms(t0, t1, t1 + timedelta(milliseconds=5), t0 + timedelta(milliseconds=45))
    10000

    Implements SCH-8.
    """
    total = (sent_at - received_at) + (receipt - replied_at)
    return round(total.total_seconds() * 1000 / 2)
