"""The sign-in flow as a declared transition table, checked when it is made.

:data:`FLOW` is the one description of the flow: the service asks it which
actions a step allows and where an action leads, the tests hold it against
the seed, and the documentation draws it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from typing import Final

import attrs

from examkit.auth._model import Action, Step
from examkit.errors import ConfigurationError, InvalidState
from examkit.passwords import PasswordStatus


class Guard(enum.Enum):
    """A condition under which a transition is taken, judged on :class:`Facts`."""

    INITIAL_PASSWORD = "initial_password"  # noqa: S105 - a guard's name, not a password
    """The password is the e-mailed initial one (it must be replaced)."""
    EXPIRED_PASSWORD = "expired_password"  # noqa: S105 - a guard's name, not a password
    """The password has expired."""
    TRUSTED_BROWSER = "trusted_browser"
    """The same browser and IP address had a second factor for this account within 24 hours."""
    ALWAYS = "always"
    """Otherwise."""

    def holds(self, facts: Facts) -> bool:
        """Return whether the condition holds for *facts*."""
        if self is Guard.INITIAL_PASSWORD:
            return facts.password is PasswordStatus.MUST_CHANGE
        if self is Guard.EXPIRED_PASSWORD:
            return facts.password is PasswordStatus.EXPIRED
        if self is Guard.TRUSTED_BROWSER:
            return facts.trusted_browser
        return True


@attrs.frozen
class Facts:
    """What is known when an action succeeds: the guards are judged on it."""

    password: PasswordStatus = PasswordStatus.VALID
    """Where the password stands."""
    trusted_browser: bool = False
    """Whether a trusted browser applies."""


@attrs.frozen
class Transition:
    """One edge of the flow: at *source*, *action* leads to *target* when *guard* holds."""

    source: Step
    """The step the action is taken at."""
    action: Action
    """What the user submits."""
    target: Step
    """The step it leads to."""
    guard: Guard = Guard.ALWAYS
    """When this edge is taken; edges of one action are tried in the table's order."""
    requirements: tuple[str, ...] = ()
    """The requirement IDs the edge implements."""


