"""Plain structures for a portal: the proctor monitor and the session report's data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import attrs

from examkit.scheduling._attempts import (
    Attempt,
)
from examkit.scheduling._lifecycle import AttemptState, GroupState
from examkit.scheduling._model import (
    Candidate,
    Incident,
    Remark,
    TestSessionGroup,
    TransitionRecord,
)
from examkit.scheduling._pages import SittingRules


@attrs.frozen
class MonitorCandidate:
    """One candidate's line on the proctor monitor (*kandidaatoverzicht*).

    Implements SCH-4.
    """

    candidate: str
    """The candidate's id."""
    login_name: str
    """Their login name."""
    name: str
    """Their name."""
    state: AttemptState
    """Their attempt's state."""
    seconds_left: int | None
    """Time left in whole seconds while working or paused (the full time before starting)."""
    extra_time_minutes: int
    """Their extra time."""
    answered: int
    """How many items they answered."""
    reentry_allowed: bool
    """Whether they may sign in again."""
    late_saves: int = 0
    """How many of their saves were refused as late (after the deadline plus grace, or the end)."""
    last_contact: datetime | None = None
    """When their page was last heard from."""
    connection_lost_since: datetime | None = None
    """Since when their connection is lost (in progress, no contact for
    :attr:`SittingRules.connection_lost_after`): their last contact; ``None`` when not lost."""


@attrs.frozen
class MonitorGroup:
    """One group on the proctor monitor (*afnamemonitor*): its state, code and candidates.

    Implements SCH-4 and SCH-6.
    """

    id: str
    """The group's id."""
    exam: str
    """The test's code."""
    room: str
    """The room."""
    state: GroupState
    """The group's state."""
    starts_at: datetime
    """When it starts."""
    ends_at: datetime
    """When it ends."""
    access_code: str | None
    """The access code, while it lives and the proctor may see it."""
    candidates: tuple[MonitorCandidate, ...]
    """Every candidate, by login name (none when the monitor was asked without them)."""
    planned: int = 0
    """How many candidates the group has (with or without their lines)."""
    held_by: str | None = None
    """The offline server holding it (centrally, until its closed state is back): the
    monitor then shows it is held instead of offering moves (:mod:`examkit.offline`)."""


@attrs.frozen
class Monitor:
    """The proctor monitor: the proctor's groups of the day, as a portal renders and polls it.

    Implements SCH-4.
    """

    day: str
    """The day, ``YYYY-MM-DD`` in Amsterdam."""
    at: datetime
    """When it was drawn up."""
    groups: tuple[MonitorGroup, ...]
    """The groups, by start time."""


def seconds_left(attempt: Attempt, group: TestSessionGroup, now: datetime) -> int | None:
    """Return the whole seconds an attempt has left at *now* (``None`` when it is over).

    Implements SCH-4.
    """
    if attempt.state is AttemptState.REGISTERED:
        return int((group.duration + attempt.extra_time).total_seconds())
    if attempt.state.is_final or attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - now) / timedelta(seconds=1)))


def monitor_group(
    group: TestSessionGroup,
    attempts: Iterable[Attempt],
    candidates: Mapping[str, Candidate],
    now: datetime,
    *,
    show_code: bool,
    rules: SittingRules | None = None,
) -> MonitorGroup:
    """Return *group*'s monitor view at *now*.

    A candidate's connection is lost by *rules* (the defaults when not given).

    Implements SCH-4.
    """
    sitting = rules if rules is not None else SittingRules()
    lines = tuple(
        sorted(
            (
                MonitorCandidate(
                    candidate=attempt.candidate,
                    login_name=attempt.login_name,
                    name=candidates[attempt.candidate].name
                    if attempt.candidate in candidates
                    else "",
                    state=attempt.state,
                    seconds_left=seconds_left(attempt, group, now),
                    extra_time_minutes=attempt.extra_time_minutes,
                    answered=len(attempt.responses),
                    reentry_allowed=attempt.reentry_allowed,
                    late_saves=attempt.late_saves,
                    last_contact=attempt.last_contact,
                    connection_lost_since=sitting.connection_lost_since(attempt, now),
                )
                for attempt in attempts
            ),
            key=lambda line: line.login_name,
        )
    )
    return MonitorGroup(
        id=group.id,
        exam=group.exam,
        room=group.room,
        state=group.state,
        starts_at=group.starts_at,
        ends_at=group.ends_at,
        access_code=group.access_code if show_code else None,
        candidates=lines,
        planned=len(group.candidates),
        held_by=group.held_by,
    )


@attrs.frozen
class AccessSlip:
    """One candidate's access-code slip (*inlogbriefje*): data for the documents issue.

    Implements SCH-6 (and DOC-2's data).
    """

    group: str
    """The group's id."""
    room: str
    """The room."""
    starts_at: datetime
    """When the group starts."""
    candidate: str
    """The candidate's id."""
    name: str
    """The candidate's name."""
    login_name: str
    """Their login name."""
    access_code: str
    """The group's access code."""


