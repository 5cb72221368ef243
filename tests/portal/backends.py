"""The backend the portal's route tests run on: SQLite, or HttpBackend over a storage server.

``EXAMKIT_PORTAL_BACKEND=http`` runs every route test with the portal's kit
on :class:`~examkit.backends.http.HttpBackend`, whose units of work are
transactions of an in-process :class:`~examkit.backends.http.StorageServer`
(through ``httpx.ASGITransport``) over the same SQLite file the tests use
otherwise; unset (or ``sql``), the kit is on that file directly. ``make
test`` runs the route tests both ways.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    StorageServer,
)
from examkit.backends.sql import SQLBackend
from examkit.records import Backend

KINDS = ("sql", "http")
"""The values ``EXAMKIT_PORTAL_BACKEND`` takes."""
TOKEN = "eks1.portal-tests-not-a-secret"


def portal_backend_kind() -> str:
    """Return the backend the route tests run on (``EXAMKIT_PORTAL_BACKEND``, ``sql`` if unset)."""
    kind = os.environ.get("EXAMKIT_PORTAL_BACKEND", "") or "sql"
    if kind not in KINDS:
        raise ValueError(f"EXAMKIT_PORTAL_BACKEND={kind!r}: expected one of {KINDS}")
    return kind


@contextmanager
def portal_backend(database: Path) -> Iterator[Backend]:
    """Yield the route tests' backend on the SQLite file *database*; close it all afterwards."""
    if portal_backend_kind() == "sql":
        backend = SQLBackend(f"sqlite:///{database}")
        try:
            yield backend
        finally:
            backend.close()
        return
    inner = SQLBackend(f"sqlite:///{database}", records=SERVER_RECORDS)
    server = StorageServer(inner, [ServiceToken.of("portal", TOKEN, access="write")])
    transport = InProcessTransport(server)
    client = HttpBackend("http://storage.test", token=TOKEN, transport=transport)
    try:
        yield client
    finally:
        client.close()
        transport.close()
        server.close()
        inner.close()
