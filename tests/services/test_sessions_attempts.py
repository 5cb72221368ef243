# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Attempts: deadlines with extra time, responses saved idempotently, the proctor's actions."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from examkit import Examkit
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import Attempt, AttemptState, TransitionNotAllowed, deadline_of
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


def started(kit: Examkit, count: int = 1, extra: int = 0) -> tuple[str, list[str], str]:
    """Plan and release a group; return its id, the candidates' ids and the access code."""
    people = add_candidates(kit, count, extra=extra)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    return group_id, [p.id for p in people], code


def attempt_of(kit: Examkit, group_id: str, candidate: str) -> Attempt:
    return kit.sitting.attempt(group_id, candidate)


def login_of(kit: Examkit, candidate: str) -> str:
    return kit.candidates.candidate(candidate).login_name


@pytest.mark.req("SCH-4")
def test_the_deadline_is_start_plus_duration_plus_extra_time_capped_by_the_group_end() -> None:
    """Starting late never runs past the group's end plus the candidate's own extra time."""
    end = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
    duration, extra = timedelta(minutes=120), timedelta(minutes=30)
    on_time = end - duration
    assert end + extra == deadline_of(on_time, duration, extra, end)
    early = on_time - timedelta(minutes=5)
    assert early + duration + extra == deadline_of(early, duration, extra, end)
    late = on_time + timedelta(minutes=20)
    assert end + extra == deadline_of(late, duration, extra, end)
    assert end == deadline_of(late, duration, timedelta(0), end)


@pytest.mark.req("SCH-4")
def test_the_deadline_is_fixed_when_the_attempt_starts(kit: Examkit, clock: ManualClock) -> None:
    """A candidate with 30 minutes extra who starts 20 minutes late ends at 11:30 local time."""
    _, (candidate,), code = started(kit, extra=30)
    clock.set(START + timedelta(minutes=20))
    attempt = kit.sitting.sign_in(login_of(kit, candidate), code).attempt
    assert START + timedelta(minutes=150) == attempt.deadline
    assert clock.now() == attempt.started_at


@pytest.mark.req("SCH-4", "SCH-7")
def test_responses_are_saved_idempotently_and_the_last_save_per_item_counts(
    kit: Examkit, clock: ManualClock
) -> None:
    """A resend or an older save arriving late changes nothing; a newer save replaces."""
    group_id, (candidate,), code = started(kit)
    key = kit.sitting.sign_in(login_of(kit, candidate), code).key
    save = functools.partial(kit.sitting.save_response, key=key)
    first = save(group_id, candidate, "q1", {"choice": ["A"]}, sequence=1)
    assert (True, 1) == (first.stored, first.last_sequence)
    stored = attempt_of(kit, group_id, candidate)
    again = save(group_id, candidate, "q1", {"choice": ["A"]}, sequence=1)
    assert (False, 1) == (again.stored, again.last_sequence)
    assert stored.version == attempt_of(kit, group_id, candidate).version
    clock.advance(minutes=5)
    save(group_id, candidate, "q2", {"value": "3,5"}, sequence=3)
    late = save(group_id, candidate, "q1", {"choice": ["B"]}, sequence=2)
    assert (False, 3) == (late.stored, late.last_sequence)
    assert {"choice": ["A"]} == attempt_of(kit, group_id, candidate).responses["q1"].value
    newest = save(group_id, candidate, "q1", {"choice": ["C"]}, sequence=4)
    saved = attempt_of(kit, group_id, candidate)
    assert (True, 4, saved.deadline) == (newest.stored, newest.last_sequence, newest.deadline)
    assert saved.deadline is not None
    assert 4 == saved.last_sequence
    assert {"q1": ({"choice": ["C"]}, 4), "q2": ({"value": "3,5"}, 3)} == {
        item: (response.value, response.sequence) for item, response in saved.responses.items()
    }
    with pytest.raises(InvalidInput) as caught:
        save(group_id, candidate, "q9", "x", sequence=5)
    assert "sessions.response.item" == caught.value.code
    with pytest.raises(InvalidInput):
        save(group_id, candidate, "q1", "x", sequence=0)


