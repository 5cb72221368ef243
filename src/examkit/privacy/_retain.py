"""The retention jobs: removing what has passed its retention term (PRIV-4).

``kit.privacy_retention.purge()`` runs every job of :data:`RETENTION_JOBS`,
each in bounded batches (one unit of work per batch, at most
:data:`BATCH` records read), and reports per retention term how many
records it removed (:class:`PurgeReport`). A term's period is
:func:`~examkit.privacy.retention_period`'s: the portal's own where it set
one. What a term counts from:

- ``sign_in``: when a sign-in in progress, a trusted browser, an attempt
  counter, a single-use token or a signed-in session lapsed or ended;
- ``federation``: when a federated sign-in request lapsed unanswered;
- ``pending_import``: when an import's preview lapsed;
- ``pupil``: when the pupil was archived (left the location's latest import);
- ``exam_work`` (attempts with their answers, correction sheets) and
  ``results`` (the correction with the published results, the session group
  with its session report): when the result was set, the moment the
  group's correction closed (:func:`result_set_at`);
- ``mail``: when an e-mail the mail server kept refusing was queued;
- ``offline_sync``: when a received entry was applied, a queued entry
  queued (once the other side acknowledged it) or a conflict resolved;
- ``application``: when the operator decided the account application
  (approved or rejected); one still waiting stays;
- ``flemish``: when the registration's school year ended: the Flemish school
  year runs to 31 August, so at 0:00 on 1 September in Brussels;
- ``audit``: when the audit event was written.

The other terms have no job here; :attr:`RetentionTerm.removal
<examkit.privacy.RetentionTerm.removal>` says how what they cover goes (the
storage server's own purge for ``idempotency``, by hand for ``account`` and
``organisation``), and :func:`removal_of` says it for every term.

Every batch that removes something writes an audit event
(``privacy.retention.removed``, with its term and count) in its own unit of
work, and each run one more (``privacy.retention.purged``, with the counts
of every term). A batch that loses a race with another run (a record
removed or changed meanwhile) is rolled back and read again, so two runs at
once neither fail nor count a record twice; a second run removes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from examkit.applications import APPLICATIONS
from examkit.auth import purge_lapsed
from examkit.correction import CorrectionGroup
from examkit.errors import ConcurrentModification, NotFound, StorageError
from examkit.flemish import BRUSSELS, FLEMISH_REGISTRATIONS
from examkit.identifiers import SchoolYear
from examkit.notifications import OUTBOX
from examkit.offline import (
    STATIONS,
    SYNC_CONFLICTS,
    SYNC_INBOX,
    SYNC_MARKS,
    SYNC_QUEUE,
    UP_STREAM,
    down_stream,
)
from examkit.privacy._retention import retention_period, retention_term
from examkit.privacy._settings import PrivacySettings, RetentionPeriod
from examkit.records import RecordsUnit, UnitOfWork
from examkit.scheduling import SESSION_GROUPS, GroupState, TestSessionGroup
from examkit.storage import Records, RecordType
from examkit.usecase import Ports, UseCase

T = TypeVar("T")

BATCH: Final = 200
"""The most records one batch (one unit of work) reads of a job's records."""

RETRIES: Final = 8
"""How often a batch that lost a race with another run is read again before ``storage.busy``."""

PURGE_PERMISSION: Final = "examkit.privacy.purge"
"""The action an acting account needs to run the jobs (the operator's); the system needs none."""

_SLACK: Final = timedelta(days=7)
"""How far past the plain subtraction a moment may lie whose term has still passed (month ends)."""

_MORE: Final = "more"
"""The cursor of a job that removes what it finds: start again from the beginning."""


def before(period: RetentionPeriod, moment: datetime) -> datetime:
    """Return a moment whose term ends at or before *moment*: *moment* less *period*.

    Whatever started at or before it has passed its term at *moment*; at a
    month's end, a little later may have passed too (31 Aug + 6 months is
    28 Feb), which the jobs that read the start check one by one.

    >>> from datetime import timezone
    >>> before(RetentionPeriod(months=6), datetime(2027, 2, 28, tzinfo=timezone.utc)).date()
    datetime.date(2026, 8, 28)
    >>> before(RetentionPeriod(days=30), datetime(2027, 3, 1, tzinfo=timezone.utc)).date()
    datetime.date(2027, 1, 30)
    """
    return period.before(moment)


