"""An erased candidate, on the offline server that held them: the ``erasure`` down entry (PRIV-3).

A candidate erased centrally (:meth:`PrivacyErasure.erase
<examkit.privacy.PrivacyErasure.erase>`) was sent, with their group, to
every offline server that ran it. What the central system removed or changed
reaches the server as ordinary down entries; what only the server holds --
its own audit trail, the up entries it sent, the room's part of the group --
needs the ``erasure`` entry: one per candidate and server, queued *before*
those entries (so the server still holds the candidate when it applies it),
keyed by the candidate's id, whose body is :class:`CandidateErasure`'s:

``pseudonym``
    The pseudonym the central trail names the person by now: the server's
    trail is pseudonymised with the same one (the server never holds the
    pseudonym key).
``exam_work``
    ``kept`` while the exam work's retention term runs centrally (the
    candidate, their attempt and the entries carrying it stay, as they stay
    centrally), ``erased`` once it does not.
``details``
    The audit detail keys that identify the person where they acted.

No identifying value travels: the server finds the candidate's login names
in what it holds (the candidate, their attempts) and looks for
:func:`candidate_names`. The revision is the stage (1: ``kept``, 2:
``erased``), so a second erasure at the same stage queues nothing and an
entry not above the stage applied changes nothing.

Applied on the server (:func:`erase_here`, inside
:func:`~examkit.offline.apply_down`'s one transaction): the audit events
naming the person are pseudonymised; at ``erased`` the candidate, their
attempts (touched by the room or not: the central system has decided) and
their incidents in the group's session report go, and their sent and unsent
up entries (``attempt``, ``answer``) keep their number but lose their body,
as the central queue's entries do (an emptied entry still sent is answered
with the conflict ``offline.conflict.not_held``: the central attempt is
gone). The sync's own bookkeeping (inbox, applied keys, conflicts) keeps the
ids and digests it holds, as centrally.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, Final

import attrs

from examkit.errors import InvalidInput
from examkit.offline._model import QueuedEntry
from examkit.offline._protocol import UP_STREAM, entry_digest
from examkit.offline._wire import WireEntry
from examkit.records import RECORDS, RecordsUnit
from examkit.scheduling import Attempt, Candidate, TestSessionGroup, attempt_id
from examkit.storage import RecordType, storable_key

__all__ = ["ERASURE", "CandidateErasure", "candidate_names", "erase_here"]

ERASURE: Final = "erasure"
"""The down entry kind that erases a candidate on the offline server."""

STAGES: Final[Mapping[str, int]] = {"kept": 1, "erased": 2}
"""The ``exam_work`` values and their revisions (an erasure only moves forward)."""

ROOM_ENTRY_KINDS: Final = frozenset({"attempt", "answer"})
"""The up entries keyed ``<group>:<candidate>[:<item>]``: the candidate's own."""

_BY_NAME: Final[Mapping[str, RecordType[Any, Any]]] = {record.name: record for record in RECORDS}


def candidate_names(
    candidate: str, logins: Iterable[str], groups: Iterable[str] = ()
) -> frozenset[str]:
    """Return what names candidate *candidate* in an audit event.

    Their id, ``candidate:<id>`` (the erasure's label), each of their
    *logins* and ``candidate:<login>`` (a sign-in's subject,
    :meth:`Sitting.sign_in <examkit.scheduling.Sitting.sign_in>`), and
    ``attempt:<group>:<id>`` for each of their *groups* (a save's, a
    hand-in's or a proctor's action on their attempt). The central erasure
    and the offline server look for the same.

    >>> sorted(candidate_names("c-1", ["K7HQ3MXA"], ["g-1"]))
    ['K7HQ3MXA', 'attempt:g-1:c-1', 'c-1', 'candidate:K7HQ3MXA', 'candidate:c-1']

    Implements PRIV-3.
    """
    logins = {storable_key(login) for login in logins}
    return frozenset(
        {
            candidate,
            f"candidate:{candidate}",
            *logins,
            *(f"candidate:{login}" for login in logins),
            *(f"attempt:{storable_key(attempt_id(group, candidate))}" for group in groups),
        }
    )


