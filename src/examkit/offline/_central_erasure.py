"""Centrally: an erasure reaching the offline server that holds the group (PRIV-3).

A person erased centrally while a group that names them is held by an
offline server must be erased there too. :func:`queue_erasure` queues, in
``down:<server>``, each record the erasure removed (body ``None``: the
server removes it; an attempt the room has touched stays, as a conflict)
or changed (the group without the candidate), each at a revision above
the one queued before, so the server applies it as it applies any down
entry (:func:`~examkit.offline.apply_down`): once, in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.offline._central_handover import down_body, queued_kind
from examkit.offline._model import AppliedKey, QueuedEntry, SyncMark
from examkit.offline._protocol import DOWN_KINDS, down_stream, entry_digest

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

__all__ = ["queue_erasure"]


def queue_erasure(
    uow: UnitOfWork,
    server: str,
    changes: Iterable[tuple[str, str, Any]],
    now: datetime,
) -> int:
    """Queue for *server* the erasure's *changes*: ``(kind, key, record or None)``.

    Only the kinds a server holds (:data:`~examkit.offline.DOWN_KINDS`) and
    only keys queued to it before go down: what it never had, it need not
    forget. Returns how many entries were queued.

    Implements PRIV-3 and SCH-8.
    """
    wanted = [(kind, key, record) for kind, key, record in changes if kind in DOWN_KINDS]
    names = [f"{queued_kind(server, kind)}|{key}" for kind, key, _ in wanted]
    queued = uow.sync_applied_keys.get_many(names)
    mark = uow.sync_marks.get_many([server]).get(server)
    before = mark if mark is not None else SyncMark(server)
    seq, entries = before.down_queued, []
    for (kind, key, record), name in zip(wanted, names, strict=True):
        sent = queued.get(name)
        if sent is None:
            continue
        seq += 1
        revision = sent.revision + 1 if record is None else max(record.version, sent.revision + 1)
        body = None if record is None else down_body(kind, record)
        entries.append(
            QueuedEntry(
                stream=down_stream(server),
                seq=seq,
                kind=kind,
                key=key,
                revision=revision,
                body=body,
                digest=entry_digest(kind, key, revision, body),
                queued_at=now,
            )
        )
        uow.sync_applied_keys.update(
            attrs.evolve(AppliedKey(sent.kind, key, revision, server, seq), version=sent.version)
        )
    if entries:
        uow.sync_queue.add_many(entries)
        after = attrs.evolve(before, down_queued=seq)
        if mark is None:
            uow.sync_marks.add(after)
        else:
            uow.sync_marks.update(after)
    return len(entries)
