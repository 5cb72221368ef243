"""Centrally: the up applier, one batch of an offline server's entries in one transaction (SCH-8).

The entries are applied strictly in order against the server's high-water
mark (:attr:`~examkit.offline.SyncMark.up_high_water`):

* a number at or below the mark is a duplicate and changes nothing (with
  another digest than the one applied: conflict ``offline.conflict.digest``,
  the first stands);
* the next number is applied: its effect, its inbox row and the raised
  mark, in the batch's one transaction;
* a number beyond the next is a gap: the batch stops there and the reply
  says the mark, from which the server sends again.

Effects are set on natural keys with a revision (never incremented): an
``attempt`` sets the attempt's fields but its responses, an ``answer`` one
response when its sequence is above the stored one's, a ``group`` the
room's four fields, clearing :attr:`~examkit.scheduling.TestSessionGroup.held_by`
once the group is closed. Answers of one batch are grouped per attempt: each
attempt is read once and written once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from examkit.converter import structure, unstructure
from examkit.errors import ExamkitError, InvalidInput
from examkit.offline._model import AppliedKey, InboxEntry, SyncConflict, SyncMark, sequence_key
from examkit.offline._protocol import UP_KINDS, entry_digest
from examkit.offline._wire import WireEntry
from examkit.scheduling import Attempt, GroupState, SavedResponse, TestSessionGroup

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

HELD_STATES: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED})
"""The states of a group the offline server still runs; any later one brings it back."""

GROUP_FIELDS: Final = ("state", "access_code", "log", "report")
"""What a ``group`` entry sets: the room's part of the group."""

NOT_HELD: Final = "offline.conflict.not_held"
DIGEST: Final = "offline.conflict.digest"
SERVER_REMOVED: Final = "offline.conflict.server_removed"


def check_entries(entries: Sequence[WireEntry], kinds: Mapping[str, str] = UP_KINDS) -> None:
    """Refuse a batch with an entry of an unknown kind, out of order, or not matching its digest.

    *kinds* are the kinds known (the up stream's; the offline server checks a down
    reply with :data:`~examkit.offline.DOWN_KINDS`).

    Raises:
        InvalidInput: ``offline.entry.kind``, ``offline.entry.order`` or
            ``offline.entry.digest`` (nothing of the batch is applied).
    """
    previous = 0
    for n, entry in enumerate(entries):
        if entry.kind not in kinds:
            raise InvalidInput(
                "offline.entry.kind", field=f"entries[{n}].kind", seq=entry.seq, kind=entry.kind
            )
        if entry.seq <= previous:
            raise InvalidInput("offline.entry.order", field=f"entries[{n}].seq", seq=entry.seq)
        previous = entry.seq
        if entry_digest(entry.kind, entry.key, entry.revision, entry.body) != entry.digest:
            raise InvalidInput("offline.entry.digest", field=f"entries[{n}].digest", seq=entry.seq)


def _later(one: datetime | None, other: datetime | None) -> datetime | None:
    if one is None or other is None:
        return one if other is None else other
    return max(one, other)


def _body(entry: WireEntry, cls: type[Any]) -> Any:
    try:
        return structure(entry.body, cls)
    except Exception as error:
        raise InvalidInput("offline.entry.body", field="body", seq=entry.seq) from error


_RESPONSE_KEYS: Final = frozenset({"value", "sequence", "saved_at"})


def _response(entry: WireEntry) -> SavedResponse:
    """Return an ``answer`` entry's response, built directly where it can be.

    A body of the shape the outbox writes is built without the converter (the
    answers are most of an upload); any other goes through it, with its errors.
    """
    body = entry.body
    if type(body) is dict and body.keys() == _RESPONSE_KEYS:
        sequence, saved_at = body["sequence"], body["saved_at"]
        if type(sequence) is int and type(saved_at) is str:
            try:
                return SavedResponse(body["value"], sequence, datetime.fromisoformat(saved_at))
            except (ValueError, ExamkitError):
                pass  # the converter says what is wrong with it
    found: SavedResponse = _body(entry, SavedResponse)
    return found


