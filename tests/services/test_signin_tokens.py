# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""One-time passwords, reset links and e-mail confirmation links: every way to misuse one fails.

Each kind is tried expired (one second either side), reused, reused by two
requests at once, superseded by a newer one, for another transaction or
account, and guessed. Trusted-browser cookies (used many times within 24
hours, not once) are tried in ``test_signin_flow``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest

from examkit.auth import SignInRules, Step
from examkit.errors import (
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
)
from examkit.records import Backend
from examkit.testing import SignInHarness as Harness

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
NEW_PASSWORD = Harness.NEW_PASSWORD
T = TypeVar("T")


def at_once(count: int, work: Callable[[], T]) -> list[T | BaseException]:
    """Run *work* in *count* threads released together; return results or errors."""
    barrier = threading.Barrier(count, timeout=60)
    results: list[T | BaseException] = [RuntimeError("did not run")] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def concurrent_harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """A harness on each backend, for the simultaneous-use tests."""
    if request.param == "memory":
        yield Harness()
        return
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    backend: Backend = SQLBackend(url, migrate=False)
    try:
        yield Harness(backend)
    finally:
        backend.close()


def long_transactions() -> Harness:
    """A harness whose transactions outlive their codes (to test the code's own expiry)."""
    return Harness(rules=SignInRules(transaction_lifetime=timedelta(hours=1)))


# -- one-time passwords ----------------------------------------------------------------------


@pytest.mark.req("AUTH-3")
def test_a_code_works_until_one_second_before_it_expires() -> None:
    """Valid 15 minutes: accepted at 14:59, refused at 15:00."""
    for seconds, works in ((-1, True), (0, False)):
        harness = long_transactions()
        harness.add_account()
        progress = harness.at_code()
        harness.clock.advance(minutes=15, seconds=seconds)
        if works:
            done = harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
            assert Step.SIGNED_IN == done.step
        else:
            with pytest.raises(InvalidInput) as refused:
                harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
            assert "auth.code.invalid" == refused.value.code
            assert "Het eenmalig wachtwoord is niet correct of verlopen. Vraag een nieuwe aan." == (
                refused.value.message("nl")
            )


@pytest.mark.req("AUTH-3")
def test_a_code_works_once(harness: Harness) -> None:
    """After signing in, neither the code nor the transaction works again."""
    harness.add_account()
    progress = harness.at_code()
    code = harness.code()
    harness.staff_sign_in.submit_code(progress.transaction, code, ip=IP)
    with pytest.raises(NotFound):
        harness.staff_sign_in.submit_code(progress.transaction, code, ip=IP)


@pytest.mark.req("AUTH-3")
def test_of_two_simultaneous_right_codes_exactly_one_signs_in(
    concurrent_harness: Harness,
) -> None:
    """The token store's consumption is atomic: one sign-in, the other refused."""
    harness = concurrent_harness
    harness.add_account()
    for _ in range(3):
        progress = harness.at_code()
        code = harness.code()
        results = at_once(
            4,
            functools.partial(harness.staff_sign_in.submit_code, progress.transaction, code, ip=IP),
        )
        signed_in = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, InvalidInput | NotFound)]
        assert 1 == len(signed_in), results
        assert 3 == len(refused), results


@pytest.mark.req("AUTH-3")
def test_a_new_code_supersedes_the_one_before(harness: Harness) -> None:
    """'Nieuwe aanvragen': the old code stops working, the new one works."""
    harness.add_account()
    progress = harness.at_code()
    old = harness.code()
    renewed = harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    new = harness.code()
    assert old != new
    assert Step.SECOND_FACTOR == renewed.step
    with pytest.raises(InvalidInput):
        harness.staff_sign_in.submit_code(progress.transaction, old, ip=IP)
    assert (
        Step.SIGNED_IN == harness.staff_sign_in.submit_code(progress.transaction, new, ip=IP).step
    )


@pytest.mark.req("AUTH-3")
def test_a_code_works_only_for_its_own_transaction_and_account(harness: Harness) -> None:
    """A code of another sign-in (the same account's or another account's) is refused."""
    harness.add_account()
    harness.add_account("acc-2", "22AB.J.Planner", email="j.planner@school.nl")
    mine = harness.at_code()
    mine_code = harness.code()
    other = harness.at_code()
    other_code = harness.code()
    theirs = harness.at_code("22AB.J.Planner")
    theirs_code = harness.code("j.planner@school.nl")
    for transaction, code in (
        (mine.transaction, other_code),
        (mine.transaction, theirs_code),
        (theirs.transaction, mine_code),
    ):
        with pytest.raises(InvalidInput):
            harness.staff_sign_in.submit_code(transaction, code, ip=IP)
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(other.transaction, other_code, ip=IP).step
    )


