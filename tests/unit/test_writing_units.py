"""WritingUnits: what waits for a thread's writing unit runs once it closes (issue 18)."""

from __future__ import annotations

import threading

import pytest

from examkit.storage import WritingUnits


def test_every_action_runs_in_order_and_the_first_failure_is_raised_after() -> None:
    units = WritingUnits()
    ran: list[str] = []

    def broken() -> None:
        raise LookupError("broken")

    held = units.opened()
    units.after(lambda: ran.append("first"))
    units.after(broken)
    units.after(lambda: ran.append("third"))
    with pytest.raises(LookupError, match="broken"):
        held.close()
    assert ["first", "third"] == ran
    assert not units.after(lambda: ran.append("later"))


def test_an_action_waits_for_the_outermost_unit_and_runs_once() -> None:
    units = WritingUnits()
    ran: list[str] = []
    outer = units.opened()
    inner = units.opened()
    assert units.after(lambda: ran.append("done"))
    inner.close()
    assert [] == ran
    outer.close()
    outer.close()
    assert ["done"] == ran


def test_units_of_other_threads_are_not_this_threads() -> None:
    units = WritingUnits()
    held = units.opened()
    answers: list[bool] = []
    other = threading.Thread(target=lambda: answers.append(units.after(lambda: None)))
    other.start()
    other.join()
    held.close()
    assert [False] == answers