def result_set_at(group: TestSessionGroup, correction: CorrectionGroup | None) -> datetime | None:
    """Return when *group*'s result was set, or ``None`` while it is not.

    The result is set when the group's correction closed; a group whose test
    has no items for correctors has its result set when the proctor closed
    it. ``exam_work`` and ``results`` count from here.
    """
    if correction is not None:
        return correction.closed_at
    if group.needs_correction:
        return None
    closed = [entry.at for entry in group.log if entry.target is GroupState.CLOSED]
    return min(closed, default=None)


@attrs.frozen
class RetentionBatch:
    """One batch of one job: its unit of work, the run's moment and the term's period."""

    uow: UnitOfWork
    """The batch's unit of work."""
    now: datetime
    """The run's moment."""
    period: RetentionPeriod
    """The job's term's period."""
    limit: int = BATCH
    """The most records the batch reads."""

    @property
    def cutoff(self) -> datetime:
        """A moment whose term has passed: what started at or before it goes."""
        return before(self.period, self.now)

    def passed(self, moment: datetime) -> bool:
        """Return whether what started at *moment* has passed its term."""
        return self.period.after(moment) <= self.now

    def page(
        self,
        record: RecordType[Any, T],
        after: str | None,
        *,
        at_most: tuple[str, str | int] | None = None,
    ) -> tuple[list[T], str | None]:
        """Return the next records of *record* in listing order after *after*, and the cursor.

        The cursor is ``None`` once the listing is done.
        """
        uow = self.uow
        if not isinstance(uow, RecordsUnit):
            raise TypeError("the retention jobs need units of work on the storage port")
        found = list(
            uow.transaction.find(
                record, where={}, at_most=at_most, after=after, limit=self.limit + 1
            )
        )
        items = found[: self.limit]
        more = len(found) > self.limit
        return items, record.order_of(items[-1]) if more else None

    def remove_passed(
        self,
        record: RecordType[Any, T],
        after: str | None,
        started: Callable[[T], datetime | None],
    ) -> RetentionStep:
        """Remove the next page's records of *record* whose term, begun at *started*, passed.

        *started* gives ``None`` for a record whose term has not begun.
        """
        found, cursor = self.page(record, after)
        gone = [item for item in found if (at := started(item)) is not None and self.passed(at)]
        uow = self.uow
        assert isinstance(uow, RecordsUnit)  # noqa: S101 - checked by page()
        records: Records[Any, T] = uow.repository(record)
        for item in gone:
            records.remove(record.key(item), version=item.version)  # type: ignore[attr-defined]
        return RetentionStep(len(gone), cursor)


@attrs.frozen
class RetentionStep:
    """What one batch did: how many records it removed, and where the next batch starts."""

    removed: int
    """How many records it removed."""
    next_after: str | None
    """Where the job goes on (``None``: the job is done)."""


RetentionJobRun = Callable[[RetentionBatch, str | None], RetentionStep]
"""A retention job's batch: removes what has passed its term among the next records."""


def _sign_in(batch: RetentionBatch, _: str | None) -> RetentionStep:
    """The sign-in's leftovers, one statement each (the sign-in's daily job's own purges)."""
    uow, cutoff = batch.uow, batch.cutoff
    removed = purge_lapsed(uow, cutoff) + uow.web_sessions.purge_ended(cutoff)
    return RetentionStep(removed, None)


def _federation(batch: RetentionBatch, _: str | None) -> RetentionStep:
    """Federated sign-in requests that lapsed unanswered."""
    return RetentionStep(batch.uow.pending_federated_sign_ins.purge_expired(batch.cutoff), None)


def _pending_imports(batch: RetentionBatch, _: str | None) -> RetentionStep:
    """Import previews that lapsed (the imports' own purge)."""
    return RetentionStep(batch.uow.pending_imports.purge_expired(batch.cutoff), None)


