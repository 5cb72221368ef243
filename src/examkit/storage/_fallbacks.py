"""The optional capabilities, built on the primitives, for a backend that does not offer them.

Reading many records by key (:class:`ManyFallback`) is one ``get`` per key.

The attempt counter, the single-use tokens and the audit trail are records
like any other here (:data:`COUNTERS`, :data:`TOKENS`, :data:`AUDIT`): each
operation reads, then writes over the version it read. Where a backend
serialises its writing transactions (the memory backend, SQLite, a
minimal one), nothing can come between the two; where it does not, the
version check refuses the loser, and the operation reads again, at most
:data:`RETRIES` times, before it gives up with ``storage.busy``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

import attrs

from examkit.audit import AuditEvent, pseudonymised
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    InvalidInput,
    NotFound,
    StorageError,
)
from examkit.storage._declarations import Index, RecordType, microseconds
from examkit.storage._limits import AttemptCount, next_count
from examkit.storage._paging import Page, check_page_size
from examkit.storage._primitives import Transaction
from examkit.storage._privacy import VERSION_FIELD, NotPersonal, Personal
from examkit.storage._tokens import StoredToken

RETRIES: Final = 8
"""How often a fallback reads again after losing a version check, before ``storage.busy``."""

R = TypeVar("R")
T = TypeVar("T")


@attrs.frozen
class CounterEntry:
    """An attempt counter as a stored record."""

    id: str
    count: int
    expires_at: datetime
    version: int = 0


@attrs.frozen
class TokenEntry:
    """A single-use token as a stored record."""

    id: str
    token: StoredToken
    version: int = 0


@attrs.frozen
class AuditEntry:
    """An audit event as a stored record, numbered in the order of appending."""

    sequence: int
    event: AuditEvent
    version: int = 0


def _counter_key(purpose: str, key: str) -> str:
    return f"{purpose}\x1f{key}"


def audit_cursor(sequence: int, event: AuditEvent) -> str:
    """Return the listing place of the *sequence*-th audit event: its time, then its number."""
    return f"{event.at.strftime('%Y-%m-%dT%H:%M:%S.%f')}#{sequence:015d}"


_COUNTED: Final = Personal(
    purpose="count a login name's, account's or address's attempts in a window (key, count, "
    "end), to stop guessing and flooding (GDPR art. 32)",
    basis="legal_obligation",
    retention="sign_in",
    audience=("system",),
)

COUNTERS: Final = RecordType(
    "attempt_counters",
    CounterEntry,
    kind="attempt counter",
    key=lambda entry: entry.id,
    indexes=(Index("expires_at", lambda entry: microseconds(entry.expires_at), number=True),),
    privacy={
        "id": _COUNTED,
        "count": _COUNTED,
        "expires_at": _COUNTED,
        "version": VERSION_FIELD,
    },
)
"""Attempt counters, for backends without their own."""

TOKENS: Final = RecordType(
    "single_use_tokens",
    TokenEntry,
    kind="token",
    key=lambda entry: entry.id,
    indexes=(
        Index("subject", lambda entry: f"{entry.token.purpose}\x1f{entry.token.subject}"),
        Index("expires_at", lambda entry: microseconds(entry.token.expires_at), number=True),
    ),
    privacy={
        "id": NotPersonal("the token's purpose and the keyed digest of its random value"),
        "token": Personal(
            purpose="a single-use token (a password reset, an e-mail confirmation, an "
            "invitation, a federated message's replay key): its subject (an account) and data",
            basis="legal_obligation",
            retention="sign_in",
            audience=("system",),
        ),
        "version": VERSION_FIELD,
    },
)
"""Single-use tokens, for backends without their own."""

AUDIT: Final = RecordType(
    "audit_events",
    AuditEntry,
    kind="audit event",
    key=lambda entry: f"{entry.sequence:015d}",
    indexes=(
        Index("subject", lambda entry: entry.event.subject),
        Index("actor", lambda entry: entry.event.actor),
    ),
    order=lambda entry: audit_cursor(entry.sequence, entry.event),
    privacy={
        "sequence": NotPersonal("the event's number in the trail"),
        "event": Personal(
            purpose="who did what to whom, when, with what outcome: the audit trail, for the "
            "security and accountability of the processing (GDPR art. 5(2), 32)",
            basis="legal_obligation",
            retention="audit",
            audience=("administrator", "operator"),
        ),
        "version": VERSION_FIELD,
    },
)
"""The audit trail, for backends without their own."""

SEQUENCES: Final = RecordType(
    "sequences",
    CounterEntry,
    kind="sequence",
    key=lambda entry: entry.id,
    privacy={
        "id": NotPersonal("the sequence's name (the audit trail's)"),
        "count": NotPersonal("the last number handed out"),
        "expires_at": NotPersonal("when the sequence began (the counters' shape; it never lapses)"),
        "version": VERSION_FIELD,
    },
)
"""Numbers handed out in order (the audit trail's), for backends without their own."""

AUDIT_SEQUENCE: Final = "audit"
"""The sequence that numbers audit events in the fallback."""


def retrying(operation: Callable[[], R]) -> R:
    """Run *operation* again after a lost version check, at most :data:`RETRIES` times."""
    for _ in range(RETRIES):
        try:
            return operation()
        except ConcurrentModification:
            continue
    raise StorageError("storage.busy")


def check_limit_args(window: timedelta | None, limit: int) -> None:
    """Refuse a limit below 1 and a window of no length (``storage.invalid_argument``)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput("storage.invalid_argument", field="limit", argument="limit")
    if window is not None and window <= timedelta(0):
        raise InvalidInput("storage.invalid_argument", field="window", argument="window")


class CounterFallback:
    """An :class:`~examkit.storage.AttemptCounter` on the primitives."""

    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

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
        key_text = _counter_key(purpose, key)
        entry = retrying(lambda: self._bump(key_text, now, window, limit, stop_at_limit))
        return AttemptCount(count=entry.count, limit=limit, expires_at=entry.expires_at)

    def _bump(
        self, key: str, now: datetime, window: timedelta, limit: int, stop_at_limit: bool
    ) -> CounterEntry:
        current = self._tx.get(COUNTERS, key)
        if current is None:
            entry = CounterEntry(id=key, count=1, expires_at=now + window, version=1)
            try:
                self._tx.insert(COUNTERS, (entry,))
            except AlreadyExists:
                raise ConcurrentModification(kind="attempt counter", key=key) from None
            return entry
        count, expires_at = next_count(
            (current.count, current.expires_at),
            now=now,
            window=window,
            limit=limit,
            stop_at_limit=stop_at_limit,
        )
        entry = CounterEntry(
            id=key, count=count, expires_at=expires_at, version=current.version + 1
        )
        self._tx.replace(COUNTERS, entry, version=current.version)
        return entry

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        check_limit_args(None, limit)
        current = self._tx.get(COUNTERS, _counter_key(purpose, key))
        if current is None or current.expires_at <= now:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(count=current.count, limit=limit, expires_at=current.expires_at)

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        try:
            self._tx.delete(COUNTERS, _counter_key(purpose, key), version=None)
        except NotFound:
            if self._tx.readonly:
                raise

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        found = self._tx.find(COUNTERS, where={}, at_most=("expires_at", microseconds(now)))
        for entry in found:
            self._tx.delete(COUNTERS, entry.id, version=None)
        return len(found)


def _token_key(purpose: str, digest: str) -> str:
    return f"{purpose}\x1f{digest}"


class TokenFallback:
    """A :class:`~examkit.storage.TokenStore` on the primitives."""

    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        entry = TokenEntry(id=_token_key(token.purpose, token.digest), token=token, version=1)
        try:
            self._tx.insert(TOKENS, (entry,))
        except AlreadyExists:
            raise AlreadyExists(kind="token", key=token.purpose) from None

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        return retrying(lambda: self._take(_token_key(purpose, digest), now))

    def _take(self, key: str, now: datetime) -> StoredToken:
        found = self._tx.get(TOKENS, key)
        if found is None:
            raise NotFound("storage.token.unusable")
        try:
            self._tx.delete(TOKENS, key, version=found.version)
        except NotFound:
            raise NotFound("storage.token.unusable") from None
        if found.token.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found.token

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        found = self._tx.get(TOKENS, _token_key(purpose, digest))
        if found is None or found.token.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found.token

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        found = self._tx.find(TOKENS, where={"subject": f"{purpose}\x1f{subject}"})
        for entry in found:
            self._tx.delete(TOKENS, entry.id, version=None)
        return len(found)

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*."""
        found = self._tx.find(TOKENS, where={}, at_most=("expires_at", microseconds(now)))
        for entry in found:
            self._tx.delete(TOKENS, entry.id, version=None)
        return len(found)


class AuditFallback:
    """An :class:`~examkit.audit.AuditStore` on the primitives."""

    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    def append(self, event: AuditEvent) -> None:
        """Append *event*, numbered after every event before it."""
        sequence = retrying(lambda: self._next_sequence(event.at))
        self._tx.insert(AUDIT, (AuditEntry(sequence=sequence, event=event, version=1),))

    def _next_sequence(self, at: datetime) -> int:
        current = self._tx.get(SEQUENCES, AUDIT_SEQUENCE)
        if current is None:
            try:
                self._tx.insert(SEQUENCES, (CounterEntry(AUDIT_SEQUENCE, 1, at, version=1),))
            except AlreadyExists:
                raise ConcurrentModification(kind="audit event", key=AUDIT_SEQUENCE) from None
            return 1
        following = CounterEntry(
            AUDIT_SEQUENCE, current.count + 1, current.expires_at, version=current.version + 1
        )
        self._tx.replace(SEQUENCES, following, version=current.version)
        return following.count

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
        where = {name: value for name, value in (("subject", subject), ("actor", actor)) if value}
        start = after
        if since is not None:  # listing order is time order: start at *since*
            floor = f"{since.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%f')}#"
            start = floor if start is None or floor > start else start
        found = list(self._tx.find(AUDIT, where=where, after=start, limit=limit + 1))
        if until is not None:  # a prefix, in time order
            found = [entry for entry in found if entry.event.at < until]
        chosen = found[:limit]
        more = len(found) > limit
        return Page(
            items=tuple(entry.event for entry in chosen),
            next_after=AUDIT.order_of(chosen[-1]) if more else None,
        )

    def pseudonymise(
        self, names: Collection[str], pseudonym: str, *, details: Collection[str] = ()
    ) -> int:
        """Replace the person of *names* with *pseudonym* in every event (read in batches)."""
        names, details = frozenset(names), frozenset(details)
        changed = 0
        after: str | None = None
        while True:
            batch = self._tx.find(AUDIT, where={}, after=after, limit=_AUDIT_BATCH)
            for entry in batch:
                event = pseudonymised(entry.event, names, pseudonym, details)
                if event is not None:
                    replaced = attrs.evolve(entry, event=event, version=entry.version + 1)
                    self._tx.replace(AUDIT, replaced, version=entry.version)
                    changed += 1
            if len(batch) < _AUDIT_BATCH:
                return changed
            after = AUDIT.order_of(batch[-1])


_AUDIT_BATCH: Final = 500
"""How many audit events the fallback's pseudonymisation reads at a time."""


def distinct_keys(keys: Iterable[str]) -> list[str]:
    """Return *keys* without repeats, in the order first asked."""
    return list(dict.fromkeys(keys))


class ManyFallback:
    """Reading many records by key (capability ``many``) on the primitives: one ``get`` per key."""

    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    def get_many(self, record: RecordType[Any, T], keys: Iterable[str]) -> Mapping[str, T]:
        """Return the records of *record*'s kind with *keys*, by key; missing keys are absent.

        Each key is asked once (repeats are answered once), in the order asked.
        """
        found: dict[str, T] = {}
        for key in distinct_keys(keys):
            item = self._tx.get(record, key)
            if item is not None:
                found[key] = item
        return found
