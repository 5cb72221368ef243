"""The lifecycles of a test session group and of a candidate's attempt, as declared tables.

Both tables are data: checked when this module is imported (an inconsistent
machine is an error at import), and read by the use cases, the tests'
state machines and the documentation's diagrams.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Final, TypeVar

import attrs

from examkit.errors import InvalidInput, InvalidState
from examkit.roles import MATRIX

_Row = TypeVar("_Row")


class GroupState(enum.Enum):
    """A session group's state (*status afnamegroep*).

    Implements SCH-3.
    """

    PLANNED = "planned"
    """Planned by the planner (*gepland*)."""
    RELEASED = "released"
    """Released by the proctor (*vrijgegeven*): candidates may sign in with the access code."""
    BLOCKED = "blocked"
    """Blocked by the proctor (*geblokkeerd*): the access code is suspended."""
    CLOSED = "closed"
    """Closed by the proctor (*afgesloten*): the access code is dead."""
    RELEASED_FOR_CORRECTION = "released_for_correction"
    """Released for correction by the planner (*vrijgegeven voor correctie*)."""
    CORRECTION_CLOSED = "correction_closed"
    """Correction closed by the corrector (*correctie afgesloten*), back with the planner."""
    RESULTS_PUBLISHED = "results_published"
    """Results published by the planner (*resultaten*)."""
    REVIEW_OPEN = "review_open"
    """Review of the taken exam granted (*inzage*)."""
    ARCHIVED = "archived"
    """Archived (*gearchiveerd*): nothing changes any more."""
    CANCELLED = "cancelled"
    """Cancelled before anyone started (*geannuleerd*)."""


class Guard(enum.Enum):
    """A condition a group transition needs besides the state and the role.

    Implements SCH-3.
    """

    NONE = "none"
    """No condition."""
    ATTEMPTS_FINAL_AND_REPORT = "attempts_final_and_report"
    """Every started attempt is final or ended by the proctor, and the session report is
    completed; candidates who never started become absent, the access code dies."""
    CORRECTORS_ASSIGNED = "correctors_assigned"
    """A first corrector is assigned when the test has items scored by correctors."""
    NO_ATTEMPT_STARTED = "no_attempt_started"
    """No candidate has started."""
    NOTHING_TO_CORRECT = "nothing_to_correct"
    """No candidate's answers wait for correctors (the test has no open items, or nobody
    took it); otherwise correction is closed through
    :meth:`examkit.correction.CorrectionService.close`, which checks every open item of
    every candidate has a final score."""


def _group_states(value: Iterable[GroupState]) -> frozenset[GroupState]:
    return frozenset(value)


def _attempt_states(value: Iterable[AttemptState]) -> frozenset[AttemptState]:
    return frozenset(value)


@attrs.frozen
class GroupTransition:
    """One row of the group lifecycle (*afnamegroep*): event, states, role's action, guard.

    Implements SCH-3.
    """

    event: str
    """The event's name (``release``)."""
    sources: frozenset[GroupState] = attrs.field(converter=_group_states)
    """The states it may start from."""
    target: GroupState
    """The state it leads to."""
    action: str
    """The permission matrix's action it needs on a regular group."""
    ft_action: str | None
    """The action it needs on a functionality-test group (``None``: not for those)."""
    role: str
    """Who does it, in words (the docs' diagram label)."""
    guard: Guard
    """The condition it needs besides state and role."""
    label_nl: str
    """The source system's Dutch words."""


_S = GroupState
GROUP_LIFECYCLE: Final[tuple[GroupTransition, ...]] = (
    GroupTransition(
        "release",
        {_S.PLANNED, _S.BLOCKED},
        _S.RELEASED,
        "facet.monitor.release",
        "facet.ft.monitor.release",
        "proctor",
        Guard.NONE,
        "Vrijgeven afnamegroep",
    ),
    GroupTransition(
        "block",
        {_S.RELEASED},
        _S.BLOCKED,
        "facet.monitor.block",
        "facet.ft.monitor.block",
        "proctor",
        Guard.NONE,
        "Blokkeren afnamegroep",
    ),
    GroupTransition(
        "close",
        {_S.RELEASED, _S.BLOCKED},
        _S.CLOSED,
        "facet.monitor.close",
        "facet.ft.monitor.close",
        "proctor",
        Guard.ATTEMPTS_FINAL_AND_REPORT,
        "Afsluiten afnamegroep",
    ),
    GroupTransition(
        "release_for_correction",
        {_S.CLOSED},
        _S.RELEASED_FOR_CORRECTION,
        "facet.session_groups.release_for_correction",
        None,
        "planner",
        Guard.CORRECTORS_ASSIGNED,
        "Afnamegroep vrijgeven voor correctie",
    ),
    GroupTransition(
        "close_correction",
        {_S.RELEASED_FOR_CORRECTION},
        _S.CORRECTION_CLOSED,
        "facet.correction.close",
        None,
        "corrector",
        Guard.NOTHING_TO_CORRECT,
        "Correctie afsluiten",
    ),
    GroupTransition(
        "publish_results",
        {_S.CORRECTION_CLOSED},
        _S.RESULTS_PUBLISHED,
        "facet.reports.results",
        None,
        "planner",
        Guard.NONE,
        "Examen-/toetsresultaten",
    ),
    GroupTransition(
        "open_review",
        {_S.RESULTS_PUBLISHED},
        _S.REVIEW_OPEN,
        "facet.review.limited",
        None,
        "planner",
        Guard.NONE,
        "Beperkte inzage",
    ),
    GroupTransition(
        "archive",
        {_S.RESULTS_PUBLISHED, _S.REVIEW_OPEN},
        _S.ARCHIVED,
        "facet.session_groups.overview",
        None,
        "planner",
        Guard.NONE,
        "Archiveren",
    ),
    GroupTransition(
        "cancel",
        {_S.PLANNED},
        _S.CANCELLED,
        "facet.sessions.plan",
        "facet.ft.session_groups.create",
        "planner",
        Guard.NO_ATTEMPT_STARTED,
        "Annuleren",
    ),
)
"""The group lifecycle: every move, who makes it and what it needs (SCH-3).

:meta hide-value:
"""


