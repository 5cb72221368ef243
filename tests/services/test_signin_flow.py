# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The sign-in flow of seed 004, 4.1: first sign-in, regular sign-in, trusted browser, expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from examkit.auth import SecondFactor, Step
from examkit.errors import (
    ConfigurationError,
    ExamkitErrorGroup,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.passwords import PRESETS
from examkit.testing import SignInHarness as Harness
from examkit.testing import make_kit

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
NEW_PASSWORD = Harness.NEW_PASSWORD


@pytest.mark.req("AUTH-2", "AUTH-3")
def test_a_first_sign_in_replaces_the_initial_password_then_asks_for_a_code(
    any_harness: Harness,
) -> None:
    """Initial password -> choose your own -> code by e-mail -> signed in (seed 4.1.1)."""
    h = any_harness
    _, initial = h.add_account(initial=True)
    first = h.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
    assert Step.CHANGE_PASSWORD == first.step
    assert [] == h.mailer.outbox  # the code comes after the change
    second = h.staff_sign_in.change_password(first.transaction, PASSWORD, ip=IP)
    assert Step.SECOND_FACTOR == second.step
    assert SecondFactor.EMAIL == second.factor
    assert second.transaction == first.transaction
    done = h.staff_sign_in.submit_code(second.transaction, h.code(), ip=IP)
    assert Step.SIGNED_IN == done.step
    account = h.account()
    assert account.password is not None
    assert not account.password.must_change
    assert h.clock.now() + timedelta(days=365) == done.password_expires_at


@pytest.mark.req("AUTH-1", "AUTH-2")
def test_a_refused_new_password_leaves_the_sign_in_where_it_was(harness: Harness) -> None:
    """Every broken rule is reported; the initial password itself is refused (history)."""
    _, initial = harness.add_account(initial=True)
    first = harness.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
    with pytest.raises(ExamkitErrorGroup) as refused:
        harness.staff_sign_in.change_password(first.transaction, "aaa a", ip=IP)
    assert {"passwords.min_length", "passwords.whitespace", "passwords.repeats"} <= {
        p.code for p in refused.value.problems
    }
    with pytest.raises(ExamkitErrorGroup) as again:
        harness.staff_sign_in.change_password(first.transaction, initial, ip=IP)
    assert ["passwords.history"] == [p.code for p in again.value.problems]
    assert Step.CHANGE_PASSWORD == harness.staff_sign_in.progress(first.transaction).step
    assert harness.account().password.must_change  # type: ignore[union-attr]


@pytest.mark.req("AUTH-3", "NOTE-1")
def test_a_regular_sign_in_mails_a_six_digit_code_valid_for_fifteen_minutes(
    harness: Harness,
) -> None:
    """Name and password -> a code by e-mail, valid 15 minutes -> signed in."""
    account, _ = harness.add_account()
    progress = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert Step.SECOND_FACTOR == progress.step
    assert harness.clock.now() + timedelta(minutes=15) == progress.code_expires_at
    mail = harness.last_mail("auth.otp")
    assert (account.email,) == mail.to
    assert "nl" == mail.lang
    assert "15 minuten geldig, tot 01-09-2026 10:15" in mail.body
    code = harness.code()
    assert 6 == len(code)
    assert code.isdigit()
    done = harness.staff_sign_in.submit_code(progress.transaction, code, ip=IP)
    assert Step.SIGNED_IN == done.step
    assert "acc-1" == done.account_id


@pytest.mark.req("AUTH-3")
def test_every_sign_in_mails_a_new_code(harness: Harness) -> None:
    """Two sign-ins, two codes; each works only for its own sign-in."""
    harness.add_account()
    first = harness.at_code()
    first_code = harness.code()
    second = harness.at_code()
    second_code = harness.code()
    assert first_code != second_code
    assert first.transaction != second.transaction
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(second.transaction, second_code, ip=IP).step
    )
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(first.transaction, first_code, ip=IP).step
    )


@pytest.mark.req("AUTH-4")
def test_a_trusted_browser_skips_the_code_within_24_hours_from_the_same_ip(
    harness: Harness,
) -> None:
    """Signed in with a code: the same browser and IP skip the code until 24 hours later."""
    harness.add_account()
    done = harness.sign_in()
    assert done.browser_token is not None
    assert harness.clock.now() + timedelta(hours=24) == done.browser_expires_at
    harness.mailer.clear()
    harness.clock.advance(hours=24, seconds=-1)
    again = harness.staff_sign_in.submit_credentials(
        LOGIN, PASSWORD, ip=IP, browser_token=done.browser_token
    )
    assert Step.SIGNED_IN == again.step
    assert [] == harness.mailer.outbox
    harness.clock.advance(seconds=1)
    later = harness.staff_sign_in.submit_credentials(
        LOGIN, PASSWORD, ip=IP, browser_token=done.browser_token
    )
    assert Step.SECOND_FACTOR == later.step


