"""The offline-sync benchmark's baseline: the same up entries into a bare ``ON CONFLICT`` table.

Not a benchmark itself (:mod:`benchmarks.offline_sync` runs it). A minimal
Starlette application answers ``POST /v1/up`` with the protocol's JSON shape
(``{"server", "entries": [{"seq", "kind", "key", "revision", "body",
"digest"}, ...], "sent_at", "backlog"}`` in, ``{"high_water",
"received_at", "replied_at", "conflicts"}`` out) and, in one transaction per
batch, inserts each entry with ``INSERT ... ON CONFLICT DO NOTHING`` into a
table whose unique key is the natural one, ``(server, kind, key)``, and an
inbox row ``(server, seq)`` the same way, with plain SQLAlchemy Core on
SQLite or PostgreSQL (SQLite with examkit's settings: WAL,
``synchronous=NORMAL``, the busy timeout, autocommit with the unit's own
``BEGIN IMMEDIATE``). The client sends the same entries, in the same batch
sizes, one ``httpx`` request after the other, with the same headers.

It does not authenticate, check digests or revisions, keep a high-water mark
or apply an entry to anything but its own row: a floor for what a receiver
that stores each entry once must do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from examkit.clocks import SystemClock
from examkit.offline import PROTOCOL, UP_PATH

Entry = Mapping[str, Any]
"""One entry as it travels: ``{"seq", "kind", "key", "revision", "body", "digest"}``."""

BUSY_TIMEOUT: Final = 30.0
"""Seconds a SQLite writer waits, as examkit's SQLBackend default."""

METADATA: Final = MetaData()
ENTRIES: Final = Table(
    "bare_sync_entries",
    METADATA,
    Column("server", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("key", String(200), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("body", Text, nullable=True),
    PrimaryKeyConstraint("server", "kind", "key"),
)
"""Each natural key's entry, once: the unique key ``(server, kind, key)``."""
INBOX: Final = Table(
    "bare_sync_inbox",
    METADATA,
    Column("server", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("applied_at", String(40), nullable=False),
    PrimaryKeyConstraint("server", "seq"),
)
"""Each entry received, once: ``(server, seq)``."""


_CLOCK: Final = SystemClock()


def _now() -> str:
    return _CLOCK.now().isoformat()


class BareCentral:
    """The baseline's receiver on one database: its engine, tables and ASGI routes.

    Args:
        url: The SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).
    """

    def __init__(self, url: str) -> None:
        self.engine: Engine
        if url.startswith("sqlite"):
            self.engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT},
                isolation_level="AUTOCOMMIT",
            )
            event.listen(self.engine, "connect", _configure_sqlite)
            self._insert = sqlite.insert
            self._begin = "BEGIN IMMEDIATE"
        else:
            self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
            self._insert = postgresql.insert  # type: ignore[assignment]
            self._begin = "BEGIN"
        METADATA.create_all(self.engine)
        self._entries = self._insert(ENTRIES).on_conflict_do_nothing(
            index_elements=["server", "kind", "key"]
        )
        self._inbox = self._insert(INBOX).on_conflict_do_nothing(index_elements=["server", "seq"])
        self.batches = 0
        """How many batches it received."""

    def reset(self) -> None:
        """Empty both tables (untimed, before a run)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql(self._begin)
            conn.execute(ENTRIES.delete())
            conn.execute(INBOX.delete())
            conn.exec_driver_sql("COMMIT")
        self.batches = 0

    def receive(self, server: str, entries: Sequence[Entry]) -> int:
        """Store one batch in one transaction; return its last number (the high-water)."""
        applied_at = _now()
        rows = [
            {
                "server": server,
                "kind": entry["kind"],
                "key": entry["key"],
                "seq": entry["seq"],
                "revision": entry["revision"],
                "digest": entry["digest"],
                "body": None if entry["body"] is None else json.dumps(entry["body"]),
            }
            for entry in entries
        ]
        inbox = [
            {"server": server, "seq": e["seq"], "digest": e["digest"], "applied_at": applied_at}
            for e in entries
        ]
        with self.engine.connect() as conn:
            conn.exec_driver_sql(self._begin)
            try:
                conn.execute(self._entries, rows)
                conn.execute(self._inbox, inbox)
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        self.batches += 1
        return max((int(e["seq"]) for e in entries), default=0)

    def counts(self) -> tuple[int, int]:
        """Return the rows stored: entries (one per natural key) and inbox rows."""
        with self.engine.connect() as conn:
            entries = conn.exec_driver_sql("SELECT count(*) FROM bare_sync_entries").scalar()
            inbox = conn.exec_driver_sql("SELECT count(*) FROM bare_sync_inbox").scalar()
        return int(entries or 0), int(inbox or 0)

    def app(self) -> Starlette:
        """Return the ASGI application answering ``POST /v1/up``."""

        async def up(request: Request) -> JSONResponse:
            received_at = _now()
            data = await request.json()
            high_water = await run_in_threadpool(self.receive, data["server"], data["entries"])
            return JSONResponse(
                {
                    "high_water": high_water,
                    "received_at": received_at,
                    "replied_at": _now(),
                    "conflicts": [],
                }
            )

        return Starlette(routes=[Route(UP_PATH, up, methods=["POST"])])

    def close(self) -> None:
        """Close its connections."""
        self.engine.dispose()


def _configure_sqlite(dbapi_connection: Any, _: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def bare_upload(
    client: httpx.Client, server: str, credential: str, entries: Sequence[Entry], batch: int
) -> int:
    """Send *entries* in batches of *batch*, one request after the other; return the requests.

    Each request carries the protocol's headers and JSON shape (the backlog
    counting down); the reply's high-water mark must be the batch's last number.
    """
    headers = {
        "Authorization": f"Bearer {credential}",
        "Examkit-Protocol": PROTOCOL,
        "Content-Type": "application/json",
    }
    requests = 0
    for start in range(0, len(entries), batch):
        chunk = list(entries[start : start + batch])
        body = {
            "server": server,
            "entries": chunk,
            "sent_at": _now(),
            "backlog": len(entries) - start,
        }
        reply = client.post(UP_PATH, content=json.dumps(body).encode(), headers=headers)
        reply.raise_for_status()
        requests += 1
        high_water = reply.json()["high_water"]
        assert high_water == chunk[-1]["seq"], (high_water, chunk[-1]["seq"])
    return requests
