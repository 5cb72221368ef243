# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A hypothesis state machine: random lifecycle moves by random accounts.

The model below is written independently of ``GROUP_LIFECYCLE``, from seeds
002 and 004: which account may make which move, and which moves each state
allows. Every refused move raises the right error and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from examkit.errors import NotPermitted
from examkit.scheduling import GroupState, TransitionNotAllowed
from examkit.testing import ManualClock
from examkit.testing.sessions import (
    START,
    add_candidates,
    make_session_kit,
    plan_group,
)

S = GroupState
MOVES = {
    (S.PLANNED, "release"): S.RELEASED,
    (S.RELEASED, "block"): S.BLOCKED,
    (S.BLOCKED, "release"): S.RELEASED,
    (S.RELEASED, "close"): S.CLOSED,
    (S.BLOCKED, "close"): S.CLOSED,
    (S.CLOSED, "release_for_correction"): S.RELEASED_FOR_CORRECTION,
    (S.RELEASED_FOR_CORRECTION, "close_correction"): S.CORRECTION_CLOSED,
    (S.CORRECTION_CLOSED, "publish_results"): S.RESULTS_PUBLISHED,
    (S.RESULTS_PUBLISHED, "open_review"): S.REVIEW_OPEN,
    (S.RESULTS_PUBLISHED, "archive"): S.ARCHIVED,
    (S.REVIEW_OPEN, "archive"): S.ARCHIVED,
    (S.PLANNED, "cancel"): S.CANCELLED,
}
WHO = {
    "release": {"proctor"},
    "block": {"proctor"},
    "close": {"proctor"},
    "release_for_correction": {"planner"},
    "close_correction": {"corrector", "corrector2"},
    "publish_results": {"planner"},
    "open_review": {"planner"},
    "archive": {"planner"},
    "cancel": {"planner"},
}
ACCOUNTS = sorted(
    {"planner", "proctor", "corrector", "corrector2", "administrator", "fao", "elsewhere"}
)


class LifecycleMachine(RuleBasedStateMachine):
    """One group, moved at random; the model says what must happen."""

    @initialize()
    def plan(self) -> None:
        self.kit = make_session_kit(ManualClock(START - timedelta(minutes=5)))
        self.group_id = plan_group(self.kit, add_candidates(self.kit, 1))
        self.kit.session_reports.write_report("proctor", self.group_id, completed=True)
        self.state = S.PLANNED
        self.moves = 0

    @rule(event=st.sampled_from(sorted(WHO)), account=st.sampled_from(ACCOUNTS))
    def move(self, event: str, account: str) -> None:
        before = self.kit.planning.group(self.group_id)
        who = account
        if account not in WHO[event]:
            with pytest.raises(NotPermitted):
                self.kit.group_lifecycle.transition(who, self.group_id, event)
        elif (self.state, event) not in MOVES:
            with pytest.raises(TransitionNotAllowed):
                self.kit.group_lifecycle.transition(who, self.group_id, event)
        else:
            after = self.kit.group_lifecycle.transition(who, self.group_id, event)
            self.state = MOVES[(self.state, event)]
            self.moves += 1
            assert self.state == after.state
            assert before.version + 1 == after.version
            return
        assert before == self.kit.planning.group(self.group_id)
        assert before.version == self.kit.planning.group(self.group_id).version

    @invariant()
    def stored_state_and_log_agree_with_the_model(self) -> None:
        group = self.kit.planning.group(self.group_id)
        assert self.state == group.state
        assert self.moves == len(group.log)
        live = self.state in {S.RELEASED, S.BLOCKED}
        assert live == (group.access_code is not None)


TestLifecycleMachine = LifecycleMachine.TestCase
TestLifecycleMachine.settings = settings(max_examples=25, stateful_step_count=15, deadline=None)
pytestmark = pytest.mark.req("SCH-3", "SCH-6")
