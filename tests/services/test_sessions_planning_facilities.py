# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Planning a group with its candidates' facilities in one unit of work (issue 23).

``kit.planning.plan(..., facilities=...)`` stores the new facilities with
the group: the library's checks read them, the attempts take their extra
time, each change is audited with the plan, and a refused plan stores
none of them. Run on the doubles and on the production wiring (memory, an
SQLite file).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest

from examkit import Examkit
from examkit.errors import ExamkitError, InvalidInput, NotFound, NotPermitted
from examkit.scheduling import Candidate, Facilities, Mode
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import (
    EXAM,
    FT_EXAM,
    L00,
    START,
    add_candidates,
    make_session_kit,
    plan_group,
)

FACILITIES = "sessions.candidate.facilities"
"""The audit action of a candidate's changed facilities."""


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return make_session_kit(ManualClock(START - timedelta(days=2)), wiring.log, wiring.backend)


def plan(
    kit: Examkit,
    people: list[Candidate],
    facilities: Mapping[str, Any] | None,
    **changed: Any,
) -> str:
    """Plan an online group of *people* at :data:`START` plus three hours; return its id."""
    fields: dict[str, Any] = {
        "location": L00,
        "exam": EXAM.code,
        "mode": Mode.ONLINE,
        "starts_at": START + timedelta(hours=3),
        "room": "Aula",
        "proctor": "proctor",
        "candidates": [p.id for p in people],
    }
    fields.update(changed)
    actor = fields.pop("actor", "planner")
    return kit.planning.plan(actor, **fields, facilities=facilities).id


def stored_facilities(kit: Examkit, people: list[Candidate]) -> list[Facilities]:
    return [kit.candidates.candidate(p.id).facilities for p in people]


@pytest.mark.req("SCH-1", "SCH-2")
def test_the_facilities_are_stored_with_the_group_and_each_change_audited(
    kit: Examkit, wiring: Wiring
) -> None:
    """The attempts take the new extra time; an unchanged entry stores and audits nothing."""
    people = add_candidates(kit, 3, extra=10)
    wanted = {
        people[0].id: Facilities(extra_time_minutes=10),  # as stored: no change
        people[1].id: Facilities(extra_time_minutes=30, read_aloud=True),
    }
    before = len(wiring.audit.events)
    group = plan(kit, people, wanted)
    expected = [
        Facilities(extra_time_minutes=10),
        Facilities(extra_time_minutes=30, read_aloud=True),
        Facilities(),
    ]
    assert expected == stored_facilities(kit, people)
    by_candidate = {a.candidate: a.extra_time_minutes for a in kit.planning.attempts(group)}
    assert {people[0].id: 10, people[1].id: 30, people[2].id: 0} == by_candidate
    events = wiring.audit.events[before:]
    assert [
        (FACILITIES, f"candidate:{people[1].id}", "success", {"extra_time": "30"}),
        ("sessions.group.planned", f"session_group:{group}", "success", {}),
    ] == [(e.action, e.subject, e.outcome, dict(e.details)) for e in events]
    assert {"planner"} == {e.actor for e in events}


def refused_by_room(kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]) -> None:
    plan(kit, people, wanted, room="")


def refused_by_central_maximum(
    kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]
) -> None:
    plan(kit, people, {**wanted, people[1].id: Facilities(extra_time_minutes=31)})


def refused_by_overlap(kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]) -> None:
    # The first candidate's group ends at START + 2 hours; with the new 20 minutes extra
    # time their time there runs into this group's, which starts ten minutes after it.
    plan(kit, people, wanted, starts_at=START + timedelta(hours=2, minutes=10))


def refused_by_proctor(kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]) -> None:
    plan(kit, people, wanted, proctor="corrector")


def refused_outside_the_group(
    kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]
) -> None:
    plan(kit, people[:1], wanted)


def refused_by_no_facilities(
    kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]
) -> None:
    plan(kit, people, {**wanted, people[1].id: {"extra_time_minutes": 5}})


def refused_to_the_ft_planner(
    kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]
) -> None:
    # The FT planner plans a functionality-test group, but changes no one's facilities.
    plan(kit, people, wanted, actor="ft_planner", exam=FT_EXAM.code, proctor="ft_proctor")


def refused_for_an_unknown_candidate(
    kit: Examkit, people: list[Candidate], wanted: Mapping[str, Any]
) -> None:
    plan(
        kit,
        people,
        {**wanted, "c-unknown": Facilities()},
        candidates=[*(p.id for p in people), "c-unknown"],
    )


REFUSALS: dict[str, tuple[Callable[..., None], type[ExamkitError], str]] = {
    "room": (refused_by_room, InvalidInput, "input.required"),
    "central maximum": (refused_by_central_maximum, InvalidInput, "sessions.group.extra_time"),
    "overlap": (refused_by_overlap, InvalidInput, "sessions.group.overlap"),
    "proctor": (refused_by_proctor, InvalidInput, "sessions.group.proctor"),
    "outside": (refused_outside_the_group, InvalidInput, "sessions.group.facilities_outside"),
    "not facilities": (refused_by_no_facilities, InvalidInput, "input.invalid"),
    "ft planner": (refused_to_the_ft_planner, NotPermitted, "permission.denied"),
    "unknown candidate": (refused_for_an_unknown_candidate, NotFound, "storage.not_found"),
}


@pytest.mark.req("SCH-1", "SCH-2")
@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_plan_leaves_every_candidate_s_facilities_unchanged(
    kit: Examkit, wiring: Wiring, case: str
) -> None:
    """Whichever check refuses, with the facilities given: no group, no change, one event."""
    refuse, kind, code = REFUSALS[case]
    people = add_candidates(kit, 2)
    plan_group(kit, people[:1])  # at START, two hours
    wanted = {
        people[0].id: Facilities(extra_time_minutes=20, enlarged_print=True),
        people[1].id: Facilities(spelling_aid=True),
    }
    before = [kit.candidates.candidate(p.id) for p in people]
    groups = kit.planning.planned_groups("planner", L00).items
    seen = len(wiring.audit.events)
    with pytest.raises(kind) as refused:
        refuse(kit, people, wanted)
    assert code == refused.value.code
    assert before == [kit.candidates.candidate(p.id) for p in people]
    assert groups == kit.planning.planned_groups("planner", L00).items
    outcome = "denied" if kind is NotPermitted else "failure"
    assert [("sessions.group.plan", outcome, code)] == [
        (e.action, e.outcome, e.details.get("reason")) for e in wiring.audit.events[seen:]
    ]
