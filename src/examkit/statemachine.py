"""One small declared state-machine type for every lifecycle examkit keeps.

A lifecycle is a table of :class:`Transition` rows (data: the use cases,
the tests and the documentation's diagrams read the same rows) held by a
:class:`StateMachine`, which checks the table when it is made (an
inconsistent table is an error at import) and answers the questions the
use cases ask: which moves a state allows, where a move leads, and the
refusal when it does not.

A row may carry more than the common columns (who makes the move, a second
permission): a lifecycle declares a subclass of :class:`Transition`.

>>> import enum
>>> class Door(enum.Enum):
...     OPEN = "open"
...     SHUT = "shut"
...     GONE = "gone"
>>> DOOR = StateMachine("door", Door, [
...     Transition("shut", {Door.OPEN}, Door.SHUT),
...     Transition("open", {Door.SHUT}, Door.OPEN),
...     Transition("remove", {Door.OPEN, Door.SHUT}, Door.GONE),
... ], start=Door.OPEN, final={Door.GONE}, refusal="state.not_allowed")
>>> DOOR.move("shut", Door.OPEN).target
<Door.SHUT: 'shut'>
>>> DOOR.events(Door.SHUT)
('open', 'remove')
>>> try:
...     DOOR.move("shut", Door.SHUT)
... except InvalidState as refused:
...     print(refused.code, dict(refused.params))
state.not_allowed {'event': 'shut', 'state': 'shut'}
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, Generic, TypeVar

import attrs

from examkit.errors import InvalidInput, InvalidState

__all__ = ["MachineError", "StateMachine", "Transition"]

S = TypeVar("S", bound=enum.Enum)
R = TypeVar("R", bound="Transition[Any]")


def _frozen(value: Iterable[Any]) -> frozenset[Any]:
    return frozenset(value)


@attrs.frozen
class Transition(Generic[S]):
    """One row of a lifecycle: a move, the states it starts from, where it leads.

    Rows of one move and one state differ by their :attr:`guard`, and are
    tried in the table's order.
    """

    event: str
    """The move's name (``release``)."""
    sources: frozenset[S] = attrs.field(converter=_frozen)
    """The states it may start from."""
    target: S | None
    """The state it leads to (``None``: the record is removed)."""
    guard: enum.Enum | None = None
    """The condition it is taken under, besides the state (``None``: always)."""
    action: str | None = None
    """The permission matrix's action it needs (``None``: none, or a candidate's own move)."""
    label_nl: str = ""
    """Its Dutch name, as the source system writes it."""


class MachineError(AssertionError):
    """A lifecycle's table is inconsistent (raised when it is made: a programming error)."""


