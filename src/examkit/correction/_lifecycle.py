"""The correction of one open item of one candidate, as a declared table (*correctiestatus*).

Each open item of each candidate moves through :data:`ITEM_LIFECYCLE`: the
first (and, where required, the second) corrector score it; equal scores
(or the one corrector's score) settle it; a difference goes to the list of
corrections to agree on (*overeen te komen correcties*), where the two agree
on a score or escalate it to the competent authority; the planner then
refers it to an independent third corrector, whose score replaces both.
The table drives the service, the tests and the docs' diagram.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import attrs

from examkit.errors import InvalidState


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

    Implements SCO-3.
    """

    ANY = "any"
    """Not a score: the move does not depend on the scores."""
    INCOMPLETE = "incomplete"
    """A required corrector's score is still missing."""
    EQUAL = "equal"
    """Every required score is in and they are equal (or there is one corrector)."""
    DIFFERENT = "different"
    """Both scores are in and they differ."""


def _states(value: Iterable[ItemState]) -> frozenset[ItemState]:
    return frozenset(ItemState(state) for state in value)


@attrs.frozen
class ItemTransition:
    """One row of :data:`ITEM_LIFECYCLE`: a move, from where, on which outcome, to where, by whom.

    Implements SCO-3.
    """

    event: str
    """The move (``score``, ``agree``, ``escalate``, ``refer``, ``decide``)."""
    sources: frozenset[ItemState] = attrs.field(converter=_states)
    """The states it may start in."""
    outcome: Outcome
    """The outcome it needs (:attr:`Outcome.ANY` for moves that are not a score)."""
    target: ItemState
    """The state after it."""
    action: str
    """The permission-matrix action the actor needs at the group's location."""
    actor: str
    """Who makes it (for the docs): ``corrector``, ``third corrector``, ``planner``."""
    label: str
    """Its Dutch name."""


_S = ItemState
_O = Outcome
_SCORE = "facet.correction.overview"
_AGREE = "facet.correction.agree"
_PLAN = "facet.correctors.schedule"

ITEM_LIFECYCLE: Final = (
    ItemTransition("score", {_S.OPEN}, _O.INCOMPLETE, _S.OPEN, _SCORE, "corrector", "Scoren"),
    ItemTransition(
        "score", {_S.OPEN, _S.SETTLED}, _O.EQUAL, _S.SETTLED, _SCORE, "corrector", "Scoren"
    ),
    ItemTransition(
        "score", {_S.OPEN, _S.SETTLED}, _O.DIFFERENT, _S.DIFFERENT, _SCORE, "corrector", "Scoren"
    ),
    ItemTransition("agree", {_S.DIFFERENT}, _O.ANY, _S.AGREED, _AGREE, "corrector", "Overeenkomen"),
    ItemTransition(
        "escalate", {_S.DIFFERENT}, _O.ANY, _S.ESCALATED, _AGREE, "corrector", "Escaleren"
    ),
    ItemTransition(
        "refer", {_S.ESCALATED}, _O.ANY, _S.THIRD, _PLAN, "planner", "Derde corrector inplannen"
    ),
    ItemTransition(
        "decide", {_S.THIRD}, _O.ANY, _S.DECIDED, _SCORE, "third corrector", "Derde correctie"
    ),
)
"""Every move of an open item's correction; the service, the tests and the docs read it."""


class ItemMoveNotAllowed(InvalidState):
    """The item's correction state does not allow the move; nothing was changed."""

    def __init__(self, *, event: str, state: str, item: str) -> None:
        """Make the error for *event* refused in *state* for *item*."""
        super().__init__("correction.move.not_allowed", event=event, state=state, item=item)


def _index(rows: tuple[ItemTransition, ...]) -> dict[tuple[str, str, str], ItemTransition]:
    # Keyed by the enums' values: hashing an enum member runs Python code, a string does not.
    index: dict[tuple[str, str, str], ItemTransition] = {}
    for row in rows:
        for source in row.sources:
            key = (row.event, source._value_, row.outcome._value_)
            if key in index:
                raise AssertionError(f"two rows for {key}")
            index[key] = row
    return index


_INDEX: Final = _index(ITEM_LIFECYCLE)


def item_transition(
    event: str, state: ItemState, outcome: Outcome = Outcome.ANY, *, item: str = ""
) -> ItemTransition:
    """Return the row for *event* in *state* with *outcome*.

    >>> item_transition("score", ItemState.OPEN, Outcome.DIFFERENT).target
    <ItemState.DIFFERENT: 'different'>
    >>> try:
    ...     item_transition("agree", ItemState.SETTLED, item="v5")
    ... except ItemMoveNotAllowed as error:
    ...     print(error.message("en"))
    The move 'agree' is not allowed for item v5 in the state 'settled'; nothing was changed.

    Raises:
        ItemMoveNotAllowed: the state does not allow the move.

    Implements SCO-3.
    """
    row = _INDEX.get((event, state._value_, outcome._value_))
    if row is None:
        raise ItemMoveNotAllowed(event=event, state=state.value, item=item)
    return row


def events() -> tuple[str, ...]:
    """Return the moves of the table, in order of first appearance."""
    return tuple(dict.fromkeys(row.event for row in ITEM_LIFECYCLE))


def action_of(event: str) -> str:
    """Return the permission-matrix action of the move *event*.

    >>> action_of("agree")
    'facet.correction.agree'
    """
    for row in ITEM_LIFECYCLE:
        if row.event == event:
            return row.action
    raise ItemMoveNotAllowed(event=event, state="", item="")