@attrs.frozen
class CandidateErasure:
    """What the ``erasure`` down entry tells an offline server about one erased candidate.

    Implements PRIV-3 and SCH-8.
    """

    candidate: str
    """The candidate's id (the entry's key)."""
    pseudonym: str
    """What the central trail names them by (``pseudonym:<key id>:<hex>``)."""
    work_kept: bool
    """Whether their exam work stays (its retention term runs centrally)."""
    details: tuple[str, ...] = ()
    """The audit detail keys that identify the person where they acted (``ip``)."""

    @property
    def revision(self) -> int:
        """The entry's revision: the stage (1: the exam work kept, 2: erased)."""
        return STAGES[self._stage]

    @property
    def _stage(self) -> str:
        return "kept" if self.work_kept else "erased"

    def body(self) -> dict[str, Any]:
        """Return the entry's body (JSON data).

        >>> CandidateErasure("c-1", "pseudonym:1:ab", work_kept=False, details=("ip",)).body()
        {'details': ['ip'], 'exam_work': 'erased', 'pseudonym': 'pseudonym:1:ab'}
        """
        return {
            "details": sorted(self.details),
            "exam_work": self._stage,
            "pseudonym": self.pseudonym,
        }

    def entry(self, stream: str, seq: int, now: Any) -> QueuedEntry:
        """Return the entry queued as number *seq* of *stream* at *now*."""
        body = self.body()
        return QueuedEntry(
            stream=stream,
            seq=seq,
            kind=ERASURE,
            key=self.candidate,
            revision=self.revision,
            body=body,
            digest=entry_digest(ERASURE, self.candidate, self.revision, body),
            queued_at=now,
        )

    @classmethod
    def from_entry(cls, entry: WireEntry) -> CandidateErasure:
        """Read an ``erasure`` entry.

        Raises:
            InvalidInput: ``offline.entry.body``: its body is no erasure, or its
                revision is not its stage's.
        """
        body = entry.body
        fields = {"details", "exam_work", "pseudonym"}
        if not isinstance(body, dict) or set(body) != fields:
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        pseudonym, stage, details = body["pseudonym"], body["exam_work"], body["details"]
        if (
            not isinstance(pseudonym, str)
            or not pseudonym.startswith("pseudonym:")
            or stage not in STAGES
            or STAGES[stage] != entry.revision
            or not isinstance(details, list)
            or not all(isinstance(key, str) for key in details)
        ):
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        return cls(entry.key, pseudonym, work_kept=stage == "kept", details=tuple(details))


def erase_here(uow: RecordsUnit, erasure: CandidateErasure) -> None:
    """Apply *erasure* to the offline server's store in its open unit *uow*.

    Implements PRIV-3 and SCH-8.
    """
    tx, person = uow.transaction, erasure.candidate
    candidates, attempts_of = _BY_NAME["candidates"], _BY_NAME["test_attempts"]
    candidate: Candidate | None = tx.get(candidates, person)
    attempts: list[Attempt] = list(tx.find(attempts_of, where={"candidate": person}))
    groups = _groups(uow, person, {attempt.group for attempt in attempts})
    logins = [attempt.login_name for attempt in attempts]
    if candidate is not None:
        logins.append(candidate.login_name)
    names = candidate_names(person, logins, groups)
    uow.audit.pseudonymise(names, erasure.pseudonym, details=erasure.details)
    if erasure.work_kept:
        return
    for attempt in attempts:
        tx.delete(attempts_of, attempt.id, version=None)
    _strip_groups(uow, person, groups.values())
    if candidate is not None:
        tx.delete(candidates, person, version=None)
    _empty_room_entries(uow, person)


def _groups(uow: RecordsUnit, person: str, more: Collection[str]) -> dict[str, TestSessionGroup]:
    """Return the groups here that list *person*, or hold their attempts (*more*), by id."""
    tx, groups_of = uow.transaction, _BY_NAME["session_groups"]
    found: dict[str, TestSessionGroup] = {
        group.id: group for group in tx.find(groups_of, where={"candidate": person})
    }
    for group_id in sorted(set(more) - set(found)):
        group = tx.get(groups_of, group_id)
        if group is not None:
            found[group_id] = group
    return found


def _strip_groups(uow: RecordsUnit, person: str, groups: Iterable[TestSessionGroup]) -> None:
    """Take *person* out of their *groups* here: the candidates and the report's incidents."""
    tx, groups_of = uow.transaction, _BY_NAME["session_groups"]
    for group in groups:
        report = group.report
        stripped = attrs.evolve(
            group,
            candidates=[c for c in group.candidates if c != person],
            report=attrs.evolve(
                report, incidents=[i for i in report.incidents if i.candidate != person]
            ),
            version=group.version + 1,
        )
        if stripped != group:
            tx.replace(groups_of, stripped, version=group.version)


_PAGE: Final = 1000
"""Up entries read at a time while looking for the candidate's."""


def _empty_room_entries(uow: RecordsUnit, person: str) -> None:
    """Empty the candidate's up entries (``attempt``, ``answer``): their number stays."""
    queue, seq = _BY_NAME["sync_queue"], 0
    while True:
        page = uow.sync_queue.after(UP_STREAM, seq, limit=_PAGE)
        for entry in page:
            parts = entry.key.split(":", 2)
            if (
                entry.kind in ROOM_ENTRY_KINDS
                and entry.body is not None
                and len(parts) > 1
                and parts[1] == person
            ):
                emptied = attrs.evolve(
                    entry,
                    body=None,
                    digest=entry_digest(entry.kind, entry.key, entry.revision, None),
                    version=entry.version + 1,
                )
                uow.transaction.replace(queue, emptied, version=entry.version)
        if len(page) < _PAGE:
            return
        seq = page[-1].seq