@attrs.define
class UpBatch:
    """One batch being applied: what it read (each record once) and what it will write.

    Implements SCH-8.
    """

    uow: UnitOfWork
    server: str
    now: datetime
    groups: dict[str, TestSessionGroup | None] = attrs.Factory(dict)
    attempts: dict[str, Attempt | None] = attrs.Factory(dict)
    answers: dict[str, dict[str, SavedResponse]] = attrs.Factory(dict)
    """The answers applied per attempt and not yet put into it (once, when it is next read
    whole or written)."""
    applied: dict[str, AppliedKey | None] = attrs.Factory(dict)
    changed: set[str] = attrs.Factory(set)
    conflicts: dict[str, SyncConflict] = attrs.Factory(dict)
    inbox: list[InboxEntry] = attrs.Factory(list)

    # -- reading, once per record --------------------------------------------------------

    def prefetch(self, entries: Sequence[WireEntry]) -> None:
        """Read what *entries* touch in one read per record kind (few round trips on SQL)."""
        groups = {entry.key.split(":", 1)[0] for entry in entries}
        attempts = {
            ":".join(entry.key.split(":", 2)[:2])
            for entry in entries
            if entry.kind in {"attempt", "answer"}
        }
        applied = {f"group|{group}" for group in groups} | {
            f"{entry.kind}|{entry.key}" for entry in entries if entry.kind != "answer"
        }
        for wanted, cache, records in (
            (groups, self.groups, self.uow.session_groups),
            (attempts, self.attempts, self.uow.test_attempts),
            (applied, self.applied, self.uow.sync_applied_keys),
        ):
            found: Mapping[str, Any] = records.get_many(sorted(wanted))
            cache.update({key: found.get(key) for key in wanted})

    def group(self, group_id: str) -> TestSessionGroup | None:
        """Return the group *group_id* as the batch has it (``None``: there is none)."""
        if group_id not in self.groups:
            self.groups[group_id] = self.uow.session_groups.get_many([group_id]).get(group_id)
        return self.groups[group_id]

    def attempt(self, key: str) -> Attempt | None:
        """Return the attempt *key* as the batch has it (``None``: there is none)."""
        stored = self._attempt_read(key)
        answers = self.answers.pop(key, None)
        if stored is None or not answers:
            return stored
        last = stored.last_contact
        for response in answers.values():
            last = _later(last, response.saved_at)
        merged = attrs.evolve(
            stored,
            responses={**stored.responses, **answers},
            last_sequence=max(stored.last_sequence, *(r.sequence for r in answers.values())),
            last_contact=last,
        )
        self.attempts[key] = merged
        return merged

    def _attempt_read(self, key: str) -> Attempt | None:
        """Return the attempt *key* as read or last set, without the answers pending."""
        if key not in self.attempts:
            self.attempts[key] = self.uow.test_attempts.get_many([key]).get(key)
        return self.attempts[key]

    def applied_key(self, kind: str, key: str) -> AppliedKey | None:
        """Return the revision applied for *kind* / *key*, if any."""
        name = f"{kind}|{key}"
        if name not in self.applied:
            self.applied[name] = self.uow.sync_applied_keys.get_many([name]).get(name)
        return self.applied[name]

    def holds(self, group: TestSessionGroup | None) -> bool:
        """Return whether the server holds *group*, or held it and brought it back closed.

        What happened in the room after the close (a late save counted) still
        comes from the server that ran it.
        """
        if group is None:
            return False
        if group.held_by is not None:
            return group.held_by == self.server
        came_back = self.applied_key("group", group.id)
        return came_back is not None and came_back.server == self.server

    # -- the effects -----------------------------------------------------------------------

    def conflict(self, entry: WireEntry, reason: str, detail: str) -> str:
        """Record a conflict of *entry* (once per entry and reason); return the effect."""
        found = SyncConflict(
            id=f"{self.server}:{entry.seq}:{reason}",
            server=self.server,
            kind=entry.kind,
            key=entry.key,
            seq=entry.seq,
            reason=reason,
            detected_at=self.now,
            detail=detail,
        )
        self.conflicts.setdefault(found.id, found)
        return "conflict"

    def apply(self, entry: WireEntry) -> str:
        """Apply the next entry; return its effect (``applied``, ``superseded``, ``conflict``).

        Raises:
            InvalidInput: ``offline.entry.body``: its body is not what its kind sets.
        """
        group_id = entry.key.split(":", 1)[0]
        group = self.group(group_id)
        if not self.holds(group):
            held = "none" if group is None else str(group.held_by)
            return self.conflict(entry, NOT_HELD, f"group {group_id} held by {held}")
        if entry.kind == "answer":
            return self._answer(entry)
        done = self.applied_key(entry.kind, entry.key)
        if done is not None and entry.revision <= done.revision:
            return "superseded"
        assert group is not None  # noqa: S101 - held, so there
        effect = self._attempt(entry) if entry.kind == "attempt" else self._group(entry, group)
        if effect == "applied":
            key = AppliedKey(entry.kind, entry.key, entry.revision, self.server, entry.seq)
            self.applied[key.id] = attrs.evolve(key, version=0 if done is None else done.version)
            self.changed.add(f"key:{key.id}")
        return effect

    def _attempt(self, entry: WireEntry) -> str:
        stored = self.attempt(entry.key)
        if stored is None:
            return self.conflict(entry, NOT_HELD, f"no attempt {entry.key}")
        if not isinstance(entry.body, dict):
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        # The stored responses are kept as they are, not converted to JSON and back.
        data = {**entry.body, "responses": {}, "last_sequence": 0, "version": stored.version}
        sent: Attempt = _body(attrs.evolve(entry, body=data), Attempt)
        if (sent.group, sent.candidate) != (stored.group, stored.candidate):
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        last = _later(stored.last_contact, sent.last_contact)
        self.attempts[entry.key] = attrs.evolve(
            sent,
            responses=stored.responses,
            last_sequence=stored.last_sequence,
            last_contact=last,
        )
        self.changed.add(f"attempt:{entry.key}")
        return "applied"

    def _answer(self, entry: WireEntry) -> str:
        parts = entry.key.split(":", 2)
        if len(parts) != 3:
            raise InvalidInput("offline.entry.body", field="key", seq=entry.seq)
        attempt_key, item = f"{parts[0]}:{parts[1]}", parts[2]
        stored = self._attempt_read(attempt_key)
        if stored is None:
            return self.conflict(entry, NOT_HELD, f"no attempt {attempt_key}")
        response = _response(entry)
        pending = self.answers.setdefault(attempt_key, {})
        current = pending.get(item) or stored.responses.get(item)
        if current is not None and response.sequence <= current.sequence:
            return "superseded"
        pending[item] = response  # put into the attempt once (attempt(), flush)
        self.changed.add(f"attempt:{attempt_key}")
        return "applied"

    def _group(self, entry: WireEntry, group: TestSessionGroup) -> str:
        if not isinstance(entry.body, dict) or set(entry.body) != set(GROUP_FIELDS):
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        data = {**unstructure(group), **entry.body}
        sent: TestSessionGroup = _body(attrs.evolve(entry, body=data), TestSessionGroup)
        held_by = group.held_by if sent.state in HELD_STATES else None
        self.groups[group.id] = attrs.evolve(sent, held_by=held_by)
        self.changed.add(f"group:{group.id}")
        return "applied"

    # -- writing, once per record ----------------------------------------------------------

    def flush(self) -> None:
        """Write every record the batch changed, each once, and its inbox rows."""
        uow = self.uow
        for name in sorted(self.changed):
            kind, key = name.split(":", 1)
            if kind == "attempt":
                uow.test_attempts.update(self.attempt(key))  # type: ignore[arg-type]
            elif kind == "group":
                uow.session_groups.update(self.groups[key])  # type: ignore[arg-type]
            else:
                applied = self.applied[key]
                assert applied is not None  # noqa: S101 - set by apply
                if applied.version == 0:
                    uow.sync_applied_keys.add(applied)
                else:
                    uow.sync_applied_keys.update(applied)
        if self.inbox:
            uow.sync_inbox.add_many(self.inbox)
        if self.conflicts:
            known = uow.sync_conflicts.get_many(list(self.conflicts))
            fresh = [item for key, item in self.conflicts.items() if key not in known]
            if fresh:
                uow.sync_conflicts.add_many(fresh)


