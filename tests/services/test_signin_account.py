# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The proctor monitor, the profile, expiry reminders, authenticator apps, audit and storage."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from examkit.auth import SecondFactor, SignInRules, Step
from examkit.auth._secrets import totp
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, NotFound, NotPermitted
from examkit.ports import Message
from examkit.testing import SignInHarness as Harness

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
NEW_PASSWORD = Harness.NEW_PASSWORD
DAY = timedelta(days=1)


# -- the proctor monitor (AUTH-9, seed 4.2) -----------------------------------------------


@pytest.mark.req("AUTH-9")
def test_the_monitor_takes_the_same_name_and_password_without_a_code(harness: Harness) -> None:
    """Signed in at once; no e-mail; no warning with a fresh password."""
    harness.add_account()
    result = harness.sign_in_monitor.monitor_sign_in(" 22ab.k.beheerder", PASSWORD, ip=IP)
    assert "acc-1" == result.account_id
    assert not result.warning
    assert 365 == result.days_left
    assert [] == harness.mailer.outbox
    assert harness.sign_in_monitor.monitor_warning(result) is None
    assert ("acc-1", "afnamemonitor") in harness.gate.asked


@pytest.mark.req("AUTH-9")
def test_the_monitor_refuses_the_mailed_initial_password(harness: Harness) -> None:
    """'Met het wachtwoord dat u per e-mail ontvangt kunt u niet inloggen op de afnamemonitor.'"""
    _, initial = harness.add_account(initial=True)
    with pytest.raises(NotPermitted) as refused:
        harness.sign_in_monitor.monitor_sign_in(LOGIN, initial, ip=IP)
    assert "auth.monitor.initial_password" == refused.value.code
    with pytest.raises(NotPermitted) as wrong:
        harness.sign_in_monitor.monitor_sign_in(LOGIN, "Fout-2026!", ip=IP)
    assert "auth.credentials.invalid" == wrong.value.code


@pytest.mark.req("AUTH-9")
def test_the_monitor_warns_under_five_days_and_refuses_an_expired_password(
    harness: Harness,
) -> None:
    """5 days left: no warning; a second less: warning; expired: refused until changed."""
    harness.add_account()
    start = harness.clock.now()
    harness.clock.set(start + timedelta(days=360))
    assert not harness.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP).warning
    harness.clock.set(start + timedelta(days=360, seconds=1))
    warned = harness.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)
    assert warned.warning
    assert 4 == warned.days_left
    assert (
        "Uw wachtwoord is nog 4 dag(en) geldig, tot 01-09-2027 10:00 CEST. Wijzig het op tijd in "
        "de logistieke omgeving." == harness.sign_in_monitor.monitor_warning(warned)
    )
    harness.clock.set(start + timedelta(days=365))
    with pytest.raises(NotPermitted) as expired:
        harness.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)
    assert "auth.monitor.expired" == expired.value.code
    progress = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    harness.staff_sign_in.change_expired_password(
        progress.transaction, PASSWORD, NEW_PASSWORD, ip=IP
    )
    assert not harness.sign_in_monitor.monitor_sign_in(LOGIN, NEW_PASSWORD, ip=IP).warning


@pytest.mark.req("AUTH-9")
def test_the_monitor_asks_the_gate_for_its_own_environment(harness: Harness) -> None:
    """A user without access to the monitor is refused there, not in the main environment."""
    harness.add_account()
    harness.gate.deny("acc-1", "afnamemonitor")
    with pytest.raises(NotPermitted) as denied:
        harness.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)
    assert "auth.application.denied" == denied.value.code
    assert (
        Step.SECOND_FACTOR == harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
    )


# -- the profile (AUTH-10, seed 4.4) --------------------------------------------------------


@pytest.mark.req("AUTH-10")
def test_names_and_phone_are_saved_at_once(harness: Harness) -> None:
    """First name, last name and phone change; the e-mail address stays."""
    harness.add_account()
    update = harness.profile.update_profile(
        "acc-1",
        first_name="  Karin ",
        last_name="de Vries",
        email="k.beheerder@SCHOOL.nl",
        phone="0612345678",
        ip=IP,
    )
    assert update.pending_email is None
    account = harness.account()
    assert ("Karin", "de Vries", "0612345678", "k.beheerder@school.nl") == (
        account.first_name,
        account.last_name,
        account.phone,
        account.email,
    )
    assert [] == harness.mailer.outbox


