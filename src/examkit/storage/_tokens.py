"""Single-use tokens: one-time passwords, reset links, invitations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from examkit._fields import require_aware_utc


def _freeze(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted((value or {}).items())))


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value, "expires_at")


@attrs.frozen
class StoredToken:
    """A single-use token as stored: only its keyed digest, never the token itself."""

    purpose: str
    """What it is for, as a dotted code (``auth.otp``, ``auth.reset``)."""
    digest: str
    """The keyed digest (HMAC) of the token; the token itself is never stored."""
    subject: str
    """Whom it was issued to (an account id, a sign-in transaction id)."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When it stops working."""
    data: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze)
    """What the use case needs back on consumption (never a secret)."""

    def __hash__(self) -> int:
        return hash((self.purpose, self.digest))

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, StoredToken):
            return NotImplemented
        return (self.purpose, self.digest, self.subject, self.expires_at, dict(self.data)) == (
            other.purpose,
            other.digest,
            other.subject,
            other.expires_at,
            dict(other.data),
        )


class TokenStore(Protocol):
    """Keeps single-use tokens; of two simultaneous consumers exactly one succeeds.

    A backend implements :meth:`consume` as one atomic step (a single
    DELETE ... RETURNING or equivalent, never check-then-delete).
    """

    def put(self, token: StoredToken) -> None:
        """Store *token*.

        Raises:
            AlreadyExists: a token with the same purpose and digest exists.
        """
        ...

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token, if it exists and has not expired at *now*.

        Raises:
            NotFound: there is no such token, it was used, or it expired.
        """
        ...

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token without consuming it (a reset link's landing page).

        Raises:
            NotFound: there is no such token, it was used, or it expired.
        """
        ...

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*; return how many."""
        ...

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*; return how many."""
        ...
