"""The e-mails of an approved application, composed from the catalogue (pure).

The administrator's new-account e-mail is the roles issue's
:func:`~examkit.roles.credentials_message` (login name and initial
password); here are the competent authority's confirmation of the
registration and the notice to an administrator whose account from an
earlier year is kept. The confirmation goes to the competent authority,
who has no account here: it is written in the language the use case is
given. The notice follows the kept account's language unless the use case
is given one.
"""

from __future__ import annotations

from examkit.accounts import Account
from examkit.applications._model import AccountApplication
from examkit.messages import Lang
from examkit.notifications import compose, language
from examkit.permissions import System
from examkit.ports import Message

__all__ = ["account_kept_message", "registration_confirmation_message", "rejection_message"]


def _locations(application: AccountApplication) -> str:
    return ", ".join(str(code) for code in application.school.location_codes)


def registration_confirmation_message(
    application: AccountApplication, *, system: System, lang: Lang
) -> Message:
    """Return the competent authority's confirmation that the administrator is registered.

    >>> from examkit.applications import example_application
    >>> from examkit.permissions import MATRIX
    >>> message = registration_confirmation_message(
    ...     example_application(), system=MATRIX.systems["ce_portal"], lang="en")
    >>> message.to
    ('g.jansen@helpdeskschool.nl',)
    >>> print(message.subject)
    Registration of the administrator for Central end-of-primary-school test portal

    Implements NOTE-1 and ACC-6.
    """
    authority = application.competent_authority
    admin = application.administrator
    return compose(
        "applications.confirmation",
        authority.email,
        lang,
        name=authority.full_name,
        application=system.label(lang),
        school=application.school.name,
        locations=_locations(application),
        administrator=admin.full_name,
        login_name=str(admin.login_name),
        email=admin.email,
    )


def account_kept_message(
    application: AccountApplication,
    *,
    account: Account,
    system: System,
    lang: Lang | None = None,
) -> Message:
    """Return the notice to an administrator whose existing *account* now administers the school.

    Their account from an earlier school year keeps working (ACC-7): no new
    password; the login name stays. Written in *lang*, else in the account's
    language.

    Implements NOTE-1 and ACC-7.
    """
    admin = application.administrator
    written_in = language(account.lang, lang)
    return compose(
        "applications.account_kept",
        admin.email,
        written_in,
        name=admin.full_name,
        application=system.label(written_in),
        school=application.school.name,
        locations=_locations(application),
        login_name=str(account.login_name),
    )


def rejection_message(
    application: AccountApplication, *, system: System, reason: str, lang: Lang
) -> Message:
    """Return the notice that *application* was rejected, with the operator's *reason*.

    It goes to the administrator applied for and to the competent authority
    (neither has an account here yet), in *lang*.

    >>> from examkit.applications import example_application
    >>> from examkit.permissions import MATRIX
    >>> message = rejection_message(
    ...     example_application(), system=MATRIX.systems["ce_portal"],
    ...     reason="Not signed by the competent authority.", lang="en")
    >>> message.to
    ('k.beheerder@helpdeskschool.nl', 'g.jansen@helpdeskschool.nl')
    >>> "Not signed by the competent authority." in message.body
    True

    Implements NOTE-1 and ACC-6.
    """
    admin = application.administrator
    return compose(
        "applications.rejected",
        (admin.email, application.competent_authority.email),
        lang,
        name=admin.full_name,
        authority=application.competent_authority.full_name,
        application=system.label(lang),
        school=application.school.name,
        reason=reason,
    )
