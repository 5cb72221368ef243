"""The sign-in flow as a declared transition table, checked when it is made.

:data:`FLOW` is the one description of the flow: the service asks it which
actions a step allows and where an action leads, the tests hold it against
the seed, and the documentation draws it. It is a
:class:`examkit.statemachine.StateMachine` (the moves are the
:class:`~examkit.auth.Action` values) with one rule of its own on top.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import attrs

from examkit import statemachine
from examkit.auth._model import Action, Step
from examkit.errors import ConfigurationError, InvalidState
from examkit.passwords import PasswordStatus


class Guard(enum.Enum):
    """A condition under which a transition is taken, judged on :class:`Facts`.

    An edge without a guard (``None``) is taken otherwise.
    """

    INITIAL_PASSWORD = "initial_password"  # noqa: S105 - a guard's name, not a password
    """The password is the e-mailed initial one (it must be replaced)."""
    EXPIRED_PASSWORD = "expired_password"  # noqa: S105 - a guard's name, not a password
    """The password has expired."""
    TRUSTED_BROWSER = "trusted_browser"
    """The same browser and IP address had a second factor for this account within 24 hours."""

    def holds(self, facts: Facts) -> bool:
        """Return whether the condition holds for *facts*."""
        if self is Guard.INITIAL_PASSWORD:
            return facts.password is PasswordStatus.MUST_CHANGE
        if self is Guard.EXPIRED_PASSWORD:
            return facts.password is PasswordStatus.EXPIRED
        return facts.trusted_browser


@attrs.frozen
class Facts:
    """What is known when an action succeeds: the guards are judged on it."""

    password: PasswordStatus = PasswordStatus.VALID
    """Where the password stands."""
    trusted_browser: bool = False
    """Whether a trusted browser applies."""


@attrs.frozen
class Transition(statemachine.Transition[Step]):
    """One edge of the flow: at its sources, the action named by its move leads to its target.

    The move's name is the :class:`~examkit.auth.Action`'s value; edges of
    one action are tried in the table's order, the one without a
    :class:`Guard` last.

    >>> Transition("submit_code", {Step.SECOND_FACTOR}, target=Step.SIGNED_IN).guard is None
    True
    """

    target: Step = attrs.field(kw_only=True)
    """The step it leads to."""
    requirements: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    """The requirement IDs the edge implements."""


def _out_of_order(event: str, step: Step) -> InvalidState:
    return InvalidState("auth.flow.out_of_order", step=step.value, action=event)


class Flow(statemachine.StateMachine[Step, Transition]):
    """A checked sign-in flow.

    Checked when it is made, as every :class:`~examkit.statemachine.StateMachine`
    (each guard once per action and step; every step reachable from the
    first and able to reach the last; the signed-in step, and only it, has
    no way out) and by the flow's own rules: every move is an
    :class:`~examkit.auth.Action`, every action is used, and every action of
    a step ends with an edge without a guard (so an action always leads
    somewhere).

    >>> FLOW.allows("submit_credentials", Step.SECOND_FACTOR)
    False
    >>> FLOW.next(Step.CREDENTIALS, Action.SUBMIT_CREDENTIALS, Facts())
    <Step.SECOND_FACTOR: 'second_factor'>

    Raises:
        ConfigurationError: ``auth.flow.invalid``: the table breaks one of those rules.
    """

    def __init__(self, transitions: Iterable[Transition], *, start: Step, end: Step) -> None:
        rows = tuple(transitions)
        problems = _flow_problems(rows)
        try:
            super().__init__(
                "sign-in flow",
                Step,
                rows,
                start=start,
                final={end},
                end=end,
                refusal=_out_of_order,
            )
        except statemachine.MachineError as inconsistent:
            problems.append(str(inconsistent))
        if problems:
            raise ConfigurationError("auth.flow.invalid", reason="; ".join(problems))
        self.end = end
        """Where every successful sign-in ends."""

    def actions(self, step: Step) -> tuple[Action, ...]:
        """Return the actions *step* allows, in the table's order."""
        return tuple(Action(event) for event in self.events(step))

    def require(self, step: Step, action: Action) -> None:
        """Refuse *action* at *step* unless the table allows it.

        Raises:
            InvalidState: it does not (code ``auth.flow.out_of_order``).
        """
        # Without facts only the unguarded edge holds, and every allowed action has one.
        self.move(action.value, step)

    def next(self, step: Step, action: Action, facts: Facts) -> Step:
        """Return where *action* at *step* leads, given *facts*.

        Raises:
            InvalidState: the table does not allow *action* at *step*.
        """
        return self.move(action.value, step, when=lambda guard: guard.holds(facts)).target

    def layers(self) -> tuple[tuple[Step, ...], ...]:
        """Return the steps in columns for drawing: each by its longest way from the start.

        Loops (an action that stays at its step) are left out, so every edge
        of the drawing points to a later column.
        """
        depth = {self.start: 0}
        for _ in Step:
            for source, target in self.edges():
                if target is not None and source is not target and source in depth:
                    depth[target] = max(depth.get(target, 0), depth[source] + 1)
        deepest = max(depth.values())
        return tuple(
            tuple(step for step in Step if depth.get(step) == level) for level in range(deepest + 1)
        )


