"""The lifecycles of a test session group and of a candidate's attempt, as declared tables.

Both are :class:`examkit.statemachine.StateMachine` values: checked when this
module is imported (an inconsistent table is an error at import), and read
by the use cases, the tests' state machines and the documentation's diagrams.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from examkit.errors import InvalidState
from examkit.permissions import MATRIX
from examkit.statemachine import MachineError, StateMachine, Transition


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
    """A condition a group transition needs besides the state and the role (none: ``None``).

    The use case judges it (:meth:`examkit.scheduling.GroupLifecycle.transition`);
    a guard that fails refuses the move with its own reason.

    Implements SCH-3.
    """

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
    :meth:`examkit.correction.CorrectionWork.close`, which checks every open item of
    every candidate has a final score."""


@attrs.frozen
class GroupTransition(Transition[GroupState]):
    """One row of the group lifecycle (*afnamegroep*): a move, its states, role's action, guard.

    Besides the common columns (:class:`examkit.statemachine.Transition`: the
    move, its sources, the :class:`Guard` it needs, the Dutch words) a row
    names the state it leads to (every move leads to one), the permission
    matrix's action it needs on a regular group and on a functionality-test
    group, and who makes it.

    Implements SCH-3.
    """

    target: GroupState = attrs.field(kw_only=True)
    """The state it leads to."""
    action: str = attrs.field(kw_only=True)
    """The permission matrix's action it needs on a regular group."""

    ft_action: str | None = attrs.field(default=None, kw_only=True)
    """The action it needs on a functionality-test group (``None``: not for those)."""
    role: str = attrs.field(default="", kw_only=True)
    """Who does it, in words (the docs' diagram label)."""


_S = GroupState
_GROUP_ROWS: Final = (
    GroupTransition(
        "release",
        {_S.PLANNED, _S.BLOCKED},
        target=_S.RELEASED,
        action="facet.monitor.release",
        ft_action="facet.ft.monitor.release",
        role="proctor",
        label_nl="Vrijgeven afnamegroep",
    ),
    GroupTransition(
        "block",
        {_S.RELEASED},
        target=_S.BLOCKED,
        action="facet.monitor.block",
        ft_action="facet.ft.monitor.block",
        role="proctor",
        label_nl="Blokkeren afnamegroep",
    ),
    GroupTransition(
        "close",
        {_S.RELEASED, _S.BLOCKED},
        target=_S.CLOSED,
        guard=Guard.ATTEMPTS_FINAL_AND_REPORT,
        action="facet.monitor.close",
        ft_action="facet.ft.monitor.close",
        role="proctor",
        label_nl="Afsluiten afnamegroep",
    ),
    GroupTransition(
        "release_for_correction",
        {_S.CLOSED},
        target=_S.RELEASED_FOR_CORRECTION,
        guard=Guard.CORRECTORS_ASSIGNED,
        action="facet.session_groups.release_for_correction",
        role="planner",
        label_nl="Afnamegroep vrijgeven voor correctie",
    ),
    GroupTransition(
        "close_correction",
        {_S.RELEASED_FOR_CORRECTION},
        target=_S.CORRECTION_CLOSED,
        guard=Guard.NOTHING_TO_CORRECT,
        action="facet.correction.close",
        role="corrector",
        label_nl="Correctie afsluiten",
    ),
    GroupTransition(
        "publish_results",
        {_S.CORRECTION_CLOSED},
        target=_S.RESULTS_PUBLISHED,
        action="facet.reports.results",
        role="planner",
        label_nl="Examen-/toetsresultaten",
    ),
    GroupTransition(
        "open_review",
        {_S.RESULTS_PUBLISHED},
        target=_S.REVIEW_OPEN,
        action="facet.review.limited",
        role="planner",
        label_nl="Beperkte inzage",
    ),
    GroupTransition(
        "archive",
        {_S.RESULTS_PUBLISHED, _S.REVIEW_OPEN},
        target=_S.ARCHIVED,
        action="facet.session_groups.overview",
        role="planner",
        label_nl="Archiveren",
    ),
    GroupTransition(
        "cancel",
        {_S.PLANNED},
        target=_S.CANCELLED,
        guard=Guard.NO_ATTEMPT_STARTED,
        action="facet.sessions.plan",
        ft_action="facet.ft.session_groups.create",
        role="planner",
        label_nl="Annuleren",
    ),
)


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
class AttemptTransition(Transition[AttemptState]):
    """One row of the attempt lifecycle: the common columns, and who makes the move.

    Its :attr:`~examkit.statemachine.Transition.action` is the permission
    matrix's action the proctor needs (``None`` for candidate and system).

    Implements SCH-4.
    """

    target: AttemptState = attrs.field(kw_only=True)
    """The state it leads to (every attempt move leads to one)."""

    by: str = attrs.field(default="", kw_only=True)
    """Who makes it: ``candidate``, ``proctor`` or ``system``."""


