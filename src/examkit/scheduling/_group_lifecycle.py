"""A session group's lifecycle (release, block, close, ...), its access code and correctors."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from examkit._reading import note_group_reads
from examkit.errors import InvalidInput, InvalidState
from examkit.permissions import load_actor
from examkit.scheduling._attempts import (
    Attempt,
)
from examkit.scheduling._codes import new_access_code
from examkit.scheduling._common import (
    attempts_started,
    candidates_of,
    group_subject,
    move_attempt,
)
from examkit.scheduling._held import refuse_if_held
from examkit.scheduling._lifecycle import (
    GROUP_LIFECYCLE,
    AttemptState,
    GroupState,
    Guard,
    TransitionNotAllowed,
    group_transition,
)
from examkit.scheduling._model import (
    TestSessionGroup,
    TransitionRecord,
)
from examkit.scheduling._views import AccessSlip
from examkit.usecase import Ports, UseCase

_CORRECTORS_UNTIL: frozenset[GroupState] = frozenset(
    {GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED, GroupState.CLOSED}
)


def code_action(group: TestSessionGroup) -> str:
    """Return the action that shows *group*'s access code (the FT proctor's for an FT group)."""
    return (
        "facet.ft.monitor.access_code" if group.functionality_test else "facet.monitor.access_code"
    )


class GroupLifecycle:
    """A session group's lifecycle and access code (``kit.group_lifecycle``).

    Each move is a row of :data:`~examkit.scheduling.GROUP_LIFECYCLE`: who may
    make it, from which states, to which, and the guard that must hold.

    Args:
        ports: The wired ports.

    Implements SCH-3 and SCH-6.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def transition(
        self, actor: str, group_id: str, event: str, *, reason: str = ""
    ) -> TestSessionGroup:
        """Make the lifecycle move *event* (:data:`~examkit.scheduling.GROUP_LIFECYCLE`).

        Raises:
            NotFound: there is no such group.
            NotPermitted: *actor* lacks the move's action at the group's location.
            TransitionNotAllowed: the group's state does not allow the move.
            InvalidState: the move's guard fails (the error says why), or
                ``offline.group.held``: an offline server holds the group.

        Implements SCH-3 (and the access code's life, SCH-6) and SCH-7.
        """
        move = group_transition(event)
        subject = group_subject(group_id)
        with UseCase(self._ports, f"sessions.group.{event}", subject, actor=actor) as unit:
            group = unit.uow.session_groups.get(group_id)
            action = move.ft_action if group.functionality_test else move.action
            if action is None:
                raise TransitionNotAllowed(event=event, state=group.state.value)
            unit.require(action, group)
            refuse_if_held(group)
            ending: list[list[Attempt]] = []  # the attempts the close ends, once found
            row = GROUP_LIFECYCLE.move(event, group.state, when=_guard_judge(unit, group, ending))
            changed = self._apply(unit, group, event, ending)
            record = TransitionRecord(
                event=event,
                source=group.state,
                target=row.target,
                actor=actor,
                role=unit.actor.role_for(action),
                at=unit.now,
                reason=reason,
            )
            changed = attrs.evolve(changed, state=row.target, log=(*group.log, record))
            stored = unit.uow.session_groups.update(changed)
            unit.audit(details={"from": record.source.value, "to": record.target.value})
            unit.commit()
        return stored

    def _apply(
        self, unit: UseCase, group: TestSessionGroup, event: str, ending: list[list[Attempt]]
    ) -> TestSessionGroup:
        """Return the group with what the move *event* changes but its state.

        *ending* holds the attempts a close ends when its guard found them
        in this unit already (they are not read and moved twice).
        """
        if event == "release" and group.access_code is None:
            return attrs.evolve(group, access_code=new_access_code(self._ports.secrets))
        if event == "close":
            for attempt in ending[0] if ending else _attempts_to_end(unit, group):
                unit.uow.test_attempts.update(attempt)
            return attrs.evolve(group, access_code=None)
        return group

    def release(self, actor: str, group_id: str) -> TestSessionGroup:
        """Release the group (*vrijgeven*); the first release draws its access code.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "release")

    def block(self, actor: str, group_id: str, *, reason: str = "") -> TestSessionGroup:
        """Block the group (*blokkeren*): sign-ins stop, the access code is kept.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "block", reason=reason)

    def close(self, actor: str, group_id: str, *, reason: str = "") -> TestSessionGroup:
        """Close the group (*afsluiten*): absentees marked, timed-out attempts ended, code dead.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "close", reason=reason)

    def access_code(self, actor: str, group_id: str) -> str:
        """Return the group's access code for the proctor to hand out (*toegangscode opvragen*).

        Raises:
            NotPermitted: *actor* may not get it.
            InvalidState: the group has no live access code (not released yet, or closed).

        Implements SCH-6.
        """
        with UseCase(
            self._ports, "sessions.access_code", group_subject(group_id), actor=actor, readonly=True
        ) as unit:
            return _live_code(unit, unit.uow.session_groups.get(group_id))

    def access_slips(self, actor: str, group_id: str) -> tuple[AccessSlip, ...]:
        """Return the access-code slips of the group's candidates, by login name (the list too).

        Raises:
            NotPermitted: *actor* may not get the group's access code.
            InvalidState: the group has no live access code.

        Implements SCH-6.
        """
        with UseCase(
            self._ports, "sessions.access_code", group_subject(group_id), actor=actor, readonly=True
        ) as unit:
            group = unit.uow.session_groups.get(group_id)
            code = _live_code(unit, group)
            people = candidates_of(unit.uow, group.candidates)
            note_group_reads(unit, people, "access_slips", group.location, group_id)
        return tuple(
            sorted(
                (
                    AccessSlip(
                        group=group.id,
                        room=group.room,
                        starts_at=group.starts_at,
                        candidate=person.id,
                        name=person.name,
                        login_name=person.login_name,
                        access_code=code,
                    )
                    for person in people.values()
                ),
                key=lambda slip: slip.login_name,
            )
        )

    def assign_correctors(
        self, actor: str, group_id: str, *, first: str, second: str | None = None
    ) -> TestSessionGroup:
        """Assign the group's first (and second) corrector (*inplannen correctoren*).

        Possible until the group is released for correction; each must hold
        the corrector role at the group's location.

        Raises:
            NotPermitted: *actor* may not schedule correctors at the group's location.
            InvalidInput: a corrector does not hold the role there, or both are the same.
            InvalidState: the group is already released for correction (or cancelled),
                or ``offline.group.held``: an offline server holds it.

        Implements SCH-1 and SCO-3.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "sessions.group.correctors", subject, actor=actor) as unit:
            uow = unit.uow
            group = uow.session_groups.get(group_id)
            unit.require("facet.correctors.schedule", group)
            refuse_if_held(group)
            if group.state not in _CORRECTORS_UNTIL:
                raise InvalidState("sessions.group.correctors_late")
            for field, corrector in (("first_corrector", first), ("second_corrector", second)):
                if corrector is not None and not load_actor(uow, corrector).may(
                    "facet.correction.overview", group.location
                ):
                    raise InvalidInput("sessions.group.corrector", field=field)
            if second is not None and second == first:
                raise InvalidInput("sessions.group.same_corrector", field="second_corrector")
            changed = attrs.evolve(group, first_corrector=first, second_corrector=second)
            stored = uow.session_groups.update(changed)
            unit.audit()
            unit.commit()
        return stored


