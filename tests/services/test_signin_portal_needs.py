# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""What the reference portal needed from the sign-in (issue 22): reset by e-mail address, the
expiry warning on its pages.

Through the kit's own wiring (:class:`~examkit.testing.SignInHarness` over
``make_kit``), as a portal calls it.
"""

from __future__ import annotations

import pytest

from examkit.errors import NotFound
from examkit.testing import SignInHarness as Harness

IP = Harness.IP


@pytest.fixture
def harness() -> Harness:
    return Harness()


@pytest.mark.req("AUTH-8")
def test_a_reset_asked_for_by_e_mail_address_mails_each_active_account_with_it(
    harness: Harness,
) -> None:
    from examkit.accounts import AccountStatus

    harness.add_account()
    harness.add_account("acc-2", "22AB.J.Planner", email="k.beheerder@SCHOOL.nl")
    harness.add_account("acc-3", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
    answer = harness.password_reset.request_reset(" k.beheerder@School.NL ", ip=IP, lang="en")
    assert (
        "If the username is known, you will receive an e-mail with a link to set a new password."
        == answer
    )
    mailed = [(m.kind, m.to) for m in harness.mailer.outbox]
    assert [
        ("auth.reset", ("k.beheerder@school.nl",)),
        ("auth.reset", ("k.beheerder@school.nl",)),
    ] == mailed
    bodies = [m.body for m in harness.mailer.outbox]
    assert "22AB.J.Planner" in bodies[0]  # by login name
    assert "22AB.K.Beheerder" in bodies[1]
    # Each link sets its own account's password.
    token = harness.link_token("auth.reset")
    harness.password_reset.reset_password(token, Harness.NEW_PASSWORD, ip=IP)
    assert harness.staff_sign_in.submit_credentials("22AB.K.Beheerder", Harness.NEW_PASSWORD, ip=IP)


@pytest.mark.req("AUTH-8")
def test_an_unknown_e_mail_address_gets_the_same_answer_and_no_mail(harness: Harness) -> None:
    harness.add_account()
    answers = {
        harness.password_reset.request_reset(name, ip=IP)
        for name in ("onbekend@school.nl", "22AB.K.Beheerder", "@", "a@b@c")
    }
    assert 1 == len(answers)
    assert 1 == len(harness.mailer.outbox)


@pytest.mark.req("AUTH-8")
def test_reset_requests_by_e_mail_address_are_limited_like_names(harness: Harness) -> None:
    harness.add_account()
    for _ in range(5):
        harness.password_reset.request_reset("k.beheerder@school.nl", ip=IP)
    assert 3 == len(harness.mailer.outbox)


@pytest.mark.req("AUTH-7")
def test_the_expiry_warning_is_due_from_the_first_reminder_until_the_password_expires(
    harness: Harness,
) -> None:
    """Set on 2026-09-01 10:00 (Amsterdam): valid 365 days; reminders 14 and 7 days before."""
    account, _ = harness.add_account()
    profile = harness.profile
    assert profile.expiry_warning(account.id) is None
    harness.clock.advance(days=365 - 14, seconds=-1)
    assert profile.expiry_warning(account.id) is None
    harness.clock.advance(seconds=1)
    assert (
        "Uw wachtwoord verloopt over 14 dag(en), op 01-09-2027 10:00 CEST. Wijzig het op tijd "
        "via 'Verander wachtwoord'." == profile.expiry_warning(account.id)
    )
    harness.clock.advance(days=5, hours=12)
    assert (
        "Your password expires in 8 day(s), on 01-09-2027 10:00 CEST. Change it in time through "
        "'Change password'." == profile.expiry_warning(account.id, "en")
    )
    harness.clock.advance(days=9)
    assert profile.expiry_warning(account.id) is None


@pytest.mark.req("AUTH-7")
def test_an_initial_password_gets_no_expiry_warning(harness: Harness) -> None:
    account, _ = harness.add_account(initial=True)
    harness.clock.advance(days=360)
    assert harness.profile.expiry_warning(account.id) is None
    with pytest.raises(NotFound):
        harness.profile.expiry_warning("nobody")
