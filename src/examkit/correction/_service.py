"""Use cases of correction: work lists, scoring, agreement, escalation, closing, results.

Every use case takes the acting :class:`~examkit.roles.Actor` and checks it
with the permission matrix at the group's location. A refused request
changes nothing and is audited as ``denied``; what changes is audited in the
same unit of work when the audit log keeps its events in the backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from examkit.audit import AuditEvent, AuditLog, AuditOutcome, StoredAuditLog, record_refusal
from examkit.correction._lifecycle import ItemState, action_of
from examkit.correction._loading import SCORE_ACTION, load_correction, read_inputs, replaced
from examkit.correction._model import (
    CorrectionGroup,
    CorrectionSheet,
    Mark,
    Replacement,
    ReviewGrant,
    ScoreVersion,
    apply_move,
    sheet_id,
)
from examkit.correction._qti import ExchangedItem, ExchangedResult
from examkit.correction._reports import ResultRow, report_subject
from examkit.correction._results import (
    CandidateResult,
    PartialReport,
    ReviewView,
    group_results,
    review_view,
)
from examkit.correction._views import Difference, WorkList, differences, work_list
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ExamkitError,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.ports import Clock
from examkit.roles import Actor, load_actor
from examkit.scoring import Number, TestDefinition
from examkit.sessions import (
    TestSessionGroup,
    TransitionNotAllowed,
    TransitionRecord,
    group_transition,
)

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

_SCORE = SCORE_ACTION
_AGREE = "facet.correction.agree"
_CLOSE = "facet.correction.close"
_VIEW_CLOSED = "facet.correction.view_closed"
_PLAN = "facet.correctors.schedule"
_RESULTS = "facet.results.view"
_PARTIAL = "facet.partial_reports.download"
_REVIEW = "facet.review.limited"

_ATTEMPTS = 8
"""How often a scoring call is tried when another unit of work wrote the same sheet meanwhile."""

MAX_REVIEW_PERIOD = timedelta(days=28)
"""The longest review (*inzage*) period the exam rules allow."""


class CorrectionService:
    """Correct session groups and report their results; reached as ``kit.correction``.

    Args:
        backend: Where the corrections are kept (with the sessions they correct).
        clock: The time source.
        audit: The audit log.

    Implements SCO-3, SCO-4 and SCO-6.
    """

    def __init__(self, *, backend: Backend, clock: Clock, audit: AuditLog) -> None:
        self._backend = backend
        self._clock = clock
        self._audit = audit
        self._inline = isinstance(audit, StoredAuditLog) and audit.stores_in(backend)

    def __repr__(self) -> str:
        return f"CorrectionService({self._backend!r})"

    # -- audit and permission -------------------------------------------------

    def _event(
        self,
        actor: str | None,
        action: str,
        subject: str,
        outcome: AuditOutcome = "success",
        details: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            at=self._clock.now(),
            actor=actor,
            action=action,
            subject=subject,
            outcome=outcome,
            details=dict(details or {}),
        )

    def _commit(self, uow: UnitOfWork, events: Iterable[AuditEvent]) -> None:
        if self._inline:
            for event in events:
                uow.audit.append(event)
            uow.commit()
            return
        uow.commit()
        for event in events:
            self._audit.record(event)

    def _refuse(self, actor: Actor, what: str, subject: str, error: ExamkitError) -> NoReturn:
        record_refusal(self._audit, error, self._event(actor.account, what, subject))
        raise error

    def _require(self, actor: Actor, action: str, on: Any, what: str, subject: str) -> None:
        if not actor.may(action, on):
            self._refuse(actor, what, subject, NotPermitted("permission.denied"))

    # -- the group's correction ----------------------------------------------

    def _read(self, group_id: str) -> tuple[CorrectionGroup, tuple[CorrectionSheet, ...]]:
        """Return the group's correction and sheets, as they would start when not stored yet."""
        with self._backend.begin(readonly=True) as uow:
            try:
                group = uow.correction_groups.get(group_id)
            except NotFound:
                group = None
            if group is not None:
                return group, uow.correction_sheets.list_for_group(group_id)
        try:
            with self._backend.begin() as uow:
                group = load_correction(uow, group_id)
                sheets = uow.correction_sheets.list_for_group(group_id)
                uow.commit()
        except AlreadyExists:  # another unit of work started it meanwhile: read that one
            with self._backend.begin(readonly=True) as uow:
                group = uow.correction_groups.get(group_id)
                sheets = uow.correction_sheets.list_for_group(group_id)
        return group, sheets

    def correction(self, group_id: str) -> CorrectionGroup:
        """Return the correction of group *group_id* (made when first needed).

        Raises:
            NotFound: there is no such group.
            InvalidState: the group was not released for correction.
        """
        return self._read(group_id)[0]

    def sheet(self, group_id: str, candidate: str) -> CorrectionSheet:
        """Return *candidate*'s correction sheet in *group_id*, with every version.

        Raises:
            NotFound: there is none.
        """
        self._read(group_id)
        with self._backend.begin(readonly=True) as uow:
            return uow.correction_sheets.get(sheet_id(group_id, candidate))

    # -- correctors ------------------------------------------------------------

    def work_list(self, actor: Actor, group_id: str) -> WorkList:
        """Return *actor*'s work list of the group: their own scores, the other's once both scored.

        Raises:
            NotPermitted: *actor* is not one of the group's correctors (or the
                group is closed and they did not correct it).

        Implements SCO-3 and SCO-4.
        """
        subject = f"session_group:{group_id}"
        group, sheets = self._read(group_id)
        mark = group.mark_of(actor.account)
        if group.is_closed:
            return self.closed_view(actor, group_id)
        if mark is None or not actor.may(_SCORE, group):
            self._refuse(actor, "correction.work_list", subject, NotPermitted("permission.denied"))
        return work_list(group, sheets, mark)

    def closed_view(self, actor: Actor, group_id: str) -> WorkList:
        """Return a closed group, read-only, to a corrector who corrected it.

        Raises:
            NotPermitted: *actor* did not correct it or lacks the action.
            InvalidState: correction is not closed.

        Implements SCO-4.
        """
        subject = f"session_group:{group_id}"
        group, sheets = self._read(group_id)
        if not group.corrected_by(actor.account) or not actor.may(_VIEW_CLOSED, group):
            self._refuse(
                actor, "correction.view_closed", subject, NotPermitted("permission.denied")
            )
        if not group.is_closed:
            self._refuse(
                actor, "correction.view_closed", subject, InvalidState("correction.group.open")
            )
        return work_list(group, sheets, group.mark_of(actor.account) or None)

    def differences(self, actor: Actor, group_id: str) -> tuple[Difference, ...]:
        """Return the group's list to agree on (*overeen te komen correcties*).

        Only the first and second corrector see it, and only items both scored.

        Implements SCO-3.
        """
        subject = f"session_group:{group_id}"
        group, sheets = self._read(group_id)
        if group.mark_of(actor.account) not in {Mark.FIRST, Mark.SECOND} or not actor.may(
            _AGREE, group
        ):
            self._refuse(
                actor, "correction.differences", subject, NotPermitted("permission.denied")
            )
        return differences(sheets)

    def _move(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        *,
        event: str,
        scores: Mapping[str, Any],
        comments: Mapping[str, str] | None = None,
    ) -> CorrectionSheet:
        subject = f"correction_sheet:{sheet_id(group_id, candidate)}"
        what = f"correction.{event}"
        for attempt in range(_ATTEMPTS):
            try:
                return self._move_once(
                    actor, group_id, candidate, event=event, scores=scores, comments=comments
                )
            except (ConcurrentModification, AlreadyExists) as error:
                # Another corrector's unit of work wrote the same sheet (or started the
                # group's correction) meanwhile: nothing of this one was kept; do it again.
                if attempt == _ATTEMPTS - 1:
                    self._refuse(actor, what, subject, error)
        raise AssertionError("unreachable")  # pragma: no cover

    def _move_once(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        *,
        event: str,
        scores: Mapping[str, Any],
        comments: Mapping[str, str] | None,
    ) -> CorrectionSheet:
        subject = f"correction_sheet:{sheet_id(group_id, candidate)}"
        what = f"correction.{event}"
        with self._backend.begin() as uow:
            try:
                group = load_correction(uow, group_id)
            except (ConcurrentModification, AlreadyExists):
                raise
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            mark = self._mark_for(actor, group, event, what, subject)
            if mark is Mark.THIRD:
                event = "decide"
            if group.is_closed:
                self._refuse(actor, what, subject, InvalidState("correction.group.closed"))
            try:
                sheet = uow.correction_sheets.get(sheet_id(group_id, candidate))
                changed = apply_move(
                    sheet,
                    event,
                    mark,
                    scores,
                    slots=group.slots,
                    double=group.double,
                    by=actor.account,
                    at=self._clock.now(),
                    comments=comments,
                )
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            stored = uow.correction_sheets.update(changed) if changed is not sheet else sheet
            details = {"items": ",".join(sorted(scores))}
            if mark is not None:
                details["mark"] = mark.value
            self._commit(uow, [self._event(actor.account, what, subject, details=details)])
        return stored

    def _mark_for(
        self, actor: Actor, group: CorrectionGroup, event: str, what: str, subject: str
    ) -> Mark | None:
        held = group.mark_of(actor.account)
        allowed = {
            "score": {Mark.FIRST, Mark.SECOND, Mark.THIRD},
            "agree": {Mark.FIRST, Mark.SECOND},
            "escalate": {Mark.FIRST, Mark.SECOND},
            "decide": {Mark.THIRD},
        }[event]
        if held not in allowed or not actor.may(action_of(event), group.location):
            self._refuse(actor, what, subject, NotPermitted("permission.denied"))
        if event == "agree":
            return Mark.AGREED
        if event == "escalate":
            return None
        return held

    def score(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        scores: Mapping[str, int],
        *,
        comments: Mapping[str, str] | None = None,
    ) -> CorrectionSheet:
        """Enter *actor*'s scores of one candidate's open items (one unit of work).

        The first and second corrector score independently; each score that
        changes is kept as a new version. Equal scores (or the one corrector's)
        settle an item; different ones put it on the list to agree on. The
        third corrector scores the items referred to them (their score
        replaces both).

        Raises:
            NotPermitted: *actor* is not a corrector of the group.
            InvalidInput: an item is not open, or a score is out of range.
            ItemMoveNotAllowed: an item can no longer be scored this way.
            InvalidState: correction is closed, or the group not released for it.

        Implements SCO-3.
        """
        return self._move(
            actor, group_id, candidate, event="score", scores=scores, comments=comments
        )

    def agree(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        item: str,
        score: int,
        *,
        comment: str = "",
    ) -> CorrectionSheet:
        """Record the score the two correctors agreed on for *item* (final).

        Implements SCO-3.
        """
        comments = {item: comment} if comment else None
        return self._move(
            actor, group_id, candidate, event="agree", scores={item: score}, comments=comments
        )

    def escalate(self, actor: Actor, group_id: str, candidate: str, item: str) -> CorrectionSheet:
        """Escalate the unresolved difference on *item* to the competent authority.

        Implements SCO-3.
        """
        return self._move(actor, group_id, candidate, event="escalate", scores={item: None})

    # -- the planner -------------------------------------------------------------

    def replace(
        self, actor: Actor, group_id: str, mark: Mark | str, account: str
    ) -> CorrectionGroup:
        """Replace the group's first, second or third corrector; scores entered are kept.

        Possible until correction closes; the newcomer must hold the corrector
        role at the group's location and be none of the group's other correctors.

        Raises:
            NotPermitted: *actor* may not schedule correctors there.
            InvalidInput: *account* is not a corrector there, or holds another place.
            InvalidState: correction is closed, or there is no such place to fill.

        Implements SCO-3.
        """
        place = Mark(mark)
        subject = f"session_group:{group_id}"
        what = "correction.replace"
        with self._backend.begin() as uow:
            group = load_correction(uow, group_id)
            self._require(actor, _PLAN, group, what, subject)
            try:
                changed = replaced(
                    uow, group, place, account, by=actor.account, at=self._clock.now()
                )
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            stored = uow.correction_groups.update(changed)
            self._commit(
                uow,
                [
                    self._event(
                        actor.account,
                        what,
                        subject,
                        details={"mark": place.value, "account": account},
                    )
                ],
            )
        return stored

    def refer(self, actor: Actor, group_id: str, third: str) -> CorrectionGroup:
        """Assign an independent third corrector to the group's escalated items (planner).

        Every escalated item moves to the third corrector, whose scores replace both.

        Raises:
            NotPermitted: *actor* may not schedule correctors there.
            InvalidInput: *third* is not a corrector there, or is the first or second corrector.
            InvalidState: correction is closed, or no item is escalated.

        Implements SCO-3.
        """
        subject = f"session_group:{group_id}"
        what = "correction.refer"
        with self._backend.begin() as uow:
            group = load_correction(uow, group_id)
            self._require(actor, _PLAN, group, what, subject)
            try:
                if group.is_closed:
                    raise InvalidState("correction.group.closed")
                if third in (group.first, group.second):
                    raise InvalidInput("correction.corrector.not_independent", field="third")
                if not load_actor(uow, third).may(_SCORE, group):
                    raise InvalidInput("sessions.group.corrector", field="third")
                sheets = uow.correction_sheets.list_for_group(group_id)
                moved = []
                for sheet in sheets:
                    escalated = {
                        key: None
                        for key, item in sheet.items.items()
                        if item.state is ItemState.ESCALATED
                    }
                    if escalated:
                        moved.append(
                            apply_move(
                                sheet,
                                "refer",
                                None,
                                escalated,
                                slots=group.slots,
                                double=group.double,
                                by=actor.account,
                                at=self._clock.now(),
                            )
                        )
                if not moved and group.third is None:
                    raise InvalidState("correction.refer.nothing")
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            for sheet in moved:
                uow.correction_sheets.update(sheet)
            changed = group
            if group.third != third:
                record = Replacement(
                    Mark.THIRD, group.third, third, actor.account, self._clock.now()
                )
                changed = attrs.evolve(
                    group, third=third, replacements=(*group.replacements, record)
                )
            stored = uow.correction_groups.update(changed) if changed != group else group
            self._commit(
                uow,
                [
                    self._event(
                        actor.account,
                        what,
                        subject,
                        details={"third": third, "sheets": str(len(moved))},
                    )
                ],
            )
        return stored

    # -- closing ---------------------------------------------------------------

    def close(self, actor: Actor, group_id: str) -> TestSessionGroup:
        """Close correction: only when every open item of every candidate has a final score.

        Hands the group back to the planner with the sessions lifecycle's move
        ``close_correction``, in the same unit of work.

        Raises:
            NotPermitted: *actor* is not the group's first or second corrector
                or lacks the action.
            InvalidState: an item has no final score (the error names the first
                one); correction is closed already.

        Implements SCO-3.
        """
        subject = f"session_group:{group_id}"
        what = "correction.close"
        row = group_transition("close_correction")
        with self._backend.begin() as uow:
            try:
                group = load_correction(uow, group_id)
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            if group.mark_of(actor.account) not in {Mark.FIRST, Mark.SECOND}:
                self._refuse(actor, what, subject, NotPermitted("permission.denied"))
            self._require(actor, row.action or _CLOSE, group, what, subject)
            session = uow.session_groups.get(group_id)
            try:
                if group.is_closed or session.state not in row.sources:
                    raise TransitionNotAllowed(event=row.event, state=session.state.value)
                for sheet in uow.correction_sheets.list_for_group(group_id):
                    open_items = sheet.unresolved()
                    if open_items:
                        raise InvalidState(
                            "correction.close.unresolved",
                            candidate=sheet.candidate,
                            item=open_items[0],
                        )
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            now = self._clock.now()
            record = TransitionRecord(
                event=row.event,
                source=session.state,
                target=row.target,
                actor=actor.account,
                role=actor.role_for(row.action or _CLOSE),
                at=now,
            )
            handed = uow.session_groups.update(
                attrs.evolve(session, state=row.target, log=(*session.log, record))
            )
            uow.correction_groups.update(
                attrs.evolve(group, closed_at=now, closed_by=actor.account)
            )
            self._commit(
                uow,
                [
                    self._event(actor.account, what, subject),
                    self._event(
                        actor.account,
                        f"sessions.group.{row.event}",
                        subject,
                        details={"from": record.source.value, "to": record.target.value},
                    ),
                ],
            )
        return handed

    # -- results, partial reports, review --------------------------------------

    def _closed(self, actor: Actor, group_id: str, action: str, what: str) -> CorrectionGroup:
        subject = f"session_group:{group_id}"
        group = self._read(group_id)[0]
        self._require(actor, action, group, what, subject)
        if not group.is_closed:
            self._refuse(actor, what, subject, InvalidState("correction.group.open"))
        return group

    def results(
        self, actor: Actor, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[CandidateResult, ...]:
        """Return every candidate's total and grade of a closed group, by name.

        *definition* is the test as scoring defines it (its open items must be
        the group's); *nterm* the exam board's N-term.

        Raises:
            NotPermitted: *actor* may not view results at the group's location.
            InvalidState: correction is not closed.
            InvalidInput: *definition* does not fit the group's test.

        Implements SCO-4 and SCO-5.
        """
        self._closed(actor, group_id, _RESULTS, "correction.results")
        group, sheets, attempts, people, _ = read_inputs(self._backend, group_id)
        return group_results(
            definition, group=group, sheets=sheets, attempts=attempts, people=people, nterm=nterm
        )

    def partial_report(
        self, actor: Actor, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> PartialReport:
        """Return the group's partial report (*deelrapportage*) for the planner to download.

        Implements SCO-4.
        """
        self._closed(actor, group_id, _PARTIAL, "correction.partial_report")
        group, sheets, attempts, people, exam = read_inputs(self._backend, group_id)
        rows = group_results(
            definition, group=group, sheets=sheets, attempts=attempts, people=people, nterm=nterm
        )
        self._audit.record(
            self._event(actor.account, "correction.partial_report", f"session_group:{group_id}")
        )
        return PartialReport(group_id, exam.code, exam.title, exam.maximum, str(nterm), rows)

    def result_rows(
        self, actor: Actor, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[ResultRow, ...]:
        """Return the group's results as report rows (location, class, subject) for SCO-6.

        Implements SCO-6.
        """
        self._closed(actor, group_id, _RESULTS, "correction.results")
        group, sheets, attempts, people, exam = read_inputs(self._backend, group_id)
        subject = report_subject(exam.subject)
        return tuple(
            ResultRow(
                group.location,
                row.class_key,
                subject,
                exam.code,
                row.candidate,
                row.name,
                row.total,
                row.grade,
            )
            for row in group_results(
                definition,
                group=group,
                sheets=sheets,
                attempts=attempts,
                people=people,
                nterm=nterm,
            )
        )

    def exchange(
        self, actor: Actor, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[ExchangedResult, ...]:
        """Return every candidate's result of a closed group for QTI results exchange.

        Write each with :func:`~examkit.correction.results_to_qti`.

        Raises:
            NotPermitted: *actor* may not view results at the group's location.
            InvalidState: correction is not closed.

        Implements SCO-4.
        """
        closed = self._closed(actor, group_id, _RESULTS, "correction.exchange")
        group, sheets, attempts, people, exam = read_inputs(self._backend, group_id)
        out = []
        for sheet in sheets:
            view = review_view(
                definition,
                exam=exam,
                group=group,
                sheet=sheet,
                attempt=attempts.get(sheet.candidate),
                person=people[sheet.candidate],
                nterm=nterm,
            )
            stored = attempts.get(sheet.candidate)
            responses = stored.responses if stored is not None else {}
            out.append(
                ExchangedResult(
                    candidate=sheet.candidate,
                    group=group_id,
                    exam=exam.code,
                    datestamp=closed.closed_at or self._clock.now(),
                    total=view.total,
                    maximum=exam.maximum,
                    grade=view.grade,
                    items=[
                        ExchangedItem(
                            identifier=item.identifier,
                            response=(
                                responses[item.identifier].value
                                if item.identifier in responses
                                else None
                            ),
                            score=item.score,
                            max_score=item.max_score,
                            comment=item.comment,
                        )
                        for item in view.items
                    ],
                )
            )
        self._audit.record(
            self._event(actor.account, "correction.exchange", f"session_group:{group_id}")
        )
        return tuple(out)

    def grant_review(
        self,
        actor: Actor,
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
        subject = f"session_group:{group_id}"
        what = "correction.review.grant"
        self._closed(actor, group_id, _REVIEW, what)
        with self._backend.begin() as uow:
            group = uow.correction_groups.get(group_id)
            try:
                if not any(
                    s.candidate == candidate for s in uow.correction_sheets.list_for_group(group_id)
                ):
                    raise InvalidInput("correction.candidate.unknown", field="candidate")
                if not starts_at < ends_at or ends_at - starts_at > MAX_REVIEW_PERIOD:
                    raise InvalidInput(
                        "correction.review.period", field="ends_at", days=MAX_REVIEW_PERIOD.days
                    )
            except ExamkitError as error:
                self._refuse(actor, what, subject, error)
            grant = ReviewGrant(candidate, starts_at, ends_at, actor.account)
            stored = uow.correction_groups.update(
                attrs.evolve(group, reviews=(*group.reviews, grant))
            )
            self._commit(
                uow,
                [
                    self._event(
                        actor.account,
                        what,
                        subject,
                        details={"candidate": candidate, "until": ends_at.isoformat()},
                    )
                ],
            )
        return stored

    def review(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        definition: TestDefinition,
        nterm: str | Number,
    ) -> ReviewView:
        """Return the read-only review of *candidate*'s exam while a granted period runs.

        Raises:
            NotPermitted: *actor* may not review at the group's location.
            InvalidState: correction is not closed, or no review is granted now.

        Implements SCO-4.
        """
        subject = f"session_group:{group_id}"
        what = "correction.review"
        group = self._closed(actor, group_id, _REVIEW, what)
        now = self._clock.now()
        if not any(g.candidate == candidate and g.is_open(now) for g in group.reviews):
            self._refuse(actor, what, subject, InvalidState("correction.review.not_granted"))
        group, _, attempts, people, exam = read_inputs(self._backend, group_id)
        sheet = self.sheet(group_id, candidate)
        view = review_view(
            definition,
            exam=exam,
            group=group,
            sheet=sheet,
            attempt=attempts.get(candidate),
            person=people[candidate],
            nterm=nterm,
        )
        self._audit.record(
            self._event(actor.account, what, subject, details={"candidate": candidate})
        )
        return view

    def history(self, actor: Actor, group_id: str, candidate: str) -> tuple[ScoreVersion, ...]:
        """Return every version of *candidate*'s scores (planner, or a corrector once closed).

        Implements SCO-3.
        """
        subject = f"session_group:{group_id}"
        group = self._read(group_id)[0]
        allowed = actor.may(_PLAN, group) or (
            group.is_closed and group.corrected_by(actor.account) and actor.may(_VIEW_CLOSED, group)
        )
        if not allowed:
            self._refuse(actor, "correction.history", subject, NotPermitted("permission.denied"))
        return self.sheet(group_id, candidate).versions
