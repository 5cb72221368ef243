"""A closed group's results: by candidate, as a partial report, as report rows, for QTI."""

from __future__ import annotations

from examkit.correction._common import PARTIAL, RESULTS, closed_correction, group_subject
from examkit.correction._loading import read_inputs
from examkit.correction._qti import ExchangedItem, ExchangedResult
from examkit.correction._reports import ResultRow, report_subject
from examkit.correction._results import (
    CandidateResult,
    PartialReport,
    group_results,
    review_view,
)
from examkit.scoring import Number, TestDefinition
from examkit.usecase import Ports, UseCase


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
        the group's); *nterm* the exam board's N-term.

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
            closed_correction(unit, group_id, RESULTS)
            group, sheets, attempts, people, _ = read_inputs(unit.uow, group_id)
            return group_results(
                definition,
                group=group,
                sheets=sheets,
                attempts=attempts,
                people=people,
                nterm=nterm,
            )

    def partial_report(
        self, actor: str, group_id: str, definition: TestDefinition, nterm: str | Number
    ) -> PartialReport:
        """Return the group's partial report (*deelrapportage*) for the planner to download.

        The download is audited.

        Implements SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "correction.partial_report", subject, actor=actor) as unit:
            closed_correction(unit, group_id, PARTIAL)
            group, sheets, attempts, people, exam = read_inputs(unit.uow, group_id)
            rows = group_results(
                definition,
                group=group,
                sheets=sheets,
                attempts=attempts,
                people=people,
                nterm=nterm,
            )
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
            closed_correction(unit, group_id, RESULTS)
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
            unit.audit()
            unit.commit()
        return tuple(out)
