"""The correction of one open item of one candidate, as a declared table (*correctiestatus*).

Each open item of each candidate moves through :data:`ITEM_LIFECYCLE`: the
first (and, where required, the second) corrector score it; equal scores
(or the one corrector's score) settle it; a difference goes to the list of
corrections to agree on (*overeen te komen correcties*), where the two agree
on a score or escalate it to the competent authority; the planner then
refers it to an independent third corrector, whose score replaces both.
The table, a :class:`~examkit.statemachine.StateMachine` like every lifecycle
of examkit, drives the use cases, the tests and the docs' diagram.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from examkit.errors import InvalidInput, InvalidState
from examkit.permissions import MATRIX
from examkit.statemachine import StateMachine, Transition


class ItemState(enum.Enum):
    """Where the correction of one open item of one candidate is.

    Implements SCO-3.
    """

    OPEN = "open"
    """Waiting for a (first or second) corrector's score."""
    SETTLED = "settled"
    """Scored: by the one corrector, or equally by both (final)."""
    DIFFERENT = "different"
    """Both scored, differently: on the list to agree on (*overeen te komen correcties*)."""
    AGREED = "agreed"
    """The two correctors agreed on a score (final)."""
    ESCALATED = "escalated"
    """No agreement: escalated to the competent authority (*bevoegd gezag*)."""
    THIRD = "third"
    """Referred to an independent third corrector assigned by the planner."""
    DECIDED = "decided"
    """Scored by the third corrector, replacing both scores (final)."""

    @property
    def is_final(self) -> bool:
        """Whether the item has its final score."""
        return self in FINAL_STATES


FINAL_STATES: Final = frozenset({ItemState.SETTLED, ItemState.AGREED, ItemState.DECIDED})
"""The states in which an item has its final score (closing needs every item in one)."""


class Outcome(enum.Enum):
    """What a corrector's score leads to, given the scores the item then has.

    The guard of the ``score`` rows of :data:`ITEM_LIFECYCLE`; the other
    moves do not depend on the scores (no guard).

    Implements SCO-3.
    """

    INCOMPLETE = "incomplete"
    """A required corrector's score is still missing."""
    EQUAL = "equal"
    """Every required score is in and they are equal (or there is one corrector)."""
    DIFFERENT = "different"
    """Both scores are in and they differ."""


@attrs.frozen
class ItemTransition(Transition[ItemState]):
    """One row of :data:`ITEM_LIFECYCLE`: the common columns, and who makes the move.

    Its :attr:`~examkit.statemachine.Transition.guard` is the score's
    :class:`Outcome` (``None``: a move that is not a score); its
    :attr:`~examkit.statemachine.Transition.action` the permission matrix's
    action the actor needs at the group's location.

    Implements SCO-3.
    """

    target: ItemState = attrs.field(kw_only=True)
    """The state after it (every move leads to one)."""
    by: str = attrs.field(default="", kw_only=True)
    """Who makes it (for the docs): ``corrector``, ``third corrector``, ``planner``."""


_S = ItemState
_O = Outcome
_SCORE = "facet.correction.overview"
_AGREE = "facet.correction.agree"
_PLAN = "facet.correctors.schedule"
_MOVES: Final = {
    "score": (_SCORE, "Scoren"),
    "agree": (_AGREE, "Overeenkomen"),
    "escalate": (_AGREE, "Escaleren"),
    "refer": (_PLAN, "Derde corrector inplannen"),
    "decide": (_SCORE, "Derde correctie"),
}
"""Each move's permission-matrix action and its Dutch name."""


def _row(
    event: str, sources: set[ItemState], guard: Outcome | None, target: ItemState, *, by: str
) -> ItemTransition:
    action, label = _MOVES[event]
    return ItemTransition(
        event, sources, target=target, guard=guard, action=action, by=by, label_nl=label
    )


class ItemMoveNotAllowed(InvalidState):
    """The item's correction state does not allow the move; nothing was changed."""

    def __init__(self, *, event: str, state: str, item: str) -> None:
        """Make the error for *event* refused in *state* for *item*."""
        super().__init__("correction.move.not_allowed", event=event, state=state, item=item)


def _refusal(event: str, state: ItemState) -> InvalidState:
    return ItemMoveNotAllowed(event=event, state=state.value, item="")


ITEM_LIFECYCLE: Final = StateMachine(
    "correction item",
    ItemState,
    (
        _row("score", {_S.OPEN}, _O.INCOMPLETE, _S.OPEN, by="corrector"),
        _row("score", {_S.OPEN, _S.SETTLED}, _O.EQUAL, _S.SETTLED, by="corrector"),
        _row("score", {_S.OPEN, _S.SETTLED}, _O.DIFFERENT, _S.DIFFERENT, by="corrector"),
        _row("agree", {_S.DIFFERENT}, None, _S.AGREED, by="corrector"),
        _row("escalate", {_S.DIFFERENT}, None, _S.ESCALATED, by="corrector"),
        _row("refer", {_S.ESCALATED}, None, _S.THIRD, by="planner"),
        _row("decide", {_S.THIRD}, None, _S.DECIDED, by="third corrector"),
    ),
    start=ItemState.OPEN,
    final={ItemState.AGREED, ItemState.DECIDED},
    actions=MATRIX.actions,
    refusal=_refusal,
    unknown="correction.move.unknown",
)
"""Every move of an open item's correction; the use cases, the tests and the docs read it.

A :class:`~examkit.statemachine.StateMachine` of :class:`ItemTransition`
rows. Only an agreed or a third corrector's score has no way out: a settled
item is scored again when the second corrector's score comes in or a
corrector corrects their score (:data:`FINAL_STATES` are those with a final
score).

:meta hide-value:
"""


def item_transition(
    event: str, state: ItemState, outcome: Outcome | None = None, *, item: str = ""
) -> ItemTransition:
    """Return the row for *event* in *state* with *outcome* (``None``: not a score).

    >>> item_transition("score", ItemState.OPEN, Outcome.DIFFERENT).target
    <ItemState.DIFFERENT: 'different'>
    >>> try:
    ...     item_transition("agree", ItemState.SETTLED, item="v5")
    ... except ItemMoveNotAllowed as error:
    ...     print(error.message("en"))
    The move 'agree' is not allowed for item v5 in the state 'settled'; nothing was changed.

    Raises:
        ItemMoveNotAllowed: the state does not allow the move, or there is no such move.

    Implements SCO-3.
    """
    try:
        return ITEM_LIFECYCLE.move(event, state, lambda guard: guard is outcome)
    except (ItemMoveNotAllowed, InvalidInput):
        # The machine's refusal does not know the item; an unknown move is refused alike.
        raise ItemMoveNotAllowed(event=event, state=state.value, item=item) from None


def events() -> tuple[str, ...]:
    """Return the moves of the table, in order of first appearance."""
    return tuple(dict.fromkeys(row.event for row in ITEM_LIFECYCLE.rows))


def action_of(event: str) -> str:
    """Return the permission-matrix action of the move *event*.

    >>> action_of("agree")
    'facet.correction.agree'
    """
    for row in ITEM_LIFECYCLE.rows:
        if row.event == event and row.action is not None:
            return row.action
    raise ItemMoveNotAllowed(event=event, state="", item="")
