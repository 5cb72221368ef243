"""Complete sign-ins (password, then the e-mailed code) over the floor of their statements.

Examkit (timed): *n* different accounts sign in one after the other through
``kit.staff_sign_in`` on ``SQLBackend(url)`` with its default settings and the
kit's production parts (the system's randomness, the backend's own audit
log, the facet policy), except the hasher, which is a null hasher (the
flow's cost, not argon2's): ``submit_credentials`` (the attempt counted,
the account read, the password "checked", the count cleared, the sign-in
transaction and its one-time password stored, the code mailed to an
in-memory mailer, audited), then ``submit_code`` with the mailed code (the
entry counted per account and per code, the code consumed, the transaction
ended, the browser trusted, audited). Three units of work per sign-in.

The baseline is **the floor** (issue 20, point 6): the fixed list of the
statements a sign-in sent on 5 December 2026 (:data:`_FLOOR_SIGN_IN`: 17
statements in 3 transactions, 23 with their ``BEGIN`` and ``COMMIT``), sent
bare through the driver (``sqlite3``; ``psycopg``) for the same *n*
accounts, on a database of its own at schema revision 0008 (the tables those
statements were written for) holding the same accounts. The values have the
real ones' shape: the sign-in's, the code's and the browser's keys are 64 hex
digits that fall anywhere in their index, as examkit's keyed digests do (the
floor's first version used sequential strings, which land side by side in
the index and made its commits about a sixth cheaper than the same
statements with real keys). Both sides run interleaved. ``ratio`` is
examkit's cost per sign-in over the floor's, the larger of SQLite's and
PostgreSQL's; target 2.5.

With the converter's generated codecs examkit measured 2.71 to 2.74 over the
first floor; the SQL backend therefore reads and writes the three records of
a sign-in (accounts, sign-in transactions, trusted browsers) through
hand-written codecs, :mod:`examkit.backends.sql._signin_codecs`, held equal
to the converter by a property test.

The benchmark also counts, through the driver's own statement hook
(``sqlite3.Connection.set_trace_callback``, on every connection examkit's
SQLite backend opens), the statements one complete sign-in makes, after the
timed runs: ``statements_per_sign_in`` (everything but ``BEGIN`` and
``COMMIT``) at most 15, and ``commits_per_sign_in`` at most 3; both are
required for ``met``. PostgreSQL receives the same statements from the same
code.

``--quick`` runs each side three times on 2,000 accounts, interleaved, the best
time of each counting (``--smoke`` once on 100, the
full run three times after a warm-up on 10,000). PostgreSQL's server
programs must be installed.
"""

from __future__ import annotations

import hashlib
import json
import re
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
from benchmarks._harness import (
    Comparison,
    Figure,
    by_mode,
    compare,
    parse_mode,
    report,
)
from benchmarks._postgres import postgres_cluster
from sqlalchemy import create_engine, event, text

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName, PasswordRecord
from examkit.auth import Step
from examkit.backends.sql import SQLBackend, upgrade
from examkit.converter import unstructure
from examkit.identifiers import Brin
from examkit.ports import Message
from examkit.randomness import SystemSecretSource
from examkit.testing import ManualClock, StaticGate
from examkit.testing.postgres import PostgresCluster, PostgresUnavailable

TARGET = 2.5
MAX_STATEMENTS = 15
MAX_COMMITS = 3
PASSWORD = "Zomer2026!x"  # noqa: S105 - every benchmark account's password, no secret
IP = "192.0.2.10"
_SET_AT = datetime(2026, 8, 24, 7, 30, tzinfo=UTC)
_NOW = "2026-09-01T08:00:00+00:00"
_CODE = re.compile(r"\b(\d{6})\b")
_SQLITE_BUSY_TIMEOUT = 30.0


class NullHasher:
    """A :class:`~examkit.ports.PasswordHasher` that costs nothing: the flow's cost alone."""

    def hash(self, password: str) -> str:
        return "null$" + password

    def verify(self, password: str, hashed: str) -> bool:
        return hashed == "null$" + password

    def needs_update(self, hashed: str) -> bool:
        return False

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        return ("null$",) if hashed is None else (hashed,)


class LastMessage:
    """A :class:`~examkit.ports.Mailer` keeping only the newest message (the code to enter)."""

    def __init__(self) -> None:
        self.message: Message | None = None

    def send(self, message: Message) -> None:
        self.message = message

    def code(self) -> str:
        assert self.message is not None
        found = _CODE.search(self.message.body)
        assert found is not None
        return found.group(1)


