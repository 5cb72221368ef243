"""The HTTP backend passes the whole conformance suite, with no test skipped.

In-process (the server's ASGI application through the client's transport,
no socket) with the memory backend and with SQLite behind the server; the
real uvicorn on loopback with SQLite and PostgreSQL behind it is
``test_http_loopback.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    StorageServer,
)
from examkit.backends.memory import MemoryBackend
from examkit.backends.sql import SQLBackend
from examkit.records import Backend
from examkit.testing.conformance import BackendConformance

TOKEN = "eks1.conformance-token-not-a-secret"


def served(inner: Backend) -> Iterator[HttpBackend]:
    """Yield an HttpBackend on a storage server over *inner*, in-process; close all after."""
    server = StorageServer(inner, [ServiceToken.of("suite", TOKEN, access="write")])
    transport = InProcessTransport(server)
    backend = HttpBackend("http://storage.test", token=TOKEN, transport=transport)
    yield backend
    backend.close()
    transport.close()
    server.close()
    inner.close()


@pytest.mark.req("PLAT-3")
class TestHttpOnMemory(BackendConformance):
    """HttpBackend over a memory backend keeps every storage promise."""

    @pytest.fixture
    def backend(self) -> Iterator[HttpBackend]:
        yield from served(MemoryBackend())


@pytest.mark.req("PLAT-3")
class TestHttpOnSQLite(BackendConformance):
    """HttpBackend over SQLite keeps every storage promise.

    The random operation sequences run at the suite's full count on the
    memory backend above; here (the same client, another backend behind the
    server) at ten examples, which keeps the whole run within the time
    ``make test`` allows.
    """

    state_machine_settings = settings(
        max_examples=10, stateful_step_count=30, deadline=None, database=None
    )

    @pytest.fixture
    def backend(self, sqlite_url: str) -> Iterator[HttpBackend]:
        yield from served(SQLBackend(sqlite_url, migrate=False, records=SERVER_RECORDS))
