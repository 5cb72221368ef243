"""What the monitor's pages show: examkit's monitor and report as plain rows for the templates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from examkit.notifications import local_time
from examkit.scheduling import AMSTERDAM, AttemptState, GroupState, MonitorCandidate, MonitorGroup
from portal._i18n import N_

ATTEMPT_STATES: Final[dict[AttemptState, str]] = {
    AttemptState.REGISTERED: N_("Not started"),
    AttemptState.IN_PROGRESS: N_("Busy"),
    AttemptState.PAUSED: N_("Paused"),
    AttemptState.SUBMITTED: N_("Handed in"),
    AttemptState.TIMED_OUT: N_("Time is up"),
    AttemptState.TERMINATED: N_("Ended by the proctor"),
    AttemptState.ABSENT: N_("Absent"),
}
"""Each candidate state's words on the monitor (English message ids)."""

GROUP_STATES: Final[dict[GroupState, str]] = {
    GroupState.PLANNED: N_("Planned: not released yet, no one can sign in."),
    GroupState.RELEASED: N_("Released: candidates sign in with the access code."),
    GroupState.BLOCKED: N_("Blocked: no one can sign in; the access code is kept."),
    GroupState.CLOSED: N_("Closed by the proctor."),
    GroupState.RELEASED_FOR_CORRECTION: N_("Closed, and released for correction."),
    GroupState.CORRECTION_CLOSED: N_("Closed, and its correction closed."),
    GroupState.RESULTS_PUBLISHED: N_("Closed; its results are published."),
    GroupState.REVIEW_OPEN: N_("Closed; open for review."),
    GroupState.ARCHIVED: N_("Closed and archived."),
    GroupState.CANCELLED: N_("Cancelled by the planner."),
}
"""Each group state's sentence on the monitor (English message ids)."""

RUNNING: Final = frozenset({AttemptState.IN_PROGRESS, AttemptState.PAUSED})
"""The states in which the candidate is at work (paused included)."""

POLLED: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED})
"""The group states in which the candidates' table updates itself."""


def clock(moment: datetime | None) -> str:
    """Return *moment* as the time of day in Amsterdam (``09:05``), or an empty text."""
    return "" if moment is None else moment.astimezone(AMSTERDAM).strftime("%H:%M")


def when(moment: datetime | None) -> str:
    """Return *moment* as the portal writes it (``12-05-2026 09:05 CEST``), or empty."""
    return "" if moment is None else local_time(moment, AMSTERDAM)


def time_left(seconds: int | None) -> str:
    """Return *seconds* as ``h:mm:ss`` (``0:00:00`` when up), or empty when there is none."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def candidate_row(line: MonitorCandidate, gettext: Callable[..., str]) -> dict[str, Any]:
    """Return one candidate's row of the monitor's table."""
    return {
        "id": line.candidate,
        "login_name": line.login_name,
        "name": line.name,
        "state": line.state,
        "state_text": gettext(ATTEMPT_STATES[line.state]),
        "running": line.state in RUNNING,
        "time_left": time_left(line.seconds_left),
        "answered": line.answered,
        "extra_time": line.extra_time_minutes,
        "reentry": line.reentry_allowed,
        "late_saves": line.late_saves,
        "last_contact": clock(line.last_contact),
        "lost_since": clock(line.connection_lost_since),
    }


def group_view(group: MonitorGroup, gettext: Callable[..., str]) -> dict[str, Any]:
    """Return one group of the monitor: its facts, its state's sentence and its rows."""
    return {
        "id": group.id,
        "exam": group.exam,
        "room": group.room,
        "state": group.state,
        "state_text": gettext(GROUP_STATES[group.state]),
        "starts": when(group.starts_at),
        "ends": when(group.ends_at),
        "access_code": group.access_code,
        "polled": group.state in POLLED,
        "rows": [candidate_row(line, gettext) for line in group.candidates],
        "candidates": group.planned,
        "held_by": group.held_by,
    }


def summary(group: MonitorGroup, ngettext: Callable[..., str]) -> str:
    """Return the one sentence a screen reader hears when the candidates' states change."""
    counts = Counter(line.state for line in group.candidates)
    finished = sum(n for state, n in counts.items() if state.is_final)
    lost = sum(1 for line in group.candidates if line.connection_lost_since is not None)
    return ngettext(
        "%(num)d candidate: %(busy)d busy, %(paused)d paused, %(waiting)d not started, "
        "%(finished)d finished; connection lost: %(lost)d.",
        "%(num)d candidates: %(busy)d busy, %(paused)d paused, %(waiting)d not started, "
        "%(finished)d finished; connection lost: %(lost)d.",
        len(group.candidates),
        busy=counts[AttemptState.IN_PROGRESS],
        paused=counts[AttemptState.PAUSED],
        waiting=counts[AttemptState.REGISTERED],
        finished=finished,
        lost=lost,
    )