class AttemptState(enum.Enum):
    """A candidate's attempt at a test (*afname van een kandidaat*).

    Implements SCH-4.
    """

    REGISTERED = "registered"
    """Registered for the group, not started (*aangemeld*)."""
    IN_PROGRESS = "in_progress"
    """Working (*bezig*)."""
    PAUSED = "paused"
    """Paused by the proctor (*gepauzeerd*)."""
    SUBMITTED = "submitted"
    """Handed in by the candidate (*ingeleverd*)."""
    TIMED_OUT = "timed_out"
    """The deadline passed (*tijd verstreken*)."""
    TERMINATED = "terminated"
    """Ended by the proctor, with a reason (*beëindigd*)."""
    ABSENT = "absent"
    """Never started before the group closed (*afwezig*)."""

    @property
    def is_final(self) -> bool:
        """Whether the attempt is over (submitted, timed out, terminated or absent)."""
        return self in FINAL_ATTEMPT_STATES


FINAL_ATTEMPT_STATES: Final = frozenset(
    {AttemptState.SUBMITTED, AttemptState.TIMED_OUT, AttemptState.TERMINATED, AttemptState.ABSENT}
)
"""The states in which an attempt is over."""


@attrs.frozen
class AttemptTransition:
    """One row of the attempt lifecycle: event, states, and who makes it.

    Implements SCH-4.
    """

    event: str
    """The event's name (``start``)."""
    sources: frozenset[AttemptState] = attrs.field(converter=_attempt_states)
    """The states it may start from."""
    target: AttemptState
    """The state it leads to."""
    by: str
    """Who makes it: ``candidate``, ``proctor`` or ``system``."""
    action: str | None
    """The permission matrix's action the proctor needs (``None`` for candidate and system)."""
    label_nl: str
    """The Dutch words."""


_A = AttemptState
ATTEMPT_LIFECYCLE: Final[tuple[AttemptTransition, ...]] = (
    AttemptTransition("start", {_A.REGISTERED}, _A.IN_PROGRESS, "candidate", None, "Starten"),
    AttemptTransition(
        "pause", {_A.IN_PROGRESS}, _A.PAUSED, "proctor", "facet.monitor.intervene", "Pauzeren"
    ),
    AttemptTransition(
        "resume", {_A.PAUSED}, _A.IN_PROGRESS, "proctor", "facet.monitor.intervene", "Hervatten"
    ),
    AttemptTransition("submit", {_A.IN_PROGRESS}, _A.SUBMITTED, "candidate", None, "Inleveren"),
    AttemptTransition(
        "time_out", {_A.IN_PROGRESS, _A.PAUSED}, _A.TIMED_OUT, "system", None, "Tijd verstreken"
    ),
    AttemptTransition(
        "terminate",
        {_A.REGISTERED, _A.IN_PROGRESS, _A.PAUSED},
        _A.TERMINATED,
        "proctor",
        "facet.monitor.intervene",
        "Beëindigen (met reden)",
    ),
    AttemptTransition(
        "reactivate",
        {_A.SUBMITTED, _A.TIMED_OUT, _A.TERMINATED},
        _A.IN_PROGRESS,
        "proctor",
        "facet.monitor.intervene",
        "Heractiveren",
    ),
    AttemptTransition("mark_absent", {_A.REGISTERED}, _A.ABSENT, "system", None, "Afwezig"),
)
"""The attempt lifecycle (SCH-4).

:meta hide-value:
"""


