"""What correctors see: their work list, the list to agree on, a closed group read-only."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from examkit.correction._lifecycle import ItemState
from examkit.correction._model import CorrectionGroup, CorrectionSheet, Mark, ScoreVersion


@attrs.frozen
class WorkItem:
    """One open item of one candidate as one corrector sees it.

    The other corrector's score shows only once both scored (the item left
    :attr:`~examkit.correction.ItemState.OPEN`).

    Implements SCO-3.
    """

    candidate: str
    """The candidate's id."""
    item: str
    """The item's identifier."""
    max_score: int
    """Its maximum."""
    state: ItemState
    """Where its correction is."""
    own: int | None
    """This corrector's score (``None``: not scored yet)."""
    other: int | None
    """The other corrector's score, once both scored; ``None`` before."""
    final: int | None
    """The final score, once there is one."""


def _tuple_items(value: Iterable[WorkItem]) -> tuple[WorkItem, ...]:
    return tuple(value)


@attrs.frozen
class WorkList:
    """A corrector's work list of a group (*correctieoverzicht*): what they score.

    Implements SCO-3 and SCO-4.
    """

    group: str
    """The session group's id."""
    mark: Mark | None
    """The place the viewer holds (``None``: a former corrector's read-only view)."""
    closed: bool
    """Whether correction is closed (read-only)."""
    items: tuple[WorkItem, ...] = attrs.field(converter=_tuple_items)
    """The items, by candidate then item order."""

    @property
    def to_do(self) -> tuple[WorkItem, ...]:
        """The items still waiting for this corrector."""
        return tuple(item for item in self.items if item.own is None and not item.state.is_final)


_OTHER = {Mark.FIRST: Mark.SECOND, Mark.SECOND: Mark.FIRST}


def work_list(
    group: CorrectionGroup, sheets: Iterable[CorrectionSheet], mark: Mark | None
) -> WorkList:
    """Return the work list of *group* for the corrector in place *mark*.

    The first and second corrector see their own scores, and the other's
    only where both scored; the third corrector sees the items referred to
    them with both scores; a closed group shows everything, read-only.

    Implements SCO-3 and SCO-4.
    """
    rows = []
    for sheet in sheets:
        for slot in group.items:
            item = sheet.items[slot.id]
            if mark is Mark.THIRD:
                if item.state not in {ItemState.THIRD, ItemState.DECIDED}:
                    continue
                own, other = item.third, None
            elif mark is None:
                own, other = item.first, item.second
            else:
                own = item.score_of(mark)
                both = group.is_closed or item.state is not ItemState.OPEN
                other = item.score_of(_OTHER[mark]) if both else None
            rows.append(
                WorkItem(
                    sheet.candidate, slot.id, slot.max_score, item.state, own, other, item.final
                )
            )
    return WorkList(group.group, mark, group.is_closed, rows)


@attrs.frozen
class Difference:
    """A correction to agree on (*overeen te komen correctie*): both scores of one item.

    Implements SCO-3.
    """

    candidate: str
    """The candidate's id."""
    item: str
    """The item's identifier."""
    first: int
    """The first corrector's score."""
    second: int
    """The second corrector's score."""
    state: ItemState
    """``different`` (to agree on) or ``escalated`` / ``third`` (past the agreement)."""


def differences(sheets: Iterable[CorrectionSheet]) -> tuple[Difference, ...]:
    """Return every item whose scores differ and has no final score yet, by candidate.

    Implements SCO-3.
    """
    found = []
    for sheet in sheets:
        for key, item in sheet.items.items():
            if item.state in {ItemState.DIFFERENT, ItemState.ESCALATED, ItemState.THIRD}:
                first, second = item.first or 0, item.second or 0
                found.append(Difference(sheet.candidate, key, first, second, item.state))
    return tuple(found)


def history(sheet: CorrectionSheet, item: str | None = None) -> tuple[ScoreVersion, ...]:
    """Return every version of *sheet*'s scores (of *item* only, when given), in order."""
    return tuple(v for v in sheet.versions if item is None or v.item == item)
