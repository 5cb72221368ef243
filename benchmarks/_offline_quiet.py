"""The offline-sync benchmark's quiet syncs: nothing new either way, after a long backlog.

Not a benchmark itself (:mod:`benchmarks.offline_sync` runs it). For a
backlog *B* (entries already synced, each way), on a fresh copy of the
central store and of the station's file as they stood after the set-up
sync, *B* entries are **seeded directly into the stores**, as rows the SQL
backend reads back as the entries (checked on a sample): the station's
outbox (``up``, its ``up_queued`` and ``up_acknowledged`` raised to *B*)
with the central inbox (the server's ``up_high_water`` raised to *B*); and
*B* more entries of the server's down stream centrally (``down_queued`` and
``down_acknowledged`` raised) with the station's ``down_high_water``. Then
one ``station.sync_once()``, with:

- the requests counted at the sync client's transport (:class:`CountingTransport`);
- the sync entries read through either store counted (:class:`CountingBackend`);
- every SQL statement on the queue and the inbox logged and its plan asked
  (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN (FORMAT JSON)`` on PostgreSQL):
  a plan that reaches the table other than by a range or an equality on the
  key (``record_key``) reads entries at or below the mark in the database,
  though it hands none back, and counts as *unbounded*.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import attrs
from benchmarks._offline_counting import CountingBackend, CountingTransport, Reads
from benchmarks._offline_day import SETTINGS, Central, open_station
from benchmarks._offline_stores import Stores, copy_sqlite
from sqlalchemy import Engine

from examkit import Examkit
from examkit.backends.sql import SQLBackend
from examkit.backends.sql._prepared import Prepared
from examkit.backends.sql._tables import RECORD_TABLES
from examkit.offline import (
    SYNC_INBOX,
    SYNC_QUEUE,
    UP_STREAM,
    InboxEntry,
    QueuedEntry,
    down_stream,
    entry_digest,
    sequence_key,
)
from examkit.offline.http import SyncEndpoint
from examkit.testing import ManualClock, RecordingMailer
from examkit.testing.sessions import START

TABLES: Final = ("examkit_sync_queue", "examkit_sync_inbox")
"""The tables whose statements are logged."""
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_AT: Final = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)
_CHUNK: Final = 20_000


@dataclass(frozen=True)
class QuietResult:
    """What one quiet sync did."""

    backlog: int
    requests: int
    entries_read: int
    at_or_below: int
    unbounded: int
    statements: int
    seconds: float
    plans: tuple[str, ...] = ()


@dataclass
class StatementLog:
    """The statements on the sync tables examkit's SQL backend ran, with their values.

    Logged where the backend hands its prepared statements to the driver
    (:meth:`examkit.backends.sql._prepared.Prepared.run`, wrapped while the
    log is open): every read of a record goes through there, past SQLAlchemy's
    own events.
    """

    seen: list[tuple[Engine, str, Any]] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Log the statements run while in the block."""
        original = Prepared.run
        log = self

        def run(prepared: Prepared, conn: Any, /, **params: Any) -> Any:
            sql, order, literals = prepared.text(conn.dialect)
            if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in TABLES):
                values = {**literals, **params} if literals else params
                args = values if order is None else tuple(map(values.__getitem__, order))
                engine = next(e for e in log.engines if e.url == conn.engine.url)
                log.seen.append((engine, sql, args))
            return original(prepared, conn, **params)

        Prepared.run = run  # type: ignore[method-assign]
        try:
            yield
        finally:
            Prepared.run = original  # type: ignore[method-assign]

    def plans(self) -> Iterator[tuple[bool, str]]:
        """Return each logged statement's plan: whether it is unbounded, and the plan."""
        for engine, statement, parameters in self.seen:
            yield unbounded_plan(engine, statement, parameters)


