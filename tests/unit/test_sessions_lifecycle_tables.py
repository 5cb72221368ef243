# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The sessions' lifecycle tables on the one state-machine type: their rules and refusals."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from examkit.errors import InvalidInput
from examkit.scheduling import (
    ATTEMPT_LIFECYCLE,
    GROUP_LIFECYCLE,
    SERVER_LIFECYCLE,
    AttemptState,
    GroupState,
    ServerState,
    TransitionNotAllowed,
    group_transition,
)
from examkit.scheduling._lifecycle import _checked_groups, _checked_makers
from examkit.statemachine import MachineError, StateMachine


@pytest.mark.req("SCH-3", "SCH-4", "SCH-8")
@pytest.mark.parametrize(
    ("machine", "event", "state", "code"),
    [
        (GROUP_LIFECYCLE, "block", GroupState.PLANNED, "sessions.transition.not_allowed"),
        (ATTEMPT_LIFECYCLE, "pause", AttemptState.ABSENT, "sessions.attempt.not_allowed"),
        (SERVER_LIFECYCLE, "delete", ServerState.ACTIVE, "sessions.transition.not_allowed"),
    ],
)
def test_a_move_the_state_does_not_allow_keeps_its_code(
    machine: StateMachine[Any, Any], event: str, state: Any, code: str
) -> None:
    """Each table refuses with the sessions' own TransitionNotAllowed and code."""
    with pytest.raises(TransitionNotAllowed) as refused:
        machine.move(event, state)
    assert code == refused.value.code
    assert {"event": event, "state": state.value} == dict(refused.value.params)


@pytest.mark.req("SCH-3", "SCH-4", "SCH-8")
@pytest.mark.parametrize(
    ("machine", "code"),
    [
        (GROUP_LIFECYCLE, "sessions.group.event"),
        (ATTEMPT_LIFECYCLE, "sessions.attempt.event"),
        (SERVER_LIFECYCLE, "sessions.server.event"),
    ],
)
@pytest.mark.parametrize("event", ["hack", 3, None])
def test_an_unknown_move_keeps_its_code(
    machine: StateMachine[Any, Any], code: str, event: object
) -> None:
    """No such move (or not text): InvalidInput with the table's code, on the field ``event``."""
    with pytest.raises(InvalidInput) as refused:
        machine.event(event)
    assert (code, "event") == (refused.value.code, refused.value.field)


@pytest.mark.req("SCH-8")
def test_deleting_a_server_removes_it() -> None:
    """The registry's ``delete`` leads to no state: the server is removed."""
    assert SERVER_LIFECYCLE.move("delete", ServerState.INACTIVE).target is None
    assert ServerState.ACTIVE == SERVER_LIFECYCLE.move("activate", ServerState.REGISTERED).target


@pytest.mark.req("SCH-3")
def test_a_groups_row_is_its_moves_one_row() -> None:
    """``group_transition`` returns the one row of a move, with its actions."""
    row = group_transition("release")
    assert (GroupState.RELEASED, "facet.monitor.release", "facet.ft.monitor.release") == (
        row.target,
        row.action,
        row.ft_action,
    )


@pytest.mark.req("SCH-3")
def test_the_group_table_refuses_a_move_twice_or_an_unknown_ft_action() -> None:
    """On top of the machine's checks: one row per move, and known FT actions."""
    rows = GROUP_LIFECYCLE.rows
    assert rows == _checked_groups(rows)
    with pytest.raises(MachineError, match="'release'"):
        _checked_groups((*rows, attrs.evolve(rows[0], sources={GroupState.CLOSED})))
    with pytest.raises(MachineError, match="'block'"):
        _checked_groups((rows[0], attrs.evolve(rows[1], ft_action="facet.nothing")))


@pytest.mark.req("SCH-4")
@pytest.mark.parametrize(
    "changes",
    [{"by": "teacher"}, {"by": "proctor", "action": None}, {"by": "candidate", "action": "x"}],
)
def test_the_attempt_table_refuses_a_wrong_maker(changes: dict[str, object]) -> None:
    """On top of the machine's checks: a known maker, and an action exactly for the proctor."""
    rows = ATTEMPT_LIFECYCLE.rows
    assert rows == _checked_makers(rows)
    with pytest.raises(MachineError, match="'pause'"):
        _checked_makers((rows[0], attrs.evolve(rows[1], **changes)))  # type: ignore[arg-type]