def _live_code(unit: UseCase, group: TestSessionGroup) -> str:
    """Return *group*'s access code if the actor may get it and it lives."""
    unit.require(code_action(group), group)
    if group.access_code is None:
        raise InvalidState("sessions.code.none")
    return group.access_code


def _guard_judge(
    unit: UseCase, group: TestSessionGroup, ending: list[list[Attempt]]
) -> Callable[[Guard], bool]:
    """Return the judge of a move's guard on *group*: a guard that fails says why it fails.

    The attempts a close would end, found by its guard, are kept in *ending*.
    """

    def holds(guard: Guard) -> bool:
        uow = unit.uow
        if guard is Guard.NO_ATTEMPT_STARTED and attempts_started(uow, group.id):
            raise InvalidState("sessions.guard.attempt_started")
        if (
            guard is Guard.CORRECTORS_ASSIGNED
            and group.needs_correction
            and group.first_corrector is None
        ):
            raise InvalidState("sessions.guard.no_corrector")
        if guard is Guard.ATTEMPTS_FINAL_AND_REPORT:
            ending[:] = [_attempts_to_end(unit, group)]
        if (
            guard is Guard.NOTHING_TO_CORRECT
            and group.needs_correction
            and any(
                a.state is not AttemptState.ABSENT
                for a in uow.test_attempts.list_for_group(group.id)
            )
        ):
            raise InvalidState("sessions.guard.through_correction")
        return True

    return holds


def _attempts_to_end(unit: UseCase, group: TestSessionGroup) -> list[Attempt]:
    """Return the attempts closing *group* ends (absentees, run out); refuse while a test runs."""
    if not group.report.completed:
        raise InvalidState("sessions.guard.report_incomplete")
    finished: list[Attempt] = []
    for attempt in unit.uow.test_attempts.list_for_group(group.id):
        if attempt.state is AttemptState.REGISTERED:
            finished.append(move_attempt(attempt, "mark_absent", unit.now))
        elif attempt.state.is_final:
            continue
        elif attempt.deadline is not None and attempt.deadline <= unit.now:
            finished.append(move_attempt(attempt, "time_out", unit.now))
        else:
            raise InvalidState("sessions.guard.attempts_running", candidate=attempt.login_name)
    return finished
