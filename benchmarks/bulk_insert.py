"""Bulk insert of accounts into SQL: one unit of work with ``add_many`` vs. a bare driver.

Both sides get the same prepared list of *n* valid
:class:`~examkit.accounts.Account` values (built before timing: distinct
ids and login names, one or two institutions each, half with an initial
password, some with a phone number, a password history or a deactivated
status, a few non-ASCII names) and store them all, in one transaction, into
a fresh, empty, migrated database of their own, created untimed before
every run: on SQLite a new file per run (made by ``SQLBackend(url)``, which
migrates), on PostgreSQL a new database per run copied from a migrated
template in one throwaway :class:`~examkit.testing.postgres.PostgresCluster`
started for the whole run.

Examkit (the timed part): ``backend.begin()``, ``uow.accounts.add_many(accounts)``,
``uow.commit()`` on ``SQLBackend(url)`` with its default settings. That
converts every account to its row (cattrs ``unstructure``, ``json.dumps``
with sorted keys, the folded login name and the e-mail address) and its
child rows (one per institution), then runs one SQLAlchemy Core
``executemany`` INSERT per table inside a savepoint.

The baseline is **the same work, by hand**: the bare driver (the ``sqlite3``
module; ``psycopg``) on a connection opened untimed, with examkit's settings
(SQLite: WAL, ``synchronous=NORMAL``, ``foreign_keys=ON``, the same busy
timeout, ``BEGIN IMMEDIATE``; PostgreSQL: the same server, the default READ
COMMITTED isolation that examkit's writing units ask for). Inside the
timing it converts each account to its row tuple with straightforward code
(a dict built by hand with the keys in sorted order, ``json.dumps`` with
examkit's separators and ``ensure_ascii=False``) and its child tuples, then
one ``executemany`` per table and a commit. Both sides end with the same
rows stored: the benchmark asserts that every row of ``examkit_accounts``
and ``examkit_account_institutions`` is equal, byte for byte, between the
two sides' databases, that the counts are *n* and the expected number of
child rows, and that examkit reads a sample of the baseline's rows back as
the accounts it was given (version 1). The settings of both sides are
printed and asserted equal.

``ratio`` is the larger of the two databases' ratios (examkit's best time
over the baseline's best): ``sqlite_ratio`` and ``postgres_ratio`` are
printed as figures. The target, 2, is the issue's: a bulk load through the
unit of work may cost at most twice the bare driver doing the same
conversion and inserts.

Measured at the quick size (n = 20,000, 26,667 child rows) on the shared
2-core machine the benchmark was written on (CPython 3.11, SQLAlchemy 2.1,
psycopg 3.3, SQLite 3.40, PostgreSQL 15), over five runs: SQLite ~34-36 µs
per account against the baseline's ~17 µs, ``sqlite_ratio`` 1.98-2.19,
which misses the target more often than not; PostgreSQL ~60-76 µs against
~40-63 µs, ``postgres_ratio`` 1.13-1.47 (the server's cost per INSERT
dominates both sides there). Where examkit's extra ~18 µs per account goes
on SQLite (cProfile and per-step timings): ~5.6 µs in the ``translated()``
context that ``@translating`` wraps around every public method, entered
four times per account for the pure conversion hooks ``key_of``,
``key_text``, ``extra_columns`` and ``child_rows``; ~7 µs in SQLAlchemy
Core's executemany building each row's parameters (``construct_params``
and the positional conversion) before ``sqlite3``'s own executemany, which
costs the same on both sides; ~1 µs in ``json.dumps`` building a new
encoder per call; the rest in cattrs ``unstructure`` (~3.7 µs against the
baseline's hand-built dict) and the child rows' dicts. Leaving the hooks
unwrapped and reusing one ``JSONEncoder`` measured ``sqlite_ratio``
~1.55-1.6; also handing the rows to the driver's executemany directly
(``exec_driver_sql``, when no column type converts values) ~1.2.

PostgreSQL's server programs must be installed (``initdb`` and ``pg_ctl``);
when they are not, the benchmark says so and exits non-zero rather than
report SQLite alone.

Run as ``python benchmarks/bulk_insert.py [--quick | --smoke]``; the last line printed is
one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import psycopg
from benchmarks._harness import Comparison, Figure, by_mode, compare, parse_mode, report
from benchmarks._postgres import postgres_cluster
from benchmarks._sqlite import connect_like_examkit, create_database, drop_database

from examkit.accounts import Account, AccountStatus, LoginName, PasswordRecord
from examkit.backends.sql import SQLBackend
from examkit.identifiers import Brin
from examkit.testing.postgres import PostgresCluster, PostgresUnavailable

TARGET = 2.0

AccountRow = tuple[str, int, str, str, str, str]
ChildRow = tuple[str, str]
Stored = tuple[set[AccountRow], set[ChildRow]]

_SQLITE_ACCOUNT_INSERT = (
    "INSERT INTO examkit_accounts (record_key, version, ord, i_login_name, i_email, data)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
_SQLITE_CHILD_INSERT = "INSERT INTO examkit_accounts__institution (record_key, value) VALUES (?, ?)"
_PG_ACCOUNT_INSERT = (
    "INSERT INTO examkit_accounts (record_key, version, ord, i_login_name, i_email, data)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)
_PG_CHILD_INSERT = "INSERT INTO examkit_accounts__institution (record_key, value) VALUES (%s, %s)"
_SELECT_ACCOUNTS = (
    "SELECT record_key, version, ord, i_login_name, i_email, data FROM examkit_accounts"
)
_SELECT_CHILDREN = "SELECT record_key, value FROM examkit_accounts__institution"

_SQLITE_BUSY_TIMEOUT = 30.0
"""SQLBackend's default *busy_timeout*, in seconds, given to the baseline too."""