@attrs.frozen
class GroupImportLine:
    """The outcome of one group of a session-group file (*status afname-import*).

    Implements SCH-1.
    """

    label: str
    """The group's label in the file."""
    lines: tuple[int, ...]
    """The file's lines of the group."""
    group: str | None
    """The planned group's id, when planned."""
    problem: str | None
    """The problem's code, when refused."""
    message_nl: str = ""
    """The problem in Dutch."""
    message_en: str = ""
    """The problem in English."""


@attrs.frozen
class GroupImport:
    """The status of a session-group import (*status afname-import*): every group's outcome.

    Implements SCH-1.
    """

    at: datetime
    """When it was read."""
    lines: tuple[GroupImportLine, ...]
    """Every group, in the file's order."""

    @property
    def status(self) -> str:
        """``complete`` (every group planned), ``partial`` or ``failed`` (none planned)."""
        planned = sum(1 for line in self.lines if line.group is not None)
        if planned == len(self.lines):
            return "complete"
        return "failed" if planned == 0 else "partial"


@attrs.frozen
class Attendance:
    """One candidate's attendance in the session report (*aanwezigheid*).

    Implements SCH-5.
    """

    candidate: str
    """The candidate's id."""
    login_name: str
    """Their login name."""
    name: str
    """Their name."""
    number: str
    """Their candidate number."""
    present: bool
    """Whether they started."""
    state: AttemptState
    """How their attempt ended (or stands)."""
    started_at: datetime | None
    """When they started."""
    ended_at: datetime | None
    """When they ended."""
    end_reason: str
    """The proctor's reason, when ended by the proctor."""
    extra_time_minutes: int
    """Their extra time."""
    incidents: tuple[Incident, ...]
    """The incidents recorded about them."""
    late_saves: int = 0
    """How many of their saves were refused as late (after the deadline plus grace, or the end)."""


@attrs.frozen
class SessionReportData:
    """The official session report's data (*proces-verbaal*), for the documents issue.

    Implements SCH-5 (and DOC-3's data).
    """

    group: str
    """The group's id."""
    location: str
    """The location (BRIN6)."""
    exam: str
    """The test's code."""
    room: str
    """The room."""
    proctor: str
    """The proctor's account id."""
    state: GroupState
    """The group's state."""
    planned_start: datetime
    """The planned start."""
    planned_end: datetime
    """The planned end."""
    started_at: datetime | None
    """The actual start, as the proctor recorded it."""
    ended_at: datetime | None
    """The actual end, as the proctor recorded it."""
    attendance: tuple[Attendance, ...]
    """Every candidate, by login name."""
    present: int
    """How many started."""
    absent: int
    """How many never started."""
    incidents: tuple[Incident, ...]
    """Incidents about the whole group."""
    notes: str
    """The proctor's free text."""
    completed: bool
    """Whether the proctor completed it."""
    remarks: tuple[Remark, ...]
    """The planner's remarks after the close."""
    log: tuple[TransitionRecord, ...]
    """The group's transitions (who, role, when, why)."""


def session_report_data(
    group: TestSessionGroup, attempts: Iterable[Attempt], candidates: Mapping[str, Candidate]
) -> SessionReportData:
    """Return the session report's data of *group*.

    Implements SCH-5.
    """
    report = group.report
    lines = []
    for attempt in sorted(attempts, key=lambda a: a.login_name):
        person = candidates.get(attempt.candidate)
        lines.append(
            Attendance(
                candidate=attempt.candidate,
                login_name=attempt.login_name,
                name=person.name if person is not None else "",
                number=person.number if person is not None else "",
                present=attempt.started_at is not None,
                state=attempt.state,
                started_at=attempt.started_at,
                ended_at=attempt.ended_at,
                end_reason=attempt.end_reason,
                extra_time_minutes=attempt.extra_time_minutes,
                incidents=tuple(i for i in report.incidents if i.candidate == attempt.candidate),
                late_saves=attempt.late_saves,
            )
        )
    present = sum(1 for line in lines if line.present)
    return SessionReportData(
        group=group.id,
        location=str(group.location),
        exam=group.exam,
        room=group.room,
        proctor=group.proctor,
        state=group.state,
        planned_start=group.starts_at,
        planned_end=group.ends_at,
        started_at=report.started_at,
        ended_at=report.ended_at,
        attendance=tuple(lines),
        present=present,
        absent=len(lines) - present,
        incidents=tuple(i for i in report.incidents if i.candidate is None),
        notes=report.notes,
        completed=report.completed,
        remarks=report.remarks,
        log=group.log,
    )
