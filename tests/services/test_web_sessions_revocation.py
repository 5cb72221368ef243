# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every change of privileges ends the account's web sessions, in its own transaction (WEB-2).

Deactivation, a password change, a password reset and a role revocation:
each ends every live session of the account (another account's stay), and
a failure after the sessions were ended and before the commit leaves the
sessions live and the change unmade.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.errors import InvalidState, NotPermitted, StorageError
from examkit.identifiers import Brin, LocationCode
from examkit.org import InstitutionCode
from examkit.records import UnitOfWork
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    SignInHarness,
    Wiring,
    cheap_hasher,
)
from examkit.testing.conformance import make_institution
from examkit.websessions import revoke_web_sessions

pytestmark = pytest.mark.req("WEB-2")

L00 = LocationCode("22AB00")
IP = SignInHarness.IP
PASSWORD, NEW_PASSWORD = SignInHarness.PASSWORD, SignInHarness.NEW_PASSWORD


def live(kit: Examkit, token: str) -> bool:
    try:
        kit.web_sessions.resolve(token)
    except NotPermitted:
        return False
    return True


def fail_after_revoking(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the privilege change end the sessions in its transaction, then fail."""

    def revoke_then_fail(uow: UnitOfWork, account_id: str, *, now: datetime) -> int:
        assert revoke_web_sessions(uow, account_id, now=now) > 0
        raise StorageError("storage.failed")

    monkeypatch.setattr(f"{where}.revoke_web_sessions", revoke_then_fail)


# -- a password change and a reset (the sign-in harness) ---------------------------------


def two_sessions(harness: SignInHarness) -> tuple[str, str, str]:
    harness.add_account()
    harness.add_account("acc-2", "22AB.K.Ander", email="ander@school.nl")
    first, _ = harness.kit.web_sessions.start("acc-1")
    second, _ = harness.kit.web_sessions.start("acc-1")
    other, _ = harness.kit.web_sessions.start("acc-2")
    return first, second, other


def test_a_password_change_ends_every_session_of_the_account(any_harness: SignInHarness) -> None:
    kit = any_harness.kit
    first, second, other = two_sessions(any_harness)
    any_harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))
    fresh, _ = kit.web_sessions.start("acc-1")  # the portal signs the user in anew
    assert live(kit, fresh)


def test_a_password_reset_ends_every_session_of_the_account(any_harness: SignInHarness) -> None:
    kit = any_harness.kit
    first, second, other = two_sessions(any_harness)
    any_harness.password_reset.request_reset(SignInHarness.LOGIN_NAME, ip=IP)
    token = any_harness.link_token("auth.reset")
    any_harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP)
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))


def test_sign_out_everywhere_ends_every_web_session_too(any_harness: SignInHarness) -> None:
    kit = any_harness.kit
    first, second, other = two_sessions(any_harness)
    any_harness.profile.sign_out_everywhere("acc-1", ip=IP)
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))


def test_a_password_change_that_fails_keeps_the_sessions(
    any_harness: SignInHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = any_harness.kit
    first, second, _ = two_sessions(any_harness)
    before = any_harness.account().password
    fail_after_revoking(monkeypatch, "examkit.auth._common")
    with pytest.raises(StorageError):
        any_harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    monkeypatch.undo()
    assert live(kit, first)
    assert live(kit, second)
    assert before == any_harness.account().password


# -- deactivation and a role revocation (the administration) ------------------------------


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("web-roles"),
        audit=wiring.log,
        hasher=cheap_hasher("web-roles"),
    )
    kit.institutions.register(make_institution("22AB"))
    with kit.backend.begin() as uow:
        for account_id, login in (
            ("op", "examkit.servicedesk"),
            ("admin", "22AB.K.Beheerder"),
            ("planner", "22AB.P.Planner"),
            ("colleague", "22AB.P.Collega"),
        ):
            institutions = () if account_id == "op" else (Brin("22AB"),)
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(login),
                    first_name="Kim",
                    last_name=account_id.title(),
                    email=f"{account_id}@school.nl",
                    institutions=frozenset(cast("tuple[InstitutionCode, ...]", institutions)),
                )
            )
        uow.commit()
    kit.grants.install_operator("op")
    kit.grants.grant_administrator("op", "admin", at=[L00])
    kit.grants.grant_administrator("op", "admin", at=[L00], role="cito_lvs.administrator")
    for account in ("planner", "colleague"):
        kit.grants.grant_role("admin", account, "facet.planner", at=[L00])
    return kit


def planner_sessions(kit: Examkit) -> tuple[str, str, str]:
    first, _ = kit.web_sessions.start("planner")
    second, _ = kit.web_sessions.start("planner")
    other, _ = kit.web_sessions.start("colleague")
    return first, second, other


def test_deactivation_ends_every_session_of_the_account(kit: Examkit, wiring: Wiring) -> None:
    first, second, other = planner_sessions(kit)
    kit.users.deactivate("admin", "planner", application="facet")
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))
    with pytest.raises(NotPermitted):
        kit.web_sessions.start("planner")


def test_a_role_revocation_ends_every_session_of_the_account(kit: Examkit, wiring: Wiring) -> None:
    first, second, other = planner_sessions(kit)
    kit.grants.revoke_role("admin", "planner", "facet.planner", at=[L00])
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))
    (event,) = [e for e in wiring.audit.events if e.action == "roles.role.revoked"]
    assert "2" == event.details["web_sessions_revoked"]


def test_removing_a_user_who_left_ends_every_session_of_the_account(kit: Examkit) -> None:
    teacher = kit.users.add_user(
        "admin",
        application="cito_lvs",
        at=L00,
        login_name="22AB.T.Docent",
        first_name="Tom",
        last_name="Docent",
        email="tom@school.nl",
    ).id
    first, _ = kit.web_sessions.start(teacher)
    second, _ = kit.web_sessions.start(teacher)
    other, _ = kit.web_sessions.start("colleague")
    kit.users.remove_user("admin", teacher, application="cito_lvs", institution=Brin("22AB"))
    assert (False, False, True) == (live(kit, first), live(kit, second), live(kit, other))


def test_a_deactivation_that_fails_keeps_the_sessions_and_the_account(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _ = planner_sessions(kit)
    fail_after_revoking(monkeypatch, "examkit.auth._sign_out")
    with pytest.raises(StorageError):
        kit.users.deactivate("admin", "planner", application="facet")
    monkeypatch.undo()
    assert live(kit, first)
    assert live(kit, second)
    with kit.backend.begin(readonly=True) as uow:
        assert AccountStatus.ACTIVE is uow.accounts.get("planner").status


def test_a_role_revocation_that_fails_keeps_the_sessions_and_the_grant(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _ = planner_sessions(kit)
    fail_after_revoking(monkeypatch, "examkit.roles._grants")
    with pytest.raises(StorageError):
        kit.grants.revoke_role("admin", "planner", "facet.planner", at=[L00])
    monkeypatch.undo()
    assert live(kit, first)
    assert live(kit, second)
    assert kit.permissions.actor("planner").may("facet.sessions.plan", L00)


def test_a_role_granted_asks_the_sessions_for_a_renewal(kit: Examkit) -> None:
    first, _, other = planner_sessions(kit)
    kit.grants.grant_role("admin", "planner", "facet.proctor", at=[L00])
    with pytest.raises(InvalidState) as refused:
        kit.web_sessions.resolve(first)
    assert "websessions.session.renew_required" == refused.value.code
    renewed = kit.web_sessions.renew(first)
    assert live(kit, renewed)
    assert live(kit, other)
