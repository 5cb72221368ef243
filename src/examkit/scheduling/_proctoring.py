"""Proctoring: the proctor's monitor and their moves on one candidate's attempt."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import attrs

from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.scheduling._attempts import (
    Attempt,
    AttemptEvent,
    attempt_id,
)
from examkit.scheduling._common import candidates_of, move_attempt
from examkit.scheduling._group_lifecycle import code_action
from examkit.scheduling._held import refuse_if_held
from examkit.scheduling._lifecycle import AttemptState
from examkit.scheduling._model import (
    AMSTERDAM,
)
from examkit.scheduling._pages import SittingRules
from examkit.scheduling._views import Monitor, MonitorGroup, monitor_group
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase

INTERVENE: Final = "facet.monitor.intervene"
"""The permission to act on a group's candidates."""

_PROCTOR_EVENTS: Final = frozenset({"pause", "resume", "terminate", "reactivate"})

MAX_EXTRA_MINUTES: Final = 120
"""The most extra time the proctor gives a running attempt at once (minutes)."""


class Proctoring:
    """The proctor during the session (``kit.proctoring``): the monitor and interventions.

    Args:
        ports: The wired ports.
        rules: The exam day's numbers (when a connection counts as lost).

    Implements SCH-4.
    """

    def __init__(self, ports: Ports, rules: SittingRules | None = None) -> None:
        self._ports = ports
        self._rules = rules if rules is not None else SittingRules()

    def intervene(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        event: str,
        *,
        reason: str = "",
        minutes: int = 0,
    ) -> Attempt:
        """Act on one candidate's attempt: ``pause``, ``resume``, ``terminate``, ``reactivate``.

        ``terminate`` (end with a reason) needs *reason*. ``reactivate``
        reopens a finished attempt while the group is released, with its
        deadline at least *minutes* from now. Every move is logged on the
        attempt and audited.

        Raises:
            NotPermitted: *actor* may not act on the group's candidates.
            TransitionNotAllowed: the attempt's state does not allow *event*.
            InvalidInput: ``terminate`` without a reason.
            InvalidState: ``reactivate`` while the group is not released.

        Implements SCH-4.
        """
        if not isinstance(event, str) or event not in _PROCTOR_EVENTS:
            raise InvalidInput("sessions.attempt.event", field="event", event=str(event)[:40])
        found = attempt_id(group_id, candidate)
        with UseCase(
            self._ports, f"sessions.attempt.{event}", f"attempt:{found}", actor=actor
        ) as unit:
            now = unit.now
            group = unit.uow.session_groups.get(group_id)
            attempt = unit.uow.test_attempts.get(found)
            unit.require(INTERVENE, group)
            refuse_if_held(group)
            if event == "terminate" and not reason.strip():
                raise InvalidInput("sessions.attempt.reason", field="reason")
            if event == "reactivate" and not group.is_released:
                raise InvalidState("sessions.attempt.reactivate_released")
            changed = move_attempt(attempt, event, now, actor=actor, reason=reason)
            if event == "terminate":
                changed = attrs.evolve(changed, end_reason=reason.strip())
            if event == "reactivate":
                floor = now + timedelta(minutes=minutes)
                deadline = changed.deadline if changed.deadline is not None else floor
                changed = attrs.evolve(
                    changed, ended_at=None, end_reason="", deadline=max(deadline, floor)
                )
            stored = unit.uow.test_attempts.update(changed)
            unit.audit()
            unit.commit()
        return stored

    def extend_time(
        self, actor: str, group_id: str, candidate: str, *, minutes: int, reason: str = ""
    ) -> Attempt:
        """Give a running (or paused) attempt *minutes* more: its deadline moves that much later.

        For time lost during the session (a pause, a computer that had to be
        changed): 1 to :data:`MAX_EXTRA_MINUTES` minutes at a time. The
        candidate's planned extra time (a facility) is unchanged; the move
        is logged on the attempt (``extra_time``, with the minutes and the
        reason) and audited.

        Raises:
            NotPermitted: *actor* may not act on the group's candidates.
            InvalidInput: ``sessions.attempt.minutes``: not a whole number of 1 to 120.
            InvalidState: ``sessions.attempt.not_running``: not in progress or paused.

        Implements SCH-4.
        """
        if (
            not isinstance(minutes, int)
            or isinstance(minutes, bool)
            or not 1 <= minutes <= MAX_EXTRA_MINUTES
        ):
            raise InvalidInput("sessions.attempt.minutes", field="minutes", most=MAX_EXTRA_MINUTES)
        found = attempt_id(group_id, candidate)
        with UseCase(
            self._ports, "sessions.attempt.extra_time", f"attempt:{found}", actor=actor
        ) as unit:
            group = unit.uow.session_groups.get(group_id)
            attempt = unit.uow.test_attempts.get(found)
            unit.require(INTERVENE, group)
            refuse_if_held(group)
            if (
                attempt.state not in {AttemptState.IN_PROGRESS, AttemptState.PAUSED}
                or attempt.deadline is None
            ):
                raise InvalidState("sessions.attempt.not_running", state=attempt.state.value)
            event = AttemptEvent("extra_time", unit.now, actor, f"+{minutes} {reason.strip()}")
            changed = attrs.evolve(
                attempt,
                deadline=attempt.deadline + timedelta(minutes=minutes),
                log=(*attempt.log, attrs.evolve(event, reason=event.reason.strip())),
            )
            stored = unit.uow.test_attempts.update(changed)
            unit.audit(details={"minutes": str(minutes)})
            unit.commit()
        return stored

    def allow_reentry(self, actor: str, group_id: str, candidate: str) -> Attempt:
        """Allow a candidate whose test is running to sign in again (a new computer).

        Raises:
            NotPermitted: *actor* may not act on the group's candidates.
            InvalidState: the attempt is not running.

        Implements SCH-4.
        """
        found = attempt_id(group_id, candidate)
        with UseCase(
            self._ports, "sessions.attempt.allow_reentry", f"attempt:{found}", actor=actor
        ) as unit:
            group = unit.uow.session_groups.get(group_id)
            attempt = unit.uow.test_attempts.get(found)
            unit.require(INTERVENE, group)
            refuse_if_held(group)
            if attempt.state not in {AttemptState.IN_PROGRESS, AttemptState.PAUSED}:
                raise InvalidState("sessions.attempt.not_running", state=attempt.state.value)
            changed = attrs.evolve(
                attempt,
                reentry_allowed=True,
                log=(*attempt.log, AttemptEvent("allow_reentry", unit.now, actor)),
            )
            stored = unit.uow.test_attempts.update(changed)
            unit.audit()
            unit.commit()
        return stored

    def monitor(
        self,
        actor: str,
        *,
        day: date | None = None,
        group: str | None = None,
        lines: bool = True,
        candidate: str | None = None,
    ) -> Monitor:
        """Return the proctor monitor: *actor*'s groups of *day* (today in Amsterdam).

        A plain structure a portal renders and polls: each group's state,
        access code (while it lives) and candidates with their state and
        time left. Groups at locations where *actor* may not show groups
        are left out. With *group*, only that one of them (none when it is
        not among them): a group's page reads its own candidates only.
        Without *lines*, each group comes without its candidates' lines (their
        number in ``planned``): a list of the day's groups reads no candidate.
        With *candidate*, each group's line of that candidate only (none when
        the group does not have them): a candidate's page reads one attempt.

        Implements SCH-4.
        """
        with UseCase(
            self._ports, "sessions.monitor", f"account:{actor}", actor=actor, readonly=True
        ) as unit:
            now, uow, who = unit.now, unit.uow, unit.actor
            wanted = (day or now.astimezone(AMSTERDAM).date()).isoformat()
            views: list[MonitorGroup] = []
            page = uow.session_groups.list(proctor=actor, day=wanted, limit=MAX_PAGE_SIZE)
            for found in page.items:
                if group is not None and found.id != group:
                    continue
                shown = (
                    "facet.ft.monitor.groups"
                    if found.functionality_test
                    else "facet.monitor.groups"
                )
                if not who.may(shown, found):
                    continue
                if not lines:
                    attempts: tuple[Attempt, ...] = ()
                elif candidate is None:
                    attempts = uow.test_attempts.list_for_group(found.id)
                else:
                    try:
                        attempts = (uow.test_attempts.get(attempt_id(found.id, candidate)),)
                    except NotFound:
                        attempts = ()
                people = candidates_of(uow, {a.candidate for a in attempts})
                show = who.may(code_action(found), found)
                views.append(
                    monitor_group(found, attempts, people, now, show_code=show, rules=self._rules)
                )
        return Monitor(day=wanted, at=now, groups=tuple(views))