def _pupils(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Pupils archived longer than the term (the imports' own listing of them)."""
    page = batch.uow.pupils.list_archived_before(
        batch.cutoff + _SLACK, after=after, limit=batch.limit
    )
    removed = 0
    for pupil in page.items:
        if pupil.archived_at is not None and batch.passed(pupil.archived_at):
            batch.uow.pupils.remove(pupil.id, version=pupil.version)
            removed += 1
    return RetentionStep(removed, page.next_after)


def _groups_past(
    batch: RetentionBatch, after: str | None
) -> tuple[list[TestSessionGroup], str | None]:
    """Return the next session groups whose result was set longer ago than the term."""
    last_day = (batch.cutoff + _SLACK).date().isoformat()
    groups, cursor = batch.page(SESSION_GROUPS, after, at_most=("day", last_day))
    corrections = batch.uow.correction_groups.get_many([group.id for group in groups])
    past = []
    for group in groups:
        moment = result_set_at(group, corrections.get(group.id))
        if moment is not None and batch.passed(moment):
            past.append(group)
    return past, cursor


def _remove_work(uow: UnitOfWork, group: str) -> int:
    """Remove *group*'s attempts (with their answers) and correction sheets; return how many."""
    attempts = uow.test_attempts.list_for_group(group)
    sheets = uow.correction_sheets.list_for_group(group)
    for attempt in attempts:
        uow.test_attempts.remove(attempt.id, version=attempt.version)
    for sheet in sheets:
        uow.correction_sheets.remove(sheet.id, version=sheet.version)
    return len(attempts) + len(sheets)


def _exam_work(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """The attempts (answers) and correction sheets of groups past the exam-work term."""
    groups, cursor = _groups_past(attrs.evolve(batch, limit=batch.limit // 10), after)
    return RetentionStep(sum(_remove_work(batch.uow, group.id) for group in groups), cursor)


def _results(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """The correction (published results) and the session group (its report) past the term.

    Exam work still left (a portal that keeps it longer than the results) goes with them.
    """
    uow = batch.uow
    groups, cursor = _groups_past(attrs.evolve(batch, limit=batch.limit // 10), after)
    removed = 0
    for group in groups:
        removed += _remove_work(uow, group.id)
        correction = uow.correction_groups.get_many([group.id]).get(group.id)
        if correction is not None:
            uow.correction_groups.remove(group.id, version=correction.version)
            removed += 1
        uow.session_groups.remove(group.id, version=group.version)
        removed += 1
    return RetentionStep(removed, cursor)


def _mail(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """E-mails the mail server kept refusing, queued longer ago than the term."""
    return batch.remove_passed(OUTBOX, after, lambda mail: mail.queued_at)


def _sync_inbox(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Received synchronisation entries applied longer ago than the term."""
    return batch.remove_passed(SYNC_INBOX, after, lambda entry: entry.applied_at)


def _acknowledged(batch: RetentionBatch) -> dict[str, int]:
    """Return each stream's number up to which the other side acknowledged its entries."""
    uow = batch.uow
    if not isinstance(uow, RecordsUnit):
        raise TypeError("the retention jobs need units of work on the storage port")
    marks = uow.transaction.find(SYNC_MARKS, where={})  # centrally: one per offline server
    stations = uow.transaction.find(STATIONS, where={})  # on an offline server: its one
    acknowledged = {down_stream(mark.server): mark.down_acknowledged for mark in marks}
    for station in stations:
        acknowledged[UP_STREAM] = station.up_acknowledged
    return acknowledged


def _sync_queue(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Queued synchronisation entries acknowledged and queued longer ago than the term."""
    acknowledged = _acknowledged(batch)
    return batch.remove_passed(
        SYNC_QUEUE,
        after,
        lambda entry: entry.queued_at if entry.seq <= acknowledged.get(entry.stream, 0) else None,
    )


def _sync_conflicts(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Synchronisation conflicts resolved longer ago than the term."""
    return batch.remove_passed(SYNC_CONFLICTS, after, lambda conflict: conflict.resolved_at)


def _applications(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Account applications decided (approved or rejected) longer ago than the term."""
    return batch.remove_passed(
        APPLICATIONS,
        after,
        lambda application: (
            None if application.decision is None else application.decision.decided_at
        ),
    )


def _flemish_year_ended(year: SchoolYear) -> datetime:
    """Return when the Flemish school year *year* ended: 1 September, 0:00 in Brussels.

    A Flemish school year runs from 1 September to 31 August; the ``flemish``
    term counts from the moment after its last day.

    >>> _flemish_year_ended(SchoolYear("2025-2026")).isoformat()
    '2026-09-01T00:00:00+02:00'
    """
    return datetime.combine(date(year.second_year, 9, 1), time(), BRUSSELS)


def _flemish(batch: RetentionBatch, after: str | None) -> RetentionStep:
    """Flemish registrations whose school year ended longer ago than the term."""
    return batch.remove_passed(
        FLEMISH_REGISTRATIONS, after, lambda item: _flemish_year_ended(item.school_year)
    )


def _audit(batch: RetentionBatch, _: str | None) -> RetentionStep:
    """Audit events older than the term, oldest first (the audit trail's own removal)."""
    removed = batch.uow.audit.remove_before(batch.cutoff, limit=batch.limit)
    return RetentionStep(removed, _MORE if removed == batch.limit else None)


@attrs.frozen
class RetentionJob:
    """One retention job: the term it applies and its batch."""

    term: str
    """The retention term's name."""
    run: RetentionJobRun
    """One batch of it."""
    what: str
    """What it removes (English)."""


RETENTION_JOBS: Final[tuple[RetentionJob, ...]] = (
    RetentionJob(
        "sign_in",
        _sign_in,
        "lapsed sign-ins, trusted browsers, counters, tokens, ended signed-in sessions",
    ),
    RetentionJob("federation", _federation, "federated sign-in requests that lapsed"),
    RetentionJob("pending_import", _pending_imports, "lapsed import previews"),
    RetentionJob("pupil", _pupils, "archived pupils"),
    RetentionJob("exam_work", _exam_work, "attempts with their answers, correction sheets"),
    RetentionJob(
        "results",
        _results,
        "corrections with the published results, session groups with their session reports",
    ),
    RetentionJob("mail", _mail, "e-mails the mail server kept refusing"),
    RetentionJob("offline_sync", _sync_inbox, "received synchronisation entries"),
    RetentionJob("offline_sync", _sync_queue, "acknowledged queued synchronisation entries"),
    RetentionJob("offline_sync", _sync_conflicts, "resolved synchronisation conflicts"),
    RetentionJob("application", _applications, "decided account applications"),
    RetentionJob("flemish", _flemish, "Flemish registrations (pupils, logbooks)"),
    RetentionJob("audit", _audit, "audit events"),
)
"""Every retention job, in the order a run takes them (the audit trail last).

:meta hide-value:
"""

PURGED_TERMS: Final[tuple[str, ...]] = tuple(dict.fromkeys(job.term for job in RETENTION_JOBS))
"""The retention terms the jobs apply, in the order of :data:`RETENTION_JOBS`."""


def removal_of(term: str) -> str:
    """Return how what the retention term *term* covers is removed (English).

    The retention jobs that apply it (``examkit privacy purge``,
    :meth:`PrivacyRetention.purge`), or the term's own
    :attr:`~examkit.privacy.RetentionTerm.removal` where no job does.

    >>> removal_of("mail")
    'retention job (examkit privacy purge): e-mails the mail server kept refusing'
    >>> removal_of("account").startswith("by hand: ")
    True

    Raises:
        KeyError: there is no term *term* (a programming error).
    """
    own = retention_term(term).removal
    if own is not None:
        return own
    whats = "; ".join(job.what for job in RETENTION_JOBS if job.term == term)
    return f"retention job (examkit privacy purge): {whats}"


def _counts(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@attrs.frozen
class PurgeReport:
    """What one run of the retention jobs removed, per retention term.

    >>> from datetime import timezone
    >>> report = PurgeReport(datetime(2027, 3, 1, 3, tzinfo=timezone.utc),
    ...                      {"pupil": 2, "audit": 0}, batches=3)
    >>> report.total, report.summary()
    (2, 'removed 2 records past their retention term: pupil 2, audit 0 (3 batches)')
    """

    at: datetime
    """The run's moment (the terms are counted back from it)."""
    removed: Mapping[str, int] = attrs.field(converter=_counts)
    """How many records each term's jobs removed, by term name (every term, zero too)."""
    batches: int = 0
    """How many batches (units of work) the run took."""

    @property
    def total(self) -> int:
        """How many records the run removed."""
        return sum(self.removed.values())

    def summary(self) -> str:
        """Return the run in one line (English), for a log or a cron mail."""
        counts = ", ".join(f"{term} {count}" for term, count in self.removed.items())
        return (
            f"removed {self.total} records past their retention term: {counts} "
            f"({self.batches} batches)"
        )

    def as_json(self) -> dict[str, Any]:
        """Return the run as JSON data: ``at``, ``removed`` by term, ``total``, ``batches``."""
        return {
            "at": self.at.isoformat(),
            "removed": dict(self.removed),
            "total": self.total,
            "batches": self.batches,
        }


class _Lost(Exception):
    """A batch lost a race with another run; it is read again."""


class PrivacyRetention:
    """The retention jobs: ``kit.privacy_retention``.

    Args:
        ports: The wired ports.
        settings: The portal's privacy settings (its own retention periods).

    Implements PRIV-4.
    """

    def __init__(self, ports: Ports, settings: PrivacySettings | None = None) -> None:
        self._ports = ports
        self._settings = settings if settings is not None else PrivacySettings()

    def __repr__(self) -> str:
        return f"PrivacyRetention({self._ports.backend!r})"

    def purge(self, actor: str | None = None) -> PurgeReport:
        """Remove everything past its retention term; return what was removed, per term.

        A job of the system (a portal's scheduler or ``examkit privacy
        purge`` from cron) when *actor* is ``None``; an acting account needs
        :data:`PURGE_PERMISSION` (the operator). Safe to run twice (the second run
        removes nothing) and concurrently (no record is counted twice).

        Raises:
            NotPermitted: ``permission.denied``: *actor* may not; nothing was removed.
            StorageError: ``storage.busy``: a batch lost to other writers too often.

        Implements PRIV-4.
        """
        now = self._ports.clock.now()
        if actor is not None:
            with UseCase(
                self._ports,
                "privacy.retention.purge",
                "retention:run",
                actor=actor,
                readonly=True,
                now=now,
            ) as unit:
                unit.require(PURGE_PERMISSION)
        removed = dict.fromkeys(PURGED_TERMS, 0)
        batches = 0
        for job in RETENTION_JOBS:
            period = retention_period(self._settings, job.term)
            after: str | None = None
            while True:
                step = self._batch(job, period, after, now, actor)
                batches += 1
                removed[job.term] += step.removed
                if step.next_after is None:
                    break
                after = None if step.next_after == _MORE else step.next_after
        report = PurgeReport(now, removed, batches)
        with UseCase(
            self._ports, "privacy.retention.purged", "retention:run", actor=actor, now=now
        ) as unit:
            unit.audit(
                details={
                    **{term: str(count) for term, count in removed.items()},
                    "total": str(report.total),
                }
            )
            unit.commit()
        return report

    def _batch(
        self,
        job: RetentionJob,
        period: RetentionPeriod,
        after: str | None,
        now: datetime,
        actor: str | None,
    ) -> RetentionStep:
        """Run one batch of *job* in its own unit of work, again when it lost a race."""
        for _ in range(RETRIES):
            try:
                with UseCase(
                    self._ports,
                    "privacy.retention.removed",
                    f"retention:{job.term}",
                    actor=actor,
                    now=now,
                ) as unit:
                    try:
                        step = job.run(RetentionBatch(unit.uow, now, period), after)
                    except (ConcurrentModification, NotFound) as lost:
                        raise _Lost from lost
                    if step.removed:
                        unit.audit(details={"term": job.term, "count": str(step.removed)})
                    unit.commit()
                return step
            except _Lost:
                continue
        raise StorageError("storage.busy")
