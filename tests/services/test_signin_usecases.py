# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The sign-in's use cases as small units: wired from the ports, audited with their change."""

from __future__ import annotations

from datetime import datetime

import pytest

from examkit.auth import (
    PasswordReset,
    Profile,
    SignInHousekeeping,
    SignInMonitor,
    StaffSignIn,
    Step,
)
from examkit.auth._common import revoke_after_password_change
from examkit.errors import LimitReached, StorageError
from examkit.records import UnitOfWork
from examkit.testing import SignInHarness as Harness
from examkit.testing import make_kit

IP = Harness.IP
PASSWORD = Harness.PASSWORD
NEW_PASSWORD = Harness.NEW_PASSWORD


@pytest.mark.req("PLAT-2")
def test_the_kit_offers_each_sign_in_use_case_class_on_its_one_ports_value() -> None:
    """Five plain attributes of the kit, each made from ``kit.ports`` and the sign-in's rules."""
    kit = make_kit()
    for use_cases, kind in (
        (kit.staff_sign_in, StaffSignIn),
        (kit.sign_in_monitor, SignInMonitor),
        (kit.password_reset, PasswordReset),
        (kit.profile, Profile),
        (kit.sign_in_housekeeping, SignInHousekeeping),
    ):
        assert isinstance(use_cases, kind)
        assert kit.ports is use_cases.ports
        assert kit.sign_in_rules is use_cases.rules


@pytest.mark.req("PLAT-2")
@pytest.mark.req("AUTH-7")
def test_a_password_change_that_fails_before_its_commit_leaves_neither_change_nor_event(
    any_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change and its audit event are one transaction; the failure is audited on its own."""
    harness = any_harness
    harness.add_account()

    def revoke_then_fail(uow: UnitOfWork, account_id: str, now: datetime) -> int:
        revoke_after_password_change(uow, account_id, now)
        raise StorageError("storage.failed")

    monkeypatch.setattr("examkit.auth._profile.revoke_after_password_change", revoke_then_fail)
    with pytest.raises(StorageError):
        harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    monkeypatch.undo()

    assert Step.SIGNED_IN == harness.sign_in(password=PASSWORD).step  # the old one still works
    changed = harness.events("auth.password.changed")
    assert [("failure", "storage.failed")] == [
        (event.outcome, event.details.get("reason")) for event in changed
    ]
    assert "acc-1" == changed[0].actor


@pytest.mark.req("PLAT-2")
@pytest.mark.req("AUTH-3")
def test_a_refused_request_for_a_new_code_changes_nothing_and_is_audited_on_its_own(
    any_harness: Harness,
) -> None:
    """Past the cap the request is refused, nothing is mailed, and its refusal is one event."""
    harness = any_harness
    harness.add_account()
    progress = harness.at_code()
    for _ in range(harness.staff_sign_in.rules.new_codes):
        harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    sent = len(harness.mailer.outbox)
    with pytest.raises(LimitReached):
        harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)

    assert sent == len(harness.mailer.outbox)
    (refused,) = harness.events("auth.code.new")
    assert ("acc-1", "account:acc-1", "failure", "auth.code.new_limit") == (
        refused.actor,
        refused.subject,
        refused.outcome,
        refused.details.get("reason"),
    )
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP).step
    )
