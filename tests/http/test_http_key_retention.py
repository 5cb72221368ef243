"""The storage server removes its idempotency keys after their retention term (PRIV-4).

The ``idempotency`` term is a week by default, written here by hand: a key
committed at :data:`START` is still there a second before the week ends and
gone a second after, removed by the server itself (when it is made, and on
its housekeeping), on the server's own database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from examkit.backends.http import (
    COMMITS,
    SERVER_RECORDS,
    CommitEntry,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    StorageServer,
)
from examkit.backends.http._units import purge_keys
from examkit.backends.memory import MemoryBackend
from examkit.backends.sql import SQLBackend
from examkit.privacy import RetentionPeriod
from examkit.records import Backend
from examkit.testing import ManualClock
from examkit.testing.conformance import make_institution

pytestmark = pytest.mark.req("PRIV-4")

START = datetime.fromisoformat("2026-09-01T08:00:00+00:00")
WEEK = timedelta(days=7)
"""The ``idempotency`` term's default period, by hand."""
SECOND = timedelta(seconds=1)
TOKEN = "eks1.key-retention-token-not-a-secret"
TOKENS = [ServiceToken.of("portal", TOKEN, access="write")]


@pytest.fixture(params=["memory", "sqlite"])
def inner(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The server's own database: memory, or an SQLite file as ``examkit storage serve`` has."""
    made: Backend
    if request.param == "memory":
        made = MemoryBackend()
    else:
        made = SQLBackend(
            request.getfixturevalue("sqlite_url"), migrate=False, records=SERVER_RECORDS
        )
    try:
        yield made
    finally:
        made.close()


def _keys(backend: Backend) -> int:
    with backend.begin(readonly=True) as uow:
        return len(uow.transaction.find(COMMITS, where={}))  # type: ignore[attr-defined]


def _commit_one(server: StorageServer) -> None:
    """A portal commits one unit of work through the server: one idempotency key."""
    transport = InProcessTransport(server)
    client = HttpBackend("http://storage.test", token=TOKEN, transport=transport)
    try:
        with client.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
    finally:
        client.close()
        transport.close()


def test_a_key_goes_one_second_after_its_week_and_not_before(inner: Backend) -> None:
    """The server's purge keeps a key for the week, removes it after, and then nothing."""
    clock = ManualClock(START)
    server = StorageServer(inner, TOKENS, clock=clock)
    try:
        _commit_one(server)
        assert _keys(inner) == 1
        clock.set(START + WEEK - SECOND)
        assert server.purge_keys() == 0
        assert _keys(inner) == 1
        clock.set(START + WEEK + SECOND)
        assert server.purge_keys() == 1
        assert _keys(inner) == 0
        assert server.purge_keys() == 0
    finally:
        server.close()


def test_a_server_that_starts_removes_the_keys_past_their_term(inner: Backend) -> None:
    """Made again on its database after the week, the server removes the old key at once."""
    clock = ManualClock(START)
    first = StorageServer(inner, TOKENS, clock=clock)
    try:
        _commit_one(first)
    finally:
        first.close()
    early = StorageServer(inner, TOKENS, clock=ManualClock(START + WEEK - SECOND))
    early.close()
    assert _keys(inner) == 1
    late = StorageServer(inner, TOKENS, clock=ManualClock(START + WEEK + SECOND))
    late.close()
    assert _keys(inner) == 0


def test_the_server_takes_its_own_period(inner: Backend) -> None:
    """A server given another period keeps its keys that long instead."""
    clock = ManualClock(START)
    server = StorageServer(inner, TOKENS, clock=clock, key_retention=RetentionPeriod(days=1))
    try:
        _commit_one(server)
        clock.set(START + timedelta(days=1) - SECOND)
        assert server.purge_keys() == 0
        clock.set(START + timedelta(days=1) + SECOND)
        assert server.purge_keys() == 1
    finally:
        server.close()


def test_many_keys_go_in_batches_every_one(inner: Backend) -> None:
    """More keys than one batch go in several units of work; a second purge finds none."""
    with inner.begin() as uow:
        uow.transaction.insert(  # type: ignore[attr-defined]
            COMMITS,
            [CommitEntry(f"key-{n:03d}", "d" * 64, "portal", "{}", START) for n in range(7)],
        )
        uow.commit()
    assert purge_keys(inner, START - SECOND, limit=3) == 0
    assert purge_keys(inner, START, limit=3) == 7
    assert _keys(inner) == 0
    assert purge_keys(inner, START, limit=3) == 0
