"""The SQL backend's fast paths: every hand-written statement, in one place.

The operations that must be atomic in one statement are the backend's own
capabilities (:meth:`~examkit.storage.Transaction.capability`): the attempt
counter (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), single-use
tokens (``DELETE ... RETURNING``), the audit trail (its own table, ordered by
time and sequence number) and an attempt's response save (one conditional
``UPDATE`` that sets the response inside the JSON). Each statement is one
:class:`~examkit.backends.sql._prepared.Prepared` (compiled once per dialect,
run on the driver's cursor) or, for the save, plain SQL per parameter style.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import lru_cache, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, case, delete, or_, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from examkit.audit import AuditEvent, pseudonymised
from examkit.backends.sql import _tables as t
from examkit.backends.sql._attempt_codec import response_text
from examkit.backends.sql._errors import translated
from examkit.backends.sql._prepared import Prepared, run_sql
from examkit.backends.sql._time import from_us, to_us
from examkit.errors import AlreadyExists, InvalidInput, NotFound
from examkit.scheduling import RecordedResponse, SavedResponse, record_response_by_reading
from examkit.storage import AttemptCount, Page, StoredToken, check_limit_args, check_page_size

if TYPE_CHECKING:
    from examkit.backends.sql._transaction import SQLTransaction

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _dumps(data: Any) -> str:
    return _ENCODER.encode(data)


def _dialect_insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _named(table: Any, prefix: str = "p_") -> dict[str, Any]:
    """Return ``{column: bindparam(prefix + column)}`` for every column of *table*."""
    return {column.name: bindparam(prefix + column.name) for column in table.columns}


class SQLAttemptCounter:
    """Attempt counters in SQL: one INSERT ... ON CONFLICT DO UPDATE ... RETURNING per attempt."""

    def __init__(self, uow: SQLTransaction) -> None:
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
        """Count one attempt at *now*, atomically (not past *limit* with *stop_at_limit*)."""
        check_limit_args(window, limit)
        if stop_at_limit:
            row = _RECORD_UP_TO.run(
                self._uow.writable(),
                p_purpose=purpose,
                p_key=key,
                p_expires=to_us(now + window),
                p_now=to_us(now),
                p_now_again=to_us(now),
                p_limit=limit,
                p_limit_again=limit,
                p_over=limit + 1,
                p_expires_again=to_us(now + window),
            ).fetchone()
            return AttemptCount(count=row[0], limit=limit, expires_at=from_us(row[1]))
        row = (
            _RECORD.run(
                self._uow.writable(),
                p_purpose=purpose,
                p_key=key,
                p_expires=to_us(now + window),
                p_now=to_us(now),
                p_expires_again=to_us(now + window),
            )
        ).fetchone()
        return AttemptCount(count=row[0], limit=limit, expires_at=from_us(row[1]))

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        check_limit_args(None, limit)
        row = _PEEK.run(
            self._uow.readable(), p_purpose=purpose, p_key=key, p_now=to_us(now)
        ).fetchone()
        if row is None:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(count=row[0], limit=limit, expires_at=from_us(row[1]))

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        _RESET.run(self._uow.writable(), p_purpose=purpose, p_key=key)

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        with translated():
            result = self._uow.writable().execute(
                delete(t.attempts).where(t.attempts.c.expires_at_us <= to_us(now))
            )
        return int(result.rowcount)


def _record_statement(dialect: str, *, stop_at_limit: bool = False) -> Any:
    """One atomic attempt; with *stop_at_limit* a held entry is neither counted nor extended."""
    table = t.attempts
    count: list[Any] = [(table.c.expires_at_us <= bindparam("p_now"), 1)]
    expires: Any = bindparam("p_expires_again")
    if stop_at_limit:
        count.append((table.c.attempt_count >= bindparam("p_limit"), bindparam("p_over")))
        held = and_(
            table.c.expires_at_us > bindparam("p_now_again"),
            table.c.attempt_count >= bindparam("p_limit_again"),
        )
        expires = case((held, table.c.expires_at_us), else_=expires)
    return (
        _dialect_insert(dialect)(table)
        .values(
            purpose=bindparam("p_purpose"),
            attempt_key=bindparam("p_key"),
            attempt_count=1,
            expires_at_us=bindparam("p_expires"),
        )
        .on_conflict_do_update(
            index_elements=[table.c.purpose, table.c.attempt_key],
            set_={
                "attempt_count": case(*count, else_=table.c.attempt_count + 1),
                "expires_at_us": expires,
            },
        )
        .returning(table.c.attempt_count, table.c.expires_at_us)
    )


_RECORD = Prepared(_record_statement)
"""One atomic attempt: ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``."""
_RECORD_UP_TO = Prepared(partial(_record_statement, stop_at_limit=True))
"""One atomic attempt that stops at the limit: the held entry is neither counted nor extended."""
_PEEK = Prepared(
    lambda _: select(t.attempts.c.attempt_count, t.attempts.c.expires_at_us).where(
        t.attempts.c.purpose == bindparam("p_purpose"),
        t.attempts.c.attempt_key == bindparam("p_key"),
        t.attempts.c.expires_at_us > bindparam("p_now"),
    )
)
_RESET = Prepared(
    lambda _: delete(t.attempts).where(
        t.attempts.c.purpose == bindparam("p_purpose"),
        t.attempts.c.attempt_key == bindparam("p_key"),
    )
)
_TOKEN_COLUMNS = (
    t.tokens.c.purpose,
    t.tokens.c.digest,
    t.tokens.c.subject,
    t.tokens.c.expires_at_us,
    t.tokens.c.data,
)
_PUT = Prepared(
    lambda dialect: (
        _dialect_insert(dialect)(t.tokens)
        .values(_named(t.tokens))
        .on_conflict_do_nothing()
        .returning(t.tokens.c.digest)
    )
)
_CONSUME = Prepared(
    lambda _: (
        delete(t.tokens)
        .where(
            t.tokens.c.purpose == bindparam("p_purpose"), t.tokens.c.digest == bindparam("p_digest")
        )
        .returning(*_TOKEN_COLUMNS)
    )
)
_PEEK_TOKEN = Prepared(
    lambda _: select(*_TOKEN_COLUMNS).where(
        t.tokens.c.purpose == bindparam("p_purpose"),
        t.tokens.c.digest == bindparam("p_digest"),
        t.tokens.c.expires_at_us > bindparam("p_now"),
    )
)
_REVOKE = Prepared(
    lambda _: delete(t.tokens).where(
        t.tokens.c.purpose == bindparam("p_purpose"), t.tokens.c.subject == bindparam("p_subject")
    )
)


class SQLTokenStore:
    """Single-use tokens in SQL: consumption is one DELETE ... RETURNING."""

    def __init__(self, uow: SQLTransaction) -> None:
        self._uow = uow

    @staticmethod
    def _token(row: Any) -> StoredToken:
        purpose, digest, subject, expires_at_us, data = row
        return StoredToken(
            purpose=purpose,
            digest=digest,
            subject=subject,
            expires_at=from_us(expires_at_us),
            data=json.loads(data),
        )

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        stored = _PUT.run(
            self._uow.writable(),
            p_purpose=token.purpose,
            p_digest=token.digest,
            p_subject=token.subject,
            p_expires_at_us=to_us(token.expires_at),
            p_data=_dumps(dict(token.data)),
        ).fetchone()
        if stored is None:
            raise AlreadyExists(kind="token", key=token.purpose)

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        row = _CONSUME.run(self._uow.writable(), p_purpose=purpose, p_digest=digest).fetchone()
        if row is None or row[3] <= to_us(now):
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        row = _PEEK_TOKEN.run(
            self._uow.readable(), p_purpose=purpose, p_digest=digest, p_now=to_us(now)
        ).fetchone()
        if row is None:
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        return int(_REVOKE.run(self._uow.writable(), p_purpose=purpose, p_subject=subject).rowcount)

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*."""
        with translated():
            result = self._uow.writable().execute(
                delete(t.tokens).where(t.tokens.c.expires_at_us <= to_us(now))
            )
        return int(result.rowcount)


