"""The offline server's down applier: central master data, applied strictly in order.

:func:`apply_down` applies one down reply's entries in one unit of the local
store (never through the outbox: nothing it writes goes back up), together
with the station's :attr:`~examkit.offline.StationState.down_high_water`, an
applied-key row per natural key and an inbox row per entry:

- an entry numbered at or below the high-water mark is a duplicate and
  changes nothing (arriving with another digest than the one applied, it is
  the conflict ``offline.conflict.digest``: the first stands);
- the next number is applied: its record set (``None``: removed) unless a
  newer revision of its key was applied already;
- a number beyond the next is a gap: the applier stops there, and the next
  down request asks again from the high-water mark.

A session group is stored with ``held_by=None`` (here the group is its own);
once the room has touched it, what the room owns (its state, access code,
log and session report) stays as the room left it. An attempt is replaced
only while the room has not touched it; a central change to a touched
attempt's planned fields is the conflict ``offline.conflict.central_changed``,
kept here (and never applied). An exam package's description is stored
unverified, for the fetcher. An ``erasure`` entry erases a candidate from what
this server holds of them (:func:`~examkit.offline.erase_here`), an
``account_erasure`` entry an account (:func:`~examkit.offline.erase_account_here`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from examkit.converter import structure
from examkit.errors import InvalidInput
from examkit.offline._account_erasure import (
    ACCOUNT_ERASURE,
    AccountErasure,
    erase_account_here,
)
from examkit.offline._central_up import check_entries
from examkit.offline._erasure import ERASURE, CandidateErasure, erase_here
from examkit.offline._model import (
    AppliedKey,
    ExamPackage,
    InboxEntry,
    SyncConflict,
)
from examkit.offline._protocol import DOWN_KINDS, CrashHook, down_stream
from examkit.offline._records import APPLIED_KEYS, SYNC_CONFLICTS, SYNC_INBOX
from examkit.offline._wire import WireEntry
from examkit.records import RECORDS, Backend, RecordsUnit
from examkit.scheduling import Attempt, AttemptState, GroupState, SessionReport, TestSessionGroup
from examkit.storage import RecordType, Transaction, with_version

__all__ = ["DownResult", "apply_down", "room_touched"]

_RECORDS: Final[Mapping[str, RecordType[Any, Any]]] = {
    record.name: record for record in RECORDS if record.name in DOWN_KINDS
}
"""The record each down kind sets (its name is the kind)."""

_PLANNED_FIELDS: Final = ("exam", "login_name", "extra_time_minutes", "offline_server")
"""What the central system plans of an attempt (the room owns the rest)."""

_ROOM_GROUP_FIELDS: Final = ("state", "access_code", "log", "report")
"""What the room owns of a group."""


@attrs.frozen
class DownResult:
    """What applying one down reply did.

    Implements SCH-8.
    """

    high_water: int
    """The station's down high-water mark afterwards."""
    applied: int = 0
    """Entries applied (their record set, or superseded by a newer revision)."""
    duplicates: int = 0
    """Entries at or below the high-water mark (nothing changed)."""
    gap: bool = False
    """Whether an entry beyond the next number stopped the applier."""
    conflicts: tuple[SyncConflict, ...] = ()
    """Conflicts found (stored here)."""


def _no_crash(_: str) -> None:
    """The production crash hook: nothing."""


def apply_down(
    backend: Backend,
    server: str,
    entries: Sequence[WireEntry],
    *,
    now: datetime,
    clock_offset_ms: int | None = None,
    crash: CrashHook | None = None,
) -> DownResult:
    """Apply *entries* (a down reply's, in their order) to the local store *backend*, in one unit.

    *backend* is the store underneath the outbox (what is written here is
    never queued up). The station's clock offset is stored in the same unit
    when given.

    Raises:
        InvalidInput: ``offline.entry.kind``, ``offline.entry.order`` or
            ``offline.entry.digest`` (checked before anything is applied), or
            ``offline.entry.body`` (a body is not such a record): nothing of the
            reply is applied.
        NotFound: the station is not initialised.

    Implements SCH-8.
    """
    hook = crash if crash is not None else _no_crash
    check_entries(entries, DOWN_KINDS)
    with backend.begin() as uow:
        if not isinstance(uow, RecordsUnit):
            raise TypeError("apply_down needs a backend whose units are RecordsUnit")
        applier = _Applier(uow, server, now)
        station = uow.offline_stations.get(server)
        high_water = station.down_high_water
        applied = duplicates = 0
        gap = False
        for entry in entries:
            if entry.seq <= high_water:
                duplicates += 1
                applier.duplicate(entry)
            elif entry.seq == high_water + 1:
                applier.apply(entry)
                applied += 1
                high_water = entry.seq
            else:
                gap = True
                break
        hook("offline.down.before_commit")
        offset = station.clock_offset_ms if clock_offset_ms is None else clock_offset_ms
        if (high_water, offset) != (station.down_high_water, station.clock_offset_ms):
            uow.offline_stations.update(
                attrs.evolve(station, down_high_water=high_water, clock_offset_ms=offset)
            )
        uow.commit()
    return DownResult(
        high_water=high_water,
        applied=applied,
        duplicates=duplicates,
        gap=gap,
        conflicts=tuple(applier.conflicts),
    )


