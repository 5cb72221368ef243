"""The e-mails of an approved application, composed from the catalogue (pure).

The administrator's new-account e-mail is the roles issue's
:func:`~examkit.roles.credentials_message` (login name and initial
password); here are the competent authority's confirmation of the
registration and the notice to an administrator whose account from an
earlier year is kept.
"""

from __future__ import annotations

from examkit.applications._model import AccountApplication
from examkit.messages import Lang, text
from examkit.ports import Message
from examkit.roles import Application

__all__ = ["account_kept_message", "registration_confirmation_message"]


def _label(application: Application, lang: Lang) -> str:
    return application.label_en if lang == "en" else application.label_nl


def _locations(application: AccountApplication) -> str:
    return ", ".join(str(code) for code in application.school.location_codes)


def registration_confirmation_message(
    application: AccountApplication, *, system: Application, lang: Lang
) -> Message:
    """Return the competent authority's confirmation that the administrator is registered.

    >>> from examkit.applications import example_application
    >>> from examkit.roles import MATRIX
    >>> message = registration_confirmation_message(
    ...     example_application(), system=MATRIX.applications["ce_portal"], lang="en")
    >>> message.to
    ('g.jansen@helpdeskschool.nl',)
    >>> print(message.subject)
    Registration of the administrator for Central end-of-primary-school test portal

    Implements NOTE-1 and ACC-6.
    """
    authority = application.competent_authority
    admin = application.administrator
    name = _label(system, lang)
    return Message(
        to=authority.email,
        subject=text("applications.mail.confirmation.subject", lang, application=name),
        body=text(
            "applications.mail.confirmation.body",
            lang,
            name=authority.full_name,
            application=name,
            school=application.school.name,
            locations=_locations(application),
            administrator=admin.full_name,
            login_name=str(admin.login_name),
            email=admin.email,
        ),
        lang=lang,
        kind="applications.confirmation",
    )


def account_kept_message(
    application: AccountApplication, *, login_name: str, system: Application, lang: Lang
) -> Message:
    """Return the notice to an administrator whose existing account now administers the school.

    Their account from an earlier school year keeps working (ACC-7): no new
    password; the login name stays.

    Implements NOTE-1 and ACC-7.
    """
    admin = application.administrator
    name = _label(system, lang)
    return Message(
        to=admin.email,
        subject=text("applications.mail.kept.subject", lang, application=name),
        body=text(
            "applications.mail.kept.body",
            lang,
            name=admin.full_name,
            application=name,
            school=application.school.name,
            locations=_locations(application),
            login_name=login_name,
        ),
        lang=lang,
        kind="applications.account_kept",
    )