def apply_batch(
    uow: UnitOfWork, mark: SyncMark, entries: Sequence[WireEntry], now: datetime
) -> tuple[int, UpBatch]:
    """Apply *entries* in order above *mark*; return the new high-water mark and the batch.

    Nothing is written but through :meth:`UpBatch.flush`, which this calls.

    Implements SCH-8.
    """
    batch = UpBatch(uow, mark.server, now)
    high = mark.up_high_water
    seen = [entry for entry in entries if entry.seq <= high]
    if seen:
        rows = uow.sync_inbox.get_many([sequence_key(mark.server, entry.seq) for entry in seen])
        for entry in seen:
            row = rows.get(sequence_key(mark.server, entry.seq))
            if row is not None and row.digest != entry.digest:
                batch.conflict(
                    entry, DIGEST, f"applied {row.digest[:12]}, sent {entry.digest[:12]}"
                )
    batch.prefetch([entry for entry in entries if entry.seq > high])
    for entry in entries:
        if entry.seq <= high:
            continue
        if entry.seq != high + 1:
            break  # a gap: the server sends again from the mark
        effect = batch.apply(entry)
        batch.inbox.append(
            InboxEntry(mark.server, entry.seq, entry.kind, entry.key, entry.digest, now, effect)
        )
        high = entry.seq
    batch.flush()
    return high, batch
