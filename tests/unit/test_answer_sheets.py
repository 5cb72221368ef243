# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Ordering answer sheets for a paper test, per class."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit.errors import InvalidInput
from examkit.scheduling import Exam, ItemSlot, Mode, order_answer_sheets

PAPER = Exam(
    code="REK-1F",
    title="Rekenen",
    subject="Rekenen",
    duration=timedelta(minutes=90),
    items=[ItemSlot("1", 1)],
    modes={Mode.PAPER, Mode.ONLINE},
    central=False,
)


@pytest.mark.req("EDX-3")
def test_quantities_per_class_from_the_current_pupils() -> None:
    """One sheet per distinct pupil, per class, in class order, plus spares."""
    order = order_answer_sheets(PAPER, {"8B": ["p1", "p2", "p2"], "8A": [], "7C": 24})
    assert [("7C", 24, 24), ("8A", 0, 0), ("8B", 2, 2)] == [
        (line.class_key, line.pupils, line.sheets) for line in order.lines
    ]
    assert 26 == order.total
    assert 29 == order_answer_sheets(PAPER, {"7C": 24, "8B": 3}, spares=1).total


@pytest.mark.req("EDX-3")
def test_only_paper_tests_are_ordered() -> None:
    """A test not taken on paper, or a negative count, is refused."""
    online = Exam(
        code="X",
        title="X",
        subject="X",
        duration=timedelta(minutes=10),
        items=[ItemSlot("1", 1)],
    )
    with pytest.raises(InvalidInput):
        order_answer_sheets(online, {"8A": 3})
    with pytest.raises(InvalidInput):
        order_answer_sheets(PAPER, {"8A": -1})