def unbounded_plan(engine: Engine, statement: str, parameters: Any) -> tuple[bool, str]:
    """Return whether *statement*'s plan reads a sync table other than by its key; the plan."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        if engine.dialect.name == "sqlite":
            rows = driver.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            details = [str(row[-1]) for row in rows]
            plan = " | ".join(details)
            on_tables = [d for d in details if any(t in d for t in TABLES)]
            bounded = all(
                "record_key>" in d.replace(" ", "") or "record_key=" in d.replace(" ", "")
                for d in on_tables
            )
            return (not bounded) or "TEMP B-TREE" in plan, plan
        found = driver.execute("EXPLAIN (FORMAT JSON) " + statement, parameters).fetchone()[0]
        driver.rollback()
    finally:
        raw.close()
    tree = found if isinstance(found, list) else json.loads(found)
    scans = list(_relations(tree[0]["Plan"]))
    plan = " | ".join(
        f"{s.get('Node Type')} on {s.get('Relation Name')} ({s.get('Index Cond', '')})"
        for s in scans
    )
    unbounded = any(
        "record_key >" not in str(s.get("Index Cond", ""))
        and "record_key =" not in str(s.get("Index Cond", ""))
        for s in scans
    )
    return unbounded, plan


def _relations(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if node.get("Relation Name") in TABLES:
        yield node
    for child in node.get("Plans", ()):
        yield from _relations(child)


def _queue_rows(stream: str, first: int, count: int, kind: str) -> list[dict[str, Any]]:
    rows = []
    at = _AT.isoformat()
    for seq in range(first, first + count):
        key = f"seeded-{seq}"
        body = None if kind != "answer" else {"saved_at": at, "sequence": 1, "value": seq % 4}
        data = {
            "body": body,
            "digest": entry_digest(kind, key, 1, body),
            "key": key,
            "kind": kind,
            "queued_at": at,
            "revision": 1,
            "seq": seq,
            "stream": stream,
        }
        rows.append(
            {
                "record_key": sequence_key(stream, seq),
                "version": 1,
                "i_stream": stream,
                "data": _ENCODER.encode(data),
            }
        )
    return rows


def _inbox_rows(server: str, first: int, count: int) -> list[dict[str, Any]]:
    rows = []
    at = _AT.isoformat()
    for seq in range(first, first + count):
        key = f"seeded-{seq}"
        body = {"saved_at": at, "sequence": 1, "value": seq % 4}
        data = {
            "applied_at": at,
            "digest": entry_digest("answer", key, 1, body),
            "effect": "applied",
            "key": key,
            "kind": "answer",
            "seq": seq,
            "server": server,
        }
        rows.append(
            {
                "record_key": sequence_key(server, seq),
                "version": 1,
                "i_server": server,
                "data": _ENCODER.encode(data),
            }
        )
    return rows


def _insert(backend: SQLBackend, record: str, rows: list[dict[str, Any]]) -> None:
    table = RECORD_TABLES[record].table
    with backend.engine.begin() as conn:
        for start in range(0, len(rows), _CHUNK):
            conn.execute(table.insert(), rows[start : start + _CHUNK])


def seed_station(path: Path, server: str, backlog: int) -> int:
    """Seed *backlog* synced up entries and as many applied down numbers; return the down mark."""
    store = SQLBackend(f"sqlite:///{path}")
    try:
        with store.begin() as uow:
            station = uow.offline_stations.get(server)
            first = station.up_queued + 1
            assert station.up_queued == station.up_acknowledged, station
        _insert(store, SYNC_QUEUE.name, _queue_rows(UP_STREAM, first, backlog, "answer"))
        with store.begin() as uow:
            station = uow.offline_stations.get(server)
            down = station.down_high_water + backlog
            uow.offline_stations.update(
                attrs.evolve(
                    station,
                    up_queued=station.up_queued + backlog,
                    up_acknowledged=station.up_acknowledged + backlog,
                    down_high_water=down,
                )
            )
            uow.commit()
        with store.begin(readonly=True) as uow:
            seeded = uow.sync_queue.get(sequence_key(UP_STREAM, first + backlog - 1))
            assert isinstance(seeded, QueuedEntry)
            assert seeded.seq == first + backlog - 1
    finally:
        store.close()
    return down


def seed_central(url: str, server: str, backlog: int, down: int) -> None:
    """Seed *backlog* applied up entries and as many acknowledged down entries centrally."""
    store = SQLBackend(url)
    try:
        with store.begin() as uow:
            mark = uow.sync_marks.get(server)
        first_up = mark.up_high_water + 1
        first_down = mark.down_queued + 1
        assert mark.down_queued + backlog == down, (mark, down)
        _insert(store, SYNC_INBOX.name, _inbox_rows(server, first_up, backlog))
        stream = down_stream(server)
        _insert(store, SYNC_QUEUE.name, _queue_rows(stream, first_down, backlog, "candidates"))
        with store.begin() as uow:
            mark = uow.sync_marks.get(server)
            uow.sync_marks.update(
                attrs.evolve(
                    mark,
                    up_high_water=mark.up_high_water + backlog,
                    down_queued=down,
                    down_acknowledged=down,
                )
            )
            uow.commit()
        with store.begin(readonly=True) as uow:
            seeded = uow.sync_inbox.get(sequence_key(server, first_up))
            assert isinstance(seeded, InboxEntry)
            assert seeded.seq == first_up
    finally:
        store.close()


def seeded_station(before: Path, server: str, backlog: int) -> tuple[Path, int]:
    """Return the station's file with *backlog* seeded (made once per backlog) and its down mark."""
    path = before.with_name(f"station_quiet_{backlog}.db")
    marker = path.with_suffix(".down")
    if not path.exists():
        copy_sqlite(before, path)
        marker.write_text(str(seed_station(path, server, backlog)))
    return path, int(marker.read_text())


