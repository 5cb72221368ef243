# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A hypothesis state machine: a candidate's attempt under random moves by candidate and proctor.

The model is written from the issue's words, independently of
``ATTEMPT_LIFECYCLE``: the candidate starts by signing in, answers while in
progress and before the deadline, and hands in; the proctor pauses,
resumes, ends with a reason and reactivates a finished attempt while the
group is released. Refused moves raise and change nothing, but for one: a
save by the candidate who signed in, once their test is over (handed in,
timed out or ended), is refused and counted as a late save (issue 23).
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from examkit.errors import ExamkitError
from examkit.scheduling import Attempt, AttemptState
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

A = AttemptState
PROCTOR_MOVES = {
    "pause": ({A.IN_PROGRESS}, A.PAUSED),
    "resume": ({A.PAUSED}, A.IN_PROGRESS),
    "terminate": ({A.REGISTERED, A.IN_PROGRESS, A.PAUSED}, A.TERMINATED),
    "reactivate": ({A.SUBMITTED, A.TIMED_OUT, A.TERMINATED}, A.IN_PROGRESS),
}
OVER = {A.SUBMITTED, A.TIMED_OUT, A.TERMINATED}
"""The states in which a signed-in candidate's save is late: refused and counted."""


class AttemptMachine(RuleBasedStateMachine):
    """One candidate in a released group."""

    @initialize()
    def start_day(self) -> None:
        self.clock = ManualClock(START - timedelta(minutes=5))
        self.kit = make_session_kit(self.clock)
        (self.person,) = add_candidates(self.kit, 1)
        self.group = plan_group(self.kit, [self.person])
        self.proctor = "proctor"
        self.code = self.kit.group_lifecycle.release(self.proctor, self.group).access_code
        self.state = A.REGISTERED
        self.sequence = 0
        self.answers = 0
        self.late = 0
        self.key = ""  # a save or hand-in before signing in has no key

    def _attempt(self) -> Attempt:
        return self.kit.planning.attempts(self.group)[0]

    @rule()
    def sign_in(self) -> None:
        before = self._attempt()
        assert self.code is not None
        if self.state is A.REGISTERED:
            signed_in = self.kit.sitting.sign_in(self.person.login_name, self.code)
            assert A.IN_PROGRESS == signed_in.attempt.state
            self.key = signed_in.key
            self.state = A.IN_PROGRESS
            return
        with pytest.raises(ExamkitError):
            self.kit.sitting.sign_in(self.person.login_name, self.code)
        assert before == self._attempt()

    @rule(event=st.sampled_from(sorted(PROCTOR_MOVES)))
    def proctor_acts(self, event: str) -> None:
        sources, target = PROCTOR_MOVES[event]
        before = self._attempt()
        if self.state in sources:
            moved = self.kit.proctoring.intervene(
                self.proctor, self.group, self.person.id, event, reason="reden", minutes=30
            )
            self.state = target
            assert target == moved.state
            return
        with pytest.raises(ExamkitError):
            self.kit.proctoring.intervene(
                self.proctor, self.group, self.person.id, event, reason="reden"
            )
        assert before == self._attempt()

    @rule()
    def answer(self) -> None:
        self.sequence += 1
        if self.state is A.IN_PROGRESS and self.key:  # only the candidate who signed in
            self.kit.sitting.save_response(
                self.group,
                self.person.id,
                "q1",
                self.sequence,
                sequence=self.sequence,
                key=self.key,
            )
            self.answers = self.sequence
            return
        before = self._attempt()
        with pytest.raises(ExamkitError):
            self.kit.sitting.save_response(
                self.group,
                self.person.id,
                "q1",
                self.sequence,
                sequence=self.sequence,
                key=self.key,
            )
        if self.key and self.state in OVER:
            self.late += 1
            assert attrs.evolve(before, late_saves=self.late) == self._attempt()
        else:
            assert before == self._attempt()

    @rule()
    def hand_in(self) -> None:
        if self.state is A.IN_PROGRESS and self.key:
            submitted = self.kit.sitting.submit(self.group, self.person.id, key=self.key)
            assert A.SUBMITTED == submitted.state
            self.state = A.SUBMITTED
            return
        with pytest.raises(ExamkitError):
            self.kit.sitting.submit(self.group, self.person.id, key=self.key)

    @invariant()
    def stored_attempt_agrees_with_the_model(self) -> None:
        attempt = self.kit.planning.attempts(self.group)[0]
        assert (self.state, self.late) == (attempt.state, attempt.late_saves)
        if self.answers:
            assert self.answers == attempt.responses["q1"].value


TestAttemptMachine = AttemptMachine.TestCase
TestAttemptMachine.settings = settings(max_examples=20, stateful_step_count=15, deadline=None)
pytestmark = pytest.mark.req("SCH-4", "SCH-7")
