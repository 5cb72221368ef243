"""The memory backend's own atomic capabilities: attempt counters, single-use tokens, audit.

Atomic because the memory backend serialises its writing transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from examkit.audit import AuditEvent, pseudonymised
from examkit.backends.memory._state import GONE
from examkit.errors import AlreadyExists, NotFound
from examkit.storage import (
    AttemptCount,
    Page,
    StoredToken,
    audit_cursor,
    check_limit_args,
    check_page_size,
    next_count,
    page_of,
)

if TYPE_CHECKING:
    from examkit.backends.memory._backend import MemoryTransaction


@attrs.frozen
class _Attempts:
    count: int
    expires_at: datetime


class MemoryAttemptCounter:
    """Attempt counters in memory; atomic because writing units are serialised."""

    table = "attempts"

    def __init__(self, uow: MemoryTransaction) -> None:
        self._uow = uow

    def record(
        self,
        purpose: str,
        key: str,
        *,
        now: datetime,
        window: timedelta,
        limit: int,
        stop_at_limit: bool = False,
    ) -> AttemptCount:
        """Count one attempt at *now* (not past *limit* with *stop_at_limit*)."""
        check_limit_args(window, limit)
        overlay = self._uow._write_view()
        current = overlay.get(self.table, (purpose, key))
        count, ends = next_count(
            None if current is GONE else (current.count, current.expires_at),
            now=now,
            window=window,
            limit=limit,
            stop_at_limit=stop_at_limit,
        )
        entry = _Attempts(count=count, expires_at=ends)
        overlay.put(self.table, (purpose, key), entry)
        return AttemptCount(count=entry.count, limit=limit, expires_at=entry.expires_at)

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        check_limit_args(None, limit)
        current = self._uow._read_view().get(self.table, (purpose, key))
        if current is GONE or current.expires_at <= now:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(count=current.count, limit=limit, expires_at=current.expires_at)

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        self._uow._write_view().put(self.table, (purpose, key), GONE)

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        return _purge(self._uow, self.table, lambda entry: entry.expires_at <= now)


def _purge(uow: MemoryTransaction, table: str, expired: Callable[[Any], bool]) -> int:
    overlay = uow._write_view()
    gone = [key for key, value in overlay.items(table) if expired(value)]
    for key in gone:
        overlay.put(table, key, GONE)
    return len(gone)


class MemoryTokenStore:
    """Single-use tokens in memory; consumption is atomic because writers are serialised."""

    table = "tokens"

    def __init__(self, uow: MemoryTransaction) -> None:
        self._uow = uow

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        overlay = self._uow._write_view()
        key = (token.purpose, token.digest)
        if overlay.get(self.table, key) is not GONE:
            raise AlreadyExists(kind="token", key=token.purpose)
        overlay.put(self.table, key, token)

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        overlay = self._uow._write_view()
        found = overlay.get(self.table, (purpose, digest))
        if found is GONE:
            raise NotFound("storage.token.unusable")
        overlay.put(self.table, (purpose, digest), GONE)
        if found.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found  # type: ignore[no-any-return]

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        found = self._uow._read_view().get(self.table, (purpose, digest))
        if found is GONE or found.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found  # type: ignore[no-any-return]

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        return _purge(
            self._uow,
            self.table,
            lambda token: token.purpose == purpose and token.subject == subject,
        )

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*."""
        return _purge(self._uow, self.table, lambda token: token.expires_at <= now)


class MemoryAuditStore:
    """The audit trail in memory."""

    def __init__(self, uow: MemoryTransaction) -> None:
        self._uow = uow

    def append(self, event: AuditEvent) -> None:
        """Append *event*."""
        self._uow._write_view().audit.append(event)

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
        """Return events by time, then by order of appending."""
        check_page_size(limit)
        records = list(enumerate(_trail(self._uow)))
        chosen = [
            (sequence, event)
            for sequence, event in records
            if (subject is None or event.subject == subject)
            and (actor is None or event.actor == actor)
            and (since is None or event.at >= since)
            and (until is None or event.at < until)
        ]
        page = page_of(chosen, lambda record: audit_cursor(*record), after, limit)
        return Page(items=tuple(event for _, event in page.items), next_after=page.next_after)

    def pseudonymise(
        self, names: Collection[str], pseudonym: str, *, details: Collection[str] = ()
    ) -> int:
        """Replace the person of *names* with *pseudonym* in every event, in this unit."""
        overlay = self._uow._write_view()
        names, details = frozenset(names), frozenset(details)
        committed = len(overlay.base.audit())
        changed = 0
        for place, event in enumerate(_trail(self._uow)):
            rewritten = pseudonymised(event, names, pseudonym, details)
            if rewritten is None:
                continue
            changed += 1
            if place < committed:
                overlay.audit_rewrites[place] = rewritten
            else:
                overlay.audit[place - committed] = rewritten
        return changed


def _trail(uow: MemoryTransaction) -> list[AuditEvent]:
    """Return the trail as *uow* sees it: committed (as it rewrote it), then its own events."""
    overlay = uow._read_view()
    committed = overlay.base.audit()
    for place, event in overlay.audit_rewrites.items():
        committed[place] = event
    return [*committed, *overlay.audit]