class StateMachine(Generic[S, R]):
    """A checked lifecycle table.

    Checked when it is made: every row has a source state; no two rows of one
    move and one state share a guard; every state can be reached from
    *start*; exactly the *final* states have no way out; with *end*, every
    state can reach it; with *actions*, every row's action is one of them.
    Its index is keyed by each state's value, not the member (hashing an enum
    member runs Python code; the lookup is on the hot path of every score).

    Args:
        name: What the lifecycle is of, for messages (``session group``).
        states: Its states.
        rows: Its transitions, in order.
        start: Where every record starts.
        final: The states with no way out.
        end: The state every record can still reach, if the lifecycle has one.
        actions: The known permission actions, to check the rows against.
        refusal: The error code of a move the state does not allow, or a
            function returning the error for ``(event, state)``.
        unknown: The error code of a move the table does not have.
    """

    def __init__(
        self,
        name: str,
        states: type[S],
        rows: Iterable[R],
        *,
        start: S,
        final: Collection[S] = (),
        end: S | None = None,
        actions: Collection[str] | None = None,
        refusal: str | Callable[[str, S], InvalidState] = "state.not_allowed",
        unknown: str = "input.invalid",
    ) -> None:
        self.name = name
        """What the lifecycle is of."""
        self.states = states
        """Its states."""
        self.rows: tuple[R, ...] = tuple(rows)
        """Every row, in the table's order."""
        self.start = start
        """Where every record starts."""
        self.final: frozenset[S] = frozenset(final)
        """The states with no way out."""
        self._refusal = refusal
        self._unknown = unknown
        self._by_move: dict[tuple[str, object], tuple[R, ...]] = {}
        self._by_event: dict[str, tuple[R, ...]] = {}
        for row in self.rows:
            self._by_event[row.event] = (*self._by_event.get(row.event, ()), row)
            for source in row.sources:
                key = (row.event, source._value_)
                self._by_move[key] = (*self._by_move.get(key, ()), row)
        problems = self._problems(end, actions)
        if problems:
            raise MachineError(f"the {name} lifecycle is inconsistent:\n- " + "\n- ".join(problems))

    def _problems(self, end: S | None, actions: Collection[str] | None) -> list[str]:
        problems: list[str] = []
        for row in self.rows:
            if not row.sources:
                problems.append(f"{row.event!r} has no source state")
            if actions is not None and row.action is not None and row.action not in actions:
                problems.append(f"{row.event!r}: unknown action {row.action!r}")
        for (event, value), rows in self._by_move.items():
            guards = [row.guard for row in rows]
            if len(set(guards)) != len(guards):
                problems.append(f"{event!r} from {value!r} has a guard twice")
        for state in sorted(set(self.states) - self._reachable(self.start, forward=True), key=_v):
            problems.append(f"{state.value!r} cannot be reached from {self.start.value!r}")
        leaving = {value for event, value in self._by_move}
        for state in self.states:
            if (state._value_ in leaving) == (state in self.final):
                problems.append(f"{state.value!r}: exactly the final states have no way out")
        if end is not None:
            for state in sorted(set(self.states) - self._reachable(end, forward=False), key=_v):
                problems.append(f"{state.value!r} cannot reach {end.value!r}")
        return problems

    def _reachable(self, origin: S, *, forward: bool) -> set[S]:
        pairs = [(source, target) for source, target in self.edges() if target is not None]
        if not forward:
            pairs = [(target, source) for source, target in pairs]
        seen, pending = {origin}, [origin]
        while pending:
            here = pending.pop()
            for source, target in pairs:
                if source is here and target not in seen:
                    seen.add(target)
                    pending.append(target)
        return seen

    # -- questions -----------------------------------------------------------------

    def event(self, name: object) -> tuple[R, ...]:
        """Return the rows of the move *name*.

        Raises:
            InvalidInput: the table has no such move (the lifecycle's ``unknown`` code,
                field ``event``).
        """
        rows = self._by_event.get(name) if isinstance(name, str) else None
        if rows is None:
            raise InvalidInput(self._unknown, field="event", event=str(name)[:40])
        return rows

    def allows(self, event: str, state: S) -> bool:
        """Return whether *state* allows the move *event* (under some guard)."""
        return (event, state._value_) in self._by_move

    def events(self, state: S) -> tuple[str, ...]:
        """Return the moves *state* allows, in the table's order."""
        return tuple(dict.fromkeys(row.event for row in self.rows if state in row.sources))

    def move(self, event: str, state: S, when: Callable[[Any], bool] | None = None) -> R:
        """Return the row *event* takes from *state*: the first whose guard holds.

        A row without a guard always holds; *when* judges the others (none
        holds without it).

        Raises:
            InvalidInput: the table has no such move.
            InvalidState: *state* does not allow it (the lifecycle's refusal).
        """
        rows = self._by_move.get((event, state._value_))
        if rows is None:
            self.event(event)
            raise self._refuse(event, state)
        for row in rows:
            if row.guard is None or (when is not None and when(row.guard)):
                return row
        raise self._refuse(event, state)

    def _refuse(self, event: str, state: S) -> InvalidState:
        if callable(self._refusal):
            return self._refusal(event, state)
        return InvalidState(self._refusal, event=event, state=state.value)

    def edges(self) -> Iterator[tuple[S, S | None]]:
        """Yield every ``(source, target)`` pair of the table, in order (for diagrams)."""
        for row in self.rows:
            for source in sorted(row.sources, key=_v):
                yield source, row.target

    def __repr__(self) -> str:
        return f"StateMachine({self.name!r}, {len(self.rows)} rows)"


def _v(state: enum.Enum) -> str:
    return str(state.value)
