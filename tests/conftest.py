"""Shared fixtures: backends of every kind, PostgreSQL started for real."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from examkit.testing.postgres import PostgresCluster, PostgresUnavailable

# Hypothesis settings for every test (loaded here, before any test module runs): no
# deadlines, modest example counts; EXAMKIT_CI set (to anything but empty or 0) selects
# the ci profile, HYPOTHESIS_PROFILE names any registered profile explicitly.
settings.register_profile("examkit", deadline=None, max_examples=100)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=200,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _profile() -> str:
    explicit = os.environ.get("HYPOTHESIS_PROFILE", "")
    if explicit:
        return explicit
    return "ci" if os.environ.get("EXAMKIT_CI", "") not in {"", "0"} else "examkit"


settings.load_profile(_profile())

IN_CI = os.environ.get("EXAMKIT_CI") == "1"
_skipped_postgres: list[str] = []

# The workspace's reference files (official schemas, samples) lie in ../shared beside the
# checkout; a public clone has none. EXAMKIT_SHARED points elsewhere. Tests that read them
# carry `@pytest.mark.shared("edexml")` (the folder they need) and compute their paths with
# SHARED below; they skip when it is absent, with one notice, unless CI requires it
# (EXAMKIT_CI=1 and EXAMKIT_REQUIRE_SHARED=1, which .ci/run sets where ../shared exists).
SHARED = Path(os.environ.get("EXAMKIT_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SHARED_REQUIRED = IN_CI and os.environ.get("EXAMKIT_REQUIRE_SHARED") == "1"


def missing_shared_folders(item: pytest.Item, root: Path = SHARED) -> list[Path]:
    """Return what is absent of the folders under *root* that *item*'s ``shared`` markers name.

    Where *root* itself is absent, that is the one path returned.
    """
    wanted = [root.joinpath(*marker.args) for marker in item.iter_markers("shared")]
    if wanted and not root.is_dir():
        return [root]
    return [folder for folder in wanted if not folder.is_dir()]


def shared_notice(missing: Path) -> str:
    """Return the one notice for tests skipped because *missing* is absent."""
    return (
        f"reference files not found at {missing}: the tests that read ../shared skip "
        "(a public clone has none; EXAMKIT_SHARED points elsewhere)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs a real PostgreSQL server")
    config.addinivalue_line(
        "markers", "shared(*folder): reads this folder of ../shared (skips where it is absent)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests whose ../shared folder is absent, before any other skip reason applies."""
    if SHARED_REQUIRED:
        return  # pytest_runtest_setup fails them instead
    for item in items:
        missing = missing_shared_folders(item)
        if missing:
            # Prepended, so this is the reason shown even where a parameter list came out
            # empty for want of the files.
            item.add_marker(pytest.mark.skip(reason=shared_notice(missing[0])), append=False)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under CI with EXAMKIT_REQUIRE_SHARED=1, a test whose ../shared folder is absent fails."""
    if SHARED_REQUIRED:
        missing = missing_shared_folders(item)
        if missing:
            pytest.fail(
                f"EXAMKIT_REQUIRE_SHARED=1 and the reference files are not at {missing[0]}",
                pytrace=False,
            )


def need_system_tool(reason: str) -> None:
    """Skip for lack of a system tool, or fail under EXAMKIT_CI=1 (CI must have it)."""
    if IN_CI:
        pytest.fail(f"EXAMKIT_CI=1 and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start one throwaway PostgreSQL cluster for the whole session."""
    try:
        cluster = PostgresCluster()
    except PostgresUnavailable as missing:
        _skipped_postgres.append(str(missing))
        need_system_tool(f"PostgreSQL is not installed: {missing}")
        raise
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def server_records() -> tuple[Any, ...]:
    """Return the records the HTTP backend's storage server keeps (none without its extra)."""
    try:
        from examkit.backends.http import SERVER_RECORDS
    except ModuleNotFoundError:  # the http extra is not installed: no test makes its tables
        return ()
    return tuple(SERVER_RECORDS)


class PostgresTestDatabase:
    """One migrated database per test session (per xdist worker), emptied before each test.

    Creating a database for every test cost about 0.6 s of set-up; emptying this one
    costs about a millisecond. Before each test, :meth:`empty` ends every other
    connection to it (a test's leftover pool or transaction) and deletes every row
    of every table but ``alembic_version`` in one round trip, with foreign-key
    triggers off (``session_replication_role = replica``: no order needed), and
    restarts every sequence, so each test starts as on a fresh, migrated database.
    """

    name = "examkit_test"

    def __init__(self, cluster: PostgresCluster) -> None:
        import psycopg
        from psycopg import sql

        from examkit.backends.sql import SQLBackend

        self.url = cluster.create_database(self.name)
        # Migrates to the newest schema, with the storage server's own tables, which tests of
        # the HTTP backend over PostgreSQL use: made now, they are emptied between tests too.
        SQLBackend(self.url, records=server_records()).close()
        self._connection = psycopg.connect(
            host="127.0.0.1", port=cluster.port, user="postgres", dbname=self.name, autocommit=True
        )
        self._connection.execute(b"SET session_replication_role = replica")
        self._connection.execute(b"SET lock_timeout = '10s'")  # fail, not hang, on a lock
        tables = self.tables()
        sequences = [
            row[0]
            for row in self._connection.execute(
                b"SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            )
        ]
        self._emptying = sql.SQL("; ").join(
            [
                sql.SQL(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ),
                *(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)) for table in tables),
                *(
                    sql.SQL("ALTER SEQUENCE {} RESTART").format(sql.Identifier(sequence))
                    for sequence in sequences
                ),
            ]
        )

    def tables(self) -> list[str]:
        """Return the names of the tables that hold data (all but ``alembic_version``)."""
        return [
            row[0]
            for row in self._connection.execute(
                b"SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                b" AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]

    def empty(self) -> None:
        """Delete every row, end every other connection and restart every sequence."""
        self._connection.execute(self._emptying)

    def close(self) -> None:
        """Close the connection that empties the database."""
        self._connection.close()


@pytest.fixture(scope="session")
def postgres_database(postgres_cluster: PostgresCluster) -> Iterator[PostgresTestDatabase]:
    """Create and migrate this worker's PostgreSQL test database once."""
    database = PostgresTestDatabase(postgres_cluster)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def postgres_url(postgres_database: PostgresTestDatabase) -> str:
    """Give the test a clean, migrated PostgreSQL database: this worker's, emptied."""
    postgres_database.empty()
    return postgres_database.url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Create an SQLite file migrated to the newest schema, to copy for each test."""
    from examkit.backends.sql import SQLBackend

    path = tmp_path_factory.mktemp("sqlite-template") / "examkit.db"
    SQLBackend(f"sqlite:///{path}").close()  # the last connection's close folds the WAL in
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Give the test a clean, migrated SQLite file of its own."""
    path = tmp_path / "examkit.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SHARED_REQUIRED and not SHARED.is_dir():
        terminalreporter.write_sep("-", shared_notice(SHARED), yellow=True, bold=True)
    if _skipped_postgres:
        terminalreporter.write_sep(
            "!", "PostgreSQL TESTS WERE SKIPPED: " + _skipped_postgres[0], red=True, bold=True
        )
