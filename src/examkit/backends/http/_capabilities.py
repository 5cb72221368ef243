"""The client's capabilities: each call of the port's capabilities is one request."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar

from examkit.audit import AuditEvent
from examkit.converter import structure, unstructure
from examkit.errors import StorageError
from examkit.scheduling import RecordedResponse, SavedResponse
from examkit.storage import (
    AttemptCount,
    Page,
    RecordType,
    StoredToken,
    check_limit_args,
    check_page_size,
)

if TYPE_CHECKING:
    from examkit.backends.http._client import HttpTransaction

T = TypeVar("T")


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _count(data: Any) -> AttemptCount:
    expires = data["expires_at"]
    return AttemptCount(
        count=data["count"],
        limit=data["limit"],
        expires_at=None if expires is None else datetime.fromisoformat(expires),
    )


class HttpMany:
    """Capability ``many``: records by key, in one request."""

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

    def get_many(self, record: RecordType[Any, T], keys: Iterable[str]) -> Mapping[str, T]:
        """Return the records of *record*'s kind with *keys*, by key."""
        return self._tx.get_many(record, keys)


class HttpAttemptCounter:
    """The server's attempt counter (its backend's own, or the fallback), one request a call."""

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

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
        self._tx.check_writable()
        op = {
            "op": "counter.record",
            "purpose": purpose,
            "key": key,
            "now": _moment(now),
            "window_us": window // timedelta(microseconds=1),
            "limit": limit,
            "stop_at_limit": stop_at_limit,
        }
        return _count(self._tx.send([op])[0])

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        check_limit_args(None, limit)
        op = {"op": "counter.peek", "purpose": purpose, "key": key, "now": _moment(now)}
        return _count(self._tx.send_one({**op, "limit": limit}))

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        self._tx.check_writable()
        self._tx.send([{"op": "counter.reset", "purpose": purpose, "key": key}])

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries; return how many."""
        self._tx.check_writable()
        return int(self._tx.send([{"op": "counter.purge", "now": _moment(now)}])[0])


class HttpTokenStore:
    """The server's single-use tokens, one request a call."""

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

    def _token(self, data: Any) -> StoredToken:
        try:
            return structure(data, StoredToken)
        except Exception:
            raise StorageError("http.response.invalid") from None

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        self._tx.check_writable()
        self._tx.send([{"op": "token.put", "token": unstructure(token)}])

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        self._tx.check_writable()
        op = {"op": "token.consume", "purpose": purpose, "digest": digest, "now": _moment(now)}
        return self._token(self._tx.send([op])[0])

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        op = {"op": "token.peek", "purpose": purpose, "digest": digest, "now": _moment(now)}
        return self._token(self._tx.send_one(op))

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*; return how many."""
        self._tx.check_writable()
        op = {"op": "token.revoke", "purpose": purpose, "subject": subject}
        return int(self._tx.send([op])[0])

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*; return how many."""
        self._tx.check_writable()
        return int(self._tx.send([{"op": "token.purge", "now": _moment(now)}])[0])


class HttpAuditStore:
    """The server's audit trail: appends go with the unit's next request, the rest one each."""

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

    def append(self, event: AuditEvent) -> None:
        """Append *event*: sent with the unit's next request (at the latest its commit)."""
        self._tx.check_writable()
        self._tx.pending.append({"op": "audit.append", "event": unstructure(event)})

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
        op = {
            "op": "audit.list",
            "subject": subject,
            "actor": actor,
            "since": _moment(since),
            "until": _moment(until),
            "after": after,
            "limit": limit,
        }
        data = self._tx.send_one(op)
        try:
            items = tuple(structure(item, AuditEvent) for item in data["items"])
        except Exception:
            raise StorageError("http.response.invalid") from None
        return Page(items=items, next_after=data["next_after"])

    def remove_before(self, moment: datetime, *, limit: int) -> int:
        """Remove at most *limit* of the oldest events before *moment*; return how many."""
        check_page_size(limit)
        self._tx.check_writable()
        op = {"op": "audit.remove_before", "before": _moment(moment), "limit": limit}
        return int(self._tx.send([op])[0])

    def pseudonymise(
        self, names: Collection[str], pseudonym: str, *, details: Collection[str] = ()
    ) -> int:
        """Replace the person of *names* with *pseudonym* in every event, on the server."""
        self._tx.check_writable()
        op = {
            "op": "audit.pseudonymise",
            "names": sorted(names),
            "pseudonym": pseudonym,
            "details": sorted(details),
        }
        return int(self._tx.send([op])[0])


def _recorded(data: Any) -> RecordedResponse | None:
    if data is None:
        return None
    deadline = data["deadline"]
    return RecordedResponse(
        version=data["version"],
        deadline=None if deadline is None else datetime.fromisoformat(deadline),
    )


def _response_op(key: str, item: str, response: SavedResponse, now: datetime) -> dict[str, Any]:
    return {
        "op": "response.record",
        "key": key,
        "item": item,
        "response": unstructure(response),
        "now": _moment(now),
    }


class HttpResponses:
    """Capability ``responses``: an attempt's response save, one request."""

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

    def record_response(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it."""
        self._tx.check_writable()
        return _recorded(self._tx.send([_response_op(key, item, response, now)])[0])


class HttpCommittingResponses:
    """Capability ``committing_responses``: the save and the unit's commit in one request.

    Stored, the unit is committed with it (the unit's own commit then only
    closes it); not stored, the unit goes on, uncommitted.
    """

    def __init__(self, tx: HttpTransaction) -> None:
        self._tx = tx

    def record_response(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it, and then commit the unit."""
        self._tx.check_writable()
        op = _response_op(key, item, response, now)
        recorded = _recorded(self._tx.send([op], end="commit_if_stored")[0])
        if recorded is not None:
            self._tx.settle()
        return recorded


CAPABILITIES: Final[dict[str, Callable[[HttpTransaction], Any]]] = {
    "many": HttpMany,
    "counters": HttpAttemptCounter,
    "tokens": HttpTokenStore,
    "audit": HttpAuditStore,
    "responses": HttpResponses,
    "committing_responses": HttpCommittingResponses,
}
"""The client's capabilities, by the name the port asks for."""