class LifecycleError(AssertionError):
    """A lifecycle table is inconsistent (raised at import: a programming error)."""


class TransitionNotAllowed(InvalidState):
    """The move is not allowed in the current state (the actor may make it elsewhere).

    Nothing was changed.

    Implements SCH-3.
    """

    default_code = "sessions.transition.not_allowed"


def group_transition(event: str) -> GroupTransition:
    """Return the group lifecycle's row for *event*.

    >>> group_transition("block").target
    <GroupState.BLOCKED: 'blocked'>

    Raises:
        InvalidInput: ``sessions.group.event``: there is no such event.
    """
    return _row(_GROUP_BY_EVENT, event, "sessions.group.event")


def attempt_transition(event: str) -> AttemptTransition:
    """Return the attempt lifecycle's row for *event*.

    Raises:
        InvalidInput: ``sessions.attempt.event``: there is no such event.
    """
    return _row(_ATTEMPT_BY_EVENT, event, "sessions.attempt.event")


def _row(table: Mapping[str, _Row], event: object, code: str) -> _Row:
    """Return *table*'s row for *event*, or refuse an unknown or non-text event name."""
    row = table.get(event) if isinstance(event, str) else None
    if row is None:
        raise InvalidInput(code, field="event", event=str(event)[:40])
    return row


def next_group_state(state: GroupState, event: str) -> GroupState:
    """Return the state *event* leads to from *state*.

    >>> next_group_state(GroupState.BLOCKED, "release")
    <GroupState.RELEASED: 'released'>

    Raises:
        InvalidInput: there is no such event.
        TransitionNotAllowed: *state* does not allow *event*.
    """
    row = group_transition(event)
    if state not in row.sources:
        raise TransitionNotAllowed(event=event, state=state.value)
    return row.target


def next_attempt_state(state: AttemptState, event: str) -> AttemptState:
    """Return the attempt state *event* leads to from *state*.

    Raises:
        InvalidInput: there is no such event.
        TransitionNotAllowed: *state* does not allow *event*.
    """
    row = attempt_transition(event)
    if state not in row.sources:
        raise TransitionNotAllowed("sessions.attempt.not_allowed", event=event, state=state.value)
    return row.target


def _reachable(start: object, edges: Iterable[tuple[object, object]]) -> set[object]:
    pairs = list(edges)
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for source, target in pairs:
            if source == node and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def _check_group(rows: tuple[GroupTransition, ...]) -> dict[str, GroupTransition]:
    problems: list[str] = []
    by_event: dict[str, GroupTransition] = {}
    for row in rows:
        if row.event in by_event:
            problems.append(f"event {row.event!r} is declared twice")
        by_event[row.event] = row
        for action in (row.action, row.ft_action):
            if action is not None and action not in MATRIX.actions:
                problems.append(f"event {row.event!r}: unknown action {action!r}")
        if not row.sources:
            problems.append(f"event {row.event!r}: no source state")
    edges = [(source, row.target) for row in rows for source in row.sources]
    reached = _reachable(GroupState.PLANNED, edges)
    for state in GroupState:
        if state not in reached:
            problems.append(f"state {state.value!r} cannot be reached")
    terminal = {GroupState.ARCHIVED, GroupState.CANCELLED}
    for state in GroupState:
        leaves = any(state in row.sources for row in rows)
        if leaves == (state in terminal):
            problems.append(f"state {state.value!r}: only archived and cancelled are final")
    if problems:
        raise LifecycleError("the group lifecycle is inconsistent:\n- " + "\n- ".join(problems))
    return by_event


def _check_attempt(rows: tuple[AttemptTransition, ...]) -> dict[str, AttemptTransition]:
    problems: list[str] = []
    by_event: dict[str, AttemptTransition] = {}
    for row in rows:
        if row.event in by_event:
            problems.append(f"event {row.event!r} is declared twice")
        by_event[row.event] = row
        if row.by not in {"candidate", "proctor", "system"}:
            problems.append(f"event {row.event!r}: unknown maker {row.by!r}")
        if (row.by == "proctor") != (row.action is not None):
            problems.append(f"event {row.event!r}: the proctor's moves, and only they, need one")
        if row.action is not None and row.action not in MATRIX.actions:
            problems.append(f"event {row.event!r}: unknown action {row.action!r}")
    edges = [(source, row.target) for row in rows for source in row.sources]
    reached = _reachable(AttemptState.REGISTERED, edges)
    for state in AttemptState:
        if state not in reached:
            problems.append(f"state {state.value!r} cannot be reached")
    if problems:
        raise LifecycleError("the attempt lifecycle is inconsistent:\n- " + "\n- ".join(problems))
    return by_event


_GROUP_BY_EVENT: Final = _check_group(GROUP_LIFECYCLE)
_ATTEMPT_BY_EVENT: Final = _check_attempt(ATTEMPT_LIFECYCLE)
