"""Batch scoring of choice items for a national cohort, vectorised with numpy."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.scoring._grades import ConversionTable, Number, parse_nterm
from examkit.scoring._items import ChoiceItem, ChoiceResponse
from examkit.scoring._templates import MatchCorrect
from examkit.scoring._totals import Neutralisation, TestDefinition

Codes = npt.NDArray[np.integer[Any]]
"""Responses as codes: one row per candidate, one column per item."""

_MAX_MULTIPLE_CHOICES = 16


@functools.lru_cache(maxsize=256)
def _tenths(maximum: int, nterm: Fraction) -> tuple[int, ...]:
    """The conversion table in tenths; a pure function of its arguments, so it is memoised."""
    return ConversionTable.build(maximum, nterm).tenths()


class BatchScorer:
    """Scores the choice items of many candidates at once, exactly as the per-item path does.

    Responses come as an integer array with one row per candidate and one
    column per item: for a single-choice item the code is the chosen
    choice's position + 1 (0: no response); for a multiple-choice item it is
    the bit mask of the chosen positions (bit 0 is the first choice).
    :meth:`encode` turns :class:`ChoiceResponse` values into codes.

    Every item's possible scores are computed once, by the per-item rules,
    into a table; scoring is then a table lookup (or, when every item is
    single choice and scored ``match_correct``, one comparison with the
    key), so the vectorised path and the per-item path agree by construction.

    >>> test = TestDefinition([
    ...     ChoiceItem(id="q1", choices="ABCD", correct="B"),
    ...     ChoiceItem(id="q2", choices="ABCD", correct="D")])
    >>> scorer = BatchScorer(test)
    >>> codes = scorer.encode([[ChoiceResponse("B"), ChoiceResponse("D")],
    ...                        [ChoiceResponse("A"), None]])
    >>> scorer.totals(codes).tolist()
    [2, 0]

    Implements SCO-1 and SCO-2.
    """

    def __init__(
        self, test: TestDefinition, neutralisations: Iterable[Neutralisation] = ()
    ) -> None:
        problems: list[ExamkitError] = []
        items: list[ChoiceItem] = []
        for item in test.items:
            if not isinstance(item, ChoiceItem):
                problems.append(
                    InvalidInput("scoring.batch.not_choice", field=item.id, item=item.id)
                )
            elif item.multiple and len(item.choices) > _MAX_MULTIPLE_CHOICES:
                problems.append(
                    InvalidInput("scoring.batch.too_many_choices", field=item.id, item=item.id)
                )
            else:
                items.append(item)
        if problems:
            raise problems[0] if len(problems) == 1 else ExamkitErrorGroup(problems)
        self.test = test
        self.items: tuple[ChoiceItem, ...] = tuple(items)
        fixed = test.check_neutralisations(neutralisations)
        self.maximum = test.maximum
        self._tables = [self._table(item) for item in self.items]
        self._code_limits = np.array([len(table) - 1 for table in self._tables], dtype=np.int64)
        self._uniform_limit = (
            int(self._code_limits[0]) if len(set(self._code_limits.tolist())) == 1 else None
        )
        self._keys_by_dtype: dict[np.dtype[Any], Codes] = {}
        self._fixed_columns = [i for i, item in enumerate(self.items) if item.id in fixed]
        fixed_total = sum(fixed.values(), Fraction(0))
        if fixed_total.denominator != 1:
            raise InvalidInput("scoring.batch.fraction", field="neutralisations", item="-")
        self._fixed_total = int(fixed_total)
        self._match_key: npt.NDArray[np.int64] | None = None
        self._match_points: npt.NDArray[np.int64] | None = None
        self._uniform: int | None = None
        if all(not i.multiple and isinstance(i.scoring, MatchCorrect) for i in self.items):
            key = [item.choices.index(next(iter(item.correct))) + 1 for item in self.items]
            points = [int(table.max()) for table in self._tables]
            for column in self._fixed_columns:
                points[column] = 0
            self._match_key = np.array(key, dtype=np.int64)
            self._match_points = np.array(points, dtype=np.int64)
            live = {p for column, p in enumerate(points) if column not in self._fixed_columns}
            self._uniform = live.pop() if len(live) == 1 else None
        width = max(len(table) for table in self._tables)
        padded = np.zeros((len(self.items), width), dtype=np.int64)
        for row, table in enumerate(self._tables):
            padded[row, : len(table)] = table
        self._full = padded.copy()
        padded[self._fixed_columns, :] = 0
        self._padded = padded

    @staticmethod
    def _table(item: ChoiceItem) -> npt.NDArray[np.int64]:
        size = 1 << len(item.choices) if item.multiple else len(item.choices) + 1
        values: list[int] = []
        for code in range(size):
            chosen = (
                [c for bit, c in enumerate(item.choices) if code >> bit & 1]
                if item.multiple
                else ([item.choices[code - 1]] if code else [])
            )
            score = item.score(ChoiceResponse(chosen) if chosen else None)
            if score.denominator != 1:
                raise InvalidInput("scoring.batch.fraction", field=item.id, item=item.id)
            values.append(int(score))
        return np.array(values, dtype=np.int64)

    def encode(self, responses: Sequence[Sequence[ChoiceResponse | None]]) -> Codes:
        """Return per-candidate responses (in item order) as the code array."""
        codes = np.zeros((len(responses), len(self.items)), dtype=np.int32)
        for row, candidate in enumerate(responses):
            if len(candidate) != len(self.items):
                raise InvalidInput("scoring.batch.shape", field="responses", line=row + 1)
            for column, (item, response) in enumerate(zip(self.items, candidate, strict=True)):
                if response is None or not response.chosen:
                    continue
                item.check(response)
                if item.multiple:
                    codes[row, column] = sum(
                        1 << item.choices.index(choice) for choice in response.chosen
                    )
                else:
                    codes[row, column] = item.choices.index(next(iter(response.chosen))) + 1
        return codes

    def _check(self, codes: Codes) -> None:
        if codes.ndim != 2 or codes.shape[1] != len(self.items):
            raise InvalidInput("scoring.batch.shape", field="responses")
        if not np.issubdtype(codes.dtype, np.integer):
            raise InvalidInput("scoring.batch.dtype", field="responses")
        if not codes.size:
            return
        if codes.min() < 0:
            raise InvalidInput("scoring.batch.code", field="responses")
        highest = codes.max()
        if self._uniform_limit is not None and highest <= self._uniform_limit:
            return
        if bool((codes.max(axis=0) > self._code_limits).any()):
            raise InvalidInput("scoring.batch.code", field="responses")

    def _key_as(self, dtype: np.dtype[Any]) -> Codes:
        key = self._keys_by_dtype.get(dtype)
        if key is None:
            assert self._match_key is not None  # noqa: S101 - only called on the match path
            key = self._keys_by_dtype[dtype] = self._match_key.astype(dtype)
        return key

    def item_scores(self, codes: Codes) -> npt.NDArray[np.int64]:
        """Return every candidate's score per item (neutralised items as scored, not fixed)."""
        self._check(codes)
        scores: npt.NDArray[np.int64] = self._full[np.arange(len(self.items)), codes]
        return scores

    def totals(self, codes: Codes) -> npt.NDArray[np.int64]:
        """Return every candidate's total, neutralised items at their fixed score."""
        self._check(codes)
        if self._match_key is not None and self._match_points is not None:
            hits = codes == self._key_as(codes.dtype)
            if self._fixed_columns:
                hits[:, self._fixed_columns] = False
            counted: npt.NDArray[np.int64]
            if self._uniform is not None:
                counted = np.count_nonzero(hits, axis=1).astype(np.int64) * self._uniform
            else:
                counted = hits.astype(np.int64) @ self._match_points
            return counted + self._fixed_total
        gathered = self._padded[np.arange(len(self.items)), codes]
        sums: npt.NDArray[np.int64] = gathered.sum(axis=1, dtype=np.int64) + self._fixed_total
        return sums

    def grade_tenths(
        self, totals: npt.NDArray[np.int64], nterm: str | Number
    ) -> npt.NDArray[np.int16]:
        """Return every total's grade in tenths (55 is 5.5), by the exam board's rule, exactly."""
        if self.maximum.denominator != 1:
            raise InvalidInput("scoring.maximum.fraction", field="items", value=str(self.maximum))
        table = np.array(_tenths(int(self.maximum), parse_nterm(nterm)), dtype=np.int16)
        if totals.size and (totals.min() < 0 or totals.max() >= len(table)):
            raise InvalidInput("scoring.batch.code", field="totals")
        return table[totals]
