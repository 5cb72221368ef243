# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline server: up, down, packages; resumable; errors recorded, never raised."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.fake_central import AHEAD, FakeCentral
from tests.offline.station.world import (
    CENTRAL,
    SERVER,
    SETTINGS,
    hand_over_entries,
    new_store,
    queued,
    station_state,
)

from examkit import Examkit
from examkit.converter import unstructure
from examkit.errors import InvalidState, NotPermitted
from examkit.offline import (
    UP_STREAM,
    ExamPackage,
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


def exam_morning(kit: Examkit, group: str) -> None:
    """Release, two sign-ins, answers, a pause: the room's first hour."""
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    for n, attempt in enumerate(kit.planning.attempts(group)):
        key = kit.sitting.sign_in(attempt.login_name, code).key
        kit.sitting.save_response(
            group, attempt.candidate, "q1", ["A", "B"][n], sequence=1, key=key
        )
    kit.proctoring.intervene("proctor", group, kit.planning.attempts(group)[0].candidate, "pause")


@pytest.mark.req("SCH-7", "SCH-8")
def test_a_sync_brings_the_group_down_and_the_room_up_measuring_the_clock(
    station: OfflineStation, central: FakeCentral, clock: ManualClock
) -> None:
    """Down first time, then the room's entries up in order; the offset is the NTP offset."""
    _, group = handed_over(central)
    first = station.sync_once()
    assert (len(central.down), 0, "") == (first.received, first.sent, first.error)
    assert -round(AHEAD.total_seconds() * 1000) == first.clock_offset_ms
    assert station.kit.planning.group(group).held_by is None
    clock.set(START)
    exam_morning(station.kit, group)
    waiting = station.status().backlog
    assert waiting == len(queued(station.store)) > 0
    second = station.sync_once()
    assert (waiting, 0, True) == (second.sent, second.backlog, second.complete)
    assert list(range(1, waiting + 1)) == sorted(central.applied)
    assert [entry.digest for entry in queued(station.store)] == [
        central.applied[seq]["digest"] for seq in range(1, waiting + 1)
    ]
    status = station.status()
    assert (0, clock.now(), "", -2000) == (
        status.backlog,
        status.last_sync_at,
        status.last_error,
        status.clock_offset_ms,
    )


@pytest.mark.req("SCH-7", "SCH-8")
def test_an_unreachable_central_system_is_recorded_and_the_room_carries_on(
    station: OfflineStation, central: FakeCentral, clock: ManualClock
) -> None:
    """The sync says ``offline.central.unreachable`` and raises nothing; later it catches up."""
    _, group = handed_over(central)
    station.sync_once()
    central.reachable = False
    clock.set(START)
    exam_morning(station.kit, group)
    failed = station.sync_once()
    assert ("offline.central.unreachable", False) == (failed.error, failed.complete)
    status = station.status()
    assert ("offline.central.unreachable", clock.now()) == (
        status.last_error,
        status.last_attempt_at,
    )
    assert status.backlog == failed.backlog > 0
    assert status.last_sync_at is not None
    assert status.last_sync_at < clock.now()
    central.reachable = True
    healed = station.sync_once()
    assert (failed.backlog, 0, "") == (healed.sent, healed.backlog, healed.error)
    assert "" == station.status().last_error


@pytest.mark.req("SCH-8")
def test_a_quiet_sync_makes_one_request_and_still_measures_the_clock(
    station: OfflineStation, central: FakeCentral, clock: ManualClock
) -> None:
    """Nothing new either way: one down request, which measures the offset."""
    handed_over(central)
    station.sync_once()
    central.requests.clear()
    clock.advance(minutes=5)
    report = station.sync_once()
    assert [("POST", "/v1/down")] == central.requests
    assert (0, 0, -2000) == (report.sent, report.received, report.clock_offset_ms)


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
def test_a_crash_after_the_reply_is_healed_by_the_next_sync(
    tmp_path: Path, central: FakeCentral, clock: ManualClock
) -> None:
    """The central system applied, the station did not note it: the next sync resends, once."""
    points: list[str] = []

    def crash(point: str) -> None:
        if point in points:
            raise RuntimeError(point)

    station = make_station("sqlite", tmp_path, clock, central, crash=crash)
    try:
        _, group = handed_over(central)
        points.append("offline.down.after_reply")
        with pytest.raises(RuntimeError):
            station.sync_once()
        assert 0 == station_state(station.store).down_high_water
        points[:] = ["offline.up.after_reply"]
        assert len(central.down) == station.sync_once().received
        clock.set(START)
        exam_morning(station.kit, group)
        waiting = station.status().backlog
        with pytest.raises(RuntimeError):
            station.sync_once()
        assert (waiting, waiting) == (central.high_water, station.status().backlog)
        points.clear()
        healed = station.sync_once()
        assert (waiting, 0) == (healed.sent, healed.backlog)
        assert list(range(1, waiting + 1)) == sorted(central.applied)
    finally:
        station.close()


@pytest.mark.req("SCH-8")
def test_a_refusal_of_the_central_system_is_recorded_with_its_code(
    station: OfflineStation, central: FakeCentral
) -> None:
    """The central system's own error comes back as examkit's, recorded and not raised."""
    central.refuse = NotPermitted("offline.conflict.server_removed", server=SERVER)
    report = station.sync_once()
    assert "offline.conflict.server_removed" == report.error
    assert "offline.conflict.server_removed" == station.status().last_error


def offer_package(central: FakeCentral, content: bytes, *, served: bytes | None = None) -> str:
    digest = hashlib.sha256(content).hexdigest()
    package = ExamPackage(
        digest=digest,
        exam="NE-GL-2026",
        size=len(content),
        chunk_size=4,
        media_type="application/json",
        published_at=START - timedelta(days=5),
        verified=True,
    )
    central.queue_down("exam_packages", digest, 1, unstructure(package))
    central.packages[digest] = content if served is None else served
    return digest


@pytest.mark.req("SCH-8")
def test_a_package_is_fetched_resumably_chunk_by_chunk_and_verified(
    station: OfflineStation, central: FakeCentral
) -> None:
    """A stream cut after five bytes: each full chunk is kept, the rest fetched by Range."""
    digest = offer_package(central, b"0123456789")
    central.cut_after = 5
    report = station.sync_once()
    assert (1, "") == (report.packages, report.error)
    assert ["", "bytes=4-", "bytes=8-"] == central.ranges
    with station.store.begin(readonly=True) as uow:
        assert uow.exam_packages.get(digest).verified
    assert (1, 0) == (station.status().packages_verified, station.status().packages_pending)


@pytest.mark.req("SCH-8")
def test_a_fetch_crashed_after_a_chunk_resumes_from_the_next_one(
    tmp_path: Path, central: FakeCentral, clock: ManualClock
) -> None:
    """At offline.package.after_chunk the chunk is stored; the next sync asks for the rest."""
    crashes = [1]

    def crash(point: str) -> None:
        if point == "offline.package.after_chunk" and crashes:
            crashes.pop()
            raise RuntimeError(point)

    station = make_station("memory", tmp_path, clock, central, crash=crash)
    digest = offer_package(central, b"abcdefghij")
    with pytest.raises(RuntimeError):
        station.sync_once()
    assert (0, 1) == (station.status().packages_verified, station.status().packages_pending)
    assert 1 == station.sync_once().packages
    assert ["", "bytes=4-"] == central.ranges
    with station.store.begin(readonly=True) as uow:
        assert uow.exam_packages.get(digest).verified


@pytest.mark.req("SCH-8")
def test_a_package_that_does_not_match_its_digest_is_dropped_and_never_verified(
    station: OfflineStation, central: FakeCentral
) -> None:
    """The whole is checked before use: a wrong content is reported and fetched afresh later."""
    digest = offer_package(central, b"0123456789", served=b"0123456780")
    report = station.sync_once()
    assert "offline.package.digest" == report.error
    with station.store.begin(readonly=True) as uow:
        assert not uow.exam_packages.get(digest).verified
        assert () == uow.package_chunks.of_package(digest)
    central.packages[digest] = b"0123456789"
    assert 1 == station.sync_once().packages


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
