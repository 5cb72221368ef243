"""The offline synchronisation's queued and received entries' stored JSON, written out.

``benchmarks/offline_sync.py`` uploads a day's results (84,120 entries);
every entry is read from the offline server's queue once and stored in the
central inbox once, and the converter's generated codecs for these two
values cost about a fifth of the upload. These produce and read exactly
what :func:`examkit.converter.unstructure` and
:func:`examkit.converter.structure` do (a property test holds them equal);
stored data of another shape goes through the converter, with its checks
and its errors.
"""

from __future__ import annotations

import json
from datetime import datetime
from json.encoder import encode_basestring  # what the encoder writes a text with
from typing import Any, Final

from examkit.backends.sql._written import read_written
from examkit.offline import InboxEntry, QueuedEntry

_QUEUED_KEYS: Final = frozenset(
    {"stream", "seq", "kind", "key", "revision", "body", "digest", "queued_at"}
)
_INBOX_KEYS: Final = frozenset({"server", "seq", "kind", "key", "digest", "applied_at", "effect"})


def _whole(value: object) -> int:
    if type(value) is not int:
        raise TypeError
    return value


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError
    return value


def queued_data(entry: QueuedEntry) -> dict[str, Any]:
    """Return *entry* without its version, as the converter unstructures it."""
    return {
        "stream": entry.stream,
        "seq": entry.seq,
        "kind": entry.kind,
        "key": entry.key,
        "revision": entry.revision,
        "body": entry.body,
        "digest": entry.digest,
        "queued_at": entry.queued_at.isoformat(),
    }


def queued_from_data(data: dict[str, Any], version: int) -> QueuedEntry:
    """Return the queued entry stored as *data* at *version*."""
    return read_written(QueuedEntry, _QUEUED_KEYS, _queued, data, version)


def _queued(data: dict[str, Any], version: int) -> QueuedEntry:
    return QueuedEntry(
        stream=_text(data["stream"]),
        seq=_whole(data["seq"]),
        kind=_text(data["kind"]),
        key=_text(data["key"]),
        revision=_whole(data["revision"]),
        body=data["body"],
        digest=_text(data["digest"]),
        queued_at=datetime.fromisoformat(data["queued_at"]),
        version=version,
    )


def inbox_data(entry: InboxEntry) -> dict[str, Any]:
    """Return *entry* without its version, as the converter unstructures it."""
    return {
        "server": entry.server,
        "seq": entry.seq,
        "kind": entry.kind,
        "key": entry.key,
        "digest": entry.digest,
        "applied_at": entry.applied_at.isoformat(),
        "effect": entry.effect,
    }


def inbox_text(entry: InboxEntry) -> tuple[str, bool]:
    """Return *entry*'s stored JSON text: encoding :func:`inbox_data`, written out.

    The same text (keys sorted, compact, not ASCII-escaped: a property test
    holds them equal); a batch's entries share their time, written once.
    The second value says whether reading it gives back an equal entry (the
    inbox is not a reused record: nothing is kept).
    """
    if not (
        type(entry.seq) is int
        and type(entry.server) is str
        and type(entry.kind) is str
        and type(entry.key) is str
        and type(entry.digest) is str
        and type(entry.effect) is str
    ):
        return _ENCODER.encode(inbox_data(entry)), False
    applied_at = _LAST_TIME.isoformat(entry.applied_at)
    # an ISO 8601 moment holds digits, "-", ":", "+", "." and "T": nothing JSON escapes
    return (
        f'{{"applied_at":"{applied_at}","digest":{encode_basestring(entry.digest)},'
        f'"effect":{encode_basestring(entry.effect)},"key":{encode_basestring(entry.key)},'
        f'"kind":{encode_basestring(entry.kind)},"seq":{entry.seq},'
        f'"server":{encode_basestring(entry.server)}}}'
    ), True


class _LastTime:
    """The last moment written and its ISO text: the entries of a batch share their time."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[datetime | None, str] = (None, "")

    def isoformat(self, moment: datetime) -> str:
        """Return ``moment.isoformat()``, made once for the same moment object."""
        last = self._last
        if last[0] is moment:
            return last[1]
        text = moment.isoformat()
        self._last = (moment, text)
        return text


_LAST_TIME: Final = _LastTime()
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def inbox_from_data(data: dict[str, Any], version: int) -> InboxEntry:
    """Return the received entry stored as *data* at *version*."""
    return read_written(InboxEntry, _INBOX_KEYS, _inbox, data, version)


def _inbox(data: dict[str, Any], version: int) -> InboxEntry:
    return InboxEntry(
        server=_text(data["server"]),
        seq=_whole(data["seq"]),
        kind=_text(data["kind"]),
        key=_text(data["key"]),
        digest=_text(data["digest"]),
        applied_at=datetime.fromisoformat(data["applied_at"]),
        effect=_text(data["effect"]),
        version=version,
    )
