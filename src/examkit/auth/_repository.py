"""Repository protocols of the sign-in's stored aggregates."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from examkit.auth._model import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    TrustedBrowser,
)
from examkit.storage import Repository


class SignInTransactionRepository(Repository[str, SignInTransaction], Protocol):
    """Sign-ins in progress, keyed by the digest of their token; no other unique value."""

    def remove_for_account(self, account_id: str) -> int:
        """Remove every transaction of *account_id* (sign out everywhere); return how many."""
        ...

    def purge_expired(self, now: datetime) -> int:
        """Remove the transactions lapsed at *now*; return how many."""
        ...


class TrustedBrowserRepository(Repository[str, TrustedBrowser], Protocol):
    """Trusted browsers, keyed by the digest of their token; no other unique value.

    :meth:`list_for_account` orders by the time of trust, then by key.
    """

    def list_for_account(self, account_id: str) -> tuple[TrustedBrowser, ...]:
        """Return the browsers trusted for *account_id*, oldest first."""
        ...

    def remove_for_account(self, account_id: str) -> int:
        """Revoke every browser trusted for *account_id*; return how many."""
        ...

    def purge_expired(self, now: datetime) -> int:
        """Remove the browsers whose trust lapsed at *now*; return how many."""
        ...


class SentReminderRepository(Repository[str, SentReminder], Protocol):
    """Password-expiry reminders dealt with, keyed by :func:`~examkit.auth.reminder_id`.

    Adding a key that exists raises :class:`~examkit.errors.AlreadyExists`:
    that is how a reminder is claimed exactly once.
    """

    def list_for_account(self, account_id: str) -> tuple[SentReminder, ...]:
        """Return the reminders of *account_id*, by key."""
        ...


class EmailChangeRepository(Repository[str, EmailChange], Protocol):
    """New e-mail addresses waiting for confirmation, keyed by account id (one each)."""


class AuthenticatorRepository(Repository[str, Authenticator], Protocol):
    """Authenticator apps, keyed by account id (one each)."""
