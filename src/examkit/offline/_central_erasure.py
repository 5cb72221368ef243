"""Centrally: an erasure reaching the offline servers that were sent the person (PRIV-3).

A person erased centrally must be erased on every offline server that was
sent them with a group (:func:`servers_sent`: whether the group is still
held there or came back). :func:`queue_erasure` queues, in
``down:<server>``, first the candidate's ``erasure`` entry
(:class:`~examkit.offline.CandidateErasure`: the server's own trail and up
entries) or the account's ``account_erasure`` entry
(:class:`~examkit.offline.AccountErasure`: the server's own trail and the
account's sign-ins there), then each record the erasure removed (body
``None``: the server removes it) or changed (the group without the
candidate), each at a
revision above the one queued before, so the server applies them as it
applies any down entry (:func:`~examkit.offline.apply_down`): once, in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.offline._account_erasure import ACCOUNT_ERASURE, AccountErasure
from examkit.offline._central_handover import down_body, queued_kind
from examkit.offline._erasure import ERASURE, CandidateErasure
from examkit.offline._model import AppliedKey, QueuedEntry, SyncMark
from examkit.offline._protocol import DOWN_KINDS, down_stream, entry_digest
from examkit.offline._records import SYNC_MARKS

if TYPE_CHECKING:
    from examkit.records import RecordsUnit, UnitOfWork

__all__ = ["queue_erasure", "servers_sent"]


def servers_sent(uow: RecordsUnit, key: str, kind: str = "candidates") -> tuple[str, ...]:
    """Return the offline servers whose down stream carried record *key* of *kind*, sorted.

    A server holds a candidate (or an account: *kind* ``accounts``) from the
    hand-over that sent it on, whether it still holds the group or brought
    it back: the revision queued per record and server (an
    :class:`~examkit.offline.AppliedKey` of kind ``down:<server>:<kind>``)
    says which.

    Implements PRIV-3 and SCH-8.
    """
    servers = [mark.server for mark in uow.transaction.find(SYNC_MARKS, where={})]
    names = {f"{queued_kind(server, kind)}|{key}": server for server in servers}
    found = uow.sync_applied_keys.get_many(sorted(names))
    return tuple(sorted(names[name] for name in found))


def queue_erasure(
    uow: UnitOfWork,
    server: str,
    changes: Iterable[tuple[str, str, Any]],
    now: datetime,
    *,
    erasure: CandidateErasure | AccountErasure | None = None,
) -> int:
    """Queue for *server* the person's *erasure* entry, then the erasure's *changes*.

    *changes* are ``(kind, key, record or None)``: only the kinds a server
    holds (:data:`~examkit.offline.DOWN_KINDS`) and only keys queued to it
    before go down: what it never had, it need not forget. The *erasure*
    entry (a candidate's :class:`~examkit.offline.CandidateErasure` or an
    account's :class:`~examkit.offline.AccountErasure`) goes first, and only
    at a stage above the one queued before (a second erasure at the same
    stage queues nothing). Returns how many entries were queued.

    Implements PRIV-3 and SCH-8.
    """
    wanted = [(kind, key, record) for kind, key, record in changes if kind in DOWN_KINDS]
    names = [f"{queued_kind(server, kind)}|{key}" for kind, key, _ in wanted]
    kind, person = _erasure_key(erasure)
    stage = "" if erasure is None else f"{queued_kind(server, kind)}|{person}"
    queued = uow.sync_applied_keys.get_many([*names, stage] if stage else names)
    mark = uow.sync_marks.get_many([server]).get(server)
    before = mark if mark is not None else SyncMark(server)
    seq, entries = before.down_queued, []
    staged = queued.get(stage)
    if erasure is not None and (staged is None or staged.revision < erasure.revision):
        seq += 1
        entries.append(erasure.entry(down_stream(server), seq, now))
        row = AppliedKey(queued_kind(server, kind), person, erasure.revision, server, seq)
        if staged is None:
            uow.sync_applied_keys.add(row)
        else:
            uow.sync_applied_keys.update(attrs.evolve(row, version=staged.version))
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


def _erasure_key(erasure: CandidateErasure | AccountErasure | None) -> tuple[str, str]:
    """Return the kind and key of *erasure*'s entry (empty without one)."""
    if isinstance(erasure, CandidateErasure):
        return ERASURE, erasure.candidate
    if isinstance(erasure, AccountErasure):
        return ACCOUNT_ERASURE, erasure.account
    return "", ""