class Flow:
    """A checked transition table.

    Checked when it is made: every action of a step ends with an
    unconditional edge (so an action always leads somewhere) and has each
    guard once; the signed-in step has no way out; every step is reachable
    from the first and can reach the last; every action is used.

    >>> FLOW.allows(Step.SECOND_FACTOR, Action.SUBMIT_CREDENTIALS)
    False
    >>> FLOW.next(Step.CREDENTIALS, Action.SUBMIT_CREDENTIALS, Facts())
    <Step.SECOND_FACTOR: 'second_factor'>

    Raises:
        ConfigurationError: the table breaks one of those rules.
    """

    def __init__(self, transitions: Iterable[Transition], *, start: Step, end: Step) -> None:
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        """Every edge, in the table's order."""
        self.start = start
        """Where every sign-in starts."""
        self.end = end
        """Where every successful sign-in ends."""
        self._by_source: dict[tuple[Step, Action], tuple[Transition, ...]] = {}
        for transition in self.transitions:
            key = (transition.source, transition.action)
            self._by_source[key] = (*self._by_source.get(key, ()), transition)
        self._check()

    def _fail(self, reason: str) -> ConfigurationError:
        return ConfigurationError("auth.flow.invalid", reason=reason)

    def _check(self) -> None:
        for (source, action), edges in self._by_source.items():
            guards = [edge.guard for edge in edges]
            if len(set(guards)) != len(guards):
                raise self._fail(f"{source.value}/{action.value} has a guard twice")
            if guards[-1] is not Guard.ALWAYS:
                raise self._fail(f"{source.value}/{action.value} does not end unconditionally")
            if source is self.end:
                raise self._fail(f"{self.end.value} has a way out")
        unused = set(Action) - {transition.action for transition in self.transitions}
        if unused:
            raise self._fail(f"unused actions: {sorted(action.value for action in unused)}")
        forward = self._reachable(self.start, lambda edge: (edge.source, edge.target))
        if forward != set(Step):
            missing = sorted(step.value for step in set(Step) - forward)
            raise self._fail(f"unreachable steps: {missing}")
        backward = self._reachable(self.end, lambda edge: (edge.target, edge.source))
        if backward != set(Step):
            stuck = sorted(step.value for step in set(Step) - backward)
            raise self._fail(f"steps that cannot finish: {stuck}")

    def _reachable(
        self, origin: Step, ends: Callable[[Transition], tuple[Step, Step]]
    ) -> set[Step]:
        seen = {origin}
        pending = [origin]
        while pending:
            here = pending.pop()
            for transition in self.transitions:
                source, target = ends(transition)
                if source is here and target not in seen:
                    seen.add(target)
                    pending.append(target)
        return seen

    def allows(self, step: Step, action: Action) -> bool:
        """Return whether *action* may be taken at *step*."""
        return (step, action) in self._by_source

    def actions(self, step: Step) -> tuple[Action, ...]:
        """Return the actions *step* allows, in the table's order."""
        return tuple(dict.fromkeys(a for (s, a) in self._by_source if s is step))

    def require(self, step: Step, action: Action) -> None:
        """Refuse *action* at *step* unless the table allows it.

        Raises:
            InvalidState: it does not (code ``auth.flow.out_of_order``).
        """
        if not self.allows(step, action):
            raise InvalidState("auth.flow.out_of_order", step=step.value, action=action.value)

    def next(self, step: Step, action: Action, facts: Facts) -> Step:
        """Return where *action* at *step* leads, given *facts*.

        Raises:
            InvalidState: the table does not allow *action* at *step*.
        """
        self.require(step, action)
        for transition in self._by_source[(step, action)]:
            if transition.guard.holds(facts):
                return transition.target
        raise AssertionError("unreachable: every action ends unconditionally")  # pragma: no cover

    def edges(self) -> Iterator[tuple[Step, Action, Step]]:
        """Yield every edge as ``(source, action, target)``, in the table's order."""
        for transition in self.transitions:
            yield transition.source, transition.action, transition.target

    def layers(self) -> tuple[tuple[Step, ...], ...]:
        """Return the steps in columns for drawing: each by its longest way from the start.

        Loops (an action that stays at its step) are left out, so every edge
        of the drawing points to a later column.
        """
        depth = {self.start: 0}
        for _ in Step:
            for source, _action, target in self.edges():
                if source is not target and source in depth:
                    depth[target] = max(depth.get(target, 0), depth[source] + 1)
        deepest = max(depth.values())
        return tuple(
            tuple(step for step in Step if depth.get(step) == level) for level in range(deepest + 1)
        )


FLOW: Final = Flow(
    (
        Transition(
            Step.CREDENTIALS,
            Action.SUBMIT_CREDENTIALS,
            Step.CHANGE_PASSWORD,
            Guard.INITIAL_PASSWORD,
            ("AUTH-2",),
        ),
        Transition(
            Step.CREDENTIALS,
            Action.SUBMIT_CREDENTIALS,
            Step.CHANGE_EXPIRED_PASSWORD,
            Guard.EXPIRED_PASSWORD,
            ("AUTH-7",),
        ),
        Transition(
            Step.CREDENTIALS,
            Action.SUBMIT_CREDENTIALS,
            Step.SIGNED_IN,
            Guard.TRUSTED_BROWSER,
            ("AUTH-4",),
        ),
        Transition(
            Step.CREDENTIALS,
            Action.SUBMIT_CREDENTIALS,
            Step.SECOND_FACTOR,
            requirements=("AUTH-3",),
        ),
        Transition(
            Step.CHANGE_PASSWORD,
            Action.CHANGE_PASSWORD,
            Step.SECOND_FACTOR,
            requirements=("AUTH-1", "AUTH-2"),
        ),
        Transition(
            Step.CHANGE_EXPIRED_PASSWORD,
            Action.CHANGE_EXPIRED_PASSWORD,
            Step.SECOND_FACTOR,
            requirements=("AUTH-1", "AUTH-7"),
        ),
        Transition(
            Step.SECOND_FACTOR, Action.SUBMIT_CODE, Step.SIGNED_IN, requirements=("AUTH-3",)
        ),
        Transition(
            Step.SECOND_FACTOR,
            Action.REQUEST_NEW_CODE,
            Step.SECOND_FACTOR,
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
