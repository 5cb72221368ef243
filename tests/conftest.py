"""Shared fixtures: backends of every kind, PostgreSQL started for real."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

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
_database_numbers = itertools.count(1)
_skipped_postgres: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs a real PostgreSQL server")


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


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster: PostgresCluster) -> str:
    """Create a database migrated to the newest schema, to copy for each test."""
    from examkit.backends.sql import SQLBackend

    name = "examkit_template"
    backend = SQLBackend(postgres_cluster.create_database(name))
    backend.close()
    return name


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster, postgres_template: str) -> Iterator[str]:
    """Give the test a clean, migrated database of its own."""
    name = f"examkit_test_{os.getpid()}_{next(_database_numbers)}"
    url = postgres_cluster.create_database(name, template=postgres_template)
    try:
        yield url
    finally:
        postgres_cluster.drop_database(name)


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
    if _skipped_postgres:
        terminalreporter.write_sep(
            "!", "PostgreSQL TESTS WERE SKIPPED: " + _skipped_postgres[0], red=True, bold=True
        )