def _audit_cursor(at_us: int, seq: int) -> str:
    return f"{at_us}#{seq}"


def _parse_audit_cursor(cursor: str) -> tuple[int, int]:
    try:
        at_text, seq_text = cursor.split("#")
        return int(at_text), int(seq_text)
    except ValueError:
        raise InvalidInput("storage.invalid_argument", field="after", argument="after") from None


class SQLAuditStore:
    """The audit trail in SQL, ordered by time and then by sequence number."""

    def __init__(self, uow: SQLTransaction) -> None:
        self._uow = uow

    def append(self, event: AuditEvent) -> None:
        """Append *event*: written with the unit's other events in one statement at commit."""
        self._uow.writable()
        self._uow.pending_audit.append(event)

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
        flush_audit(self._uow)
        params: dict[str, Any] = {"p_limit": limit + 1}
        if subject is not None:
            params["p_subject"] = subject
        if actor is not None:
            params["p_actor"] = actor
        if since is not None:
            params["p_since"] = to_us(since)
        if until is not None:
            params["p_until"] = to_us(until)
        if after is not None:
            params["p_after_at"], params["p_after_seq"] = _parse_audit_cursor(after)
        given = tuple(name in params for name in _AUDIT_FILTERS)
        rows = _audit_listing(given).run(self._uow.readable(), **params).fetchall()
        events = [stored_event(*row[1:]) for row in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(
            items=tuple(events),
            next_after=_audit_cursor(last[1], last[0]) if last is not None else None,
        )

    def remove_before(self, moment: datetime, *, limit: int) -> int:
        """Remove at most *limit* of the oldest events before *moment*; return how many."""
        check_page_size(limit)
        flush_audit(self._uow)
        table = t.audit_events
        oldest = (
            select(table.c.seq)
            .where(table.c.at_us < to_us(moment))
            .order_by(table.c.at_us, table.c.seq)
            .limit(limit)
        )
        with translated():
            conn = self._uow.writable()
            numbers = [row.seq for row in conn.execute(oldest)]
            if not numbers:
                return 0
            result = conn.execute(delete(table).where(table.c.seq.in_(numbers)))
        return int(result.rowcount)

    def pseudonymise(
        self, names: Collection[str], pseudonym: str, *, details: Collection[str] = ()
    ) -> int:
        """Replace the person of *names* with *pseudonym* in every event, row by row.

        The rows that may name them (by actor, subject, or a detail value's
        JSON text) are read, rewritten by :func:`~examkit.audit.pseudonymised`
        and updated in place.
        """
        flush_audit(self._uow)
        names, details = frozenset(names), frozenset(details)
        if not names:
            return 0
        table = t.audit_events
        wanted = sorted(names)
        query = select(*table.c).where(
            or_(
                table.c.actor.in_(wanted),
                table.c.subject.in_(wanted),
                *(table.c.details.contains(_dumps(name), autoescape=True) for name in wanted),
            )
        )
        changed = 0
        with translated():
            connection = self._uow.writable()
            for row in connection.execute(query.order_by(table.c.seq)).all():
                event = pseudonymised(_audit_event(row), names, pseudonym, details)
                if event is None:
                    continue
                connection.execute(
                    update(table)
                    .where(table.c.seq == row.seq)
                    .values(
                        actor=event.actor,
                        subject=event.subject,
                        details=_dumps(dict(event.details)),
                    )
                )
                changed += 1
        return changed


def _audit_event(row: Any) -> AuditEvent:
    return stored_event(row.at_us, row.actor, row.action, row.subject, row.outcome, row.details)


def stored_event(  # noqa: PLR0917 - one stored row's columns, in their order
    at_us: int, actor: str | None, action: str, subject: str, outcome: str, details: str
) -> AuditEvent:
    """Return the event of one stored row, without running :class:`AuditEvent`'s checks again.

    A stored event passed them when it was appended (an aware time, no
    secret in its details, which were written sorted by key); a page of the
    trail is read often (the portal's audit log), and the checks were most
    of its decoding. Equal to the event the constructor makes (a test holds it).
    """
    event = object.__new__(AuditEvent)
    put = object.__setattr__
    put(event, "at", from_us(at_us))
    put(event, "actor", actor)
    put(event, "action", action)
    put(event, "subject", subject)
    put(event, "outcome", outcome)
    put(event, "details", MappingProxyType(json.loads(details)))
    return event


_AUDIT_FILTERS = ("p_subject", "p_actor", "p_since", "p_after_at", "p_until")
"""The audit listing's optional filters, by the parameter each binds."""


def _audit_listing(given: tuple[bool, ...]) -> Prepared:
    """The audit listing with the filters *given* (one flag per :data:`_AUDIT_FILTERS`)."""
    found = _AUDIT_LISTINGS.get(given)
    if found is None:
        found = _AUDIT_LISTINGS.setdefault(given, Prepared(partial(_listing, given)))
    return found


def _listing(given: tuple[bool, ...], _dialect: str) -> Any:
    table = t.audit_events
    subject, actor, since, after, until = given
    conditions: list[Any] = []
    if subject:
        conditions.append(table.c.subject == bindparam("p_subject"))
    if actor:
        conditions.append(table.c.actor == bindparam("p_actor"))
    if since:
        conditions.append(table.c.at_us >= bindparam("p_since"))
    if until:
        conditions.append(table.c.at_us < bindparam("p_until"))
    if after:
        conditions.append(
            tuple_(table.c.at_us, table.c.seq)
            > tuple_(bindparam("p_after_at"), bindparam("p_after_seq"))
        )
    return (
        select(*table.c)
        .where(*conditions)
        .order_by(table.c.at_us, table.c.seq)
        .limit(bindparam("p_limit"))
    )


_AUDIT_LISTINGS: dict[tuple[bool, ...], Prepared] = {}
"""The audit listings made so far, by the filters given."""


_AUDIT_COLUMNS = ("at_us", "actor", "action", "subject", "outcome", "details")

_AUDIT_ROWS = 2000
"""At most this many events in one ``INSERT`` (12,000 parameters: under PostgreSQL's 65,535 and
the 32,766 of SQLite since 3.32; an older SQLite's own limit is read from the connection)."""

_MARKS = {"sqlite": "?", "postgresql": "%s"}
"""The driver's positional parameter mark per dialect (``sqlite3``'s qmark, psycopg's format)."""


@lru_cache(maxsize=128)
def _audit_insert(dialect: str, count: int) -> str:
    """The ``INSERT`` of *count* audit events in one statement, as the driver takes it."""
    row = "(" + ",".join([_MARKS[dialect]] * len(_AUDIT_COLUMNS)) + ")"
    columns = ", ".join(_AUDIT_COLUMNS)
    into = f"INSERT INTO {t.audit_events.name} ({columns}) VALUES "  # noqa: S608 - names are ours
    return into + ",".join([row] * count)


def _rows_per_insert(conn: Any) -> int:
    """How many audit events one ``INSERT`` on *conn* (a driver connection) may hold."""
    limit = getattr(conn, "getlimit", None)
    if limit is None:  # psycopg: PostgreSQL's 65,535 parameters
        return _AUDIT_ROWS
    most = int(limit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)) // len(_AUDIT_COLUMNS)
    return max(1, min(_AUDIT_ROWS, most))