@pytest.mark.req("AUTH-3")
def test_five_wrong_entries_end_a_code(harness: Harness) -> None:
    """After the cap even the right code is refused; a new code works."""
    harness.add_account()
    progress = harness.at_code()
    right = harness.code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            harness.staff_sign_in.submit_code(progress.transaction, wrong, ip=IP)
    with pytest.raises(LimitReached) as capped:
        harness.staff_sign_in.submit_code(progress.transaction, right, ip=IP)
    assert "auth.code.too_many" == capped.value.code
    harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP).step
    )


@pytest.mark.req("AUTH-3")
def test_guessing_codes_is_capped_per_account_whatever_new_codes_are_requested(
    harness: Harness,
) -> None:
    """Ten entries per hour per account: new codes do not reset it; the sign-in ends."""
    harness.add_account()
    progress = harness.at_code()
    for entry in range(10):
        if entry in (4, 8):
            harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
        guess = "999999" if harness.code() != "999999" else "888888"
        with pytest.raises(InvalidInput):
            harness.staff_sign_in.submit_code(progress.transaction, guess, ip=IP)
    with pytest.raises(LimitReached) as blocked:
        harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
    assert "auth.code.blocked" == blocked.value.code
    with pytest.raises(NotFound):
        harness.staff_sign_in.progress(progress.transaction)
    again = harness.at_code()
    with pytest.raises(LimitReached) as still:
        harness.staff_sign_in.submit_code(again.transaction, harness.code(), ip=IP)
    assert "auth.code.blocked" == still.value.code
    harness.clock.advance(hours=1)
    later = harness.at_code()
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(later.transaction, harness.code(), ip=IP).step
    )


@pytest.mark.req("AUTH-3")
def test_new_codes_are_rate_limited(harness: Harness) -> None:
    """Three new codes per 15 minutes; the refusal says from when again."""
    harness.add_account()
    progress = harness.at_code()
    for _ in range(3):
        harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    with pytest.raises(LimitReached) as limited:
        harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    assert "auth.code.new_limit" == limited.value.code
    assert "01-09-2026 10:15 CEST" == limited.value.params["time"]
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP).step
    )


# -- reset links --------------------------------------------------------------------------


def reset_token(harness: Harness) -> str:
    """Ask for a reset of the default account; return the mailed link's token."""
    harness.password_reset.request_reset(LOGIN, ip=IP)
    return harness.link_token("auth.reset")


@pytest.mark.req("AUTH-8")
def test_a_reset_link_works_until_one_second_before_it_expires() -> None:
    """Valid an hour by default: accepted at 59:59, refused at 60:00."""
    for seconds, works in ((-1, True), (0, False)):
        harness = Harness()
        harness.add_account()
        token = reset_token(harness)
        harness.clock.advance(hours=1, seconds=seconds)
        if works:
            harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP)
        else:
            with pytest.raises(NotFound) as refused:
                harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP)
            assert "auth.reset.unusable" == refused.value.code


@pytest.mark.req("AUTH-8")
def test_a_reset_link_works_once_and_a_newer_one_supersedes_it(harness: Harness) -> None:
    """Used, or superseded by a newer request: refused."""
    harness.add_account()
    first = reset_token(harness)
    second = reset_token(harness)
    with pytest.raises(NotFound):
        harness.password_reset.check_reset_token(first)
    with pytest.raises(NotFound):
        harness.password_reset.reset_password(first, NEW_PASSWORD, ip=IP)
    harness.password_reset.check_reset_token(second)
    harness.password_reset.reset_password(second, NEW_PASSWORD, ip=IP)
    with pytest.raises(NotFound):
        harness.password_reset.reset_password(second, "Lente2027#z", ip=IP)


@pytest.mark.req("AUTH-8")
def test_of_two_simultaneous_resets_with_one_link_exactly_one_succeeds(
    concurrent_harness: Harness,
) -> None:
    """The link's consumption is atomic."""
    harness = concurrent_harness
    harness.add_account()
    token = reset_token(harness)
    results = at_once(4, lambda: harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP))
    assert 1 == sum(1 for r in results if r is None), results
    assert all(isinstance(r, NotFound | ExamkitError) for r in results if r is not None)


@pytest.mark.req("AUTH-8")
def test_a_password_change_ends_every_reset_link(harness: Harness) -> None:
    """Changing the password yourself makes an outstanding reset link useless."""
    harness.add_account()
    token = reset_token(harness)
    harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    with pytest.raises(NotFound):
        harness.password_reset.reset_password(token, "Lente2027#z", ip=IP)


@pytest.mark.req("AUTH-8")
def test_a_guessed_reset_token_is_refused(harness: Harness) -> None:
    """Random, empty and absurd tokens are all unknown."""
    harness.add_account()
    reset_token(harness)
    for guess in ("A" * 43, "", "x" * 5000, "../../etc/passwd"):
        with pytest.raises(NotFound):
            harness.password_reset.reset_password(guess, NEW_PASSWORD, ip=IP)


