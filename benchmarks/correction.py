"""Correcting a group on SQL: two correctors, agreement, closing and grading vs. a bare driver.

Set-up (untimed, once per database kind, then copied for every run): the
staff of :mod:`examkit.testing.correction`, a test of 10 open items
(maximum 5 each), *n* candidates (n = 5,000; ``--quick`` 1,000) in one
session group released for correction with a first and a second corrector,
each candidate's attempt handed in, and the group's correction started
(``kit.corrections.open``: one empty sheet per candidate). Each side
runs on a fresh copy of that database: on SQLite a copied file, on
PostgreSQL a database made from the prepared one as a template, in one
throwaway :class:`~examkit.testing.postgres.PostgresCluster`.

Examkit (the timed part), on ``SQLBackend(url)`` with its default settings
and the audit log kept in the backend (``StoredAuditLog``, so each use
case's events are committed with its change): the first corrector scores
every candidate's 10 items (one ``kit.correction_work.score`` per candidate: one
unit of work that reads the group's correction and the sheet, checks the
permission and every score against the item lifecycle, appends a score
version per item and stores the sheet and one audit event); then the second
corrector the same, differing on one item in ten (10 %); then the first
corrector agrees on each difference (``agree``); then ``close`` (every sheet
read and checked, the session group handed back with ``close_correction``)
and ``results`` (every candidate's total and grade by the N-term rule).

The baseline is **the same rows, by hand**: the bare driver (``sqlite3``;
``psycopg``) with examkit's settings (SQLite: WAL, ``synchronous=NORMAL``,
``BEGIN IMMEDIATE``; PostgreSQL: READ COMMITTED). For each corrector and
candidate it updates its own dict of the sheet, writes the sheet's JSON as
examkit writes it (sorted keys, examkit's separators: the benchmark checks
the rows are equal byte for byte) and one audit row, with one
``executemany`` each, in one transaction; the same for each agreement; then
one transaction for the close (the group's row and correction row, two audit
rows) and one ``SELECT`` of the sheets for the grading, whose totals it adds
up. It checks no permission or lifecycle and reads nothing back before
writing.

``ratio`` is the larger of the two databases' ratios (examkit's best time
over the baseline's best): ``sqlite_ratio`` and ``postgres_ratio`` are
printed as figures. The target, 4, is the issue's.

Measured on the shared 2-core machine it was written on, loaded by other
work (CPython 3.11, SQLite 3.40, PostgreSQL 15): at the quick size SQLite
~1.0 ms per operation against the baseline's ~0.37 ms (``sqlite_ratio``
~2.7), PostgreSQL ~1.9 ms against ~0.96 ms (~2.0); at the full size ~0.5 ms
against ~0.19 ms (~2.7) and ~1.3 ms against ~0.56 ms (~2.3). Reaching that
took a hand-written converter hook for the correction sheet (cattrs'
generated one cost about as much as the rest of a scoring call), reusing a
row's decoded value when the database returns the very version and data last
read (the SQL backend's ``DecodedRows``, for the acting account, its grants
and the group's correction, which every score reads in its unit), and keying
the lifecycles' index (``examkit.statemachine.StateMachine``'s, which
the item lifecycle is on) by the states' values (hashing an enum member runs
Python code). What remains on SQLite is SQLAlchemy's unit of work (connection
checkout, ``BEGIN IMMEDIATE``, ``COMMIT``), re-encoding the whole sheet with
every version on each write, and the use case's checks.

PostgreSQL's server programs must be installed (``initdb`` and ``pg_ctl``);
when they are not, the benchmark says so and exits non-zero.

Run as ``python benchmarks/correction.py [--quick | --smoke]``; the last line printed is
one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import itertools
import json
import shutil
import signal
import sqlite3
import sys
import tempfile
from abc import ABC, abstractmethod
from datetime import UTC, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import psycopg
from benchmarks._harness import Comparison, Figure, by_mode, compare, parse_mode, report
from benchmarks._sqlite import connect_like_examkit

from examkit import Examkit
from examkit.audit import StoredAuditLog
from examkit.backends.sql import SQLBackend
from examkit.backends.sql._time import to_us
from examkit.correction import CandidateResult
from examkit.scheduling import (
    Attempt,
    AttemptState,
    Candidate,
    Exam,
    GroupState,
    Mode,
    TestSessionGroup,
)
from examkit.scoring import OpenItem, TestDefinition
from examkit.testing import ManualClock
from examkit.testing.correction import make_correction_kit
from examkit.testing.sessions import L00, START

TARGET = 4.0
ITEMS = 10
GROUP = "g-bench"
NTERM = "1,0"
DEFINITION = TestDefinition([OpenItem(id=f"o{i}", rubric={"punten": 5}) for i in range(ITEMS)])
EXAM = Exam.from_scoring(
    DEFINITION,
    code="BENCH-2026",
    title="Correctiebenchmark",
    subject="Nederlands",
    duration=timedelta(minutes=120),
)
AT = (START + timedelta(days=1)).astimezone(UTC)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def first_scores(n: int) -> dict[str, int]:
    """The first corrector's scores of candidate *n*."""
    return {f"o{i}": (n + i) % 6 for i in range(ITEMS)}


