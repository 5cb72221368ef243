"""The e-mails that tell a new user about their account, composed from the catalogue (pure)."""

from __future__ import annotations

from datetime import date, datetime

from examkit.accounts import Account
from examkit.messages import Lang, text
from examkit.ports import Message
from examkit.roles._matrix import Application


def _label(application: Application, lang: Lang) -> str:
    return application.label_en if lang == "en" else application.label_nl


def credentials_message(
    account: Account,
    *,
    application: Application,
    password: str,
    expires: date,
    url: str,
    lang: Lang,
) -> Message:
    """Return the exam system's e-mail to a new user: login name and initial password.

    The password is valid up to and including *expires* and must be changed
    at the first sign-in (seed 004 §4.1.1).

    Implements NOTE-1 and AUTH-2.
    """
    name = _label(application, lang)
    return Message(
        to=account.email,
        subject=text("roles.mail.credentials.subject", lang, application=name),
        body=text(
            "roles.mail.credentials.body",
            lang,
            name=account.full_name,
            application=name,
            login_name=str(account.login_name),
            password=password,
            expires=expires.isoformat(),
            url=url,
        ),
        lang=lang,
        kind="roles.credentials",
    )


def invitation_message(
    account: Account,
    *,
    application: Application,
    institution: str,
    inviter: str,
    url: str,
    expires: datetime,
    lang: Lang,
) -> Message:
    """Return the monitoring system's invitation with its single-use activation link.

    Implements NOTE-1 and ROLE-3.
    """
    name = _label(application, lang)
    return Message(
        to=account.email,
        subject=text("roles.mail.invitation.subject", lang, application=name),
        body=text(
            "roles.mail.invitation.body",
            lang,
            name=account.full_name,
            inviter=inviter,
            application=name,
            institution=institution,
            url=url,
            expires=expires.strftime("%Y-%m-%d %H:%M UTC"),
        ),
        lang=lang,
        kind="roles.invitation",
    )
