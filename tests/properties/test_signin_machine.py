# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Random sequences of sign-in steps: no step is reachable out of order, nothing changes on refusal.

The model knows, per transaction, the step it waits at and when it lapses,
and per account which password is current and whether it must be replaced.
Any action on any transaction, with right or wrong input, at any time, must
do what the model says: move on, or be refused and change nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from examkit.auth import Action, SignInProgress, SignInRules, Step
from examkit.errors import (
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.testing import SignInHarness

ACCOUNTS = {
    "22AB.EersteKeer": "initial",  # an e-mailed initial password
    "22AB.Gewoon": "chosen",  # a chosen password
    "22AB.Verlopen": "expired",  # a chosen password set over a year ago
}
IP = SignInHarness.IP
# Caps so high that only the order of the steps can refuse a right input.
RULES = SignInRules(
    max_failures=10_000, code_entries=10_000, account_code_entries=10_000, new_codes=10_000
)
_RUN = re.compile(r"(.)\1\1")


def fresh_passwords() -> list[str]:
    """Passwords that meet the facet rules, never used before, in order."""
    found = []
    for number in range(1, 2000):
        candidate = f"Nieuw-{number}x"
        if not _RUN.search(candidate):
            found.append(candidate)
    return found


class SignInMachine(RuleBasedStateMachine):
    """Any action on any transaction at any time; the model says what must happen."""

    transactions = Bundle("transactions")

    def __init__(self) -> None:
        super().__init__()
        self.h = SignInHarness(rules=RULES)
        self.passwords = fresh_passwords()
        self.current: dict[str, str] = {}
        self.must_change: dict[str, bool] = {}
        start = self.h.clock.now()
        for number, (login, kind) in enumerate(ACCOUNTS.items()):
            set_at = start - timedelta(days=366) if kind == "expired" else start
            _, password = self.h.add_account(
                f"acc-{number}",
                login,
                initial=kind == "initial",
                password=self.passwords.pop(0),
                set_at=set_at,
                email=f"gebruiker{number}@school.nl",
            )
            self.current[login] = password
            self.must_change[login] = kind == "initial"
        self.email = {login: f"gebruiker{n}@school.nl" for n, login in enumerate(ACCOUNTS)}
        self.step: dict[str, Step | None] = {}
        self.expires: dict[str, datetime] = {}
        self.login_of: dict[str, str] = {}
        self.code: dict[str, str] = {}
        self.set_at: dict[str, datetime] = {
            login: start - timedelta(days=366) if kind == "expired" else start
            for login, kind in ACCOUNTS.items()
        }

    # -- the model ---------------------------------------------------------------------

    def expected_first_step(self, login: str) -> Step:
        if self.h.clock.now() >= self.set_at[login] + timedelta(days=365):
            return Step.CHANGE_EXPIRED_PASSWORD
        if self.must_change[login]:
            return Step.CHANGE_PASSWORD
        return Step.SECOND_FACTOR

    def alive(self, transaction: str) -> bool:
        step = self.step.get(transaction)
        return step is not None and self.h.clock.now() < self.expires[transaction]

    def moved(self, transaction: str, step: Step, expires: datetime) -> None:
        self.step[transaction] = step
        self.expires[transaction] = expires
        if step is Step.SECOND_FACTOR:
            self.code[transaction] = self.h.code(self.email[self.login_of[transaction]])

    def changed_password(self, login: str, password: str) -> None:
        self.current[login] = password
        self.must_change[login] = False
        self.set_at[login] = self.h.clock.now()

    # -- the rules ---------------------------------------------------------------------

    @rule(target=transactions, login=st.sampled_from(sorted(ACCOUNTS)), right=st.booleans())
    def submit_credentials(self, login: str, right: bool) -> object:
        """Sign in with the right or a wrong password."""
        password = self.current[login] if right else "Fout-2026!"
        if not right:
            with pytest.raises(NotPermitted):
                self.h.staff_sign_in.submit_credentials(login, password, ip=IP)
            return multiple()
        expected = self.expected_first_step(login)
        progress = self.h.staff_sign_in.submit_credentials(login, password, ip=IP)
        assert expected == progress.step
        self.login_of[progress.transaction] = login
        self.moved(progress.transaction, progress.step, progress.expires_at)
        return progress.transaction

    @rule(transaction=transactions, action=st.sampled_from(Action), right=st.booleans())
    def act(self, transaction: str, action: Action, right: bool) -> None:
        """Take any action on any transaction, with right or wrong input."""
        login = self.login_of[transaction]
        before = self.step.get(transaction)
        if action is Action.SUBMIT_CREDENTIALS:
            return  # not an action on a transaction; covered by submit_credentials
        if not self.alive(transaction):
            self.step[transaction] = None
            with pytest.raises(NotFound):
                self.perform(transaction, login, action, right)
            return
        assert before is not None
        allowed = {
            Step.CHANGE_PASSWORD: {Action.CHANGE_PASSWORD},
            Step.CHANGE_EXPIRED_PASSWORD: {Action.CHANGE_EXPIRED_PASSWORD},
            Step.SECOND_FACTOR: {Action.SUBMIT_CODE, Action.REQUEST_NEW_CODE},
        }[before]
        if action not in allowed:
            with pytest.raises(InvalidState):
                self.perform(transaction, login, action, right)
            assert before == self.h.staff_sign_in.progress(transaction).step
            return
        if not right and action is not Action.REQUEST_NEW_CODE:
            refusals = {
                Action.CHANGE_PASSWORD: ExamkitErrorGroup,
                Action.CHANGE_EXPIRED_PASSWORD: NotPermitted,
                Action.SUBMIT_CODE: InvalidInput,
            }
            with pytest.raises(refusals[action]):
                self.perform(transaction, login, action, right)
            assert before == self.h.staff_sign_in.progress(transaction).step
            return
        progress = self.perform(transaction, login, action, right)
        if action is Action.SUBMIT_CODE:
            assert Step.SIGNED_IN == progress.step
            self.step[transaction] = None
        else:
            assert Step.SECOND_FACTOR == progress.step
            self.moved(transaction, progress.step, progress.expires_at)

    def perform(self, transaction: str, login: str, action: Action, right: bool) -> SignInProgress:
        staff_sign_in = self.h.staff_sign_in
        if action is Action.CHANGE_PASSWORD:
            new = self.passwords[0] if right else "kort"
            result = staff_sign_in.change_password(transaction, new, ip=IP)
            self.passwords.pop(0)
            self.changed_password(login, new)
            return result
        if action is Action.CHANGE_EXPIRED_PASSWORD:
            old = self.current[login] if right else "Fout-2026!"
            new = self.passwords[0]
            result = staff_sign_in.change_expired_password(transaction, old, new, ip=IP)
            self.passwords.pop(0)
            self.changed_password(login, new)
            return result
        if action is Action.SUBMIT_CODE:
            known = self.code.get(transaction, "000000")
            code = known if right else ("000000" if known != "000000" else "111111")
            return staff_sign_in.submit_code(transaction, code, ip=IP)
        return staff_sign_in.request_new_code(transaction, ip=IP)

    @rule(minutes=st.sampled_from([1, 7, 14, 16]))
    def wait(self, minutes: int) -> None:
        """Let time pass (transactions lapse 15 minutes after their last step)."""
        self.h.clock.advance(minutes=minutes)

    @invariant()
    def every_live_transaction_is_where_the_model_says(self) -> None:
        for transaction, step in self.step.items():
            if step is not None and self.alive(transaction):
                assert step == self.h.staff_sign_in.progress(transaction).step


TestSignInMachine = SignInMachine.TestCase
TestSignInMachine.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
pytestmark = pytest.mark.req("AUTH-2", "AUTH-3", "AUTH-7")