def quiet_sync(
    stores: Stores, switch: Any, url: str, central: Central, *, before: Path, backlog: int
) -> QuietResult:
    """Seed *backlog* both ways, then time one sync with nothing new; count what it did."""
    seeded, down = seeded_station(before, central.server, backlog)
    central_url = stores.fresh("quiet")
    seed_central(central_url, central.server, backlog, down)
    reads = Reads()
    central_store = SQLBackend(central_url)
    log = StatementLog(engines=[central_store.engine])
    kit = Examkit(
        backend=CountingBackend(central_store, reads),
        mailer=RecordingMailer(),
        settings=SETTINGS,
        clock=ManualClock(START + timedelta(hours=5)),
    )
    switch.app = SyncEndpoint(kit)
    run_file = seeded.with_name("station_quiet_run.db")
    copy_sqlite(seeded, run_file)
    station_store = SQLBackend(f"sqlite:///{run_file}")
    log.engines.append(station_store.engine)
    transport = CountingTransport()
    station, _ = open_station(
        str(run_file),
        central,
        url,
        transport=transport,
        store=CountingBackend(station_store, reads),
    )
    try:
        with station_store.begin(readonly=True) as uow:
            state = uow.offline_stations.get(central.server)
        reads.reset(
            {
                UP_STREAM: state.up_acknowledged,
                central.server: state.up_acknowledged,
                down_stream(central.server): state.down_high_water,
            }
        )
        transport.requests = 0
        with log.recording():
            started = time.perf_counter()
            done = station.sync_once()
            seconds = time.perf_counter() - started
        assert done.complete, done
        assert (done.sent, done.received) == (0, 0), done
        found = list(log.plans())
        unbounded = sum(wide for wide, _ in found)
        plans = [("UNBOUNDED: " if wide else "") + plan for wide, plan in found]
    finally:
        station.close()
        kit.close()
    result = QuietResult(
        backlog=backlog,
        requests=transport.requests,
        entries_read=reads.total,
        at_or_below=reads.at_or_below,
        unbounded=unbounded,
        statements=len(found),
        seconds=seconds,
        plans=tuple(plans),
    )
    print(
        f"[{stores.name}] quiet sync at backlog {backlog}: {result.requests} requests "
        f"({', '.join(transport.paths)}), {result.entries_read} sync entries read "
        f"({result.at_or_below} at or below a mark), {result.statements} statements on the "
        f"queue/inbox ({result.unbounded} unbounded), {seconds * 1e3:.1f} ms",
        flush=True,
    )
    for plan in plans:
        print(f"[{stores.name}]   plan: {plan}")
    return result