def accounts(n: int) -> list[Account]:
    """Return *n* active accounts with the same chosen password (hashed by the null hasher)."""
    return [
        Account(
            id=f"acc-{i:06d}",
            login_name=LoginName(f"22AB.Docent{i:06d}"),
            first_name="Karin",
            last_name="Jansen",
            email=f"docent{i}@school.nl",
            password=PasswordRecord(hash="null$" + PASSWORD, set_at=_SET_AT),
            institutions=frozenset({Brin("22AB")}),
        )
        for i in range(n)
    ]


# --- the floor: the same writes a sign-in makes, as bare SQL through the driver ------------

_FLOOR_SIGN_IN: tuple[tuple[str, ...], ...] = (
    # 1. the password step, counted before the check (the hash is a null hasher's)
    (
        "SELECT attempt_count, expires_at_us FROM examkit_attempts"
        " WHERE purpose = ? AND attempt_key = ? AND expires_at_us > ?",
        "INSERT INTO examkit_attempts (purpose, attempt_key, attempt_count, expires_at_us)"
        " VALUES (?, ?, 1, ?) ON CONFLICT (purpose, attempt_key) DO UPDATE SET attempt_count ="
        " CASE WHEN examkit_attempts.expires_at_us <= ? THEN 1"
        " ELSE examkit_attempts.attempt_count + 1 END, expires_at_us = ?"
        " RETURNING attempt_count, expires_at_us",
        "SELECT version, data FROM examkit_accounts WHERE login_name_folded = ?",
    ),
    # 2. the right password: clear the count, store the sign-in and its code, audit
    (
        "DELETE FROM examkit_attempts WHERE purpose = ? AND attempt_key = ?",
        "INSERT INTO examkit_signin_transactions (id, account_id, expires_at_us, version, data)"
        " VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING RETURNING id",
        "INSERT INTO examkit_tokens (purpose, digest, subject, expires_at_us, data)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING digest",
        "INSERT INTO examkit_audit_events (at_us, actor, action, subject, outcome, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    ),
    # 3. the code: count it twice, use it once, end the sign-in, trust the browser, audit
    (
        "SELECT version, data FROM examkit_signin_transactions WHERE id = ?",
        "SELECT attempt_count, expires_at_us FROM examkit_attempts"
        " WHERE purpose = ? AND attempt_key = ? AND expires_at_us > ?",
        "INSERT INTO examkit_attempts (purpose, attempt_key, attempt_count, expires_at_us)"
        " VALUES (?, ?, 1, ?) ON CONFLICT (purpose, attempt_key) DO UPDATE SET attempt_count ="
        " examkit_attempts.attempt_count + 1, expires_at_us = ?"
        " RETURNING attempt_count, expires_at_us",
        "INSERT INTO examkit_attempts (purpose, attempt_key, attempt_count, expires_at_us)"
        " VALUES (?, ?, 1, ?) ON CONFLICT (purpose, attempt_key) DO UPDATE SET attempt_count ="
        " examkit_attempts.attempt_count + 1, expires_at_us = ?"
        " RETURNING attempt_count, expires_at_us",
        "DELETE FROM examkit_tokens WHERE purpose = ? AND digest = ?"
        " RETURNING purpose, digest, subject, expires_at_us, data",
        "DELETE FROM examkit_attempts WHERE purpose = ? AND attempt_key = ?",
        "DELETE FROM examkit_signin_transactions WHERE id = ?",
        "INSERT INTO examkit_trusted_browsers (id, account_id, expires_at_us, version, data)"
        " VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING RETURNING id",
        "INSERT INTO examkit_audit_events (at_us, actor, action, subject, outcome, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        "INSERT INTO examkit_audit_events (at_us, actor, action, subject, outcome, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    ),
)
"""The statements of one sign-in, by unit of work, as examkit's SQL backend issues them."""


def _digest(purpose: str, run: int, subject: str) -> str:
    """Return 64 hex digits standing in for examkit's keyed digest of *subject* in *run*."""
    return hashlib.sha256(f"{purpose}:{run}:{subject}".encode()).hexdigest()


def floor_parameters(
    run: int, login: str, account_id: str
) -> tuple[tuple[tuple[Any, ...], ...], ...]:
    """Return the parameters of :data:`_FLOOR_SIGN_IN` for one sign-in of one run."""
    now, later = 1_788_249_600_000_000, 1_788_250_500_000_000
    # Keys shaped as examkit's: 64 hex digits of a keyed SHA-256 digest, so they land
    # where a digest lands in the primary-key index (anywhere), not one after another.
    tx = _digest("signin", run, account_id)
    digest = _digest("otp", run, login)
    browser = _digest("browser", run, account_id)
    data = '{"step":"second_factor"}'
    audit = (
        now,
        account_id,
        "auth.sign_in",
        f"account:{account_id}",
        "success",
        '{"ip":"192.0.2.10"}',
    )
    key = login.casefold()
    return (
        (
            ("auth.sign_in", key, now),
            ("auth.sign_in", key, later, now, later),
            (key,),
        ),
        (
            ("auth.sign_in", key),
            (tx, account_id, later, data),
            ("auth.otp", digest, tx, later, "{}"),
            audit,
        ),
        (
            (tx,),
            ("auth.code.account", account_id, now),
            ("auth.code.account", account_id, later, later),
            ("auth.code", f"{tx}:1", later, later),
            ("auth.otp", digest),
            ("auth.code.account", account_id),
            (tx,),
            (browser, account_id, later, data),
            audit,
            audit,
        ),
    )


class Databases(ABC):
    """Two migrated databases of one kind holding the same accounts: one per side."""

    name: str

    def __init__(self, items: Sequence[Account]) -> None:
        self.items = items
        self.logins = [account.login_name.value for account in items]
        self.mailer = LastMessage()
        self.kit: Examkit | None = None
        self.floor_logins = list(self.logins)
        self.floor_ids = [account.id for account in items]
        self.floor_runs = 0
        self.trace: list[str] = []
        self.tracing = False

    def open(self) -> None:
        """Create both databases, fill them, open examkit's kit and the floor's connection."""
        backend = SQLBackend(self.url(self.create("examkit")))
        event.listen(backend.engine, "connect", self._trace)
        with backend.begin() as uow:
            uow.accounts.add_many(self.items)
            uow.commit()
        self.kit = Examkit(
            backend=backend,
            mailer=self.mailer,
            settings=Settings(
                token_key=b"benchmark-token-key-not-a-secret!", base_url="https://portal.example.nl"
            ),
            clock=ManualClock.at(_NOW),
            secrets=SystemSecretSource(),
            hasher=NullHasher(),
            sign_in_gate=StaticGate(),
        )
        engine = create_engine(self.url(self.create("baseline")))
        try:
            upgrade(engine, "0008_correction")  # the schema the floor's statements were written for
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO examkit_accounts (id, login_name_folded, email, version, data)"
                        " VALUES (:id, :folded, :email, 1, :data)"
                    ),
                    [
                        {
                            "id": account.id,
                            "folded": account.login_name.folded,
                            "email": account.email,
                            "data": json.dumps(unstructure(account)),
                        }
                        for account in self.items
                    ],
                )
        finally:
            engine.dispose()
        self.connect()

    def _trace(self, dbapi_connection: Any, _: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if self.tracing:
            self.trace.append(statement)

    def count_one_sign_in(self) -> tuple[int, int]:
        """Sign one more account in, counting its statements and commits through the driver."""
        assert self.kit is not None
        login = self.logins[0]
        self.trace.clear()
        self.tracing = True
        try:
            progress = self.kit.staff_sign_in.submit_credentials(login, PASSWORD, ip=IP)
            finished = self.kit.staff_sign_in.submit_code(
                progress.transaction, self.mailer.code(), ip=IP
            )
        finally:
            self.tracing = False
        assert finished.step is Step.SIGNED_IN
        words = [statement.split(None, 1)[0].upper() for statement in self.trace]
        commits = words.count("COMMIT")
        return len(words) - commits - words.count("BEGIN"), commits

    def examkit_run(self) -> int:
        """Sign every account in: password, then the mailed code; return how many."""
        assert self.kit is not None
        staff_sign_in, mailer = self.kit.staff_sign_in, self.mailer
        done = 0
        for login in self.logins:
            progress = staff_sign_in.submit_credentials(login, PASSWORD, ip=IP)
            finished = staff_sign_in.submit_code(progress.transaction, mailer.code(), ip=IP)
            done += finished.step is Step.SIGNED_IN
        return done

    @abstractmethod
    def floor_run(self) -> int:
        """Issue a sign-in's statements for every account as bare SQL; return how many."""

    @abstractmethod
    def create(self, side: str) -> str:
        """Create an empty database for *side*; return its handle."""

    @abstractmethod
    def url(self, handle: str) -> str:
        """Return the SQLAlchemy URL of *handle*."""

    @abstractmethod
    def connect(self) -> None:
        """Open the baseline's driver connection with examkit's settings."""

    def close(self) -> None:
        """Close both sides."""
        if self.kit is not None:
            self.kit.close()
            self.kit = None


class SQLiteDatabases(Databases):
    """Two SQLite files in a temporary folder."""

    name = "sqlite"

    def __init__(self, items: Sequence[Account]) -> None:
        super().__init__(items)
        self.folder = Path(tempfile.mkdtemp(prefix="examkit-signin-"))
        self.connection: sqlite3.Connection | None = None

    def create(self, side: str) -> str:
        return str(self.folder / f"{side}.db")

    def url(self, handle: str) -> str:
        return f"sqlite:///{handle}"

    def connect(self) -> None:
        connection = sqlite3.connect(
            self.create("baseline"),
            isolation_level=None,
            check_same_thread=False,
            timeout=_SQLITE_BUSY_TIMEOUT,
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={int(_SQLITE_BUSY_TIMEOUT * 1000)}")
        connection.execute("PRAGMA foreign_keys=ON")
        self.connection = connection

    def floor_run(self) -> int:
        connection = self.connection
        assert connection is not None
        self.floor_runs += 1
        for login, account in zip(self.floor_logins, self.floor_ids, strict=True):
            for statements, parameters in zip(
                _FLOOR_SIGN_IN,
                floor_parameters(self.floor_runs, login, account),
                strict=True,
            ):
                connection.execute("BEGIN IMMEDIATE")
                for statement, values in zip(statements, parameters, strict=True):
                    connection.execute(statement, values).fetchall()
                connection.execute("COMMIT")
        return len(self.floor_logins)

    def close(self) -> None:
        super().close()
        if self.connection is not None:
            self.connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases(Databases):
    """Two databases in one throwaway cluster."""

    name = "postgres"

    def __init__(self, items: Sequence[Account], cluster: PostgresCluster) -> None:
        super().__init__(items)
        self.cluster = cluster
        self.connection: psycopg.Connection[Any] | None = None

    def create(self, side: str) -> str:
        name = f"signin_{side}"
        self.cluster.create_database(name)
        return name

    def url(self, handle: str) -> str:
        return self.cluster.url(handle)

    def connect(self) -> None:
        self.connection = psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname="signin_baseline"
        )

    def floor_run(self) -> int:
        connection = self.connection
        assert connection is not None
        self.floor_runs += 1
        for login, account in zip(self.floor_logins, self.floor_ids, strict=True):
            for statements, parameters in zip(
                _FLOOR_SIGN_IN,
                floor_parameters(self.floor_runs, login, account),
                strict=True,
            ):
                with connection.cursor() as cursor:
                    for statement, values in zip(statements, parameters, strict=True):
                        cursor.execute(statement.replace("?", "%s"), values)
                        if cursor.description is not None:
                            cursor.fetchall()
                connection.commit()
        return len(self.floor_logins)

    def close(self) -> None:
        super().close()
        if self.connection is not None:
            self.connection.close()


def run(
    databases: Databases, *, repeats: int, warmup: int
) -> tuple[Comparison[int, int], int, int]:
    """Time examkit against the floor on *databases*, interleaved; then count one sign-in."""
    databases.open()
    comparison = compare(
        databases.examkit_run,
        databases.floor_run,
        repeats=repeats,
        warmup=warmup,
        label=databases.name,
        ops=len(databases.items),
    )
    assert comparison.examkit_result == comparison.baseline_result == len(databases.items)
    statements, commits = databases.count_one_sign_in()
    return comparison, statements, commits


def _stop_on_sigterm(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    n = by_mode(mode, smoke=100, quick=2_000, full=10_000)
    repeats = by_mode(mode, smoke=1, quick=3, full=5)
    warmup = by_mode(mode, smoke=0, quick=0, full=1)
    bin_dir = PostgresCluster.find_bin_dir()
    if bin_dir is None:
        print("signin: PostgreSQL is not installed; this benchmark needs it", file=sys.stderr)
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    items = accounts(n)
    print(f"signin: mode={mode}, n={n} sign-ins per database, repeats={repeats}")
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
        print(f"signin: PostgreSQL is unusable: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        for databases in kinds:
            databases.close()
        cluster.stop()
    sqlite, statements, commits = results["sqlite"]
    postgres = results["postgres"][0]
    figures: dict[str, Figure] = {
        "mode": mode,
        "n": n,
        "repeats": repeats,
        "sqlite_ratio": round(sqlite.ratio, 3),
        "postgres_ratio": round(postgres.ratio, 3),
        "sqlite_examkit_us_per_sign_in": round(sqlite.examkit.per_op(n) * 1e6, 1),
        "sqlite_floor_us_per_sign_in": round(sqlite.baseline.per_op(n) * 1e6, 1),
        "postgres_examkit_us_per_sign_in": round(postgres.examkit.per_op(n) * 1e6, 1),
        "postgres_floor_us_per_sign_in": round(postgres.baseline.per_op(n) * 1e6, 1),
        "statements_per_sign_in": statements,
        "commits_per_sign_in": commits,
    }
    report(
        "signin",
        figures,
        max(sqlite.ratio, postgres.ratio),
        TARGET,
        extra_targets={
            "statements_per_sign_in": MAX_STATEMENTS,
            "commits_per_sign_in": MAX_COMMITS,
        },
    )


if __name__ == "__main__":
    main()
