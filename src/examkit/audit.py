"""Audit events and the audit log kept in storage.

An audit event says who did what to what, when, and how it ended; it never
carries a secret. :class:`StoredAuditLog` is the production
:class:`~examkit.ports.AuditLog`: it appends each event in a unit of work of
its own, so a failure that rolls the use case back is still audited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from examkit._fields import require_aware_utc
from examkit.errors import InvalidInput

if TYPE_CHECKING:
    from examkit.storage import Backend

__all__ = ["AuditEvent", "AuditOutcome", "StoredAuditLog"]

AuditOutcome = Literal["success", "failure", "denied"]
"""How an audited action ended."""

_SECRET_WORDS = re.compile(r"pass|secret|token|otp|code|hash|key", re.IGNORECASE)


def _check_details(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    for key in value:
        if _SECRET_WORDS.search(key):
            raise InvalidInput("audit.details.secret", field=attribute.name, key=key)


def _freeze_details(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted((value or {}).items())))


def _aware_at(value: datetime) -> datetime:
    return require_aware_utc(value, "at")


@attrs.frozen
class AuditEvent:
    """One line of the audit trail: who did what to what, when, and how it ended.

    An audit event never carries a secret: a detail whose key names one
    (password, token, OTP, code, hash, key) is refused.

    >>> from datetime import datetime, timezone
    >>> event = AuditEvent(
    ...     at=datetime(2026, 9, 1, 8, tzinfo=timezone.utc), actor="k.beheerder",
    ...     action="org.institution.registered", subject="institution:22AB")
    >>> event.outcome
    'success'
    """

    at: datetime = attrs.field(converter=_aware_at)
    """When it happened (aware, UTC)."""
    actor: str | None
    """Who did it (an account id or login name); ``None`` for the system itself."""
    action: str
    """What was done, as a dotted code (``auth.sign_in``)."""
    subject: str
    """What it was done to, as ``kind:id`` (``account:abc``, ``institution:22AB``)."""
    outcome: AuditOutcome = "success"
    """How it ended."""
    details: Mapping[str, str] = attrs.field(
        factory=dict, converter=_freeze_details, validator=_check_details
    )
    """Further facts (never a secret)."""

    def __hash__(self) -> int:
        return hash((self.at, self.actor, self.action, self.subject, self.outcome))


class StoredAuditLog:
    """An :class:`~examkit.ports.AuditLog` that appends to the backend's audit store.

    Each event is written and committed in its own unit of work.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def stores_in(self, backend: Backend) -> bool:
        """Return whether this log keeps its events in *backend*'s audit store.

        A use case writing to the same backend may then append its events
        in its own unit of work (``uow.audit``), so they are committed
        together with the change they describe, and not at all when it
        rolls back; what it refuses it still records here.
        """
        return backend is self._backend

    def record(self, event: AuditEvent) -> None:
        """Append *event* to the stored trail."""
        with self._backend.begin() as uow:
            uow.audit.append(event)
            uow.commit()

    def __repr__(self) -> str:
        return f"StoredAuditLog({self._backend!r})"