@pytest.mark.req("AUTH-10")
def test_the_required_fields_are_checked_all_at_once(harness: Harness) -> None:
    """Every problem at once, with its field; nothing is saved."""
    harness.add_account()
    with pytest.raises(ExamkitErrorGroup) as refused:
        harness.profile.update_profile(
            "acc-1", first_name=" ", last_name="", email="geen-adres", phone=None, ip=IP
        )
    assert [
        ("first_name", "input.required"),
        ("last_name", "input.required"),
        ("email", "input.email.invalid"),
    ] == [(p.field, p.code) for p in refused.value.problems]
    assert "Karin" == harness.account().first_name


@pytest.mark.req("AUTH-1")
def test_changing_your_own_password_checks_the_old_one_and_the_policy(harness: Harness) -> None:
    """'Verander wachtwoord': the old password is counted like a sign-in; the rules apply."""
    harness.add_account()
    with pytest.raises(NotPermitted) as wrong:
        harness.profile.change_own_password("acc-1", "Fout-2026!", NEW_PASSWORD, ip=IP)
    assert "auth.password.old_invalid" == wrong.value.code
    with pytest.raises(ExamkitErrorGroup):
        harness.profile.change_own_password("acc-1", PASSWORD, "kort", ip=IP)
    with pytest.raises(ExamkitErrorGroup) as history:
        harness.profile.change_own_password("acc-1", PASSWORD, PASSWORD, ip=IP)
    assert ["passwords.history"] == [p.code for p in history.value.problems]
    harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    assert (
        Step.SECOND_FACTOR
        == harness.staff_sign_in.submit_credentials(LOGIN, NEW_PASSWORD, ip=IP).step
    )
    assert 1 == len(harness.events("auth.password.changed"))


def test_a_deactivated_account_cannot_edit_its_profile(harness: Harness) -> None:
    """Deactivated by the administrator: the self-service is closed too."""
    from examkit.accounts import AccountStatus

    harness.add_account(status=AccountStatus.DEACTIVATED)
    with pytest.raises(NotPermitted):
        harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)


# -- expiry reminders (AUTH-7) --------------------------------------------------------------


@pytest.mark.req("AUTH-7", "NOTE-1")
def test_reminders_go_out_14_and_7_days_before_once_each_however_often_the_job_runs(
    any_harness: Harness,
) -> None:
    """Twice a day, every day of the year: two reminders, at the right moments."""
    h = any_harness
    h.add_account()
    start = h.clock.now()
    sent: list[tuple[int, int]] = []
    for day in range(340, 366):
        for hour in (6, 18):
            moment = start + timedelta(days=day, hours=hour - 8)
            sent.extend(
                (day, r.days) for r in h.sign_in_housekeeping.due_reminders(moment) if r.mailed
            )
    assert [(351, 14), (358, 7)] == sent
    mails = [m for m in h.mailer.outbox if m.kind == "auth.reminder"]
    assert ["Uw wachtwoord verloopt over 14 dagen", "Uw wachtwoord verloopt over 7 dagen"] == [
        m.subject for m in mails
    ]
    assert "verloopt op 01-09-2027 10:00 CEST" in mails[0].body


@pytest.mark.req("AUTH-7")
def test_a_late_job_sends_the_latest_reminder_only(harness: Harness) -> None:
    """The job did not run for weeks: the 7-day reminder goes, the 14-day one is overtaken."""
    harness.add_account()
    dealt = harness.sign_in_housekeeping.due_reminders(harness.clock.now() + timedelta(days=360))
    assert [(14, False), (7, True)] == [(r.days, r.mailed) for r in dealt]
    assert 1 == len(harness.mailer.outbox)
    assert () == harness.sign_in_housekeeping.due_reminders(
        harness.clock.now() + timedelta(days=361)
    )


@pytest.mark.req("AUTH-7")
def test_a_job_one_day_late_still_sends_the_14_day_reminder(harness: Harness) -> None:
    """Late, but before the 7-day reminder: the 14-day one goes out."""
    harness.add_account()
    dealt = harness.sign_in_housekeeping.due_reminders(harness.clock.now() + timedelta(days=352))
    assert [(14, True)] == [(r.days, r.mailed) for r in dealt]