@pytest.mark.req("SCH-4", "SCH-7")
def test_nothing_is_accepted_after_submission_or_after_the_deadline(
    kit: Examkit, clock: ManualClock
) -> None:
    """Saves after handing in or after the deadline are refused: they change only the count."""
    group_id, (first, second), code = started(kit, count=2)
    first_key = kit.sitting.sign_in(login_of(kit, first), code).key
    second_key = kit.sitting.sign_in(login_of(kit, second), code).key
    kit.sitting.save_response(group_id, first, "q1", "A", sequence=1, key=first_key)
    kit.sitting.submit(group_id, first, key=first_key)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.save_response(group_id, first, "q2", "B", sequence=2, key=first_key)
    assert "sessions.response.not_in_progress" == caught.value.code
    clock.set(START + timedelta(minutes=120))
    before = kit.planning.attempts(group_id)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.save_response(group_id, second, "q1", "A", sequence=1, key=second_key)
    assert "sessions.response.deadline" == caught.value.code
    counted = {second: 1}
    assert [
        attrs.evolve(a, late_saves=counted.get(a.candidate, a.late_saves)) for a in before
    ] == list(kit.planning.attempts(group_id))
    assert AttemptState.TIMED_OUT == kit.sitting.submit(group_id, second, key=second_key).state


@pytest.mark.req("SCH-4")
def test_the_proctor_pauses_resumes_and_ends_with_a_reason(kit: Examkit) -> None:
    """Pause, resume, terminate (reason required); all logged with the proctor's id."""
    group_id, (candidate,), code = started(kit)
    proctor = "proctor"
    key = kit.sitting.sign_in(login_of(kit, candidate), code).key
    paused = kit.proctoring.intervene(proctor, group_id, candidate, "pause")
    assert AttemptState.PAUSED == paused.state
    with pytest.raises(InvalidState):
        kit.sitting.save_response(group_id, candidate, "q1", "A", sequence=1, key=key)
    with pytest.raises(TransitionNotAllowed):
        kit.proctoring.intervene(proctor, group_id, candidate, "pause")
    kit.proctoring.intervene(proctor, group_id, candidate, "resume")
    with pytest.raises(InvalidInput):
        kit.proctoring.intervene(proctor, group_id, candidate, "terminate")
    ended = kit.proctoring.intervene(proctor, group_id, candidate, "terminate", reason="fraude")
    assert (AttemptState.TERMINATED, "fraude") == (ended.state, ended.end_reason)
    assert [("start", None), ("pause", "proctor"), ("resume", "proctor")] == [
        (e.event, e.actor) for e in ended.log[:3]
    ]
    with pytest.raises(NotPermitted):
        kit.proctoring.intervene("planner", group_id, candidate, "reactivate")


@pytest.mark.req("SCH-4")
def test_a_finished_attempt_is_reactivated_only_while_the_group_is_released(
    kit: Examkit, clock: ManualClock
) -> None:
    """Reactivation reopens a submitted attempt with at least the minutes given."""
    group_id, (candidate,), code = started(kit)
    proctor = "proctor"
    key = kit.sitting.sign_in(login_of(kit, candidate), code).key
    kit.sitting.submit(group_id, candidate, key=key)
    kit.group_lifecycle.block(proctor, group_id)
    with pytest.raises(InvalidState) as caught:
        kit.proctoring.intervene(proctor, group_id, candidate, "reactivate")
    assert "sessions.attempt.reactivate_released" == caught.value.code
    kit.group_lifecycle.release(proctor, group_id)
    clock.set(START + timedelta(minutes=125))
    reopened = kit.proctoring.intervene(proctor, group_id, candidate, "reactivate", minutes=10)
    assert AttemptState.IN_PROGRESS == reopened.state
    assert clock.now() + timedelta(minutes=10) == reopened.deadline
    assert reopened.ended_at is None
    kit.sitting.save_response(group_id, candidate, "q3", "Een open antwoord", sequence=1, key=key)
