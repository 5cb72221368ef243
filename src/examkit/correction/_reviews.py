"""Review (*inzage*) of a closed group, and the history of a candidate's scores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from examkit._reading import candidate_subject, note_reads
from examkit.correction._common import (
    MAX_REVIEW_PERIOD,
    PLAN,
    REVIEW,
    VIEW_CLOSED,
    closed_correction,
    group_subject,
    refused_as_denied,
)
from examkit.correction._loading import read_group, read_sheet
from examkit.correction._model import CorrectionGroup, ReviewGrant, ScoreVersion
from examkit.correction._results import ReviewView, review_view
from examkit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from examkit.scheduling import Attempt, TestSessionGroup, attempt_id
from examkit.scoring import Number, TestDefinition
from examkit.usecase import Ports, UseCase


class Reviews:
    """Review periods, the review itself, and the history of scores: ``kit.reviews``.

    Args:
        ports: The wired ports.

    Implements SCO-3 and SCO-4.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"Reviews({self._ports.backend!r})"

    def grant_review(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        *,
        starts_at: datetime,
        ends_at: datetime,
    ) -> CorrectionGroup:
        """Grant a review (*inzage*) of *candidate*'s exam for a limited period (planner).

        Raises:
            NotPermitted: *actor* may not grant review at the group's location.
            InvalidState: correction is not closed.
            InvalidInput: the candidate is not in the group, or the period is
                empty or longer than the exam rules allow.

        Implements SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "correction.review.grant", subject, actor=actor) as unit:
            group = closed_correction(unit, group_id, REVIEW)
            sheets = unit.uow.correction_sheets.list_for_group(group_id)
            with refused_as_denied(unit):
                if not any(s.candidate == candidate for s in sheets):
                    raise InvalidInput("correction.candidate.unknown", field="candidate")
                if not starts_at < ends_at or ends_at - starts_at > MAX_REVIEW_PERIOD:
                    raise InvalidInput(
                        "correction.review.period", field="ends_at", days=MAX_REVIEW_PERIOD.days
                    )
            grant = ReviewGrant(candidate, starts_at, ends_at, actor)
            stored = unit.uow.correction_groups.update(
                attrs.evolve(group, reviews=(*group.reviews, grant))
            )
            unit.audit(details={"candidate": candidate, "until": ends_at.isoformat()})
            unit.commit()
        return stored

    def review(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        definition: TestDefinition,
        nterm: str | Number,
    ) -> ReviewView:
        """Return the read-only review of *candidate*'s exam while a granted period runs.

        The review is audited.

        Raises:
            NotPermitted: *actor* may not review at the group's location.
            InvalidState: correction is not closed, or no review is granted now.

        Implements SCO-4.
        """
        return self._review(actor, group_id, candidate, lambda _: definition, nterm).view

    def review_page(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        answer_key: Callable[[str], TestDefinition],
        nterm: str | Number,
    ) -> ReviewPage:
        """Return what a review page shows, read in one unit of work (a portal's one trip).

        The review of :meth:`review` (audited the same), the session group, the
        review period granted, and the history of the candidate's scores
        (:meth:`history`) where *actor* may see it (empty where not).
        *answer_key* gives the test's definition by the group's test code.

        Raises:
            NotPermitted: *actor* may not review at the group's location.
            InvalidState: correction is not closed, or no review is granted now.

        Implements SCO-3 and SCO-4.
        """
        return self._review(actor, group_id, candidate, answer_key, nterm, history=True)

    def _review(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        answer_key: Callable[[str], TestDefinition],
        nterm: str | Number,
        *,
        history: bool = False,
    ) -> ReviewPage:
        subject = group_subject(group_id)
        with UseCase(self._ports, "correction.review", subject, actor=actor) as unit:
            group = closed_correction(unit, group_id, REVIEW)
            grant = next(
                (g for g in group.reviews if g.candidate == candidate and g.is_open(unit.now)),
                None,
            )
            if grant is None:
                unit.refuse(InvalidState("correction.review.not_granted"), outcome="denied")
            uow = unit.uow  # the candidate's own rows, not the whole group's
            try:
                attempt: Attempt | None = uow.test_attempts.get(attempt_id(group_id, candidate))
            except NotFound:
                attempt = None
            sheet = read_sheet(uow, group_id, candidate)
            view = review_view(
                answer_key(group.exam),
                exam=uow.exams.get(group.exam),
                group=group,
                sheet=sheet,
                attempt=attempt,
                person=uow.candidates.get(candidate),
                nterm=nterm,
            )
            # one read of the candidate: the review shows their scores, the history with them
            note_reads(unit, [candidate_subject(candidate)], "review", str(group.location))
            versions: tuple[ScoreVersion, ...] = ()
            if history and _may_see_history(unit, group, actor):
                versions = sheet.versions
            session = uow.session_groups.get(group_id) if history else None
            unit.audit(details={"candidate": candidate})
            unit.commit()
        return ReviewPage(session, view, grant, versions)

    def history(self, actor: str, group_id: str, candidate: str) -> tuple[ScoreVersion, ...]:
        """Return every version of *candidate*'s scores (planner, or a corrector once closed).

        Implements SCO-3.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.history", subject, actor=actor, readonly=True
        ) as unit:
            group = read_group(unit.uow, group_id)
            if not _may_see_history(unit, group, actor):
                raise NotPermitted("permission.denied")
            versions = read_sheet(unit.uow, group_id, candidate).versions
            note_reads(unit, [candidate_subject(candidate)], "scores", str(group.location))
        return versions


def _may_see_history(unit: UseCase, group: CorrectionGroup, actor: str) -> bool:
    """Whether *actor* sees the history of scores: the planner, or a corrector once closed."""
    return unit.actor.may(PLAN, group) or (
        group.is_closed and group.corrected_by(actor) and unit.actor.may(VIEW_CLOSED, group)
    )


@attrs.frozen
class ReviewPage:
    """What a review page shows (:meth:`Reviews.review_page`).

    Implements SCO-3 and SCO-4.
    """

    group: TestSessionGroup | None
    """The session group (its test, room and day); ``None`` from :meth:`Reviews.review`."""
    view: ReviewView
    """The review itself."""
    grant: ReviewGrant
    """The review period open now."""
    history: tuple[ScoreVersion, ...]
    """Every version of the candidate's scores, oldest first; empty for who may not see it."""