def flush_audit(uow: SQLTransaction) -> None:
    """Write the unit's pending audit events, in the order appended, in one ``INSERT``.

    A use case appends one to three events; one that lists people notes a
    read of each (:func:`~examkit._reading.note_reads`): a list of 1,000
    pupils is one statement too. Past :data:`_AUDIT_ROWS` events (or an old
    SQLite's parameter limit) they go in statements of that many. The SQL is
    written here rather than compiled by SQLAlchemy, which takes about 0.2 s
    for a 1,000-row ``VALUES`` list.
    """
    events, uow.pending_audit = uow.pending_audit, []
    if not events:
        return
    conn = uow.writable()
    dialect = conn.dialect.name
    driver = conn.connection.driver_connection
    step = _rows_per_insert(driver)
    details: Any = None
    text = ""
    for start in range(0, len(events), step):
        chunk = events[start : start + step]
        params: list[Any] = []
        for event in chunk:
            if event.details is not details:  # a list's reads share theirs: written out once
                details, text = event.details, _dumps(dict(event.details))
            params += (
                to_us(event.at),
                event.actor,
                event.action,
                event.subject,
                event.outcome,
                text,
            )
        run_sql(conn, _audit_insert(dialect, len(chunk)), params)


_SAVE_SQL: dict[str, str] = {
    "sqlite": "UPDATE examkit_test_attempts SET version = version + 1,"
    " i_last_sequence = :p_sequence,"
    " data = json_set(data, '$.last_sequence', :p_sequence, '$.last_contact', :p_contact,"
    " :p_where, json(:p_response))"
    " WHERE record_key = :p_key AND i_state = 'in_progress' AND i_last_sequence < :p_sequence"
    " AND (i_deadline IS NULL OR i_deadline > :p_now)"
    " RETURNING version, i_deadline",
    "postgresql": "UPDATE examkit_test_attempts SET version = version + 1,"
    " i_last_sequence = :p_sequence,"
    " data = jsonb_set(jsonb_set(jsonb_set(data::jsonb, '{last_sequence}',"
    " to_jsonb(CAST(:p_sequence AS integer))), '{last_contact}',"
    " to_jsonb(CAST(:p_contact AS text))),"
    " ARRAY['responses', CAST(:p_where AS text)], CAST(:p_response AS jsonb))::text"
    " WHERE record_key = :p_key AND i_state = 'in_progress' AND i_last_sequence < :p_sequence"
    " AND (i_deadline IS NULL OR i_deadline > :p_now)"
    " RETURNING version, i_deadline",
}
_SAVE = Prepared(lambda dialect: text(_SAVE_SQL[dialect]))
"""An attempt's response save: checks state, deadline and last save number, sets the response
and the last contact (the save's time)."""


class SQLResponses:
    """An attempt's response save in one statement (the exam day's busiest write)."""

    def __init__(self, uow: SQLTransaction) -> None:
        self._uow = uow

    def record_response(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it, in one statement."""
        conn = self._uow.writable()
        sequence = response.sequence
        if conn.dialect.paramstyle == "qmark":
            if '"' in item or "\\" in item:
                return self._by_reading(key, item, response, now=now)
            where: Any = f'$.responses."{item}"'
        else:
            where = item
        saved_at = response.saved_at.isoformat()
        row = _SAVE.run(
            conn,
            p_sequence=sequence,
            p_where=where,
            p_response=response_text(response, saved_at),
            p_contact=saved_at,
            p_key=key,
            p_now=to_us(now),
        ).fetchone()
        if row is None:
            return None
        version, deadline = row
        return RecordedResponse(
            version=version, deadline=None if deadline is None else from_us(deadline)
        )

    def _by_reading(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Items SQLite's JSON path cannot name: read and write the attempt."""
        from examkit.records import RecordsUnit

        attempts = RecordsUnit(self._uow).test_attempts
        return record_response_by_reading(attempts, key, item, response, now=now)
