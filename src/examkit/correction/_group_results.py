"""A closed group's results: by candidate, as a partial report, as report rows, for QTI."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from examkit._reading import note_reads
from examkit.correction._common import (
    PARTIAL,
    RESULTS,
    closed_correction,
    group_subject,
    refused_as_denied,
)
from examkit.correction._loading import read_inputs
from examkit.correction._qti import ExchangedItem, ExchangedResult
from examkit.correction._reports import (
    CLASS_OVERVIEW_VIEW,
    REPORTS_VIEW,
    ResultRow,
    report_subject,
)
from examkit.correction._results import (
    CandidateResult,
    PartialReport,
    check_definition,
    group_results,
    review_view,
)
from examkit.errors import NotPermitted
from examkit.identifiers import LocationCode
from examkit.permissions import Target
from examkit.scheduling import GroupState, TestSessionGroup, TransitionNotAllowed, TransitionRecord
from examkit.scheduling import group_transition as session_transition
from examkit.scoring import Number, TestDefinition, parse_nterm
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase

PUBLISHED = frozenset({GroupState.RESULTS_PUBLISHED, GroupState.REVIEW_OPEN, GroupState.ARCHIVED})
"""The group states whose results are published (the reports by role show them)."""


class GroupResults:
    """The results of a group whose correction is closed: ``kit.results``.

    Args:
        ports: The wired ports.

    Implements SCO-4, SCO-5 and SCO-6.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"GroupResults({self._ports.backend!r})"

    def results(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[CandidateResult, ...]:
        """Return every candidate's total and grade of a closed group, by name.

        *definition* is the test as scoring defines it (its open items must be
        the group's); *nterm* the exam board's N-term. Once the results are
        published (:meth:`publish`), those graded with the N-term they were
        published with are the rows kept then (read, not computed again:
        the correction is closed, its scores no longer change).

        Raises:
            NotPermitted: *actor* may not view results at the group's location.
            InvalidState: correction is not closed.
            InvalidInput: *definition* does not fit the group's test.

        Implements SCO-4 and SCO-5.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.results", subject, actor=actor, readonly=True
        ) as unit:
            closed = closed_correction(unit, group_id, RESULTS)
            if closed.published and closed.nterm == nterm_text(nterm):
                check_definition(definition, closed)
                rows = tuple(
                    sorted(
                        (
                            CandidateResult(r.candidate, r.name, r.class_key, r.total, r.grade)
                            for r in closed.published
                        ),
                        key=lambda row: (row.name, row.candidate),
                    )
                )
            else:
                group, sheets, attempts, people, _ = read_inputs(unit.uow, group_id)
                rows = group_results(
                    definition,
                    group=group,
                    sheets=sheets,
                    attempts=attempts,
                    people=people,
                    nterm=nterm,
                )
            _note(unit, (row.candidate for row in rows), closed.location)
        return rows

    def partial_report(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> PartialReport:
        """Return the group's partial report (*deelrapportage*) for the planner to download.

        The download is audited.

        Implements SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "correction.partial_report", subject, actor=actor) as unit:
            closed = closed_correction(unit, group_id, PARTIAL)
            group, sheets, attempts, people, exam = read_inputs(unit.uow, group_id)
            rows = group_results(
                definition,
                group=group,
                sheets=sheets,
                attempts=attempts,
                people=people,
                nterm=nterm,
            )
            _note(unit, (row.candidate for row in rows), closed.location)
            unit.audit()
            unit.commit()
        return PartialReport(group_id, exam.code, exam.title, exam.maximum, str(nterm), rows)

    def result_rows(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[ResultRow, ...]:
        """Return the group's results as report rows (location, class, subject) for SCO-6.

        Implements SCO-6.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.results", subject, actor=actor, readonly=True
        ) as unit:
            closed = closed_correction(unit, group_id, RESULTS)
            rows = _rows(unit, group_id, definition, nterm)
            _note(unit, (row.candidate for row in rows), closed.location)
        return rows

    def publish(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> TestSessionGroup:
        """Publish a closed group's results graded with *nterm* (planner, *Examenresultaten*).

        The lifecycle move ``publish_results``: the rows as they are now
        (:class:`~examkit.correction.ResultRow`, one per candidate) and the
        N-term are kept with the group's correction, for the reports by role
        (:meth:`reports`), in the same unit of work.

        Raises:
            NotPermitted: *actor* may not publish results at the group's location.
            InvalidState: correction is not closed, or the results are published already.
            InvalidInput: *nterm* is no number, or *definition* does not fit.

        Implements SCO-4, SCO-5 and SCO-6.
        """
        subject = group_subject(group_id)
        row = session_transition("publish_results")
        with UseCase(self._ports, "correction.publish", subject, actor=actor) as unit:
            closed = closed_correction(unit, group_id, row.action)
            session = unit.uow.session_groups.get(group_id)
            with refused_as_denied(unit):
                if session.state not in row.sources:
                    raise TransitionNotAllowed(event=row.event, state=session.state.value)
                text = nterm_text(nterm)
                parse_nterm(text)
                rows = _rows(unit, group_id, definition, text)
            record = TransitionRecord(
                event=row.event,
                source=session.state,
                target=row.target,
                actor=actor,
                role=unit.actor.role_for(row.action),
                at=unit.now,
            )
            published = unit.uow.session_groups.update(
                attrs.evolve(session, state=row.target, log=(*session.log, record))
            )
            unit.uow.correction_groups.update(attrs.evolve(closed, nterm=text, published=rows))
            unit.audit(details={"nterm": text, "candidates": str(len(rows))})
            unit.audit(
                f"sessions.group.{row.event}",
                details={"from": record.source.value, "to": record.target.value},
            )
            unit.commit()
        return published

    def reports(self, actor: str, location: LocationCode) -> tuple[ResultRow, ...]:
        """Return the published results at *location* that *actor*'s report roles may see.

        The rows of every group whose results are published there, in start
        order: those of the actor's classes (and subject, for a subject
        teacher) and, for a quality officer, all of the location's. Filter
        them into a report with :func:`~examkit.correction.class_overview`,
        :func:`~examkit.correction.class_report` or
        :func:`~examkit.correction.subject_report`.

        Raises:
            NotPermitted: *actor* holds no report role at *location*.

        Implements SCO-6.
        """
        subject = f"location:{location}"
        with UseCase(
            self._ports, "correction.reports", subject, actor=actor, readonly=True
        ) as unit:
            may = unit.actor.may
            overview = may(CLASS_OVERVIEW_VIEW, Target.of(location))
            held = overview or any(
                _location_of(place) == location for place in unit.actor.places(REPORTS_VIEW)
            )
            if not held:
                raise NotPermitted("permission.denied")
            found: list[ResultRow] = []
            after: str | None = None
            while True:
                page = unit.uow.session_groups.list(
                    location=location, after=after, limit=MAX_PAGE_SIZE
                )
                for group in page.items:
                    if group.state in PUBLISHED:
                        found.extend(unit.uow.correction_groups.get(group.id).published)
                if page.next_after is None:
                    break
                after = page.next_after
            rows = tuple(
                row
                for row in found
                if overview
                or may(REPORTS_VIEW, row)
                or may(REPORTS_VIEW, Target(location=row.location, class_key=row.class_key))
            )
            note_reads(
                unit,
                (f"candidate:{row.candidate}" for row in rows),
                "results_report",
                str(location),
            )
        return rows

    def exchange(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> tuple[ExchangedResult, ...]:
        """Return every candidate's result of a closed group for QTI results exchange.

        Write each with :func:`~examkit.correction.results_to_qti`. The
        exchange is audited.

        Raises:
            NotPermitted: *actor* may not view results at the group's location.
            InvalidState: correction is not closed.

        Implements SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "correction.exchange", subject, actor=actor) as unit:
            closed = closed_correction(unit, group_id, RESULTS)
            group, sheets, attempts, people, exam = read_inputs(unit.uow, group_id)
            out = []
            for sheet in sheets:
                stored = attempts.get(sheet.candidate)
                view = review_view(
                    definition,
                    exam=exam,
                    group=group,
                    sheet=sheet,
                    attempt=stored,
                    person=people[sheet.candidate],
                    nterm=nterm,
                )
                responses = stored.responses if stored is not None else {}
                out.append(
                    ExchangedResult(
                        candidate=sheet.candidate,
                        group=group_id,
                        exam=exam.code,
                        datestamp=closed.closed_at or unit.now,
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
            _note(unit, (result.candidate for result in out), closed.location)
            unit.audit()
            unit.commit()
        return tuple(out)


def nterm_text(nterm: str | Number) -> str:
    """Return *nterm* as it is kept with published results (a decimal comma: ``1,2``)."""
    return str(nterm).strip().replace(".", ",")


def _note(unit: UseCase, candidates: Iterable[str], location: LocationCode) -> None:
    """Note that the unit's actor read these candidates' results (PRIV-2)."""
    note_reads(unit, (f"candidate:{c}" for c in candidates), "results", str(location))


def _rows(
    unit: UseCase, group_id: str, definition: TestDefinition, nterm: str | Number
) -> tuple[ResultRow, ...]:
    """Return the closed group's results as report rows (location, class, subject)."""
    group, sheets, attempts, people, exam = read_inputs(unit.uow, group_id)
    subject_name = report_subject(exam.subject)
    return tuple(
        ResultRow(
            group.location,
            row.class_key,
            subject_name,
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


def _location_of(place: object) -> object:
    """Return the location of a scope key: a location, a class, or a (class, subject) pair."""
    found = place[0] if isinstance(place, tuple) else place
    return getattr(found, "location", found)
