"""The web sessions as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol

from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Personal,
    Records,
    RecordType,
    Repository,
    microseconds,
)
from examkit.websessions._model import WebSession

_SESSION: Final = Personal(
    purpose="the account holder's signed-in session: whose it is, when it began, was last "
    "used, lapses or was ended (WEB-2)",
    basis="legal_obligation",
    retention="sign_in",
    audience=("self", "operator"),
)

WEB_SESSIONS: Final = RecordType(
    "web_sessions",
    WebSession,
    kind="web session",
    key=lambda item: item.id,
    indexes=(
        Index("account", lambda item: item.account_id),
        Index("ends_at", lambda item: microseconds(item.ends_at), number=True),
    ),
    privacy={
        "id": NotPersonal("the keyed digest of the session's random id"),
        "account_id": _SESSION,
        "created_at": _SESSION,
        "last_seen_at": _SESSION,
        "idle_timeout": NotPersonal("how long a session may go unused (the portal's setting)"),
        "expires_at": _SESSION,
        "generation": NotPersonal("the version of the grants the session was issued under"),
        "revoked_at": _SESSION,
        "scope": NotPersonal("what the session opens: the portal or the proctor monitor"),
        "version": VERSION_FIELD,
    },
)
"""Signed-in browser sessions, keyed by the digest of their id: by account and end."""


class WebSessionRepository(Repository[str, WebSession], Protocol):
    """Signed-in browser sessions, keyed by the digest of their id; no other unique value.

    :meth:`list_for_account` orders by the time of sign-in, then by key.
    """

    def list_for_account(self, account_id: str) -> tuple[WebSession, ...]:
        """Return every stored session of *account_id* (ended ones too), oldest first."""
        ...

    def purge_ended(self, now: datetime) -> int:
        """Remove the sessions ended (revoked, idle or expired) at *now*; return how many."""
        ...


class WebSessionRecords(Records[str, WebSession]):
    """The :class:`WebSessionRepository` on any backend."""

    def list_for_account(self, account_id: str) -> tuple[WebSession, ...]:
        """Return every stored session of *account_id* (ended ones too), oldest first."""
        found = self._find({"account": account_id})
        return tuple(sorted(found, key=lambda item: (item.created_at, item.id)))

    def purge_ended(self, now: datetime) -> int:
        """Remove the sessions ended (revoked, idle or expired) at *now*; return how many."""
        return self._remove_found(at_most=("ends_at", microseconds(now)))
