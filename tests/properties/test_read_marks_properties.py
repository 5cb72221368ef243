# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The day's read marks (PRIV-2): a read is left out only where the day's log already holds it.

The model is written here on its own: the set of (day, reader, purpose,
person) recorded so far. Whatever the order of days and however small the
marks' capacity, every read the model lacks is reported unseen (never a read
missed); with days in order and room enough, exactly those are.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit._read_marks import ReadMarks

pytestmark = pytest.mark.req("PRIV-2")

DAY = date(2026, 12, 7)
reads = st.tuples(
    st.integers(0, 2).map(lambda n: DAY + timedelta(days=n)),
    st.sampled_from(["karin", "tom"]),
    st.sampled_from(["pupils", "results"]),
    st.lists(st.sampled_from(["pupil:22AB00/1", "pupil:22AB00/2", "candidate:c-1"]), max_size=4),
)


def run(marks: ReadMarks, sequence: list[tuple[date, str, str, list[str]]]) -> list[bool]:
    """Record *sequence* as note_reads does; return per read whether it was exactly the model's."""
    recorded: set[tuple[date, str, str, str]] = set()
    exact = []
    for day, actor, what, subjects in sequence:
        unseen = marks.unseen(day, actor, what, subjects)
        missing = [s for s in dict.fromkeys(subjects) if (day, actor, what, s) not in recorded]
        assert set(missing) <= set(unseen)  # never a read left out that the log lacks
        assert len(unseen) == len(set(unseen))
        exact.append(missing == unseen)
        marks.mark(day, actor, what, unseen)
        recorded |= {(day, actor, what, s) for s in unseen}
    return exact


@given(st.lists(reads, max_size=30), st.integers(1, 6))
def test_no_read_is_ever_left_out_that_the_day_lacks(
    sequence: list[tuple[date, str, str, list[str]]], capacity: int
) -> None:
    run(ReadMarks(capacity), sequence)


@given(st.lists(reads, max_size=30))
def test_with_days_in_order_exactly_the_days_new_reads_are_recorded(
    sequence: list[tuple[date, str, str, list[str]]],
) -> None:
    in_order = sorted(sequence, key=lambda read: read[0])
    assert all(run(ReadMarks(), in_order))
