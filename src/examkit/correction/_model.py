"""The correction's values: the group's correction, a candidate's sheet, score versions.

A :class:`CorrectionGroup` holds what the correction of one session group
needs (its open items and correctors, replacements, review grants; its
candidates are those with a sheet); a :class:`CorrectionSheet` holds one candidate's open items with
each corrector's score and every version of every score. The moves are pure
functions of the values, driven by :data:`~examkit.correction.ITEM_LIFECYCLE`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from examkit._fields import require_aware_utc
from examkit.correction._lifecycle import ItemState, Outcome, item_transition
from examkit.correction._reports import ResultRow
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers import LocationCode
from examkit.permissions import Target


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value, "at")


class Mark(enum.Enum):
    """Whose score a version is: the first, the second, the agreed, or the third corrector's.

    Implements SCO-3.
    """

    FIRST = "first"
    """The first corrector's."""
    SECOND = "second"
    """The second corrector's."""
    AGREED = "agreed"
    """The score the two correctors agreed on."""
    THIRD = "third"
    """The independent third corrector's (replaces both)."""


@attrs.frozen
class OpenItemSlot:
    """An item scored by correctors: its identifier and maximum.

    Implements SCO-3.
    """

    id: str
    """The item's identifier within its test."""
    max_score: int
    """The most it can score."""


@attrs.frozen
class ScoreVersion:
    """One version of one score (who, when, old, new): nothing is overwritten.

    Implements SCO-3.
    """

    item: str
    """The item's identifier."""
    mark: Mark
    """Whose score it is."""
    old: int | None
    """The score before (``None``: there was none)."""
    new: int
    """The score after."""
    by: str
    """The account that gave it."""
    at: datetime = attrs.field(converter=_aware)
    """When."""
    comment: str = ""
    """The corrector's comment, where given."""


@attrs.frozen
class ItemCorrection:
    """The correction of one open item of one candidate: state and each score.

    Implements SCO-3.
    """

    state: ItemState = ItemState.OPEN
    """Where its correction is."""
    first: int | None = None
    """The first corrector's score."""
    second: int | None = None
    """The second corrector's score."""
    agreed: int | None = None
    """The agreed score."""
    third: int | None = None
    """The third corrector's score."""
    comment: str = ""
    """The last comment given on it."""

    @property
    def final(self) -> int | None:
        """The final score, once the state is final; ``None`` before."""
        if self.state is ItemState.DECIDED:
            return self.third
        if self.state is ItemState.AGREED:
            return self.agreed
        if self.state is ItemState.SETTLED:
            return self.first
        return None

    def score_of(self, mark: Mark) -> int | None:
        """Return the score of *mark*."""
        found: int | None = getattr(self, mark._value_)
        return found


def _items(value: Mapping[str, ItemCorrection]) -> Mapping[str, ItemCorrection]:
    return MappingProxyType(dict(value))


def _versions(value: Iterable[ScoreVersion]) -> tuple[ScoreVersion, ...]:
    return tuple(value)


def sheet_id(group: str, candidate: str) -> str:
    """Return the key of *candidate*'s correction sheet in *group*.

    >>> sheet_id("g-1", "c-1")
    'g-1:c-1'
    """
    return f"{group}:{candidate}"


@attrs.frozen
class CorrectionSheet:
    """One candidate's open items in a group, with every score and every version of it.

    Implements SCO-3.
    """

    group: str
    """The session group's id."""
    candidate: str
    """The candidate's id."""
    items: Mapping[str, ItemCorrection] = attrs.field(converter=_items)
    """The correction per open item identifier."""
    versions: tuple[ScoreVersion, ...] = attrs.field(default=(), converter=_versions)
    """Every score given, in order."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<group>:<candidate>``."""
        return sheet_id(self.group, self.candidate)

    @property
    def is_final(self) -> bool:
        """Whether every item has its final score."""
        return all(item.state.is_final for item in self.items.values())

    def unresolved(self) -> tuple[str, ...]:
        """Return the items without a final score, in order."""
        return tuple(key for key, item in self.items.items() if not item.state.is_final)

    def differences(self) -> tuple[str, ...]:
        """Return the items to agree on (*overeen te komen correcties*)."""
        return tuple(key for key, item in self.items.items() if item.state is ItemState.DIFFERENT)


