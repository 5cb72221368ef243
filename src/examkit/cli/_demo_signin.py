"""The demo's sign-in chapter: a first sign-in, a code, a trusted browser, a lockout, a reset."""

from __future__ import annotations

import re
from collections.abc import Callable

from examkit._kit import Examkit
from examkit.accounts import Account, LoginName
from examkit.errors import ExamkitError
from examkit.identifiers import Brin
from examkit.messages import Lang
from examkit.passwords import issue_initial_password
from examkit.testing import ManualClock, RecordingMailer

LOGIN_NAME = "22AB.K.Jansen"
CHOSEN = "Zomer2026!x"
AFTER_RESET = "Herfst2026?y"
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
_CODE = re.compile(r"\b(\d{6})\b")
_TOKEN = re.compile(r"\?token=([A-Za-z0-9_-]+)")


def _found(pattern: re.Pattern[str], mailer: RecordingMailer, kind: str) -> str:
    match = pattern.search(mailer.last(kind).body)
    if match is None:  # pragma: no cover - the templates always carry one
        raise LookupError(f"nothing to read in the {kind} e-mail")
    return match.group(1)


def run_signin_chapter(kit: Examkit, say: Callable[..., None], lang: Lang) -> None:
    """Sign an administrator in the ways seed 004, chapter 4 describes; list the e-mails."""
    mailer = kit.mailer
    if not isinstance(mailer, RecordingMailer):  # pragma: no cover - the demo's own kit
        raise TypeError("the demo reads the codes from a RecordingMailer")
    staff_sign_in, password_reset = kit.staff_sign_in, kit.password_reset
    account = Account(
        id="demo-beheerder",
        login_name=LoginName(LOGIN_NAME),
        first_name="Karin",
        last_name="Jansen",
        email="k.jansen@heteiland.nl",
        institutions=frozenset({Brin("22AB")}),
        lang=lang,  # her e-mails in the demo's language
    )
    account, initial = issue_initial_password(
        account,
        policy=kit.password_policy,
        hasher=kit.hasher,
        secrets=kit.secrets,
        now=kit.clock.now(),
    )
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()
    say("demo.signin.account", login_name=LOGIN_NAME, email=account.email)

    first = staff_sign_in.submit_credentials(LOGIN_NAME, initial, ip=HOME)
    say("demo.signin.step", step=first.step.title(lang))
    moved = staff_sign_in.change_password(first.transaction, CHOSEN, ip=HOME)
    say("demo.signin.step", step=moved.step.title(lang))
    done = staff_sign_in.submit_code(first.transaction, _found(_CODE, mailer, "auth.otp"), ip=HOME)
    say("demo.signin.signed_in", step=done.step.title(lang))

    clock = kit.clock
    if not isinstance(clock, ManualClock):  # pragma: no cover - the demo's own kit
        raise TypeError("the demo moves its own clock")
    clock.advance(hours=2)
    again = staff_sign_in.submit_credentials(
        LOGIN_NAME, CHOSEN, ip=HOME, browser_token=done.browser_token
    )
    say("demo.signin.trusted", step=again.step.title(lang))
    elsewhere = staff_sign_in.submit_credentials(
        LOGIN_NAME, CHOSEN, ip=ELSEWHERE, browser_token=done.browser_token
    )
    say("demo.signin.elsewhere", step=elsewhere.step.title(lang))
    staff_sign_in.submit_code(
        elsewhere.transaction, _found(_CODE, mailer, "auth.otp"), ip=ELSEWHERE
    )

    for _ in range(kit.sign_in_rules.max_failures):
        try:
            staff_sign_in.submit_credentials(LOGIN_NAME, "Verkeerd-01", ip=ELSEWHERE)
        except ExamkitError as error:
            say("demo.signin.refused", message=error.message(lang))
    try:
        staff_sign_in.submit_credentials(LOGIN_NAME, CHOSEN, ip=HOME)
    except ExamkitError as error:
        say("demo.signin.refused", message=error.message(lang))

    say("demo.signin.reset", answer=password_reset.request_reset(LOGIN_NAME, ip=HOME, lang=lang))
    password_reset.reset_password(_found(_TOKEN, mailer, "auth.reset"), AFTER_RESET, ip=HOME)
    after = staff_sign_in.submit_credentials(
        LOGIN_NAME, AFTER_RESET, ip=HOME, browser_token=done.browser_token
    )
    say("demo.signin.after_reset", step=after.step.title(lang))

    say("demo.signin.mails", count=len(mailer.outbox))
    for message in mailer.outbox:
        say(
            "demo.signin.mail", kind=message.kind, to=", ".join(message.to), subject=message.subject
        )
