"""Centrally: what a hand-over queues down for the offline server (SCH-8).

A group handed to an offline server needs its master data there: the
institution of its location, the proctor's account and grants, the test,
the test's published packages, the candidates, the group as planned and
its planned attempts. Each goes down as a ``down:<server>`` entry whose
revision is the record's central version; a later hand-over of the same
group queues only what changed since it was queued (the revision queued per
record and server is kept as an :class:`~examkit.offline.AppliedKey`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.converter import unstructure
from examkit.errors import NotFound
from examkit.offline._model import AppliedKey, QueuedEntry, SyncMark
from examkit.offline._protocol import down_stream, entry_digest
from examkit.records import RECORDS
from examkit.scheduling import TestSessionGroup

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

_BY_NAME = {record.name: record for record in RECORDS}


def queued_kind(server: str, kind: str) -> str:
    """Return the kind under which the revision of *kind* queued for *server* is kept.

    >>> queued_kind("fao-1", "exams")
    'down:fao-1:exams'
    """
    return f"{down_stream(server)}:{kind}"


def master_records(uow: UnitOfWork, group: TestSessionGroup) -> Iterator[tuple[str, Any]]:
    """Yield ``(kind, record)`` for every master record *group* needs on its offline server.

    In the order the offline server best applies them: what others refer to first.
    """
    try:
        institution = uow.institutions.get_by_location(group.location)
    except NotFound:
        institution = None  # a location without a stored institution: nothing to send
    if institution is not None:
        yield "institutions", institution
    proctor = uow.accounts.get_many([group.proctor]).get(group.proctor)
    if proctor is not None:
        yield "accounts", proctor
    grants = uow.authorizations.get_many([group.proctor]).get(group.proctor)
    if grants is not None:
        yield "authorizations", grants
    yield "exams", uow.exams.get(group.exam)
    packages = uow.exam_packages.of_exam(group.exam)
    yield from (("exam_packages", package) for package in packages if package.verified)
    people = uow.candidates.get_many(group.candidates)
    yield from (("candidates", people[person]) for person in group.candidates if person in people)
    yield "session_groups", group
    yield from (
        ("test_attempts", attempt) for attempt in uow.test_attempts.list_for_group(group.id)
    )


def down_body(kind: str, record: Any) -> Any:
    """Return *record* as a down entry carries it (a group without its holder: it is its own)."""
    if kind == "session_groups":
        record = attrs.evolve(record, held_by=None)
    return unstructure(record)


ROOM_KINDS = frozenset({"session_groups", "test_attempts"})
"""The kinds the room changes once the group is held: sent with the first hand-over only."""


def queue_down(
    uow: UnitOfWork, mark: SyncMark, group: TestSessionGroup, now: datetime, *, first: bool
) -> tuple[SyncMark, int]:
    """Queue in ``down:<server>`` every master record of *group* not queued at its version.

    The group and its attempts go down with the *first* hand-over only: once
    held, nothing central changes them, and the versions they gain come
    from the room's own entries (sending them back would undo the room's
    newer state).

    Returns the mark with its raised ``down_queued`` (not stored) and how many
    entries were queued.

    Implements SCH-8.
    """
    server, stream = mark.server, down_stream(mark.server)
    found = [
        (kind, record)
        for kind, record in master_records(uow, group)
        if first or kind not in ROOM_KINDS
    ]
    keyed = [(kind, _BY_NAME[kind].key_text(record), record) for kind, record in found]
    names = [f"{queued_kind(server, kind)}|{key}" for kind, key, _ in keyed]
    queued = uow.sync_applied_keys.get_many(names)
    seq = mark.down_queued
    entries: list[QueuedEntry] = []
    for (kind, key, record), name in zip(keyed, names, strict=True):
        revision: int = record.version
        before = queued.get(name)
        if before is not None and before.revision == revision:
            continue
        seq += 1
        body = down_body(kind, record)
        entries.append(
            QueuedEntry(
                stream=stream,
                seq=seq,
                kind=kind,
                key=key,
                revision=revision,
                body=body,
                digest=entry_digest(kind, key, revision, body),
                queued_at=now,
            )
        )
        row = AppliedKey(queued_kind(server, kind), key, revision, server, seq)
        if before is None:
            uow.sync_applied_keys.add(row)
        else:
            uow.sync_applied_keys.update(attrs.evolve(row, version=before.version))
    if entries:
        uow.sync_queue.add_many(entries)
    return attrs.evolve(mark, down_queued=seq), len(entries)