@pytest.mark.req("AUTH-4")
def test_a_trusted_browser_counts_for_its_own_account_and_ip_only(harness: Harness) -> None:
    """Another IP address, another account, a forged cookie: the code is asked for."""
    harness.add_account()
    harness.add_account("acc-2", "22AB.J.Planner")
    token = harness.sign_in().browser_token
    assert token is not None
    for login, ip, cookie in [
        (LOGIN, "192.0.2.99", token),
        ("22AB.J.Planner", IP, token),
        (LOGIN, IP, token[:-1] + ("A" if token[-1] != "A" else "B")),
        (LOGIN, IP, ""),
        (LOGIN, IP, "x" * 10_000),
    ]:
        step = harness.staff_sign_in.submit_credentials(
            login, PASSWORD, ip=ip, browser_token=cookie
        ).step
        assert Step.SECOND_FACTOR == step, (login, ip)


@pytest.mark.req("AUTH-4")
def test_the_ip_address_is_compared_in_its_normal_form(harness: Harness) -> None:
    """An IPv6 address written two ways is one address; a non-address is refused."""
    harness.add_account()
    token = harness.sign_in(ip="2001:db8::1").browser_token
    step = harness.staff_sign_in.submit_credentials(
        LOGIN, PASSWORD, ip="2001:0db8:0000::0001", browser_token=token
    ).step
    assert Step.SIGNED_IN == step
    with pytest.raises(ValueError, match="not an IP address"):
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip="example.org")


@pytest.mark.req("AUTH-4")
def test_no_browser_is_trusted_when_the_portal_says_so(harness: Harness) -> None:
    """``trust_browser=False`` (a shared computer): no cookie, the code next time too."""
    harness.add_account()
    progress = harness.at_code()
    done = harness.staff_sign_in.submit_code(
        progress.transaction, harness.code(), ip=IP, trust_browser=False
    )
    assert done.browser_token is None
    assert [] == harness.events("auth.browser.trusted")


@pytest.mark.req("AUTH-4", "AUTH-8")
def test_a_password_change_a_reset_and_sign_out_everywhere_revoke_trusted_browsers(
    harness: Harness,
) -> None:
    """After each, the browser's cookie no longer skips the code."""
    harness.add_account()
    token = harness.sign_in().browser_token
    harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    step = harness.staff_sign_in.submit_credentials(
        LOGIN, NEW_PASSWORD, ip=IP, browser_token=token
    ).step
    assert Step.SECOND_FACTOR == step

    token = harness.sign_in(password=NEW_PASSWORD).browser_token
    harness.password_reset.request_reset(LOGIN, ip=IP)
    harness.password_reset.reset_password(harness.link_token("auth.reset"), "Lente2027#z", ip=IP)
    step = harness.staff_sign_in.submit_credentials(
        LOGIN, "Lente2027#z", ip=IP, browser_token=token
    ).step
    assert Step.SECOND_FACTOR == step

    token = harness.sign_in(password="Lente2027#z").browser_token
    assert 1 == harness.profile.sign_out_everywhere("acc-1", ip=IP)
    step = harness.staff_sign_in.submit_credentials(
        LOGIN, "Lente2027#z", ip=IP, browser_token=token
    ).step
    assert Step.SECOND_FACTOR == step
    assert 3 == len(harness.events("auth.browser.revoked"))


@pytest.mark.req("AUTH-4", "AUTH-2")
def test_a_trusted_browser_does_not_skip_a_forced_password_change(harness: Harness) -> None:
    """With an expired password, the cookie does not sign in: the password must be replaced."""
    harness.add_account()
    token = harness.sign_in().browser_token
    harness.clock.advance(days=365)
    progress = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP, browser_token=token)
    assert Step.CHANGE_EXPIRED_PASSWORD == progress.step


@pytest.mark.req("AUTH-7")
def test_an_expired_password_is_replaced_after_entering_it_once_more(any_harness: Harness) -> None:
    """365 days after it was set: old once more plus a new one, then the code (seed 4.1.1)."""
    h = any_harness
    h.add_account()
    h.clock.advance(days=365, seconds=-1)
    assert Step.SECOND_FACTOR == h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
    h.clock.advance(seconds=1)
    progress = h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert Step.CHANGE_EXPIRED_PASSWORD == progress.step
    with pytest.raises(NotPermitted) as wrong:
        h.staff_sign_in.change_expired_password(
            progress.transaction, "Fout-2026!", NEW_PASSWORD, ip=IP
        )
    assert "auth.password.old_invalid" == wrong.value.code
    with pytest.raises(InvalidState):
        h.staff_sign_in.change_password(progress.transaction, NEW_PASSWORD, ip=IP)
    moved = h.staff_sign_in.change_expired_password(
        progress.transaction, PASSWORD, NEW_PASSWORD, ip=IP
    )
    assert Step.SECOND_FACTOR == moved.step
    assert Step.SIGNED_IN == h.staff_sign_in.submit_code(moved.transaction, h.code(), ip=IP).step
    assert (
        h.clock.now() + timedelta(days=365)
        == h.staff_sign_in.submit_credentials(LOGIN, NEW_PASSWORD, ip=IP).password_expires_at
    )


