"""A central system and an offline server linked through the real sync endpoint, in-process.

Not a test module (no ``test_`` prefix). The central kit (the production
wiring on the backend given) holds the school 22AB00 with an operator, an
active offline server with its credential, an offline group planned on it,
the test's exam package and the hand-over; the offline server is an
:class:`~examkit.offline.OfflineStation` on an SQLite file of its own whose
client reaches :class:`~examkit.offline.http.SyncEndpoint` through
:class:`~examkit.backends.http.InProcessTransport` behind a switch (the link
can be cut). The offline clock runs :data:`AHEAD` ahead of the central one.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from tests.offline.station.world import SETTINGS

from examkit import Examkit
from examkit.backends.http import InProcessTransport
from examkit.offline import CrashHook, OfflineStation, SyncReport
from examkit.offline.http import SyncEndpoint
from examkit.records import RECORDS, Backend, RecordsUnit
from examkit.scheduling import Mode
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.sessions import (
    EXAM,
    L00,
    OPERATOR,
    START,
    add_candidates,
    add_operator,
    make_session_kit,
)

AHEAD = timedelta(seconds=3)
"""How far the offline server's clock runs ahead of the central system's."""
"""The service desk's account (publishes exam packages)."""
FAO = "fao"
"""The FAO administrator of 22AB00."""
PACKAGE = b'{"exam": "NE-GL-2026", "items": ["q1", "q2", "q3"]}' * 12000
"""The test's exam package (about 600 kB: three chunks)."""


class Behind:
    """A clock that runs *by* behind another (the central system's, behind the offline one)."""

    def __init__(self, clock: ManualClock, by: timedelta) -> None:
        self._clock = clock
        self._by = by

    def now(self) -> datetime:
        """Return the other clock's time minus the difference."""
        return self._clock.now() - self._by


class _Broken(httpx.SyncByteStream):
    """A body that breaks off after *keep* bytes (the link dropped mid-transfer)."""

    def __init__(self, data: bytes, keep: int) -> None:
        self._data = data
        self._keep = keep

    def __iter__(self) -> Iterator[bytes]:
        yield self._data[: self._keep]
        raise httpx.ReadError("the link dropped")


class Link(httpx.BaseTransport):
    """A transport that can be cut, drop a package's stream midway, or damage its bytes."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.up = True
        """Whether requests reach the central system."""
        self.cut_after: int | None = None
        """Break each package's answer off after this many bytes."""
        self.damage = False
        """Flip the last byte of each package's answer."""
        self.requests: list[tuple[str, str, str]] = []
        """Each request: method, path, Range header."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send *request* on, or fail as an unreachable host does."""
        self.requests.append((request.method, request.url.path, request.headers.get("Range", "")))
        if not self.up:
            raise httpx.ConnectError("the school's internet connection is down", request=request)
        response = self.inner.handle_request(request)
        if request.method != "GET" or response.status_code not in {200, 206}:
            return response
        data = response.read()
        if self.damage:
            data = data[:-1] + bytes([data[-1] ^ 1])
        if self.cut_after is None:
            return httpx.Response(response.status_code, headers=response.headers, content=data)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Broken(data, self.cut_after),
        )


@attrs.define
class Linked:
    """The central kit, the offline server and what links them."""

    central: Examkit
    station: OfflineStation
    link: Link
    clock: ManualClock
    server: str
    group: str


def plan_offline(central: Examkit, count: int) -> tuple[str, str, str]:
    """Register an active server with a credential, plan its group, publish, hand over.

    Returns the server's id, its credential and the group's id.
    """
    add_operator(central)
    server = central.offline_servers.add_server(
        FAO, location=L00, name="FAO 12", address="10.0.0.12"
    )
    central.offline_servers.server_transition(FAO, server.id, "activate")
    credential = central.offline_sync.issue_credential(FAO, server.id)
    people = add_candidates(central, count, extra=30)
    group = central.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.OFFLINE,
        starts_at=START,
        room="Lokaal 12",
        proctor="proctor",
        candidates=[person.id for person in people],
        offline_server=server.id,
        first_corrector="corrector",
    )
    central.exam_packages.publish(OPERATOR, EXAM.code, PACKAGE, "application/json")
    central.offline_sync.hand_over("planner", group.id)
    return server.id, credential, group.id


@contextmanager
def linked(
    backend: Backend, tmp_path: Path, *, count: int = 3, crash: CrashHook | None = None
) -> Iterator[Linked]:
    """Yield a central system on *backend* and its offline server, the group handed over."""
    clock = ManualClock(START - timedelta(days=1))
    central = make_session_kit(Behind(clock, AHEAD), backend=backend, seed="central")  # type: ignore[arg-type]
    server, credential, group = plan_offline(central, count)
    endpoint = SyncEndpoint(central)
    transport = InProcessTransport(endpoint)
    link = Link(transport)
    station = OfflineStation.open(
        str(tmp_path / "fao" / "station.db"),
        server=server,
        central_url="http://central.example.nl",
        credential=credential,
        settings=SETTINGS,
        mailer=RecordingMailer(),
        clock=clock,
        secrets=SequenceSecretSource("fao"),
        transport=link,
        retries=1,
        backoff=0.0,
        crash=crash,
    )
    try:
        yield Linked(central, station, link, clock, server, group)
    finally:
        station.close()
        transport.close()


def file_text(path: Path) -> str:
    """Every byte of the SQLite file *path* (closed), after a checkpoint and VACUUM, as text."""
    with sqlite3.connect(path) as checkpoint:
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vacuum = sqlite3.connect(path, isolation_level=None)
    vacuum.execute("VACUUM")
    vacuum.close()
    return path.read_bytes().decode("utf-8", "replace")


def pseudonym_of(key: bytes, key_id: str, label: str) -> str:
    """The pseudonym as PRIV-3 defines it, computed here on its own: HMAC-SHA256 of *label*."""
    digest = hmac.new(key, label.encode(), hashlib.sha256).hexdigest()
    return f"pseudonym:{key_id}:{digest}"


def held(store: Backend, names: Iterable[str]) -> tuple[dict[str, list[Any]], list[Any]]:
    """What *store* holds that an erasure may change: the records *names* and its trail."""
    by_name = {record.name: record for record in RECORDS}
    with store.begin(readonly=True) as uow:
        assert isinstance(uow, RecordsUnit)
        records = {name: list(uow.transaction.find(by_name[name], where={})) for name in names}
        trail = list(uow.audit.list(limit=1000).items)
    return records, trail


class Killed(BaseException):
    """The offline server's process dies at a crash point."""


class CrashPoints:
    """A station's crash hook: its process dies once at each point armed, nowhere else."""

    def __init__(self) -> None:
        self.armed: list[str] = []

    def __call__(self, name: str) -> None:
        if name in self.armed:
            self.armed.remove(name)
            raise Killed(name)


def interrupted_then_healed(
    linked: Linked, crashes: CrashPoints, point: str, stored: Iterable[str]
) -> SyncReport:
    """Interrupt the station's next sync at *point*, check it applied nothing, sync again.

    *point* ``"link"`` cuts the link (central unreachable); any other is a crash
    point armed in *crashes*. Returns the next, healing sync's report.
    """
    station = linked.station
    names = tuple(stored)
    before = held(station.store, names)
    if point == "link":
        linked.link.up = False
        assert "offline.central.unreachable" == station.sync_once().error
        linked.link.up = True
    else:
        crashes.armed.append(point)
        with pytest.raises(Killed):
            station.sync_once()
    assert before == held(station.store, names)  # nothing of the reply applied
    return station.sync_once()
