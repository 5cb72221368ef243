"""Results of a corrected group: totals and grades, the partial report, the review view.

Totals and grades come from :mod:`examkit.scoring`: the automatic items are
scored from the stored responses, the open items take their final scores,
and the grade follows the exam board's rule with the N-term.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from examkit.correction._model import CorrectionGroup, CorrectionSheet
from examkit.errors import InvalidInput
from examkit.scheduling import Attempt, Candidate, Exam
from examkit.scoring import (
    CandidateScores,
    Number,
    OpenItem,
    TestDefinition,
    response_from_data,
    results,
    score_candidate,
)


@attrs.frozen
class CandidateResult:
    """A candidate's result in a group: total and grade.

    Implements SCO-4 and SCO-5.
    """

    candidate: str
    """The candidate's id."""
    name: str
    """Their name."""
    class_key: str
    """Their class, if known."""
    total: Fraction
    """The total score."""
    grade: Decimal
    """The grade, one decimal."""


def _rows(value: Iterable[CandidateResult]) -> tuple[CandidateResult, ...]:
    return tuple(value)


@attrs.frozen
class PartialReport:
    """A partial report (*deelrapportage*) of one group for the planner to download.

    Implements SCO-4.
    """

    group: str
    """The session group's id."""
    exam: str
    """The test's code."""
    title: str
    """The test's title."""
    maximum: int
    """The test's maximum score."""
    nterm: str
    """The N-term the grades were computed with."""
    rows: tuple[CandidateResult, ...] = attrs.field(converter=_rows)
    """One row per candidate, by name."""

    @property
    def mean_grade(self) -> Decimal | None:
        """The mean grade, to one decimal (``None`` without rows)."""
        if not self.rows:
            return None
        mean = sum((row.grade for row in self.rows), Decimal(0)) / len(self.rows)
        return mean.quantize(Decimal("0.1"))

    def as_csv_rows(self) -> tuple[tuple[str, ...], ...]:
        """Return the report as rows of text (a header first), ready for a CSV writer."""
        return (
            ("kandidaat", "naam", "klas", "score", "cijfer"),
            *(
                (row.candidate, row.name, row.class_key, str(row.total), str(row.grade))
                for row in self.rows
            ),
        )


@attrs.frozen
class ReviewItem:
    """One item in a review: identifier, response, score, maximum, comment.

    Implements SCO-4.
    """

    identifier: str
    """The item's identifier."""
    response: str
    """The candidate's response as text (empty: none)."""
    score: Fraction
    """The score."""
    max_score: Fraction
    """The maximum."""
    comment: str = ""
    """The corrector's comment, where the exam rules allow showing it."""


def _review_items(value: Iterable[ReviewItem]) -> tuple[ReviewItem, ...]:
    return tuple(value)


@attrs.frozen
class ReviewView:
    """A read-only review (*inzage*) of one candidate's exam; also DOC-5's value.

    Implements SCO-4 (and the data of DOC-5).
    """

    candidate: str
    """The candidate's id."""
    name: str
    """Their name."""
    exam: str
    """The test's code."""
    test: str
    """The test's title."""
    items: tuple[ReviewItem, ...] = attrs.field(converter=_review_items)
    """Per item, in the test's order."""
    total: Fraction
    """The total score."""
    grade: Decimal
    """The grade."""


def response_text(value: Any) -> str:
    """Return a stored response as text: its one field's value (lists comma-joined), or JSON.

    >>> response_text({"chosen": ["A", "C"]}), response_text({"text": "zie bijlage"})
    ('A, C', 'zie bijlage')
    >>> response_text(None), response_text({"x": 1, "y": 2})
    ('', '{"x":1,"y":2}')
    """
    if value is None:
        return ""
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, list) and all(isinstance(part, str) for part in inner):
            return ", ".join(inner)
        if isinstance(inner, str | int):
            return str(inner)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_definition(definition: TestDefinition, group: CorrectionGroup) -> None:
    """Check that *definition*'s open items are the group's open items, with their maxima.

    Raises:
        InvalidInput: they differ.
    """
    open_items = {
        item.id: item.max_score for item in definition.items if isinstance(item, OpenItem)
    }
    if open_items != {slot.id: Fraction(slot.max_score) for slot in group.items}:
        raise InvalidInput("correction.definition.mismatch", field="definition", exam=group.exam)


def candidate_scores(
    definition: TestDefinition,
    sheet: CorrectionSheet,
    attempt: Attempt | None,
) -> CandidateScores:
    """Score *sheet*'s candidate: automatic items from the responses, open items as final.

    Implements SCO-4.
    """
    stored = attempt.responses if attempt is not None else {}
    responses = {
        item.id: response_from_data(item, stored[item.id].value)
        for item in definition.items
        if not isinstance(item, OpenItem) and item.id in stored
    }
    manual: dict[str, Number] = {}
    for key, item in sheet.items.items():
        final = item.final
        if final is not None:
            manual[key] = final
    return score_candidate(definition, sheet.candidate, responses, manual)


def group_results(
    definition: TestDefinition,
    *,
    group: CorrectionGroup,
    sheets: Sequence[CorrectionSheet],
    attempts: Mapping[str, Attempt],
    people: Mapping[str, Candidate],
    nterm: str | Number,
) -> tuple[CandidateResult, ...]:
    """Return every candidate's total and grade, by name.

    Implements SCO-4 and SCO-5.
    """
    check_definition(definition, group)
    scored = [candidate_scores(definition, s, attempts.get(s.candidate)) for s in sheets]
    rows = []
    for result in results(definition, scored, nterm):
        person = people[result.candidate]
        rows.append(
            CandidateResult(
                result.candidate, person.name, person.class_key, result.total, result.grade
            )
        )
    return tuple(sorted(rows, key=lambda row: (row.name, row.candidate)))


def review_view(
    definition: TestDefinition,
    *,
    exam: Exam,
    group: CorrectionGroup,
    sheet: CorrectionSheet,
    attempt: Attempt | None,
    person: Candidate,
    nterm: str | Number,
    comments: bool = True,
) -> ReviewView:
    """Return the review of *sheet*'s candidate (comments only where *comments*).

    Implements SCO-4.
    """
    check_definition(definition, group)
    scores = candidate_scores(definition, sheet, attempt)
    (result,) = results(definition, [scores], nterm)
    stored = attempt.responses if attempt is not None else {}
    items = []
    for item in definition.items:
        saved = stored.get(item.id)
        correction = sheet.items.get(item.id)
        items.append(
            ReviewItem(
                identifier=item.id,
                response=response_text(saved.value if saved is not None else None),
                score=scores.item_scores.get(item.id, Fraction(0)),
                max_score=item.max_score,
                comment=correction.comment if correction is not None and comments else "",
            )
        )
    return ReviewView(
        candidate=person.id,
        name=person.name,
        exam=exam.code,
        test=exam.title,
        items=items,
        total=result.total,
        grade=result.grade,
    )