@pytest.mark.req("AUTH-7")
def test_two_jobs_at_once_send_each_reminder_once(any_harness: Harness) -> None:
    """Two schedulers race: the storage claims each reminder once."""
    h = any_harness
    for number in range(6):
        h.add_account(f"acc-{number}", f"22AB.Gebruiker.{number}")
    moment = h.clock.now() + timedelta(days=352)
    barrier = threading.Barrier(2, timeout=60)
    counts: list[int] = []

    def job() -> None:
        barrier.wait()
        counts.append(len(h.sign_in_housekeeping.due_reminders(moment)))

    workers = [threading.Thread(target=job) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert 6 == sum(counts)
    assert 6 == len(h.mailer.outbox)


@pytest.mark.req("AUTH-7", "AUTH-2")
def test_initial_passwords_and_deactivated_accounts_get_no_reminders(harness: Harness) -> None:
    """An initial password is replaced at the first sign-in instead; deactivated is silent."""
    from examkit.accounts import AccountStatus

    harness.add_account(initial=True)
    harness.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
    assert () == harness.sign_in_housekeeping.due_reminders(
        harness.clock.now() + timedelta(days=352)
    )


@pytest.mark.req("AUTH-7")
def test_a_new_password_gets_reminders_of_its_own(harness: Harness) -> None:
    """The reminders are per password: after a change, the next year's come again."""
    harness.add_account()
    start = harness.clock.now()
    assert 1 == len(harness.sign_in_housekeeping.due_reminders(start + timedelta(days=352)))
    harness.clock.set(start + timedelta(days=353))
    harness.profile.change_own_password("acc-1", PASSWORD, NEW_PASSWORD, ip=IP)
    assert () == harness.sign_in_housekeeping.due_reminders(start + timedelta(days=359))
    dealt = harness.sign_in_housekeeping.due_reminders(start + timedelta(days=353 + 352))
    assert [14] == [r.days for r in dealt]


@pytest.mark.req("AUTH-7")
def test_a_reminder_whose_mail_fails_is_tried_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claimed and mailed in one unit: a failing mailer leaves it for the next run."""
    harness.add_account()
    moment = harness.clock.now() + timedelta(days=352)

    def broken(_: Message) -> None:
        raise OSError("smtp down")

    with monkeypatch.context() as patched:
        patched.setattr(harness.mailer, "send", broken)
        with pytest.raises(OSError, match="smtp down"):
            harness.sign_in_housekeeping.due_reminders(moment)
    assert [14] == [r.days for r in harness.sign_in_housekeeping.due_reminders(moment)]


# -- authenticator apps (the stronger second factor) -----------------------------------------


@pytest.mark.req("AUTH-3")
def test_an_authenticator_app_replaces_the_e_mailed_code_once_confirmed() -> None:
    """Enrol, confirm with a first code, sign in with a later code; a code works once."""
    harness = Harness(rules=SignInRules(second_factor=SecondFactor.AUTHENTICATOR))
    harness.add_account()
    assert SecondFactor.EMAIL == harness.at_code().factor  # not enrolled yet
    enrolment = harness.profile.enrol_authenticator("acc-1")
    assert enrolment.uri.startswith("otpauth://totp/examkit:22AB.K.Beheerder?secret=")
    app = totp(enrolment.secret)
    with pytest.raises(InvalidInput):
        harness.profile.confirm_authenticator("acc-1", "000000" if app.now() != "000000" else "1")
    first = app.at(harness.clock.now())
    harness.profile.confirm_authenticator("acc-1", first)
    progress = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert SecondFactor.AUTHENTICATOR == progress.factor
    with pytest.raises(InvalidInput) as replayed:
        harness.staff_sign_in.submit_code(progress.transaction, first, ip=IP)
    assert "auth.authenticator.invalid" == replayed.value.code
    harness.clock.advance(seconds=30)
    code = app.at(harness.clock.now())
    assert (
        Step.SIGNED_IN == harness.staff_sign_in.submit_code(progress.transaction, code, ip=IP).step
    )
    again = harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    with pytest.raises(InvalidInput):
        harness.staff_sign_in.submit_code(again.transaction, code, ip=IP)
    harness.profile.remove_authenticator("acc-1")
    assert SecondFactor.EMAIL == harness.at_code().factor
    with pytest.raises(NotFound):
        harness.profile.remove_authenticator("acc-1")


# -- audit and storage never hold a secret ----------------------------------------------------


def every_secret(harness: Harness) -> set[str]:
    """Sign in and out in every way, returning every secret that was handed out."""
    secrets: set[str] = {PASSWORD, NEW_PASSWORD}
    _, initial = harness.add_account("acc-2", "22AB.Eerste.Keer", initial=True)
    secrets.add(initial)
    first = harness.staff_sign_in.submit_credentials("22AB.Eerste.Keer", initial, ip=IP)
    secrets.add(first.transaction)
    harness.staff_sign_in.change_password(first.transaction, "Winter2026$w", ip=IP)
    secrets |= {"Winter2026$w", harness.code()}
    harness.add_account()
    progress = harness.at_code()
    secrets |= {progress.transaction, harness.code()}
    with pytest.raises(InvalidInput):
        harness.staff_sign_in.submit_code(progress.transaction, "000001", ip=IP)
    harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    secrets.add(harness.code())
    done = harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
    assert done.browser_token is not None
    secrets.add(done.browser_token)
    harness.password_reset.request_reset(LOGIN, ip=IP)
    token = harness.link_token("auth.reset")
    secrets.add(token)
    harness.password_reset.reset_password(token, NEW_PASSWORD, ip=IP)
    account = harness.account()
    harness.profile.update_profile(
        "acc-1",
        first_name=account.first_name,
        last_name=account.last_name,
        email="karin@school.nl",
        phone=None,
        ip=IP,
        password=NEW_PASSWORD,
    )
    secrets.add(harness.link_token("auth.email_confirm"))
    enrolment = harness.profile.enrol_authenticator("acc-1")
    secrets.add(enrolment.secret)
    for _ in range(4):
        with pytest.raises(ExamkitError):
            harness.staff_sign_in.submit_credentials(LOGIN, "Geheim-123!", ip=IP)
    secrets.add("Geheim-123!")
    return secrets


@pytest.mark.req("AUTH-3", "AUTH-8")
def test_no_audit_event_and_no_stored_row_holds_a_secret(sqlite_url: str) -> None:
    """Every password, code, transaction token, cookie and link token is absent from both."""
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(sqlite_url, migrate=False)
    harness = Harness(backend)
    try:
        secrets = every_secret(harness)
    finally:
        backend.close()
    audit_text = "\n".join(repr(event) for event in harness.events())
    assert {"auth.sign_in", "auth.otp.sent", "auth.browser.trusted", "auth.reset.used"} <= {
        event.action for event in harness.events()
    }
    assert all(event.details.get("ip") == IP for event in harness.events() if "ip" in event.details)
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    connection = sqlite3.connect(database)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        rows = "\n".join(
            repr(row)
            for table in tables
            if not table.startswith("sqlite_")
            for row in connection.execute(f"SELECT * FROM {table}")  # noqa: S608 - our tables
        )
    finally:
        connection.close()
    leaked = {secret for secret in secrets if secret in audit_text or secret in rows}
    assert set() == leaked


@pytest.mark.req("NOTE-1")
def test_every_mail_kind_has_both_languages_and_its_requirement() -> None:
    """The e-mail table: every sign-in kind composes in Dutch and English."""
    from examkit.notifications import NOTIFICATIONS, compose

    params = {
        "name": "Karin",
        "code": "123456",
        "minutes": 15,
        "time": "01-09-2026 10:15 CEST",
        "application": "facet",
        "login_name": "22AB.K.Beheerder",
        "link": "https://portal.nl/x",
        "days": 14,
        "email": "karin@school.nl",
    }
    sign_in = {kind: mail for kind, mail in NOTIFICATIONS.items() if kind.startswith("auth.")}
    assert len(sign_in) == 6
    for kind, mail in sign_in.items():
        for lang in ("nl", "en"):
            message = compose(kind, "k@school.nl", lang, **params)
            assert "{" not in message.subject + message.body, (kind, lang)
        assert mail.requirement.startswith("AUTH-")


def test_purging_removes_what_lapsed(harness: Harness) -> None:
    """Lapsed transactions, browsers, counters and codes go; nothing current does."""
    harness.add_account()
    harness.sign_in()
    harness.at_code()
    assert 0 == harness.sign_in_housekeeping.purge_expired()
    assert harness.sign_in_housekeeping.purge_expired(harness.clock.now() + 2 * DAY) >= 3


@pytest.mark.req("AUTH-3")
def test_with_the_stored_audit_log_a_step_s_events_commit_with_it() -> None:
    """The default audit log keeps the events in the backend, written with the step."""
    import re

    from examkit.testing import make_kit

    kit = make_kit()
    harness_accounts = Harness(kit.backend)
    harness_accounts.add_account()
    progress = kit.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    mailer = kit.mailer
    assert hasattr(mailer, "last")
    code = re.search(r"\d{6}", mailer.last("auth.otp").body)
    assert code is not None
    with pytest.raises(InvalidInput):
        kit.staff_sign_in.submit_code(progress.transaction, "00000", ip=IP)
    kit.staff_sign_in.submit_code(progress.transaction, code.group(), ip=IP)
    with kit.backend.begin(readonly=True) as uow:
        stored = [(e.action, e.outcome) for e in uow.audit.list(actor="acc-1").items]
    assert [
        ("auth.otp.sent", "success"),
        ("auth.code", "failure"),
        ("auth.sign_in", "success"),
        ("auth.browser.trusted", "success"),
    ] == stored