# --- the prepared input: deterministic, valid accounts -------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FIRST = ("Karin", "Daan", "Zoë", "Sem", "Fleur", "Ömer", "Anouk", "Jesús", "Lotte", "Bram")
_LAST = ("de Vries", "Jansen", "van der Berg", "Bakker", "Çelik", "Visser", "Smit", "Meijer")
_SET_AT = datetime(2026, 8, 24, 7, 30, tzinfo=UTC)
_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$" + "h" * 43


def _brin(k: int) -> Brin:
    return Brin(f"{k // 676 % 100:02d}{_LETTERS[k // 26 % 26]}{_LETTERS[k % 26]}")


def accounts(n: int) -> list[Account]:
    """Return *n* valid accounts with distinct ids and login names, 1-2 institutions each."""
    if n > 999_999:
        raise ValueError("at most 999,999 distinct login names")
    out: list[Account] = []
    for i in range(n):
        main = _brin(i % 997)
        linked = {main, _brin(i % 997 + 1000)} if i % 3 == 0 else {main}
        password = (
            PasswordRecord(hash=f"{_HASH}{i}", set_at=_SET_AT, must_change=True)
            if i % 2 == 0
            else None
        )
        out.append(
            Account(
                id=f"acc-{i:06d}",
                login_name=LoginName(f"{main}.Docent{i:06d}"),
                first_name=_FIRST[i % len(_FIRST)],
                last_name=_LAST[i % len(_LAST)],
                email=f"docent{i}@School-{main}.NL",
                phone=f"06-{10_000_000 + i}" if i % 4 == 1 else None,
                status=AccountStatus.DEACTIVATED if i % 10 == 7 else AccountStatus.ACTIVE,
                password=password,
                password_history=(f"{_HASH}old{i}",) if i % 5 == 0 else (),
                institutions=frozenset(linked),
            )
        )
    return out


# --- the baseline's conversion: straightforward code, by hand ------------------------------