@pytest.mark.req("AUTH-2", "AUTH-7")
def test_an_initial_password_not_used_within_365_days_is_refused(harness: Harness) -> None:
    """No expired-password step for an e-mailed password: refused as a wrong one (issue 19)."""
    _, initial = harness.add_account(initial=True)
    harness.clock.advance(days=365)
    with pytest.raises(NotPermitted) as refused:
        harness.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
    assert "auth.credentials.invalid" == refused.value.code


@pytest.mark.req("AUTH-3", "AUTH-7")
def test_steps_out_of_order_are_refused_and_change_nothing(harness: Harness) -> None:
    """A transaction waits at one step; every other action there is refused."""
    _, initial = harness.add_account(initial=True)
    progress = harness.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
    attempts: list[Callable[[], object]] = [
        lambda: harness.staff_sign_in.submit_code(progress.transaction, "123456", ip=IP),
        lambda: harness.staff_sign_in.request_new_code(progress.transaction, ip=IP),
        lambda: harness.staff_sign_in.change_expired_password(
            progress.transaction, initial, NEW_PASSWORD, ip=IP
        ),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidState) as refused:
            attempt()
        assert "auth.flow.out_of_order" == refused.value.code
    assert Step.CHANGE_PASSWORD == harness.staff_sign_in.progress(progress.transaction).step
    assert [] == harness.mailer.outbox


@pytest.mark.req("AUTH-3")
def test_a_transaction_lapses_fifteen_minutes_after_its_last_step(harness: Harness) -> None:
    """An unknown or lapsed transaction token is refused."""
    harness.add_account()
    progress = harness.at_code()
    harness.clock.advance(minutes=15)
    with pytest.raises(NotFound) as lapsed:
        harness.staff_sign_in.progress(progress.transaction)
    assert "auth.transaction.unknown" == lapsed.value.code
    for token in ("", "nonsense", "x" * 1000):
        with pytest.raises(NotFound):
            harness.staff_sign_in.submit_code(token, "123456", ip=IP)


@pytest.mark.req("AUTH-3")
def test_a_signed_in_transaction_is_over(harness: Harness) -> None:
    """After signing in, the transaction cannot be used again."""
    harness.add_account()
    progress = harness.at_code()
    harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
    with pytest.raises(NotFound):
        harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)


def test_the_gate_decides_who_may_sign_in_where(harness: Harness) -> None:
    """An account the gate refuses gets 'no access' after a right password only."""
    harness.add_account()
    harness.gate.deny("acc-1", "facet")
    with pytest.raises(NotPermitted) as denied:
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert "auth.application.denied" == denied.value.code
    with pytest.raises(NotPermitted) as wrong:
        harness.staff_sign_in.submit_credentials(LOGIN, "Fout-2026!", ip=IP)
    assert "auth.credentials.invalid" == wrong.value.code
    assert ("acc-1", "facet") in harness.gate.asked


def test_the_kit_defaults_to_the_production_hasher_and_the_facet_policy() -> None:
    """Argon2id at RFC 9106's parameters and the exam system's policy, unless told otherwise."""
    from examkit import Examkit, Settings
    from examkit.backends.memory import MemoryBackend
    from examkit.passwords import RFC9106_SECOND, Argon2Hasher
    from examkit.testing import RecordingMailer

    kit = Examkit(
        backend=MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
    )
    assert isinstance(kit.hasher, Argon2Hasher)
    assert RFC9106_SECOND == kit.hasher.parameters
    assert PRESETS["facet"] == kit.password_policy


def test_the_base_url_must_be_a_plain_http_address() -> None:
    """Links are built from the settings; a URL with a query or another scheme is refused."""
    from examkit import Settings

    for url in ("ftp://portal.nl", "https://portal.nl/?x=1", "portal.nl", "https://"):
        with pytest.raises(ConfigurationError):
            Settings(token_key=b"k" * 32, base_url=url)
    assert (
        "https://portal.nl/facet"
        == Settings(token_key=b"k" * 32, base_url="https://portal.nl/facet").base_url
    )


def test_make_kit_signs_in_with_the_default_static_gate() -> None:
    """The test kit lets everyone in (a fake gate; never in production)."""
    kit = make_kit()
    assert kit.staff_sign_in is kit.staff_sign_in
