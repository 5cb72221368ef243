# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline server against a small central system that can misbehave on purpose.

What the real endpoint never does on its own: stop accepting entries, refuse with a
given error, serve a package in four-byte chunks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.fake_central import FakeCentral
from tests.offline.station.world import (
    CENTRAL,
    SERVER,
    SETTINGS,
    hand_over_entries,
    new_store,
    station_state,
)

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.errors import InvalidState, NotPermitted
from examkit.offline import (
    UP_STREAM,
    OfflineStation,
    QueuedEntry,
    entry_digest,
)
from examkit.offline.http import SyncClient
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

CREDENTIAL = "exo1.fao-1.not-a-real-secret"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(hours=2))


@pytest.fixture
def central(clock: ManualClock) -> FakeCentral:
    return FakeCentral(clock)


def make_station(
    store_kind: str, tmp_path: Path, clock: ManualClock, central: FakeCentral, **options: Any
) -> OfflineStation:
    client = SyncClient(
        CENTRAL,
        CREDENTIAL,
        transport=central.transport,
        clock=clock,
        retries=2,
        sleep=lambda _: None,
    )
    station = OfflineStation(
        store=new_store(store_kind, tmp_path),
        server=SERVER,
        central_url=CENTRAL,
        client=client,
        settings=SETTINGS,
        mailer=RecordingMailer(),
        clock=clock,
        secrets=SequenceSecretSource("fao"),
        **options,
    )
    station.init()
    return station


@pytest.fixture(params=["memory", "sqlite"])
def station(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock, central: FakeCentral
) -> Iterator[OfflineStation]:
    made = make_station(request.param, tmp_path, clock, central)
    yield made
    made.close()


def handed_over(central: FakeCentral, count: int = 2) -> tuple[Examkit, str]:
    """Plan a group on a central kit and queue its hand-over down; return the kit and group."""
    planner = make_session_kit(ManualClock(START - timedelta(days=3)), seed="central")
    group = plan_group(planner, add_candidates(planner, count))
    central.down.extend(hand_over_entries(planner.backend, group))
    return planner, group


def fill_outbox(station: OfflineStation, count: int) -> None:
    """Queue *count* up entries as the outbox would (answers of one attempt)."""
    now = station.clock.now()
    entries = []
    for seq in range(1, count + 1):
        body = {"value": seq, "sequence": seq, "saved_at": now.isoformat()}
        key = f"g-1:c-1:q{seq}"
        digest = entry_digest("answer", key, seq, body)
        entries.append(QueuedEntry(UP_STREAM, seq, "answer", key, seq, body, digest, now))
    with station.store.begin() as uow:
        uow.sync_queue.add_many(entries)
        state = uow.offline_stations.get(SERVER)
        uow.offline_stations.update(attrs.evolve(state, up_queued=count))
        uow.commit()


@pytest.mark.req("SCH-8")
def test_the_outbox_goes_up_in_batches_until_the_central_system_stops_accepting(
    station: OfflineStation, central: FakeCentral
) -> None:
    """1,100 entries: three batches; a central system that accepts nothing ends the sync."""
    fill_outbox(station, 1100)
    central.accept_at_most = 0
    stopped = station.sync_once()
    assert (0, 1100, "") == (stopped.sent, stopped.backlog, stopped.error)
    assert 1 == central.requests.count(("POST", "/v1/up"))
    central.accept_at_most = None
    central.requests.clear()
    done = station.sync_once()
    assert (1100, 0) == (done.sent, done.backlog)
    assert 3 == central.requests.count(("POST", "/v1/up"))
    assert 1100 == central.high_water


@pytest.mark.req("SCH-8")
def test_a_refusal_of_the_central_system_is_recorded_with_its_code(
    station: OfflineStation, central: FakeCentral
) -> None:
    """The central system's own error comes back as examkit's, recorded and not raised."""
    central.refuse = NotPermitted("offline.conflict.server_removed", server=SERVER)
    report = station.sync_once()
    assert "offline.conflict.server_removed" == report.error
    assert "offline.conflict.server_removed" == station.status().last_error


@pytest.mark.req("SCH-8")
def test_run_synchronises_periodically_until_stopped(
    station: OfflineStation, central: FakeCentral
) -> None:
    """The loop syncs at once, then every period, and ends when told."""
    stop = threading.Event()
    synced = threading.Event()
    original = station.sync_once

    def counting() -> Any:
        report = original()
        if len(central.requests) >= 2:
            stop.set()
        synced.set()
        return report

    station.sync_once = counting  # type: ignore[method-assign]
    runner = threading.Thread(target=station.run, args=(timedelta(milliseconds=10), stop))
    runner.start()
    runner.join(timeout=10)
    assert not runner.is_alive()
    assert synced.is_set()
    assert 2 <= len(central.requests)


@pytest.mark.req("SCH-7", "SCH-8")
def test_the_station_opens_on_an_sqlite_file_of_its_own_and_keeps_to_its_server(
    tmp_path: Path, central: FakeCentral, clock: ManualClock
) -> None:
    """``open`` migrates the file and initialises the station once; another id is refused."""
    path = str(tmp_path / "fao" / "station.db")
    options: dict[str, Any] = {
        "central_url": CENTRAL,
        "credential": CREDENTIAL,
        "settings": SETTINGS,
        "mailer": RecordingMailer(),
        "clock": clock,
        "transport": central.transport,
        "backoff": 0.0,
    }
    _, group = handed_over(central)
    station = OfflineStation.open(path, server=SERVER, **options)
    try:
        assert len(central.down) == station.sync_once().received
        assert "ok" == station.kit.health().storage
        assert "current" == station.kit.health().schema
    finally:
        station.close()
    again = OfflineStation.open(f"sqlite:///{path}", server=SERVER, **options)
    try:
        assert group == again.kit.planning.group(group).id
        assert len(central.down) == station_state(again.store).down_high_water
    finally:
        again.close()
    with pytest.raises(InvalidState) as caught:
        OfflineStation.open(path, server="fao-2", **options)
    assert ("offline.station.other", "fao-1") == (caught.value.code, caught.value.params["stored"])


@pytest.mark.req("SCH-8")
def test_a_local_store_that_fails_is_reported_by_the_sync_not_raised(
    central: FakeCentral, clock: ManualClock
) -> None:
    """A store busy past its timeout: the sync reports ``storage.busy`` and returns."""
    store = MemoryBackend(busy_timeout=0.05)
    client = SyncClient(CENTRAL, CREDENTIAL, transport=central.transport, clock=clock)
    station = OfflineStation(
        store=store,
        server=SERVER,
        central_url=CENTRAL,
        client=client,
        settings=SETTINGS,
        mailer=RecordingMailer(),
        clock=clock,
    )
    station.init()
    with store.begin():  # another writer holds the store
        report = station.sync_once()
    assert ("storage.busy", -1, None) == (report.error, report.backlog, report.clock_offset_ms)
    assert [] == central.requests
    assert "" == station.sync_once().error