@pytest.mark.req("AUTH-8")
def test_a_reset_link_changes_its_own_account_only(harness: Harness) -> None:
    """Two accounts ask for resets; each link sets its own account's password."""
    harness.add_account()
    harness.add_account("acc-2", "22AB.J.Planner", email="j.planner@school.nl")
    harness.password_reset.request_reset(LOGIN, ip=IP)
    mine = harness.link_token("auth.reset")
    harness.password_reset.request_reset("22AB.J.Planner", ip=IP)
    harness.password_reset.reset_password(mine, NEW_PASSWORD, ip=IP)
    assert (
        Step.SECOND_FACTOR
        == harness.staff_sign_in.submit_credentials(LOGIN, NEW_PASSWORD, ip=IP).step
    )
    assert (
        Step.SECOND_FACTOR
        == harness.staff_sign_in.submit_credentials("22AB.J.Planner", PASSWORD, ip=IP).step
    )


@pytest.mark.req("AUTH-8")
def test_the_reset_answer_is_the_same_for_every_name(harness: Harness) -> None:
    """Known, unknown or deactivated: one answer; only the known, active account gets mail."""
    from examkit.accounts import AccountStatus

    harness.add_account()
    harness.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
    answers = {
        harness.password_reset.request_reset(name, ip=IP)
        for name in (LOGIN, "22AB.Onbekend", "22AB.Oud.Account", "??")
    }
    assert {
        "Als de gebruikersnaam bekend is, ontvangt u een e-mail met een link om het wachtwoord "
        "opnieuw in te stellen."
    } == answers
    assert [("auth.reset", ("k.beheerder@school.nl",))] == [
        (m.kind, m.to) for m in harness.mailer.outbox
    ]


@pytest.mark.req("AUTH-8")
def test_reset_requests_are_rate_limited_silently(harness: Harness) -> None:
    """Three links per hour per name; more requests get the same answer and no mail."""
    harness.add_account()
    for _ in range(5):
        harness.password_reset.request_reset(LOGIN, ip=IP)
    assert 3 == len(harness.mailer.outbox)


@pytest.mark.req("AUTH-8")
def test_the_reset_link_is_on_the_portal_s_own_address() -> None:
    """The host comes from the settings (base_url) and the path from the rules."""
    from examkit import Examkit, Settings
    from examkit.backends.memory import MemoryBackend
    from examkit.testing import (
        ManualClock,
        RecordingMailer,
        SequenceSecretSource,
        StaticGate,
        cheap_hasher,
    )

    mailer = RecordingMailer()
    kit = Examkit(
        backend=MemoryBackend(),
        mailer=mailer,
        settings=Settings(token_key=b"k" * 32, base_url="https://portaal.facet.onl/"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource(),
        hasher=cheap_hasher(),
        sign_in_gate=StaticGate(),
    )
    harness = Harness()
    account, _ = harness.add_account()
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()
    kit.password_reset.request_reset(LOGIN, ip=IP)
    assert (
        "\nhttps://portaal.facet.onl/wachtwoord-herstellen?token=" in mailer.last("auth.reset").body
    )


@pytest.mark.req("AUTH-8")
def test_a_refused_new_password_leaves_the_link_usable(harness: Harness) -> None:
    """Nothing half-written: a password that breaks the policy keeps the link."""
    harness.add_account()
    token = reset_token(harness)
    with pytest.raises(ExamkitErrorGroup):
        harness.password_reset.reset_password(token, "kort", ip=IP)
    with pytest.raises(ExamkitErrorGroup):
        harness.password_reset.reset_password(token, PASSWORD, ip=IP)  # the current one: history
    harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP)


@pytest.mark.req("AUTH-8", "AUTH-4", "AUTH-6", "NOTE-1")
def test_after_a_reset_the_second_factor_is_asked_and_the_holder_is_told(
    harness: Harness,
) -> None:
    """The reset lifts the lockout, revokes trusted browsers and mails 'reset done'."""
    harness.add_account()
    browser = harness.sign_in().browser_token
    for _ in range(3):
        with pytest.raises(ExamkitError):
            harness.staff_sign_in.submit_credentials(LOGIN, "Fout-2026!", ip=IP)
    harness.password_reset.reset_password(reset_token(harness), NEW_PASSWORD, ip=IP)
    done = harness.last_mail("auth.reset_done")
    assert ("k.beheerder@school.nl",) == done.to
    assert "Uw wachtwoord is opnieuw ingesteld" == done.subject
    progress = harness.staff_sign_in.submit_credentials(
        LOGIN, NEW_PASSWORD, ip=IP, browser_token=browser
    )
    assert Step.SECOND_FACTOR == progress.step
    assert 1 == len(harness.events("auth.reset.used"))