def new_sheet(group: str, candidate: str, items: Iterable[OpenItemSlot]) -> CorrectionSheet:
    """Return an empty sheet of *candidate* in *group* over the open *items*."""
    return CorrectionSheet(group, candidate, {item.id: ItemCorrection() for item in items})


def _check_score(slot: OpenItemSlot, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= slot.max_score:
        raise InvalidInput(
            "correction.score.out_of_range",
            field=slot.id,
            item=slot.id,
            value=str(value),
            maximum=slot.max_score,
        )
    return value


_FIELD = {Mark.FIRST: "first", Mark.SECOND: "second", Mark.AGREED: "agreed", Mark.THIRD: "third"}


def _change(
    sheet: CorrectionSheet,
    changes: Mapping[str, tuple[ItemCorrection, ScoreVersion | None]],
) -> CorrectionSheet:
    items = dict(sheet.items)
    added = []
    for key, (item, version) in changes.items():
        if item is not items[key]:
            items[key] = item
        if version is not None:
            added.append(version)
    if not added and all(items[key] is sheet.items[key] for key in changes):
        return sheet
    return attrs.evolve(sheet, items=items, versions=(*sheet.versions, *added))


def apply_move(
    sheet: CorrectionSheet,
    event: str,
    mark: Mark | None,
    scores: Mapping[str, Any],
    *,
    slots: Mapping[str, OpenItemSlot],
    double: bool,
    by: str,
    at: datetime,
    comments: Mapping[str, str] | None = None,
) -> CorrectionSheet:
    """Return *sheet* after the move *event* on the items of *scores* (all or nothing).

    *scores* maps item identifiers to the scores given (for ``escalate`` and
    ``refer`` the values are ignored). Each score given is a new
    :class:`ScoreVersion`; an unchanged score is no change.

    Raises:
        InvalidInput: an item is not an open item of the sheet, or a score is out of range.
        ItemMoveNotAllowed: an item's state does not allow the move.
        ExamkitErrorGroup: several of these.

    Implements SCO-3.
    """
    notes = comments or {}
    problems: list[ExamkitError] = []
    changes: dict[str, tuple[ItemCorrection, ScoreVersion | None]] = {}
    for key, value in scores.items():
        slot = slots.get(key)
        current = sheet.items.get(key)
        try:
            if slot is None or current is None:
                raise InvalidInput("correction.item.unknown", field=key, item=key)
            changes[key] = _move_item(
                current, event, mark, key, slot, value, double, by, at, notes.get(key, "")
            )
        except ExamkitError as error:
            problems.append(error)
    if problems:
        raise problems[0] if len(problems) == 1 else ExamkitErrorGroup(problems)
    return _change(sheet, changes)


def _move_item(  # noqa: PLR0917 - one item's move, private
    current: ItemCorrection,
    event: str,
    mark: Mark | None,
    key: str,
    slot: OpenItemSlot,
    value: Any,
    double: bool,
    by: str,
    at: datetime,
    comment: str,
) -> tuple[ItemCorrection, ScoreVersion | None]:
    if mark is None:
        row = item_transition(event, current.state, item=key)
        return attrs.evolve(current, state=row.target), None
    score = _check_score(slot, value)
    old: int | None = getattr(current, mark._value_)
    scores = {
        "first": current.first,
        "second": current.second,
        "agreed": current.agreed,
        "third": current.third,
    }
    scores[_FIELD[mark]] = score
    if event == "score":
        first, second = scores["first"], scores["second"]
        if first is None or (double and second is None):
            outcome = Outcome.INCOMPLETE
        elif not double or first == second:
            outcome = Outcome.EQUAL
        else:
            outcome = Outcome.DIFFERENT
    else:
        outcome = None
    row = item_transition(event, current.state, outcome, item=key)
    if old == score and not comment and row.target is current.state:
        return current, None
    changed = ItemCorrection(
        row.target,
        scores["first"],
        scores["second"],
        scores["agreed"],
        scores["third"],
        comment or current.comment,
    )
    return changed, ScoreVersion(key, mark, old, score, by, at, comment)


@attrs.frozen
class Replacement:
    """A corrector replaced while correction was open: whose place, who left, who came.

    Implements SCO-3.
    """

    mark: Mark
    """The place (first, second or third corrector)."""
    old: str | None
    """The account that held it."""
    new: str
    """The account that holds it now."""
    by: str
    """The planner who replaced them."""
    at: datetime = attrs.field(converter=_aware)
    """When."""


@attrs.frozen
class ReviewGrant:
    """A review (*inzage*) of one candidate's exam, granted by the planner for a period.

    Implements SCO-4.
    """

    candidate: str
    """The candidate's id."""
    starts_at: datetime = attrs.field(converter=_aware)
    """From when."""
    ends_at: datetime = attrs.field(converter=_aware)
    """Until when (exclusive)."""
    by: str
    """The planner who granted it."""

    def is_open(self, now: datetime) -> bool:
        """Return whether the review is possible at *now*."""
        return self.starts_at <= now < self.ends_at


def _slots(value: Iterable[OpenItemSlot]) -> tuple[OpenItemSlot, ...]:
    return tuple(value)


def _replacements(value: Iterable[Replacement]) -> tuple[Replacement, ...]:
    return tuple(value)


def _published(value: Iterable[ResultRow]) -> tuple[ResultRow, ...]:
    return tuple(value)


def _reviews(value: Iterable[ReviewGrant]) -> tuple[ReviewGrant, ...]:
    return tuple(value)


@attrs.frozen
class CorrectionGroup:
    """The correction of one session group: open items, correctors, replacements, grants.

    Made when the group's correction starts (the first move after the
    planner released it for correction); its correctors start as the
    group's and can be replaced until correction closes.

    Implements SCO-3 and SCO-4.
    """

    group: str
    """The session group's id (the key)."""
    location: LocationCode
    """Where the group was held."""
    exam: str
    """The test's code."""
    items: tuple[OpenItemSlot, ...] = attrs.field(converter=_slots)
    """The test's open items, in order."""
    first: str
    """The first corrector's account id."""
    second: str | None = None
    """The second corrector's account id (``None``: one correction)."""
    third: str | None = None
    """The third corrector's account id, once the planner assigned one."""
    closed_at: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
    """When correction closed (``None``: open)."""
    closed_by: str | None = None
    """Who closed it."""
    replacements: tuple[Replacement, ...] = attrs.field(default=(), converter=_replacements)
    """Every replacement of a corrector, in order."""
    reviews: tuple[ReviewGrant, ...] = attrs.field(default=(), converter=_reviews)
    """Every review granted, in order."""
    nterm: str | None = None
    """The N-term the published results were graded with (``None``: not published)."""
    published: tuple[ResultRow, ...] = attrs.field(default=(), converter=_published)
    """The results as published, one row per candidate (the reports by role read them)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def double(self) -> bool:
        """Whether a second corrector scores too."""
        return self.second is not None

    @property
    def is_closed(self) -> bool:
        """Whether correction is closed."""
        return self.closed_at is not None

    @property
    def permission_target(self) -> Target:
        """Where it is, for permission decisions: the group's location."""
        return Target.of(self.location)

    @property
    def slots(self) -> Mapping[str, OpenItemSlot]:
        """The open items by identifier."""
        return {slot.id: slot for slot in self.items}

    def mark_of(self, account: str) -> Mark | None:
        """Return the place *account* holds (first, second, third), or ``None``."""
        if account == self.first:
            return Mark.FIRST
        if account == self.second:
            return Mark.SECOND
        if account == self.third:
            return Mark.THIRD
        return None

    def corrected_by(self, account: str) -> bool:
        """Return whether *account* corrected (or corrects) this group, replaced or not."""
        return self.mark_of(account) is not None or any(
            account in (change.old, change.new) for change in self.replacements
        )
