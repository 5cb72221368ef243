"""What the correction's use cases share: the matrix's actions, subjects, the closed check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from examkit.correction._loading import SCORE_ACTION, read_group
from examkit.errors import ExamkitError, InvalidState

if TYPE_CHECKING:
    from examkit.correction._model import CorrectionGroup
    from examkit.usecase import UseCase

SCORE = SCORE_ACTION
"""The matrix's action a corrector needs to score."""
AGREE = "facet.correction.agree"
"""The matrix's action to see the list to agree on."""
CLOSE = "facet.correction.close"
"""The matrix's action to close correction."""
VIEW_CLOSED = "facet.correction.view_closed"
"""The matrix's action to read a closed group."""
PLAN = "facet.correctors.schedule"
"""The matrix's action of the planner who schedules correctors."""
RESULTS = "facet.results.view"
"""The matrix's action to view results."""
PARTIAL = "facet.partial_reports.download"
"""The matrix's action to download a partial report."""
REVIEW = "facet.review.limited"
"""The matrix's action to grant and hold a review (*inzage*)."""

MAX_REVIEW_PERIOD = timedelta(days=28)
"""The longest review (*inzage*) period the exam rules allow."""


def group_subject(group_id: str) -> str:
    """Return the audit subject of session group *group_id*."""
    return f"session_group:{group_id}"


@contextmanager
def refused_as_denied(unit: UseCase) -> Iterator[None]:
    """Audit a refusal raised in the block as ``denied``, whatever the error.

    Correction audits every refused move as ``denied`` with the error's code
    as its reason (a closed group, a score out of range, an unresolved
    item), not only a missing permission.
    """
    try:
        yield
    except ExamkitError as error:
        unit.refuse(error, outcome="denied")


def closed_correction(unit: UseCase, group_id: str, action: str) -> CorrectionGroup:
    """Return the group's correction once the actor of *unit* may do *action* and it is closed.

    Raises:
        NotPermitted: the actor may not do *action* at the group's location.
        InvalidState: correction is not closed.
    """
    group = read_group(unit.uow, group_id)
    unit.require(action, group)
    if not group.is_closed:
        unit.refuse(InvalidState("correction.group.open"), outcome="denied")
    return group
