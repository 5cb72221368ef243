"""Tests, neutralised items, candidates' totals and grades, and re-grading as a dry run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.scoring._grades import ConversionTable, Number, grade, parse_nterm
from examkit.scoring._items import Item, OpenItem, Response, score_item


def _items(value: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(value)


def _check_items(_: object, __: attrs.Attribute[Any], items: tuple[Item, ...]) -> None:
    problems: list[ExamkitError] = []
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(InvalidInput("scoring.item.duplicate", field=item.id, item=item.id))
        seen.add(item.id)
    if not items:
        problems.append(InvalidInput("scoring.test.empty", field="items"))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ExamkitErrorGroup(problems)


def _optional_fraction(value: Number | None) -> Fraction | None:
    return None if value is None else Fraction(value)


@attrs.frozen
class Neutralisation:
    """A neutralised item (*geneutraliseerde vraag*): every candidate gets the same score.

    By default that is the item's maximum; the board may set a fixed lower
    number instead. It applies when totalling; responses are never edited.

    Implements SCO-2.
    """

    item: str
    """The neutralised item's identifier."""
    score: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    """The fixed score every candidate gets (``None``: the item's maximum)."""


@attrs.frozen
class TestDefinition:
    """A test's items, in order; its maximum L is the sum of the items' maxima.

    Implements SCO-1 and SCO-2.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class

    items: tuple[Item, ...] = attrs.field(converter=_items, validator=_check_items)
    """The items."""

    @property
    def maximum(self) -> Fraction:
        """The test's maximum score L (neutralisation never changes it)."""
        return sum((item.max_score for item in self.items), Fraction(0))

    def item(self, item_id: str) -> Item:
        """Return the item with *item_id*."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise InvalidInput("scoring.item.unknown", field="item", item=item_id)

    def check_neutralisations(
        self, neutralisations: Iterable[Neutralisation]
    ) -> dict[str, Fraction]:
        """Return item -> fixed score for *neutralisations*, checked against the items."""
        fixed: dict[str, Fraction] = {}
        for neutralisation in neutralisations:
            item = self.item(neutralisation.item)
            score = item.max_score if neutralisation.score is None else neutralisation.score
            if not 0 <= score <= item.max_score:
                raise InvalidInput(
                    "scoring.neutralisation.out_of_range",
                    field="score",
                    item=item.id,
                    maximum=str(item.max_score),
                )
            fixed[item.id] = score
        return fixed


def _frozen_scores(value: Mapping[str, Any]) -> Mapping[str, Fraction]:
    return MappingProxyType({str(k): Fraction(v) for k, v in value.items()})


@attrs.frozen
class CandidateScores:
    """One candidate's item scores as scored (automatic and by correctors), before totalling."""

    candidate: str
    """The candidate's identifier."""
    item_scores: Mapping[str, Fraction] = attrs.field(converter=_frozen_scores)
    """Score per item; an item absent here scores 0 (not yet scored or not answered)."""


def score_candidate(
    test: TestDefinition,
    candidate: str,
    responses: Mapping[str, Response | None],
    manual: Mapping[str, Number] | None = None,
) -> CandidateScores:
    """Score every automatic item of *test* from *responses*, with *manual* scores for open items.

    Raises:
        ExamkitErrorGroup: one problem per unusable response or manual score.

    Implements SCO-1.
    """
    scores: dict[str, Fraction] = {}
    problems: list[ExamkitError] = []
    given = dict(manual or {})
    for item in test.items:
        try:
            if isinstance(item, OpenItem):
                if item.id in given:
                    score = Fraction(given.pop(item.id))
                    if not 0 <= score <= item.max_score:
                        raise InvalidInput(
                            "scoring.manual.out_of_range",
                            field=item.id,
                            item=item.id,
                            maximum=str(item.max_score),
                        )
                    scores[item.id] = score
                continue
            scores[item.id] = score_item(item, responses.get(item.id))
        except InvalidInput as error:
            problems.append(error)
    for unknown in given:
        problems.append(InvalidInput("scoring.item.unknown", field=unknown, item=unknown))
    if problems:
        raise problems[0] if len(problems) == 1 else ExamkitErrorGroup(problems)
    return CandidateScores(candidate=candidate, item_scores=scores)


def total(
    test: TestDefinition, scores: CandidateScores, neutralisations: Iterable[Neutralisation] = ()
) -> Fraction:
    """Return the candidate's total: neutralised items at their fixed score, others as scored.

    Implements SCO-2.
    """
    fixed = test.check_neutralisations(neutralisations)
    return sum(
        (fixed.get(item.id, scores.item_scores.get(item.id, Fraction(0))) for item in test.items),
        Fraction(0),
    )


@attrs.frozen
class Result:
    """A candidate's total and grade."""

    candidate: str
    """The candidate's identifier."""
    total: Fraction
    """The total score S."""
    grade: Decimal
    """The grade, one decimal."""


def results(
    test: TestDefinition,
    scores: Sequence[CandidateScores],
    nterm: str | Number,
    neutralisations: Iterable[Neutralisation] = (),
) -> tuple[Result, ...]:
    """Return every candidate's total and grade by the exam board's rule.

    Implements SCO-2 and SCO-5.
    """
    maximum = test.maximum
    if maximum.denominator != 1:
        raise InvalidInput("scoring.maximum.fraction", field="items", value=str(maximum))
    fixed = list(neutralisations)
    n = parse_nterm(nterm)
    graded: dict[Fraction, Decimal] = {}  # a group's totals repeat: each is graded once
    out = []
    for candidate in scores:
        s = total(test, candidate, fixed)
        mark = graded.get(s)
        if mark is None:
            mark = graded[s] = grade(s, int(maximum), n)
        out.append(Result(candidate.candidate, s, mark))
    return tuple(out)


def conversion_table(test: TestDefinition, nterm: str | Number) -> ConversionTable:
    """Return the score-to-grade table of *test* for *nterm*.

    Implements SCO-5.
    """
    maximum = test.maximum
    if maximum.denominator != 1:
        raise InvalidInput("scoring.maximum.fraction", field="items", value=str(maximum))
    return ConversionTable.build(int(maximum), nterm)


@attrs.frozen
class GradeChange:
    """How one candidate's result would change in a re-grading."""

    candidate: str
    """The candidate's identifier."""
    total_before: Fraction
    """The total now."""
    total_after: Fraction
    """The total after the change."""
    grade_before: Decimal
    """The grade now."""
    grade_after: Decimal
    """The grade after the change."""


def regrade_dry_run(
    test: TestDefinition,
    scores: Sequence[CandidateScores],
    *,
    nterm: str | Number,
    neutralisations: Iterable[Neutralisation] = (),
    new_nterm: str | Number | None = None,
    new_neutralisations: Iterable[Neutralisation] | None = None,
) -> tuple[GradeChange, ...]:
    """Show whose grade a new N-term or newly neutralised items would change, before applying.

    Nothing is changed: the function only compares. Candidates whose total
    and grade stay the same are left out.

    Implements SCO-2 and SCO-5.
    """
    before_fixed = list(neutralisations)
    after_fixed = before_fixed if new_neutralisations is None else list(new_neutralisations)
    before = results(test, scores, nterm, before_fixed)
    after = results(test, scores, nterm if new_nterm is None else new_nterm, after_fixed)
    return tuple(
        GradeChange(old.candidate, old.total, new.total, old.grade, new.grade)
        for old, new in zip(before, after, strict=True)
        if (old.total, old.grade) != (new.total, new.grade)
    )
