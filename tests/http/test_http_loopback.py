"""The HTTP backend against a real uvicorn on loopback, SQLite and PostgreSQL behind it.

One uvicorn per test session (per engine); each test gets a storage server
of its own over a fresh database, swapped in behind it. The random operation
sequences run at five examples here: what they check is the client and the
server, run at the suite's full count in-process (``test_http_conformance.py``);
here they prove the same over sockets, within the time ``make test`` allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    ServerThread,
    ServiceToken,
    StorageServer,
)
from examkit.backends.sql import SQLBackend
from examkit.testing.conformance import BackendConformance

TOKEN = "eks1.loopback-token-not-a-secret"
LOOPBACK_MACHINE = settings(max_examples=5, stateful_step_count=30, deadline=None, database=None)


class Swapped:
    """An ASGI application that passes every request to the one set now (the test's server)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def loopback() -> Iterator[tuple[Swapped, str]]:
    """Start one uvicorn on loopback for the session; yield its swappable app and address."""
    swapped = Swapped()
    with ServerThread(swapped) as thread:
        yield swapped, thread.url


def serve(loopback: tuple[Swapped, str], url: str) -> Iterator[HttpBackend]:
    """Yield an HttpBackend on a storage server over the database at *url*, via uvicorn."""
    swapped, address = loopback
    inner = SQLBackend(url, migrate=False, records=SERVER_RECORDS)
    server = StorageServer(inner, [ServiceToken.of("suite", TOKEN, access="write")])
    swapped.app = server
    backend = HttpBackend(address, token=TOKEN)
    yield backend
    backend.close()
    server.close()
    inner.close()


@pytest.mark.req("PLAT-3")
class TestHttpLoopbackSQLite(BackendConformance):
    """HttpBackend through uvicorn over SQLite keeps every storage promise."""

    state_machine_settings = LOOPBACK_MACHINE

    @pytest.fixture
    def backend(self, loopback: tuple[Swapped, str], sqlite_url: str) -> Iterator[HttpBackend]:
        yield from serve(loopback, sqlite_url)


@pytest.mark.postgres
@pytest.mark.req("PLAT-3")
class TestHttpLoopbackPostgres(BackendConformance):
    """HttpBackend through uvicorn over PostgreSQL keeps every storage promise."""

    state_machine_settings = LOOPBACK_MACHINE

    @pytest.fixture
    def backend(self, loopback: tuple[Swapped, str], postgres_url: str) -> Iterator[HttpBackend]:
        yield from serve(loopback, postgres_url)
