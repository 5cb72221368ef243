"""Fixtures of the service tests: the wiring (the test doubles, or the production defaults).

``wiring`` runs a service test three ways: on the memory backend with a
:class:`~examkit.testing.MemoryAuditLog` (the doubles), and on the
production wiring (the kit's own audit log, kept by the backend) on the
memory backend and on an SQLite file. ``any_harness`` does the same for
the sign-in harness. ``backend`` is a bare backend of each kind: memory, an
SQLite file and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from examkit.backends.memory import MemoryBackend
from examkit.records import Backend
from examkit.testing import SignInHarness, Wiring


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The memory backend, an SQLite file and a PostgreSQL database."""
    if request.param == "memory":
        yield MemoryBackend()
        return
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue(f"{request.param}_url")
    sql = SQLBackend(url, migrate=False)
    try:
        yield sql
    finally:
        sql.close()


@pytest.fixture(params=["doubles", "memory", "sqlite"])
def wiring(request: pytest.FixtureRequest) -> Iterator[Wiring]:
    """The doubles on memory; the production wiring on memory and on an SQLite file."""
    if request.param == "doubles":
        yield Wiring.doubles()
        return
    if request.param == "memory":
        yield Wiring.production(MemoryBackend())
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield Wiring.production(backend, "sqlite")
    finally:
        backend.close()


@pytest.fixture
def harness() -> SignInHarness:
    """A sign-in harness on the memory backend."""
    return SignInHarness()


@pytest.fixture(params=["doubles", "memory", "sqlite"])
def any_harness(request: pytest.FixtureRequest) -> Iterator[SignInHarness]:
    """A sign-in harness: the doubles on memory; the production wiring on memory and SQLite."""
    if request.param == "doubles":
        yield SignInHarness()
        return
    if request.param == "memory":
        yield SignInHarness(stored_audit=True)
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield SignInHarness(backend, stored_audit=True)
    finally:
        backend.close()
