"""Every e-mail of the sign-in is written in its account's language unless ``lang=`` is given.

For each use case of the sign-in that sends an e-mail, and so for every kind
it sends (the one-time password, the reset link, the reset done, the expiry
reminder, the e-mail confirmation and the notice to the old address): an
account whose language is English gets it in English when no ``lang=`` is
passed, a Dutch account in Dutch, and ``lang=`` wins over the account's. Run
on the doubles and on the production wiring (the kit's own audit log) on
memory and on an SQLite file.

The expectations are written independently of the notifications table: a
Dutch and an English word of each subject, as the catalogue words them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Final

import pytest

from examkit.errors import ExamkitErrorGroup
from examkit.messages import Lang
from examkit.ports import Message
from examkit.testing import SignInHarness as Harness

IP: Final = Harness.IP
LOGIN: Final = Harness.LOGIN_NAME
PASSWORD: Final = Harness.PASSWORD
NEW_PASSWORD: Final = Harness.NEW_PASSWORD
NEW_EMAIL: Final = "karin.nieuw@school.nl"

SUBJECT_WORDS: Final[dict[str, dict[Lang, str]]] = {
    "auth.otp": {"nl": "eenmalig wachtwoord", "en": "one-time password"},
    "auth.reset": {"nl": "opnieuw instellen", "en": "Set a new password"},
    "auth.reset_done": {"nl": "opnieuw ingesteld", "en": "was reset"},
    "auth.reminder": {"nl": "verloopt over", "en": "expires in"},
    "auth.email_confirm": {"nl": "Bevestig uw nieuwe", "en": "Confirm your new"},
    "auth.email_notice": {"nl": "wordt gewijzigd", "en": "is being changed"},
}
"""A Dutch and an English phrase of each kind's subject (from the catalogue's text)."""

Kwargs = dict[str, Lang]
Sender = Callable[[Harness, str, Kwargs], list[Message]]
"""A use case sending its e-mails: the harness, the account's password, ``lang=`` or nothing."""


def _given(lang: Lang | None) -> Kwargs:
    """Return ``lang=`` as the caller passes it: not at all when ``None``."""
    return {} if lang is None else {"lang": lang}


def _sent(harness: Harness, before: int) -> list[Message]:
    return list(harness.mailer.outbox[before:])


def submit_credentials(h: Harness, password: str, given: Kwargs) -> list[Message]:
    before = len(h.mailer.outbox)
    h.staff_sign_in.submit_credentials(LOGIN, password, ip=IP, **given)
    return _sent(h, before)


def request_new_code(h: Harness, password: str, given: Kwargs) -> list[Message]:
    progress = h.staff_sign_in.submit_credentials(LOGIN, password, ip=IP, lang="nl")
    before = len(h.mailer.outbox)
    h.staff_sign_in.request_new_code(progress.transaction, ip=IP, **given)
    return _sent(h, before)


def change_password(h: Harness, password: str, given: Kwargs) -> list[Message]:
    progress = h.staff_sign_in.submit_credentials(LOGIN, password, ip=IP)
    before = len(h.mailer.outbox)
    h.staff_sign_in.change_password(progress.transaction, NEW_PASSWORD, ip=IP, **given)
    return _sent(h, before)


def change_expired_password(h: Harness, password: str, given: Kwargs) -> list[Message]:
    h.clock.advance(days=365)
    progress = h.staff_sign_in.submit_credentials(LOGIN, password, ip=IP)
    before = len(h.mailer.outbox)
    h.staff_sign_in.change_expired_password(
        progress.transaction, password, NEW_PASSWORD, ip=IP, **given
    )
    return _sent(h, before)


def request_reset(h: Harness, password: str, given: Kwargs) -> list[Message]:
    before = len(h.mailer.outbox)
    h.password_reset.request_reset(LOGIN, ip=IP, **given)
    return _sent(h, before)


def reset_password(h: Harness, password: str, given: Kwargs) -> list[Message]:
    h.password_reset.request_reset(LOGIN, ip=IP, lang="nl")
    token = h.link_token("auth.reset")
    before = len(h.mailer.outbox)
    h.password_reset.reset_password(token, NEW_PASSWORD, ip=IP, **given)
    return _sent(h, before)


def due_reminders(h: Harness, password: str, given: Kwargs) -> list[Message]:
    before = len(h.mailer.outbox)
    moment = h.clock.now() + timedelta(days=352)
    assert h.sign_in_housekeeping.due_reminders(moment, **given)
    return _sent(h, before)


def update_profile(h: Harness, password: str, given: Kwargs) -> list[Message]:
    account = h.account()
    before = len(h.mailer.outbox)
    h.profile.update_profile(
        account.id,
        first_name=account.first_name,
        last_name=account.last_name,
        email=NEW_EMAIL,
        phone=None,
        ip=IP,
        password=password,
        **given,
    )
    return _sent(h, before)