def second_scores(n: int) -> dict[str, int]:
    """The second corrector's: equal but on one item in ten."""
    scores = first_scores(n)
    item = f"o{n % ITEMS}"
    scores[item] = (scores[item] + 1) % 6
    return scores


def prepare(url: str, count: int) -> None:
    """Store the staff, the test, the candidates and the group released for correction."""
    backend = SQLBackend(url)
    kit = make_correction_kit(ManualClock(AT), StoredAuditLog(backend), backend)
    kit.candidates.register_exam(EXAM)
    people = [
        Candidate(
            id=f"c-{n:05d}",
            location=L00,
            login_name=f"KB{n:06d}",
            first_name="Kandidaat",
            last_name=f"Nummer {n}",
            class_key=f"5V{n % 8}",
        )
        for n in range(count)
    ]
    with backend.begin() as uow:
        uow.candidates.add_many(people)
        uow.session_groups.add(
            TestSessionGroup(
                id=GROUP,
                location=L00,
                exam=EXAM.code,
                mode=Mode.ONLINE,
                starts_at=START,
                duration=EXAM.duration,
                room="Aula",
                proctor="proctor",
                candidates=[p.id for p in people],
                first_corrector="corrector",
                second_corrector="corrector2",
                needs_correction=True,
                state=GroupState.RELEASED_FOR_CORRECTION,
            )
        )
        uow.test_attempts.add_many(
            [
                Attempt(
                    group=GROUP,
                    candidate=p.id,
                    exam=EXAM.code,
                    login_name=p.login_name,
                    state=AttemptState.SUBMITTED,
                )
                for p in people
            ]
        )
        uow.commit()
    kit.corrections.open("planner", GROUP)
    kit.close()


class Run:
    """One side's fresh copy of the prepared database: a kit with its actors loaded."""

    def __init__(self, url: str, count: int) -> None:
        self.count = count
        self.backend = SQLBackend(url)
        self.kit: Examkit = _kit_on(self.backend)
        self.first = "corrector"
        self.second = "corrector2"
        self.planner = "planner"

    def close(self) -> None:
        self.kit.close()


def _kit_on(backend: SQLBackend) -> Examkit:
    """A kit on an already prepared *backend* (nothing stored again)."""
    from examkit import Settings
    from examkit.testing import RecordingMailer, SequenceSecretSource

    return Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock(AT),
        secrets=SequenceSecretSource("bench"),
        audit=StoredAuditLog(backend),
    )


def examkit_run(run: Run) -> tuple[CandidateResult, ...]:
    """Correct the group through ``kit.correction_work``; read it through ``kit.results``."""
    work = run.kit.correction_work
    ids = [f"c-{n:05d}" for n in range(run.count)]
    for n, candidate in enumerate(ids):
        work.score(run.first, GROUP, candidate, first_scores(n))
    for n, candidate in enumerate(ids):
        work.score(run.second, GROUP, candidate, second_scores(n))
    for n, candidate in enumerate(ids):
        item = f"o{n % ITEMS}"
        work.agree(run.first, GROUP, candidate, item, first_scores(n)[item])
    work.close(run.first, GROUP)
    return run.kit.results.results(run.planner, GROUP, DEFINITION, NTERM)