def baseline_rows(items: Sequence[Account]) -> tuple[list[AccountRow], list[ChildRow]]:
    """Return the account rows and the account-institution rows examkit stores for *items*."""
    rows: list[AccountRow] = []
    children: list[ChildRow] = []
    for account in items:
        password = account.password
        data = {  # the keys in sorted order, as examkit's sort_keys=True writes them
            "email": account.email,
            "federation_only": account.federation_only,
            "first_name": account.first_name,
            "id": account.id,
            "institutions": sorted(str(code) for code in account.institutions),
            "lang": account.lang,
            "last_name": account.last_name,
            "login_name": account.login_name.value,
            "password": None
            if password is None
            else {
                "hash": password.hash,
                "must_change": password.must_change,
                "set_at": password.set_at.isoformat(),
            },
            "password_history": list(account.password_history),
            "phone": account.phone,
            "status": account.status.value,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        folded = account.login_name.folded
        rows.append((account.id, 1, folded, folded, account.email, text))
        children.extend((account.id, str(code)) for code in account.institutions)
    return rows, children


# --- one database kind: fresh databases per run, both sides, the stored rows ---------------


class Databases(ABC):
    """Fresh, empty, migrated databases of one kind for both sides, one per run."""

    name: str

    def __init__(self, items: Sequence[Account]) -> None:
        self.items = items
        self.backend: SQLBackend | None = None
        self.examkit_handle = ""
        self.baseline_handle = ""
        self._count = 0

    def _next(self, side: str) -> str:
        self._count += 1
        return f"bulk_{side}_{self._count}"

    # -- untimed: before every run of a side --------------------------
    def examkit_setup(self) -> None:
        """Dispose of examkit's previous database; open a backend on a fresh one."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        if self.examkit_handle:
            self.drop(self.examkit_handle)
        self.examkit_handle = self.create(self._next("examkit"))
        self.backend = SQLBackend(self.url(self.examkit_handle))

    def baseline_setup(self) -> None:
        """Dispose of the baseline's previous database; connect the driver to a fresh one."""
        self.disconnect()
        if self.baseline_handle:
            self.drop(self.baseline_handle)
        self.baseline_handle = self.create(self._next("baseline"))
        self.connect(self.baseline_handle)

    # -- timed ---------------------------------------------------------
    def examkit_run(self) -> str:
        """Add every account in one unit of work; return the database written."""
        assert self.backend is not None
        with self.backend.begin() as uow:
            uow.accounts.add_many(self.items)
            uow.commit()
        return self.examkit_handle

    @abstractmethod
    def baseline_run(self) -> str:
        """Convert and insert every account with the bare driver; return the database written."""

    # -- per kind ------------------------------------------------------
    @abstractmethod
    def create(self, name: str) -> str:
        """Create a fresh, empty, migrated database from *name*; return its handle."""

    @abstractmethod
    def drop(self, handle: str) -> None:
        """Remove the database *handle*."""

    @abstractmethod
    def url(self, handle: str) -> str:
        """Return the SQLAlchemy URL of *handle*."""

    @abstractmethod
    def connect(self, handle: str) -> None:
        """Open the baseline's driver connection to *handle*, with examkit's settings."""

    @abstractmethod
    def disconnect(self) -> None:
        """Close the baseline's driver connection, if open."""

    @abstractmethod
    def stored(self, handle: str) -> Stored:
        """Return every account row and account-institution row in *handle*."""

    @abstractmethod
    def settings(self) -> tuple[dict[str, str], dict[str, str]]:
        """Return the settings examkit's writing unit and the baseline's connection run with."""

    def close(self) -> None:
        """Close every connection and remove every database still there."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        self.disconnect()
        for handle in (self.examkit_handle, self.baseline_handle):
            if handle:
                self.drop(handle)
        self.examkit_handle = self.baseline_handle = ""


class SQLiteDatabases(Databases):
    """A new SQLite file per run, in a temporary folder."""

    name = "sqlite"

    def __init__(self, items: Sequence[Account]) -> None:
        super().__init__(items)
        self.folder = Path(tempfile.mkdtemp(prefix="examkit-bulk-"))
        self.connection: sqlite3.Connection | None = None

    def create(self, name: str) -> str:
        return create_database(self.folder, name)

    def drop(self, handle: str) -> None:
        drop_database(handle)

    def url(self, handle: str) -> str:
        return f"sqlite:///{handle}"

    def connect(self, handle: str) -> None:
        self.connection = connect_like_examkit(handle, _SQLITE_BUSY_TIMEOUT)

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def baseline_run(self) -> str:
        connection = self.connection
        assert connection is not None
        rows, children = baseline_rows(self.items)
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.executemany(_SQLITE_ACCOUNT_INSERT, rows)
            connection.executemany(_SQLITE_CHILD_INSERT, children)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return self.baseline_handle

    def stored(self, handle: str) -> Stored:
        connection = sqlite3.connect(handle)
        try:
            account_rows = set(connection.execute(_SELECT_ACCOUNTS).fetchall())
            child_rows = set(connection.execute(_SELECT_CHILDREN).fetchall())
        finally:
            connection.close()
        return account_rows, child_rows

    def settings(self) -> tuple[dict[str, str], dict[str, str]]:
        pragmas = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        self.examkit_setup()
        self.baseline_setup()
        assert self.backend is not None
        assert self.connection is not None
        with self.backend.begin() as uow:
            conn = uow.transaction.readable()  # type: ignore[attr-defined]
            ours = {p: str(conn.exec_driver_sql(f"PRAGMA {p}").scalar()) for p in pragmas}
        theirs = {p: str(self.connection.execute(f"PRAGMA {p}").fetchone()[0]) for p in pragmas}
        ours["begin"] = self.backend._begin_statement(readonly=False)
        theirs["begin"] = "BEGIN IMMEDIATE"
        return ours, theirs

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases(Databases):
    """A new database per run in one cluster, copied from a migrated template."""

    name = "postgres"
    template = "bulk_template"

    def __init__(self, items: Sequence[Account], cluster: PostgresCluster) -> None:
        super().__init__(items)
        self.cluster = cluster
        self.connection: psycopg.Connection[Any] | None = None
        cluster.create_database(self.template)
        SQLBackend(cluster.url(self.template)).close()  # migrates the template

    def create(self, name: str) -> str:
        self.cluster.create_database(name, template=self.template)
        return name

    def drop(self, handle: str) -> None:
        self.cluster.drop_database(handle)

    def url(self, handle: str) -> str:
        return self.cluster.url(handle)

    def _connect(self, handle: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=handle
        )

    def connect(self, handle: str) -> None:
        self.connection = self._connect(handle)

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def baseline_run(self) -> str:
        connection = self.connection
        assert connection is not None
        rows, children = baseline_rows(self.items)
        try:
            with connection.cursor() as cursor:
                cursor.executemany(_PG_ACCOUNT_INSERT, rows)
                cursor.executemany(_PG_CHILD_INSERT, children)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
        return self.baseline_handle

    def stored(self, handle: str) -> Stored:
        with self._connect(handle) as connection:
            account_rows: set[AccountRow] = set(connection.execute(_SELECT_ACCOUNTS).fetchall())
            child_rows: set[ChildRow] = set(connection.execute(_SELECT_CHILDREN).fetchall())
        return account_rows, child_rows

    def settings(self) -> tuple[dict[str, str], dict[str, str]]:
        shown = ("transaction_isolation", "server_version", "fsync", "synchronous_commit")
        self.examkit_setup()
        self.baseline_setup()
        assert self.backend is not None
        assert self.connection is not None
        with self.backend.begin() as uow:
            conn = uow.transaction.readable()  # type: ignore[attr-defined]
            ours = {s: str(conn.exec_driver_sql(f"SHOW {s}").scalar()) for s in shown}
        theirs: dict[str, str] = {}
        for setting in shown:
            row = self.connection.execute(f"SHOW {setting}").fetchone()
            assert row is not None
            theirs[setting] = str(row[0])
        self.connection.rollback()
        return ours, theirs


# --- the benchmark -------------------------------------------------------------------------


def check_settings(databases: Databases) -> None:
    """Print the settings both sides write with; assert they are the same."""
    ours, theirs = databases.settings()
    for side, settings in (("examkit ", ours), ("baseline", theirs)):
        shown = ", ".join(f"{key}={value}" for key, value in settings.items())
        print(f"[{databases.name}] {side} settings: {shown}")
    assert ours == theirs, f"{databases.name}: the sides run with different settings"


def check_stored(databases: Databases, comparison: Comparison[str, str]) -> int:
    """Assert both sides' last runs stored the same rows; return the number of child rows."""
    items = databases.items
    ours = databases.stored(comparison.examkit_result)
    theirs = databases.stored(comparison.baseline_result)
    expected_children = sum(len(account.institutions) for account in items)
    assert len(ours[0]) == len(theirs[0]) == len(items), f"{databases.name}: account count"
    assert len(ours[1]) == len(theirs[1]) == expected_children, f"{databases.name}: child count"
    assert {row[:3] for row in ours[0]} == {row[:3] for row in theirs[0]}, databases.name
    assert ours[1] == theirs[1], f"{databases.name}: the account-institution rows differ"
    assert ours[0] == theirs[0], f"{databases.name}: the account rows differ"
    sample = items[:: max(len(items) // 50, 1)]
    reader = SQLBackend(databases.url(comparison.baseline_result))
    try:
        with reader.begin(readonly=True) as uow:
            for account in sample:
                found = uow.accounts.get(account.id)
                assert found == account, account.id
                assert found.version == 1, account.id
    finally:
        reader.close()
    return expected_children


def run(databases: Databases, *, repeats: int, warmup: int) -> tuple[Comparison[str, str], int]:
    """Compare both sides on *databases*; check what they stored."""
    check_settings(databases)
    comparison = compare(
        databases.examkit_run,
        databases.baseline_run,
        repeats=repeats,
        warmup=warmup,
        label=databases.name,
        ops=len(databases.items),
        examkit_setup=databases.examkit_setup,
        baseline_setup=databases.baseline_setup,
    )
    children = check_stored(databases, comparison)
    return comparison, children


def _stop_on_sigterm(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    n = by_mode(mode, smoke=500, quick=20_000, full=100_000)
    repeats = by_mode(mode, smoke=1, quick=5, full=7)
    warmup = by_mode(mode, smoke=0, quick=1, full=1)  # a smoke run only proves it runs
    bin_dir = PostgresCluster.find_bin_dir()
    if bin_dir is None:
        print(
            "bulk_insert: PostgreSQL is not installed (no initdb and pg_ctl under "
            "/usr/lib/postgresql/*/bin or on PATH); this benchmark needs it, install "
            "PostgreSQL's server programs and run it again",
            file=sys.stderr,
        )
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    items = accounts(n)
    print(f"bulk_insert: mode={mode}, n={n} accounts, repeats={repeats}, postgres at {bin_dir}")

    cluster = postgres_cluster(bin_dir)  # its own, or the smoke test's (benchmarks/_postgres.py)
    kinds: list[Databases] = []
    try:
        cluster.start()
        kinds.append(SQLiteDatabases(items))
        kinds.append(PostgresDatabases(items, cluster))
        results = {
            databases.name: run(databases, repeats=repeats, warmup=warmup) for databases in kinds
        }
    except PostgresUnavailable as error:
        print(f"bulk_insert: PostgreSQL is unusable: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        for databases in kinds:
            databases.close()
        cluster.stop()

    sqlite, children = results["sqlite"]
    postgres, _ = results["postgres"]
    ratio = max(sqlite.ratio, postgres.ratio)
    figures: dict[str, Figure] = {
        "mode": mode,
        "n": n,
        "child_rows": children,
        "repeats": repeats,
        "sqlite_ratio": round(sqlite.ratio, 3),
        "postgres_ratio": round(postgres.ratio, 3),
        "sqlite_examkit_us_per_row": round(sqlite.examkit.per_op(n) * 1e6, 3),
        "sqlite_baseline_us_per_row": round(sqlite.baseline.per_op(n) * 1e6, 3),
        "postgres_examkit_us_per_row": round(postgres.examkit.per_op(n) * 1e6, 3),
        "postgres_baseline_us_per_row": round(postgres.baseline.per_op(n) * 1e6, 3),
    }
    report("bulk_insert", figures, ratio, TARGET)


if __name__ == "__main__":
    main()
