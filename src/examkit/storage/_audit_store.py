"""The stored audit trail: append-only, listable by subject, actor and time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from examkit.audit import AuditEvent
    from examkit.storage._paging import Page


class AuditStore(Protocol):
    """Appends audit events and lists them in time order; nothing is ever edited."""

    def append(self, event: AuditEvent) -> None:
        """Append *event*."""
        ...

    def list(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AuditEvent]:
        """Return events by time (then by order of appending), filtered.

        Args:
            subject: Only events about this subject.
            actor: Only events by this actor.
            since: Only events at or after this time.
            until: Only events before this time.
            after: The cursor of the previous page.
            limit: At most this many events.
        """
        ...