def _sheet(candidate: str) -> dict[str, Any]:
    empty = {"agreed": None, "comment": "", "first": None, "second": None, "state": "open"}
    return {
        "candidate": candidate,
        "group": GROUP,
        "items": {f"o{i}": {**empty, "third": None} for i in range(ITEMS)},
        "versions": [],
    }


def _version(
    item: str, mark: str, old: int | None, new: int, *, by: str, at: str
) -> dict[str, Any]:
    return {
        "at": at,
        "by": by,
        "comment": "",
        "item": item,
        "mark": mark,
        "new": new,
        "old": old,
    }


class Databases(ABC):
    """Fresh copies of the prepared database of one kind for both sides, one per run."""

    name: str
    sheet_sql: str
    audit_sql: str
    group_sql: str
    correction_sql: str
    select_sql: str

    def __init__(self, count: int) -> None:
        self.count = count
        self.serial = itertools.count()
        self.examkit: Run | None = None
        self.baseline_handle: str | None = None
        self.examkit_handle: str | None = None

    def examkit_setup(self) -> None:
        if self.examkit is not None:
            self.examkit.close()
        handle = self.copy(f"run_{next(self.serial)}")
        self.examkit_handle = handle
        self.examkit = Run(self.url(handle), self.count)

    def baseline_setup(self) -> None:
        self.disconnect()
        handle = self.copy(f"run_{next(self.serial)}")
        self.baseline_handle = handle
        self.connect(handle)

    def examkit_run(self) -> tuple[CandidateResult, ...]:
        assert self.examkit is not None
        return examkit_run(self.examkit)

    def baseline_run(self) -> int:
        at = AT.isoformat()
        at_us = to_us(AT)
        sheets = {n: _sheet(f"c-{n:05d}") for n in range(self.count)}
        for by, mark, scores_of in (
            ("corrector", "first", first_scores),
            ("corrector2", "second", second_scores),
        ):
            for n, sheet in sheets.items():
                scores = scores_of(n)
                items = sheet["items"]
                for item, score in scores.items():
                    entry = items[item]
                    sheet["versions"].append(_version(item, mark, entry[mark], score, by=by, at=at))
                    entry[mark] = score
                    if entry["first"] is not None and entry["second"] is not None:
                        same = entry["first"] == entry["second"]
                        entry["state"] = "settled" if same else "different"
                self.transaction(
                    sheet,
                    version=2 if mark == "first" else 3,
                    at_us=at_us,
                    by=by,
                    mark=mark,
                    scores=scores,
                )
        for n, sheet in sheets.items():
            item = f"o{n % ITEMS}"
            score = first_scores(n)[item]
            entry = sheet["items"][item]
            sheet["versions"].append(_version(item, "agreed", None, score, by="corrector", at=at))
            entry["agreed"], entry["state"] = score, "agreed"
            self.transaction(
                sheet, version=4, at_us=at_us, by="corrector", mark="agreed", scores={item: score}
            )
        self.close_group(at_us)
        total = 0
        for (text,) in self.select():
            for entry in json.loads(text)["items"].values():
                total += entry["agreed"] if entry["state"] == "agreed" else entry["first"]
        return total

    def transaction(
        self,
        sheet: dict[str, Any],
        *,
        version: int,
        at_us: int,
        by: str,
        mark: str,
        scores: dict[str, int],
    ) -> None:
        key = f"{GROUP}:{sheet['candidate']}"
        action = "correction.agree" if mark == "agreed" else "correction.score"
        details = {"items": ",".join(sorted(scores)), "mark": mark}
        self.write(
            [(version, _ENCODER.encode(sheet), key, version - 1)],
            [(at_us, by, action, f"correction_sheet:{key}", "success", _ENCODER.encode(details))],
        )

    @abstractmethod
    def copy(self, name: str) -> str: ...

    @abstractmethod
    def url(self, handle: str) -> str: ...

    @abstractmethod
    def connect(self, handle: str) -> None: ...

    @abstractmethod
    def disconnect(self) -> None: ...

    @abstractmethod
    def write(self, sheets: list[tuple[Any, ...]], audits: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    def close_group(self, at_us: int) -> None: ...

    @abstractmethod
    def select(self) -> list[tuple[str]]: ...

    @abstractmethod
    def rows(self, handle: str) -> list[tuple[str, int, str]]: ...

    def close(self) -> None:
        self.disconnect()
        if self.examkit is not None:
            self.examkit.close()


class SQLiteDatabases(Databases):
    name = "sqlite"
    sheet_sql = (
        "UPDATE examkit_correction_sheets SET version = ?, data = ?"
        " WHERE record_key = ? AND version = ?"
    )
    audit_sql = (
        "INSERT INTO examkit_audit_events (at_us, actor, action, subject, outcome, details)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.folder = Path(tempfile.mkdtemp(prefix="examkit-correction-"))
        self.template = str(self.folder / "template.db")
        prepare(f"sqlite:///{self.template}", count)
        self.connection: sqlite3.Connection | None = None

    def copy(self, name: str) -> str:
        path = str(self.folder / f"{name}.db")
        for suffix in ("", "-wal"):
            if Path(self.template + suffix).exists():
                shutil.copyfile(self.template + suffix, path + suffix)
        return path

    def url(self, handle: str) -> str:
        return f"sqlite:///{handle}"

    def connect(self, handle: str) -> None:
        self.connection = connect_like_examkit(handle)

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def write(self, sheets: list[tuple[Any, ...]], audits: list[tuple[Any, ...]]) -> None:
        connection = self.connection
        assert connection is not None
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(self.sheet_sql, sheets)
        connection.executemany(self.audit_sql, audits)
        connection.execute("COMMIT")

    def close_group(self, at_us: int) -> None:
        connection = self.connection
        assert connection is not None
        connection.execute("BEGIN IMMEDIATE")
        for table in ("examkit_session_groups", "examkit_correction_groups"):
            connection.execute(
                f"UPDATE {table} SET version = version + 1 WHERE record_key = ?",  # noqa: S608
                (GROUP,),
            )
        connection.executemany(
            self.audit_sql,
            [
                (at_us, "corrector", action, f"session_group:{GROUP}", "success", "{}")
                for action in ("correction.close", "sessions.group.close_correction")
            ],
        )
        connection.execute("COMMIT")

    def select(self) -> list[tuple[str]]:
        assert self.connection is not None
        return self.connection.execute(
            "SELECT data FROM examkit_correction_sheets WHERE i_group = ?", (GROUP,)
        ).fetchall()

    def rows(self, handle: str) -> list[tuple[str, int, str]]:
        connection = sqlite3.connect(handle)
        try:
            return connection.execute(
                "SELECT record_key, version, data FROM examkit_correction_sheets"
                " ORDER BY record_key"
            ).fetchall()
        finally:
            connection.close()

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases(Databases):
    name = "postgres"
    sheet_sql = (
        "UPDATE examkit_correction_sheets SET version = %s, data = %s"
        " WHERE record_key = %s AND version = %s"
    )
    audit_sql = (
        "INSERT INTO examkit_audit_events (at_us, actor, action, subject, outcome, details)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
    )

    def __init__(self, count: int, cluster: Any) -> None:
        super().__init__(count)
        self.cluster = cluster
        cluster.create_database("template_correction")
        prepare(cluster.url("template_correction"), count)
        self.connection: psycopg.Connection[Any] | None = None

    def copy(self, name: str) -> str:
        self.cluster.create_database(name, template="template_correction")
        return name

    def url(self, handle: str) -> str:
        return str(self.cluster.url(handle))

    def connect(self, handle: str) -> None:
        self.connection = psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=handle
        )

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def write(self, sheets: list[tuple[Any, ...]], audits: list[tuple[Any, ...]]) -> None:
        connection = self.connection
        assert connection is not None
        with connection.cursor() as cursor:
            cursor.executemany(self.sheet_sql, sheets)
            cursor.executemany(self.audit_sql, audits)
        connection.commit()

    def close_group(self, at_us: int) -> None:
        connection = self.connection
        assert connection is not None
        with connection.cursor() as cursor:
            for table in ("examkit_session_groups", "examkit_correction_groups"):
                cursor.execute(
                    f"UPDATE {table} SET version = version + 1 WHERE record_key = %s",  # noqa: S608
                    (GROUP,),
                )
            cursor.executemany(
                self.audit_sql,
                [
                    (at_us, "corrector", action, f"session_group:{GROUP}", "success", "{}")
                    for action in ("correction.close", "sessions.group.close_correction")
                ],
            )
        connection.commit()

    def select(self) -> list[tuple[str]]:
        assert self.connection is not None
        return self.connection.execute(
            "SELECT data FROM examkit_correction_sheets WHERE i_group = %s", (GROUP,)
        ).fetchall()

    def rows(self, handle: str) -> list[tuple[str, int, str]]:
        with psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=handle
        ) as connection:
            return connection.execute(
                "SELECT record_key, version, data FROM examkit_correction_sheets"
                " ORDER BY record_key"
            ).fetchall()