# -- e-mail confirmation links ("activation" of a new address) -----------------------------


def change_email(harness: Harness, account_id: str, email: str) -> str:
    """Ask for a new e-mail address; return the confirmation link's token."""
    account = harness.account(account_id)
    harness.profile.update_profile(
        account_id,
        first_name=account.first_name,
        last_name=account.last_name,
        email=email,
        phone=account.phone,
        ip=IP,
        password=PASSWORD,
    )
    return harness.link_token("auth.email_confirm")


@pytest.mark.req("AUTH-10")
def test_a_confirmation_link_works_until_one_second_before_it_expires() -> None:
    """Valid 24 hours."""
    for seconds, works in ((-1, True), (0, False)):
        harness = Harness()
        harness.add_account()
        token = change_email(harness, "acc-1", "karin@school.nl")
        harness.clock.advance(hours=24, seconds=seconds)
        if works:
            assert "karin@school.nl" == harness.profile.confirm_email(token, ip=IP).email
        else:
            with pytest.raises(NotFound) as refused:
                harness.profile.confirm_email(token, ip=IP)
            assert "auth.email.unusable" == refused.value.code


@pytest.mark.req("AUTH-10")
def test_a_confirmation_link_works_once_and_a_newer_change_supersedes_it(
    harness: Harness,
) -> None:
    """Used, or superseded: refused; the newest address is the one taken."""
    harness.add_account()
    first = change_email(harness, "acc-1", "eerste@school.nl")
    second = change_email(harness, "acc-1", "tweede@school.nl")
    with pytest.raises(NotFound):
        harness.profile.confirm_email(first, ip=IP)
    assert "tweede@school.nl" == harness.profile.confirm_email(second, ip=IP).email
    with pytest.raises(NotFound):
        harness.profile.confirm_email(second, ip=IP)
    for guess in ("", "x" * 43, "y" * 5000):
        with pytest.raises(NotFound):
            harness.profile.confirm_email(guess, ip=IP)


@pytest.mark.req("AUTH-10")
def test_of_two_simultaneous_confirmations_exactly_one_succeeds(
    concurrent_harness: Harness,
) -> None:
    """The confirmation link's consumption is atomic."""
    harness = concurrent_harness
    harness.add_account()
    token = change_email(harness, "acc-1", "karin@school.nl")
    results = at_once(4, lambda: harness.profile.confirm_email(token, ip=IP))
    assert 1 == sum(1 for r in results if not isinstance(r, BaseException)), results


@pytest.mark.req("AUTH-10")
def test_a_confirmation_link_confirms_its_own_account_only(harness: Harness) -> None:
    """Two accounts change their address; each link changes its own account."""
    harness.add_account()
    harness.add_account("acc-2", "22AB.J.Planner", email="j.planner@school.nl")
    mine = change_email(harness, "acc-1", "karin@school.nl")
    change_email(harness, "acc-2", "jan@school.nl")
    assert "acc-1" == harness.profile.confirm_email(mine, ip=IP).id
    assert "j.planner@school.nl" == harness.account("acc-2").email


@pytest.mark.req("AUTH-10", "AUTH-3", "NOTE-1")
def test_codes_go_to_the_old_address_until_the_new_one_is_confirmed(harness: Harness) -> None:
    """The address carries the codes, so it changes only through itself."""
    harness.add_account()
    token = change_email(harness, "acc-1", "karin@school.nl")
    assert ("k.beheerder@school.nl",) == harness.last_mail("auth.email_notice").to
    assert ("karin@school.nl",) == harness.last_mail("auth.email_confirm").to
    harness.at_code()
    assert ("k.beheerder@school.nl",) == harness.last_mail("auth.otp").to
    harness.profile.confirm_email(token, ip=IP)
    harness.at_code()
    assert ("karin@school.nl",) == harness.last_mail("auth.otp").to


@pytest.mark.req("AUTH-3")
def test_a_code_cannot_be_requested_for_an_authenticator_sign_in() -> None:
    """With an authenticator app, no code is mailed, and none can be requested."""
    from examkit.auth import SecondFactor

    harness = Harness(rules=SignInRules(second_factor=SecondFactor.AUTHENTICATOR))
    harness.add_account()
    enrolment = harness.profile.enrol_authenticator("acc-1")
    from examkit.auth._secrets import totp

    harness.profile.confirm_authenticator("acc-1", totp(enrolment.secret).at(harness.clock.now()))
    harness.clock.advance(seconds=30)
    progress = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert SecondFactor.AUTHENTICATOR == progress.factor
    assert [] == [m for m in harness.mailer.outbox if m.kind == "auth.otp"]
    with pytest.raises(InvalidState) as refused:
        harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    assert "auth.code.not_by_email" == refused.value.code
