"""The sign-in's records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Final

from examkit.auth._model import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    TrustedBrowser,
)
from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Personal,
    Records,
    RecordType,
    microseconds,
)

_sign_in: Final = partial(
    Personal, basis="legal_obligation", retention="sign_in", audience=("self", "operator")
)
"""A sign-in's field: kept for the sign-in and its security (GDPR art. 32): give it the purpose."""


_account: Final = partial(
    Personal, basis="legal_obligation", retention="account", audience=("self", "operator")
)
"""A field about the account holder's second factor or password, kept with the account: give it
the purpose."""


SIGNINS: Final = RecordType(
    "signins",
    SignInTransaction,
    kind="sign-in",
    key=lambda item: item.id,
    indexes=(
        Index("account", lambda item: item.account_id),
        Index("expires_at", lambda item: microseconds(item.expires_at), number=True),
    ),
    privacy={
        "id": NotPersonal("the keyed digest of the sign-in's random token"),
        "account_id": _sign_in("the account signing in"),
        "step": _sign_in("the step the account holder's sign-in waits at"),
        "application": _sign_in("the environment the account holder signs in to"),
        "ip": _sign_in("the client's IP address: where the sign-in comes from (security)"),
        "started_at": _sign_in("when the account holder's password was accepted"),
        "expires_at": _sign_in("when the account holder's sign-in lapses"),
        "factor": _sign_in("the second factor the account holder is asked for"),
        "code_generation": NotPersonal("how many codes were sent (a counter)"),
        "code_expires_at": _sign_in("when the account holder's e-mailed code stops working"),
        "password_expires_at": _sign_in("when the account holder's password expires"),
        "version": VERSION_FIELD,
    },
)
"""Sign-ins in progress, keyed by the digest of their token: by account and expiry."""

TRUSTED_BROWSERS: Final = RecordType(
    "trusted_browsers",
    TrustedBrowser,
    kind="trusted browser",
    key=lambda item: item.id,
    indexes=(
        Index("account", lambda item: item.account_id),
        Index("expires_at", lambda item: microseconds(item.expires_at), number=True),
    ),
    privacy={
        "id": NotPersonal("the keyed digest of the browser's random token"),
        "account_id": _sign_in("the account the browser is trusted for"),
        "ip": _sign_in("the client's IP address the browser was trusted from (security)"),
        "trusted_at": _sign_in("when the account holder signed in with a second factor"),
        "expires_at": _sign_in("when the trust ends"),
        "version": VERSION_FIELD,
    },
)
"""Trusted browsers, keyed by the digest of their token: by account and expiry."""

SENT_REMINDERS: Final = RecordType(
    "sent_reminders",
    SentReminder,
    kind="reminder",
    key=lambda item: item.id,
    indexes=(Index("account", lambda item: item.account_id),),
    privacy={
        "id": NotPersonal("the reminder's key"),
        "account_id": _account("the account reminded of its password's expiry"),
        "password_set_at": _account("when the account holder's password was set"),
        "days": NotPersonal("how many days before the expiry the reminder is due"),
        "sent_at": _account("when the account holder was reminded"),
        "mailed": NotPersonal("whether this reminder was mailed or a later one went instead"),
        "version": VERSION_FIELD,
    },
)
"""Password-expiry reminders dealt with: by account."""

EMAIL_CHANGES: Final = RecordType(
    "email_changes",
    EmailChange,
    kind="e-mail change",
    key=lambda item: item.account_id,
    privacy={
        "account_id": _sign_in("the account whose e-mail address changes"),
        "email": _sign_in("the new e-mail address, until its holder confirms it"),
        "requested_at": _sign_in("when the account holder asked for the change"),
        "expires_at": _sign_in("when the confirmation link stops working"),
        "version": VERSION_FIELD,
    },
)
"""New e-mail addresses waiting for confirmation, one per account."""

AUTHENTICATORS: Final = RecordType(
    "authenticators",
    Authenticator,
    kind="authenticator",
    key=lambda item: item.account_id,
    privacy={
        "account_id": _account("the account the authenticator app is enrolled for"),
        "nonce": Personal(
            purpose="derive the account holder's authenticator seed (with the token key)",
            basis="legal_obligation",
            retention="account",
            audience=("system",),
        ),
        "enrolled_at": _account("when the account holder enrolled the app"),
        "confirmed_at": _account("when a first code confirmed the app"),
        "last_step": NotPersonal("the last time step whose code was accepted (a counter)"),
        "key_id": NotPersonal("the id of the token key the seed is derived under"),
        "version": VERSION_FIELD,
    },
)
"""Authenticator apps enrolled for the second factor, one per account."""


class SignInTransactionRecords(Records[str, SignInTransaction]):
    """The :class:`~examkit.auth.SignInTransactionRepository` on any backend."""

    def remove_for_account(self, account_id: str) -> int:
        """Remove every transaction of *account_id* (sign out everywhere); return how many."""
        return self._remove_found({"account": account_id})

    def purge_expired(self, now: datetime) -> int:
        """Remove the transactions lapsed at *now*; return how many."""
        return self._remove_found(at_most=("expires_at", microseconds(now)))


class TrustedBrowserRecords(Records[str, TrustedBrowser]):
    """The :class:`~examkit.auth.TrustedBrowserRepository` on any backend."""

    def list_for_account(self, account_id: str) -> tuple[TrustedBrowser, ...]:
        """Return the browsers trusted for *account_id*, oldest first."""
        found = self._find({"account": account_id})
        return tuple(sorted(found, key=lambda item: (item.trusted_at, item.id)))

    def remove_for_account(self, account_id: str) -> int:
        """Revoke every browser trusted for *account_id*; return how many."""
        return self._remove_found({"account": account_id})

    def purge_expired(self, now: datetime) -> int:
        """Remove the browsers whose trust lapsed at *now*; return how many."""
        return self._remove_found(at_most=("expires_at", microseconds(now)))


class SentReminderRecords(Records[str, SentReminder]):
    """The :class:`~examkit.auth.SentReminderRepository` on any backend."""

    def list_for_account(self, account_id: str) -> tuple[SentReminder, ...]:
        """Return the reminders of *account_id*, by key."""
        return self._find({"account": account_id})