SENDERS: Final[dict[str, tuple[Sender, tuple[str, ...]]]] = {
    "submit_credentials": (submit_credentials, ("auth.otp",)),
    "request_new_code": (request_new_code, ("auth.otp",)),
    "change_password": (change_password, ("auth.otp",)),
    "change_expired_password": (change_expired_password, ("auth.otp",)),
    "request_reset": (request_reset, ("auth.reset",)),
    "reset_password": (reset_password, ("auth.reset_done",)),
    "due_reminders": (due_reminders, ("auth.reminder",)),
    "update_profile": (update_profile, ("auth.email_confirm", "auth.email_notice")),
}
"""Each sign-in use case that sends an e-mail, and the kinds it sends."""

CASES: Final = [
    pytest.param("en", None, "en", id="english-account"),
    pytest.param("nl", None, "nl", id="dutch-account"),
    pytest.param("nl", "en", "en", id="lang-en-wins"),
    pytest.param("en", "nl", "nl", id="lang-nl-wins"),
]


def _assert_written_in(message: Message, lang: Lang) -> None:
    other: Lang = "en" if lang == "nl" else "nl"
    words = SUBJECT_WORDS[message.kind]
    assert message.lang == lang
    assert words[lang] in message.subject, (message.kind, message.subject)
    assert words[other] not in message.subject, (message.kind, message.subject)


@pytest.mark.req("PLAT-2", "NOTE-1")
def test_every_sign_in_mail_kind_is_covered() -> None:
    """The use cases above send every kind of the sign-in's e-mails."""
    covered = {kind for _, kinds in SENDERS.values() for kind in kinds}
    assert set(SUBJECT_WORDS) == covered


@pytest.mark.req("PLAT-2", "NOTE-1")
@pytest.mark.parametrize("use_case", sorted(SENDERS))
@pytest.mark.parametrize(("account_lang", "given", "expected"), CASES)
def test_each_mail_follows_the_account_s_language_unless_lang_is_given(
    any_harness: Harness,
    use_case: str,
    account_lang: Lang,
    given: Lang | None,
    expected: Lang,
) -> None:
    """The account's language without ``lang=``; ``lang=`` when given; both ways round."""
    h = any_harness
    send, kinds = SENDERS[use_case]
    _, password = h.add_account(initial=use_case == "change_password", lang=account_lang)
    sent = send(h, password, _given(given))
    assert sorted(kinds) == sorted(message.kind for message in sent)
    for message in sent:
        _assert_written_in(message, expected)


@pytest.mark.req("PLAT-2", "NOTE-1")
def test_the_user_chooses_the_language_of_their_e_mails_in_the_profile(
    any_harness: Harness,
) -> None:
    """``preferred_lang=`` is stored; this request's e-mails and every later one follow it."""
    h = any_harness
    account, _ = h.add_account()
    assert account.lang == "nl"
    h.profile.update_profile(
        account.id,
        first_name=account.first_name,
        last_name=account.last_name,
        email=NEW_EMAIL,
        phone=None,
        ip=IP,
        password=PASSWORD,
        preferred_lang="en",
    )
    assert h.account().lang == "en"
    _assert_written_in(h.last_mail("auth.email_confirm"), "en")
    _assert_written_in(h.last_mail("auth.email_notice"), "en")
    h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    _assert_written_in(h.last_mail("auth.otp"), "en")
    h.profile.update_profile(
        account.id,
        first_name=account.first_name,
        last_name=account.last_name,
        email=account.email,
        phone=None,
        ip=IP,
    )
    assert h.account().lang == "en", "preferred_lang not given keeps the account's language"


@pytest.mark.req("PLAT-2", "NOTE-1")
def test_a_language_examkit_does_not_speak_is_refused_on_its_field(harness: Harness) -> None:
    """An unknown ``preferred_lang`` is a problem of that field; nothing is saved."""
    account, _ = harness.add_account()
    with pytest.raises(ExamkitErrorGroup) as refused:
        harness.profile.update_profile(
            account.id,
            first_name="Karina",
            last_name=account.last_name,
            email=account.email,
            phone=None,
            ip=IP,
            preferred_lang="fr",  # type: ignore[arg-type]
        )
    assert [("preferred_lang", "input.lang.unknown")] == [
        (problem.field, problem.code) for problem in refused.value.problems
    ]
    assert ("Karin", "nl") == (harness.account().first_name, harness.account().lang)


@pytest.mark.req("PLAT-2", "NOTE-1")
@pytest.mark.parametrize("use_case", sorted(SENDERS))
def test_every_use_case_that_sends_an_e_mail_takes_lang_the_same_way(use_case: str) -> None:
    """``lang: Lang | None = None``, keyword-only, on each of them."""
    import inspect

    from examkit.auth import PasswordReset, Profile, SignInHousekeeping, StaffSignIn

    owners = (StaffSignIn, PasswordReset, Profile, SignInHousekeeping)
    (method,) = [getattr(owner, use_case) for owner in owners if hasattr(owner, use_case)]
    parameter = inspect.signature(method).parameters["lang"]
    assert inspect.Parameter.KEYWORD_ONLY == parameter.kind
    assert parameter.default is None
    assert "Lang | None" == parameter.annotation