def room_touched(attempt: Attempt) -> bool:
    """Whether the room has done anything with *attempt* (a sign-in, a save, a contact, ...).

    >>> room_touched(Attempt("g-1", "c-1", "NE", "KAND0001"))
    False

    Implements SCH-8.
    """
    return bool(
        attempt.state is not AttemptState.REGISTERED
        or attempt.log
        or attempt.responses
        or attempt.last_contact is not None
        or attempt.page_epoch
        or attempt.late_saves
        or attempt.started_at is not None
    )


def _group_touched(group: TestSessionGroup) -> bool:
    return bool(
        group.state is not GroupState.PLANNED
        or group.log
        or group.access_code is not None
        or group.report != SessionReport()
    )


def _as_held_here(group: TestSessionGroup, current: TestSessionGroup | None) -> TestSessionGroup:
    """Return *group* as stored here: its own (``held_by=None``), the room's part kept."""
    group = attrs.evolve(group, held_by=None)
    if current is not None and _group_touched(current):
        kept = {name: getattr(current, name) for name in _ROOM_GROUP_FIELDS}
        group = attrs.evolve(group, **kept)
    return group


def _erased(uow: RecordsUnit, entry: WireEntry) -> bool:
    """Apply *entry* if it is an erasure (a candidate's or an account's); return whether."""
    if entry.kind == ERASURE:
        erase_here(uow, CandidateErasure.from_entry(entry))
    elif entry.kind == ACCOUNT_ERASURE:
        erase_account_here(uow, AccountErasure.from_entry(entry))
    else:
        return False
    return True


class _Applier:
    """Applies entries in one transaction of the local store."""

    def __init__(self, uow: RecordsUnit, server: str, now: datetime) -> None:
        self._uow = uow
        self._tx: Transaction = uow.transaction
        self._server = server
        self._stream = down_stream(server)
        self._now = now
        self.conflicts: list[SyncConflict] = []

    def duplicate(self, entry: WireEntry) -> None:
        """Note a repeated entry: a conflict when its content is not what was applied."""
        inbox = self._tx.get(
            SYNC_INBOX, InboxEntry(self._stream, entry.seq, "", "", "", self._now).id
        )
        if inbox is not None and inbox.digest != entry.digest:
            self._conflict(entry, "offline.conflict.digest", f"applied {inbox.digest[:12]}")

    def apply(self, entry: WireEntry) -> None:
        """Apply the next entry: its record, its applied key, its inbox row."""
        marker = AppliedKey(entry.kind, entry.key, entry.revision, self._server, entry.seq)
        applied = self._tx.get(APPLIED_KEYS, marker.id)
        if applied is not None and entry.revision <= applied.revision:
            effect = "superseded"
        else:
            effect = self._set(entry)
            if effect == "applied":
                self._put(APPLIED_KEYS, marker)
        self._tx.insert(
            SYNC_INBOX,
            (
                InboxEntry(
                    server=self._stream,
                    seq=entry.seq,
                    kind=entry.kind,
                    key=entry.key,
                    digest=entry.digest,
                    applied_at=self._now,
                    effect=effect,
                ),
            ),
        )

    def _set(self, entry: WireEntry) -> str:
        """Set the entry's record; return its effect (``applied`` or ``conflict``)."""
        if _erased(self._uow, entry):
            return "applied"
        record = _RECORDS[entry.kind]
        current = self._tx.get(record, entry.key)
        if entry.body is None:
            return self._remove(entry, record, current)
        try:
            item = structure(entry.body, record.cls)
        except Exception as error:  # a body that is no such record: nothing is applied
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq) from error
        if record.key_text(item) != entry.key:
            raise InvalidInput("offline.entry.body", field="key", seq=entry.seq)
        if isinstance(item, TestSessionGroup):
            item = _as_held_here(item, current)
        elif isinstance(item, Attempt) and current is not None and room_touched(current):
            changed = [
                name for name in _PLANNED_FIELDS if getattr(current, name) != getattr(item, name)
            ]
            if not changed:
                return "applied"  # what the centre planned is what the room has
            self._conflict(entry, "offline.conflict.central_changed", ", ".join(changed))
            return "conflict"
        elif isinstance(item, ExamPackage):
            if current is not None:
                return "applied"  # immutable: the description (and what was fetched) stays
            item = attrs.evolve(item, verified=False)
        self._put(record, item, current)
        return "applied"

    def _remove(self, entry: WireEntry, record: RecordType[Any, Any], current: Any) -> str:
        if current is None:
            return "applied"
        if isinstance(current, Attempt) and room_touched(current):
            self._conflict(entry, "offline.conflict.central_changed", "removed centrally")
            return "conflict"
        self._tx.delete(record, entry.key, version=None)
        return "applied"

    def _put(self, record: RecordType[Any, Any], item: Any, current: Any = None) -> None:
        if current is None:
            current = self._tx.get(record, record.key_text(item))
        if current is None:
            self._tx.insert(record, (item,))
        else:
            self._tx.replace(
                record, with_version(item, current.version + 1), version=current.version
            )

    def _conflict(self, entry: WireEntry, reason: str, detail: str) -> None:
        conflict = SyncConflict(
            id=f"{self._server}:{entry.seq}:{reason}",
            server=self._server,
            kind=entry.kind,
            key=entry.key,
            seq=entry.seq,
            reason=reason,
            detected_at=self._now,
            detail=detail,
        )
        if self._tx.get(SYNC_CONFLICTS, conflict.id) is None:
            self._tx.insert(SYNC_CONFLICTS, (conflict,))
            self.conflicts.append(conflict)