_A = AttemptState
_INTERVENE: Final = "facet.monitor.intervene"
_ATTEMPT_ROWS: Final = (
    AttemptTransition(
        "start", {_A.REGISTERED}, target=_A.IN_PROGRESS, by="candidate", label_nl="Starten"
    ),
    AttemptTransition(
        "pause",
        {_A.IN_PROGRESS},
        target=_A.PAUSED,
        by="proctor",
        action=_INTERVENE,
        label_nl="Pauzeren",
    ),
    AttemptTransition(
        "resume",
        {_A.PAUSED},
        target=_A.IN_PROGRESS,
        by="proctor",
        action=_INTERVENE,
        label_nl="Hervatten",
    ),
    AttemptTransition(
        "submit", {_A.IN_PROGRESS}, target=_A.SUBMITTED, by="candidate", label_nl="Inleveren"
    ),
    AttemptTransition(
        "time_out",
        {_A.IN_PROGRESS, _A.PAUSED},
        target=_A.TIMED_OUT,
        by="system",
        label_nl="Tijd verstreken",
    ),
    AttemptTransition(
        "terminate",
        {_A.REGISTERED, _A.IN_PROGRESS, _A.PAUSED},
        target=_A.TERMINATED,
        by="proctor",
        action=_INTERVENE,
        label_nl="Beëindigen (met reden)",
    ),
    AttemptTransition(
        "reactivate",
        {_A.SUBMITTED, _A.TIMED_OUT, _A.TERMINATED},
        target=_A.IN_PROGRESS,
        by="proctor",
        action=_INTERVENE,
        label_nl="Heractiveren",
    ),
    AttemptTransition(
        "mark_absent", {_A.REGISTERED}, target=_A.ABSENT, by="system", label_nl="Afwezig"
    ),
)


class TransitionNotAllowed(InvalidState):
    """The move is not allowed in the current state (the actor may make it elsewhere).

    Nothing was changed.

    Implements SCH-3.
    """

    default_code = "sessions.transition.not_allowed"


def _group_refusal(event: str, state: GroupState) -> InvalidState:
    return TransitionNotAllowed(event=event, state=state.value)


def _attempt_refusal(event: str, state: AttemptState) -> InvalidState:
    return TransitionNotAllowed("sessions.attempt.not_allowed", event=event, state=state.value)


def _checked_groups(rows: tuple[GroupTransition, ...]) -> tuple[GroupTransition, ...]:
    """Return *rows* if each move has one row, with a known functionality-test action."""
    events = [row.event for row in rows]
    wrong = [
        row.event
        for row in rows
        if events.count(row.event) > 1 or (row.ft_action and row.ft_action not in MATRIX.actions)
    ]
    if wrong:
        raise MachineError(
            f"the session group lifecycle: {wrong} must be one row each, with a known FT action"
        )
    return rows


def _checked_makers(rows: tuple[AttemptTransition, ...]) -> tuple[AttemptTransition, ...]:
    """Return *rows* if each has a known maker, and exactly the proctor's moves an action."""
    wrong = [
        row.event
        for row in rows
        if row.by not in {"candidate", "proctor", "system"}
        or (row.by == "proctor") != (row.action is not None)
    ]
    if wrong:
        raise MachineError(
            f"the attempt lifecycle: {wrong} need a known maker, and an action if and "
            "only if the proctor makes them"
        )
    return rows


GROUP_LIFECYCLE: Final = StateMachine(
    "session group",
    GroupState,
    _checked_groups(_GROUP_ROWS),
    start=GroupState.PLANNED,
    final={GroupState.ARCHIVED, GroupState.CANCELLED},
    actions=MATRIX.actions,
    refusal=_group_refusal,
    unknown="sessions.group.event",
)
"""The group lifecycle: every move, who makes it and what it needs (SCH-3).

Its moves are refused with :class:`TransitionNotAllowed` (a state that does
not allow them) or ``sessions.group.event`` (no such move).

>>> GROUP_LIFECYCLE.move("release", GroupState.BLOCKED).target
<GroupState.RELEASED: 'released'>

:meta hide-value:
"""

ATTEMPT_LIFECYCLE: Final = StateMachine(
    "attempt",
    AttemptState,
    _checked_makers(_ATTEMPT_ROWS),
    start=AttemptState.REGISTERED,
    final={AttemptState.ABSENT},
    actions=MATRIX.actions,
    refusal=_attempt_refusal,
    unknown="sessions.attempt.event",
)
"""The attempt lifecycle (SCH-4).

Its moves are refused with :class:`TransitionNotAllowed`
(``sessions.attempt.not_allowed``) or ``sessions.attempt.event`` (no such
move). Only an absent candidate's attempt has no way out: a proctor can
reactivate every other attempt that is over (:data:`FINAL_ATTEMPT_STATES`).

:meta hide-value:
"""


def group_transition(event: str) -> GroupTransition:
    """Return the group lifecycle's row for the move *event* (one row per move).

    >>> group_transition("block").target
    <GroupState.BLOCKED: 'blocked'>

    Raises:
        InvalidInput: ``sessions.group.event``: there is no such move.
    """
    (row,) = GROUP_LIFECYCLE.event(event)
    return row
