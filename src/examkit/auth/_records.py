"""The sign-in's records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from examkit.auth._model import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    TrustedBrowser,
)
from examkit.storage import Index, Records, RecordType, microseconds

SIGNINS: Final = RecordType(
    "signins",
    SignInTransaction,
    kind="sign-in",
    key=lambda item: item.id,
    indexes=(
        Index("account", lambda item: item.account_id),
        Index("expires_at", lambda item: microseconds(item.expires_at), number=True),
    ),
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
)
"""Trusted browsers, keyed by the digest of their token: by account and expiry."""

SENT_REMINDERS: Final = RecordType(
    "sent_reminders",
    SentReminder,
    kind="reminder",
    key=lambda item: item.id,
    indexes=(Index("account", lambda item: item.account_id),),
)
"""Password-expiry reminders dealt with: by account."""

EMAIL_CHANGES: Final = RecordType(
    "email_changes", EmailChange, kind="e-mail change", key=lambda item: item.account_id
)
"""New e-mail addresses waiting for confirmation, one per account."""

AUTHENTICATORS: Final = RecordType(
    "authenticators", Authenticator, kind="authenticator", key=lambda item: item.account_id
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
