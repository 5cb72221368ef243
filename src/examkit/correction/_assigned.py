"""What a corrector finds: the groups they correct, and a candidate's responses to score.

Shared by :class:`~examkit.correction.CorrectionWork`'s ``assigned`` and
``responses``; the portal's work lists and scoring screens are built on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from examkit._reading import candidate_subject, note_reads
from examkit.correction._common import SCORE, VIEW_CLOSED
from examkit.correction._loading import read_group
from examkit.correction._results import response_text
from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.scheduling import GroupState, TestSessionGroup, attempt_id
from examkit.storage import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from examkit.correction._model import CorrectionGroup
    from examkit.usecase import UseCase

CORRECTING: Final = frozenset({GroupState.RELEASED_FOR_CORRECTION})
"""The states in which a group's correctors work on it."""
CORRECTED: Final = frozenset(
    {
        GroupState.CORRECTION_CLOSED,
        GroupState.RESULTS_PUBLISHED,
        GroupState.REVIEW_OPEN,
        GroupState.ARCHIVED,
    }
)
"""The states after correction closed: a former corrector reads the group, read-only."""


def assigned_groups(unit: UseCase) -> tuple[TestSessionGroup, ...]:
    """Return the groups the actor of *unit* corrects or corrected, by start time.

    Only at the locations where the actor holds the corrector's action; a
    group in correction where they hold a place (first, second or third,
    replacements counted), and a closed one they corrected.
    """
    account = unit.actor.account
    found: list[TestSessionGroup] = []
    places = unit.actor.places(SCORE) | unit.actor.places(VIEW_CLOSED)
    for location in sorted(p for p in places if isinstance(p, LocationCode)):
        after: str | None = None
        while True:
            page = unit.uow.session_groups.list(location=location, after=after, limit=MAX_PAGE_SIZE)
            shown = [group for group in page.items if group.state in CORRECTING | CORRECTED]
            corrections = unit.uow.correction_groups.get_many(group.id for group in shown)
            found.extend(
                group
                for group in shown
                if _corrects(unit, group, corrections.get(group.id), account)
            )
            if page.next_after is None:
                break
            after = page.next_after
    return tuple(sorted(found, key=lambda g: (g.starts_at, g.id)))


def _corrects(
    unit: UseCase, group: TestSessionGroup, correction: CorrectionGroup | None, account: str
) -> bool:
    """Whether *account* corrects (or corrected) *group*, whose correction (if opened) is given."""
    if correction is None:
        return group.state in CORRECTING and account in (
            group.first_corrector,
            group.second_corrector,
        )
    if group.state in CORRECTING:
        return correction.mark_of(account) is not None and unit.actor.may(SCORE, correction)
    return correction.corrected_by(account) and unit.actor.may(VIEW_CLOSED, correction)


def candidate_responses(unit: UseCase, group_id: str, candidate: str) -> dict[str, str]:
    """Return *candidate*'s responses to the group's open items as text, by item (checked).

    For the group's correctors while it is corrected, and those who
    corrected it once it is closed.

    Raises:
        NotPermitted: the actor is not (and was not) a corrector of the group.
        InvalidInput: *candidate* has no sheet in the group.
    """
    group = read_group(unit.uow, group_id)
    if not _may_read(unit, group):
        raise NotPermitted("permission.denied")
    try:
        attempt = unit.uow.test_attempts.get(attempt_id(group_id, candidate))
    except NotFound:
        raise InvalidInput("correction.candidate.unknown", field="candidate") from None
    saved = attempt.responses
    note_reads(unit, [candidate_subject(candidate)], "answers", str(group.location))
    return {
        slot.id: response_text(saved[slot.id].value if slot.id in saved else None)
        for slot in group.items
    }


def _may_read(unit: UseCase, group: CorrectionGroup) -> bool:
    account = unit.actor.account
    if group.is_closed:
        return group.corrected_by(account) and unit.actor.may(VIEW_CLOSED, group)
    return group.mark_of(account) is not None and unit.actor.may(SCORE, group)
