# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A group held by its offline server is read-only centrally, use case by use case (SCH-7).

Each central use case that would change the group or its attempts is named
here on its own (not taken from a table the code uses): while the group is
held it refuses with ``offline.group.held`` and changes nothing; once the
hold ends the same call works.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest
from tests.offline.central.conftest import Room, offline_room

from examkit import Examkit
from examkit.errors import InvalidState
from examkit.scheduling import CandidateSession, Incident
from examkit.testing import ManualClock
from examkit.testing.sessions import START


@attrs.frozen
class Sitting:
    """A released offline group whose first candidate signed in, then handed over."""

    room: Room
    session: CandidateSession
    login: str
    code: str


@pytest.fixture
def sitting(kit: Examkit, clock: ManualClock) -> Sitting:
    room = offline_room(kit, 2)
    clock.set(START)
    kit.group_lifecycle.release("proctor", room.group)
    code = kit.group_lifecycle.access_code("proctor", room.group)
    first, second = kit.planning.attempts(room.group)
    session = kit.sitting.sign_in(first.login_name, code)
    kit.offline_sync.hand_over("planner", room.group)
    return Sitting(room, session, second.login_name, code)


def _key(s: Sitting) -> str:
    return s.session.key


CALLS: dict[str, Callable[[Examkit, Sitting], object]] = {
    "lifecycle.block": lambda kit, s: kit.group_lifecycle.block("proctor", s.room.group),
    "lifecycle.close": lambda kit, s: kit.group_lifecycle.close("proctor", s.room.group),
    "lifecycle.cancel (planning)": lambda kit, s: kit.group_lifecycle.transition(
        "planner", s.room.group, "cancel"
    ),
    "lifecycle.assign_correctors (planning)": lambda kit, s: kit.group_lifecycle.assign_correctors(
        "planner", s.room.group, first="corrector2"
    ),
    "proctoring.intervene": lambda kit, s: kit.proctoring.intervene(
        "proctor", s.room.group, s.room.candidates[0], "pause"
    ),
    "proctoring.extend_time": lambda kit, s: kit.proctoring.extend_time(
        "proctor", s.room.group, s.room.candidates[0], minutes=5
    ),
    "proctoring.allow_reentry": lambda kit, s: kit.proctoring.allow_reentry(
        "proctor", s.room.group, s.room.candidates[0]
    ),
    "sitting.sign_in": lambda kit, s: kit.sitting.sign_in(s.login, s.code),
    "sitting.save_response": lambda kit, s: kit.sitting.save_response(
        s.room.group, s.room.candidates[0], "q1", "A", sequence=1, key=_key(s)
    ),
    "sitting.open_page": lambda kit, s: kit.sitting.open_page(
        s.room.group, s.room.candidates[0], key=_key(s)
    ),
    "sitting.contact": lambda kit, s: kit.sitting.contact(
        s.room.group, s.room.candidates[0], key=_key(s)
    ),
    "sitting.submit": lambda kit, s: kit.sitting.submit(
        s.room.group, s.room.candidates[0], key=_key(s)
    ),
    "reports.write_report": lambda kit, s: kit.session_reports.write_report(
        "proctor", s.room.group, incidents=[Incident(at=START, text="Brandalarm")]
    ),
    "reports.add_remark": lambda kit, s: kit.session_reports.add_remark(
        "planner", s.room.group, "Gezien"
    ),
}


def snapshot(kit: Examkit, room: Room) -> tuple[int, tuple[int, ...]]:
    return (
        kit.planning.group(room.group).version,
        tuple(a.version for a in kit.planning.attempts(room.group)),
    )


@pytest.mark.req("SCH-7", "SCH-8")
@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_held_group_is_refused_and_nothing_changes(
    kit: Examkit, sitting: Sitting, clock: ManualClock, name: str
) -> None:
    clock.advance(timedelta(minutes=2))  # past the heartbeat interval: a contact would write
    before = snapshot(kit, sitting.room)
    with pytest.raises(InvalidState) as refused:
        CALLS[name](kit, sitting)
    assert "offline.group.held" == refused.value.code
    assert {"group": sitting.room.group, "server": sitting.room.server} == dict(
        refused.value.params
    )
    assert before == snapshot(kit, sitting.room)


@pytest.mark.req("SCH-7", "SCH-8")
@pytest.mark.parametrize(
    "name",
    ["proctoring.extend_time", "sitting.save_response", "reports.write_report", "lifecycle.block"],
)
def test_once_the_hold_ends_the_same_call_works(kit: Examkit, sitting: Sitting, name: str) -> None:
    with kit.backend.begin() as uow:
        group = uow.session_groups.get(sitting.room.group)
        uow.session_groups.update(attrs.evolve(group, held_by=None))
        uow.commit()
    before = snapshot(kit, sitting.room)
    CALLS[name](kit, sitting)
    assert before != snapshot(kit, sitting.room)
