"""The e-mails that tell a new user about their account (pure), through the notifications.

Each follows the account's preferred language
(:attr:`~examkit.accounts.Account.lang`) unless the use case is given one.
"""

from __future__ import annotations

from datetime import date, datetime

from examkit.accounts import Account
from examkit.messages import Lang
from examkit.notifications import compose, language
from examkit.permissions import System
from examkit.ports import Message


def credentials_message(
    account: Account,
    *,
    application: System,
    password: str,
    expires: date,
    url: str,
    lang: Lang | None = None,
) -> Message:
    """Return the exam system's e-mail to a new user: login name and initial password.

    The password is valid up to and including *expires* and must be changed
    at the first sign-in (seed 004 §4.1.1). Written in *lang*, else in the
    account's language.

    Implements NOTE-1 and AUTH-2.
    """
    written_in = language(account.lang, lang)
    return compose(
        "roles.credentials",
        account.email,
        written_in,
        name=account.full_name,
        application=application.label(written_in),
        login_name=str(account.login_name),
        password=password,
        expires=expires.isoformat(),
        url=url,
    )


def invitation_message(
    account: Account,
    *,
    application: System,
    institution: str,
    inviter: str,
    url: str,
    expires: datetime,
    lang: Lang | None = None,
) -> Message:
    """Return the monitoring system's invitation with its single-use activation link.

    Written in *lang*, else in the account's language.

    Implements NOTE-1 and ROLE-3.
    """
    written_in = language(account.lang, lang)
    return compose(
        "roles.invitation",
        account.email,
        written_in,
        name=account.full_name,
        inviter=inviter,
        application=application.label(written_in),
        institution=institution,
        url=url,
        expires=expires.strftime("%Y-%m-%d %H:%M UTC"),
    )
