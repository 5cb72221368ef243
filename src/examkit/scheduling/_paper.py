"""Ordering answer sheets for a paper test (*antwoordbladen bestellen*)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from examkit.errors import InvalidInput
from examkit.scheduling._model import Exam, Mode


@attrs.frozen
class SheetLine:
    """One class's line of an answer-sheet order.

    Implements EDX-3.
    """

    class_key: str
    """The class."""
    pupils: int
    """Its current pupils."""
    sheets: int
    """Answer sheets to order: one per pupil plus the spares."""


@attrs.frozen
class AnswerSheetOrder:
    """An order of answer sheets for a paper test, per class (*bestelling antwoordbladen*).

    Implements EDX-3.
    """

    exam: str
    """The test's code."""
    lines: tuple[SheetLine, ...]
    """One line per class, by class key."""

    @property
    def total(self) -> int:
        """All sheets of the order."""
        return sum(line.sheets for line in self.lines)


def order_answer_sheets(
    test: Exam, classes: Mapping[str, int | Iterable[Any]], *, spares: int = 0
) -> AnswerSheetOrder:
    """Return the quantities of answer sheets per class for paper test *test*.

    *classes* maps each class to its current pupils (the location's pupils
    from the school's data, as any iterable of pupil keys) or to their
    number; *spares* sheets are added per class.

    >>> from datetime import timedelta
    >>> from examkit.scheduling import ItemSlot
    >>> test = Exam(code="REK-1F", title="Rekenen 1F", subject="Rekenen",
    ...             duration=timedelta(minutes=90), items=[ItemSlot("1", 1)],
    ...             modes={Mode.PAPER}, central=False)
    >>> order = order_answer_sheets(test, {"8B": ["p3", "p4"], "8A": 27}, spares=1)
    >>> [(line.class_key, line.sheets) for line in order.lines], order.total
    ([('8A', 28), ('8B', 3)], 31)

    Raises:
        InvalidInput: *test* is not taken on paper, or a count or *spares* is negative.

    Implements EDX-3.
    """
    if Mode.PAPER not in test.modes:
        raise InvalidInput("sessions.paper.not_paper", field="test", exam=test.code)
    if spares < 0:
        raise InvalidInput("sessions.paper.count", field="spares")
    lines = []
    for class_key in sorted(classes):
        pupils = classes[class_key]
        count = pupils if isinstance(pupils, int) else len(set(pupils))
        if count < 0:
            raise InvalidInput("sessions.paper.count", field="classes")
        lines.append(SheetLine(class_key=class_key, pupils=count, sheets=count + spares))
    return AnswerSheetOrder(exam=test.code, lines=tuple(lines))