def run(databases: Databases, *, repeats: int) -> Comparison[tuple[CandidateResult, ...], int]:
    """Compare both sides on *databases*; check that both wrote the same sheets."""
    ops = databases.count * 3
    comparison = compare(
        databases.examkit_run,
        databases.baseline_run,
        repeats=repeats,
        warmup=0,
        label=databases.name,
        ops=ops,
        examkit_setup=databases.examkit_setup,
        baseline_setup=databases.baseline_setup,
    )
    results = comparison.examkit_result
    assert len(results) == databases.count
    assert sum(r.total for r in results) == comparison.baseline_result
    assert databases.examkit_handle is not None
    assert databases.baseline_handle is not None
    ours = databases.rows(databases.examkit_handle)
    theirs = databases.rows(databases.baseline_handle)
    assert ours == theirs, databases.name
    assert {row[1] for row in ours} == {4}
    return comparison


def _stop_on_sigterm(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    from benchmarks._postgres import postgres_cluster

    from examkit.testing.postgres import PostgresCluster, PostgresUnavailable

    mode = parse_mode(__doc__)
    count = by_mode(mode, smoke=50, quick=1_000, full=5_000)
    repeats = by_mode(mode, smoke=1, quick=1, full=1)
    bin_dir = PostgresCluster.find_bin_dir()
    if bin_dir is None:
        print(
            "correction: PostgreSQL is not installed (no initdb and pg_ctl); this benchmark "
            "needs it, install PostgreSQL's server programs and run it again",
            file=sys.stderr,
        )
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(f"correction: mode={mode}, {count} candidates x {ITEMS} items, repeats={repeats}")
    cluster = postgres_cluster(bin_dir)  # its own, or the smoke test's (benchmarks/_postgres.py)
    kinds: list[Databases] = []
    try:
        cluster.start()
        kinds.append(SQLiteDatabases(count))
        kinds.append(PostgresDatabases(count, cluster))
        results = {databases.name: run(databases, repeats=repeats) for databases in kinds}
    except PostgresUnavailable as error:
        print(f"correction: PostgreSQL is unusable: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        for databases in kinds:
            databases.close()
        cluster.stop()
    ops = count * 3
    sqlite, postgres = results["sqlite"], results["postgres"]
    figures: dict[str, Figure] = {
        "mode": mode,
        "candidates": count,
        "items": ITEMS,
        "operations": ops,
        "repeats": repeats,
        "sqlite_ratio": round(sqlite.ratio, 3),
        "postgres_ratio": round(postgres.ratio, 3),
        "sqlite_examkit_us_per_op": round(sqlite.examkit.per_op(ops) * 1e6, 1),
        "sqlite_baseline_us_per_op": round(sqlite.baseline.per_op(ops) * 1e6, 1),
        "postgres_examkit_us_per_op": round(postgres.examkit.per_op(ops) * 1e6, 1),
        "postgres_baseline_us_per_op": round(postgres.baseline.per_op(ops) * 1e6, 1),
    }
    report("correction", figures, max(sqlite.ratio, postgres.ratio), TARGET)


if __name__ == "__main__":
    main()