def _flow_problems(rows: tuple[Transition, ...]) -> list[str]:
    """Return how *rows* break the flow's own rules (moves, actions, unguarded ends)."""
    names = {action.value for action in Action}
    problems = [f"unknown action {row.event!r}" for row in rows if row.event not in names]
    unused = sorted(names - {row.event for row in rows})
    if unused:
        problems.append(f"unused actions: {unused}")
    last_guard: dict[tuple[Step, str], enum.Enum | None] = {}
    for row in rows:
        for source in row.sources:
            last_guard[(source, row.event)] = row.guard
    problems.extend(
        f"{source.value}/{event} does not end unconditionally"
        for (source, event), guard in last_guard.items()
        if guard is not None
    )
    return problems


FLOW: Final = Flow(
    (
        Transition(
            "submit_credentials",
            {Step.CREDENTIALS},
            target=Step.CHANGE_PASSWORD,
            guard=Guard.INITIAL_PASSWORD,
            requirements=("AUTH-2",),
        ),
        Transition(
            "submit_credentials",
            {Step.CREDENTIALS},
            target=Step.CHANGE_EXPIRED_PASSWORD,
            guard=Guard.EXPIRED_PASSWORD,
            requirements=("AUTH-7",),
        ),
        Transition(
            "submit_credentials",
            {Step.CREDENTIALS},
            target=Step.SIGNED_IN,
            guard=Guard.TRUSTED_BROWSER,
            requirements=("AUTH-4",),
        ),
        Transition(
            "submit_credentials",
            {Step.CREDENTIALS},
            target=Step.SECOND_FACTOR,
            requirements=("AUTH-3",),
        ),
        Transition(
            "change_password",
            {Step.CHANGE_PASSWORD},
            target=Step.SECOND_FACTOR,
            requirements=("AUTH-1", "AUTH-2"),
        ),
        Transition(
            "change_expired_password",
            {Step.CHANGE_EXPIRED_PASSWORD},
            target=Step.SECOND_FACTOR,
            requirements=("AUTH-1", "AUTH-7"),
        ),
        Transition(
            "submit_code", {Step.SECOND_FACTOR}, target=Step.SIGNED_IN, requirements=("AUTH-3",)
        ),
        Transition(
            "request_new_code",
            {Step.SECOND_FACTOR},
            target=Step.SECOND_FACTOR,
            requirements=("AUTH-3",),
        ),
    ),
    start=Step.CREDENTIALS,
    end=Step.SIGNED_IN,
)
"""The sign-in flow of seed 004, chapter 4.1 (the table the code, tests and docs use).

A right login name and password lead to replacing an initial password
(AUTH-2), to replacing an expired one (AUTH-7), straight to signed in from
a trusted browser (AUTH-4), or to the second factor (AUTH-3). A password
change always leads to the second factor: it revokes every trusted
browser. A refused action (a wrong code, a password that breaks the
policy) is no edge: the transaction stays where it was.
"""
