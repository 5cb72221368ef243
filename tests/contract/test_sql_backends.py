"""The SQL backend passes the shipped conformance suite on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from examkit.backends.sql import SQLBackend
from examkit.testing.conformance import BackendConformance


class TestSQLiteBackend(BackendConformance):
    """SQLBackend on an SQLite file keeps every storage promise."""

    @pytest.fixture
    def backend(self, sqlite_url: str) -> Iterator[SQLBackend]:
        backend = SQLBackend(sqlite_url, migrate=False)
        yield backend
        backend.close()


@pytest.mark.postgres
class TestPostgresBackend(BackendConformance):
    """SQLBackend on PostgreSQL keeps every storage promise."""

    @pytest.fixture
    def backend(self, postgres_url: str) -> Iterator[SQLBackend]:
        backend = SQLBackend(postgres_url, migrate=False)
        yield backend
        backend.close()
