# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline server against the real sync endpoint: up, down, packages; resumable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.offline.station.linked import AHEAD, FAO, PACKAGE, Linked, linked

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.offline import UP_STREAM, CrashHook
from examkit.testing.sessions import L00, START

OFFSET = round(AHEAD.total_seconds() * 1000)


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Linked]:
    """A central system in memory and its offline server on an SQLite file."""
    with linked(MemoryBackend(), tmp_path) as made:
        yield made


def morning(kit: Examkit, group: str) -> None:
    """Release, every candidate signs in and answers, the first is paused."""
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    attempts = kit.planning.attempts(group)
    for n, attempt in enumerate(attempts):
        key = kit.sitting.sign_in(attempt.login_name, code).key
        kit.sitting.save_response(group, attempt.candidate, "q1", str(n), sequence=1, key=key)
    kit.proctoring.intervene("proctor", group, attempts[0].candidate, "pause")


def central_attempts(day: Linked) -> list[object]:
    return list(day.central.planning.attempts(day.group))


def offline_attempts(day: Linked) -> list[object]:
    return list(day.station.kit.planning.attempts(day.group))


@pytest.mark.req("SCH-7", "SCH-8")
def test_a_sync_brings_the_group_down_and_the_room_up_measuring_the_clock(day: Linked) -> None:
    """Down and the package first; then the room's entries go up in order, applied centrally."""
    first = day.station.sync_once()
    assert ("", 1, 0, OFFSET) == (first.error, first.packages, first.sent, first.clock_offset_ms)
    assert first.received > 0
    day.clock.set(START)
    morning(day.station.kit, day.group)
    waiting = day.station.status().backlog
    second = day.station.sync_once()
    assert (waiting, 0, "") == (second.sent, second.backlog, second.error)
    assert central_attempts(day) == offline_attempts(day)
    (central,) = day.central.offline_sync.status(FAO, L00)
    assert (waiting, OFFSET) == (central.up_high_water, central.clock_offset_ms)
    status = day.station.status()
    assert (0, day.clock.now(), "", OFFSET, 1, 0) == (
        status.backlog,
        status.last_sync_at,
        status.last_error,
        status.clock_offset_ms,
        status.packages_verified,
        status.packages_pending,
    )


@pytest.mark.req("SCH-7", "SCH-8")
def test_an_unreachable_central_system_is_recorded_and_the_room_carries_on(day: Linked) -> None:
    """The sync says ``offline.central.unreachable`` and raises nothing; later it catches up."""
    day.station.sync_once()
    day.link.up = False
    day.clock.set(START)
    morning(day.station.kit, day.group)
    failed = day.station.sync_once()
    assert ("offline.central.unreachable", False) == (failed.error, failed.complete)
    status = day.station.status()
    assert ("offline.central.unreachable", day.clock.now()) == (
        status.last_error,
        status.last_attempt_at,
    )
    assert status.backlog == failed.backlog > 0
    assert status.last_sync_at is not None
    assert status.last_sync_at < day.clock.now()
    day.link.up = True
    healed = day.station.sync_once()
    assert (failed.backlog, 0, "") == (healed.sent, healed.backlog, healed.error)
    assert "" == day.station.status().last_error
    assert central_attempts(day) == offline_attempts(day)


@pytest.mark.req("SCH-8")
def test_a_quiet_sync_makes_one_request_and_still_measures_the_clock(day: Linked) -> None:
    """Nothing new either way: one down request, which measures the offset."""
    day.station.sync_once()
    day.link.requests.clear()
    day.clock.advance(minutes=5)
    report = day.station.sync_once()
    assert [("POST", "/v1/down", "")] == day.link.requests
    assert (0, 0, OFFSET) == (report.sent, report.received, report.clock_offset_ms)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("point", ["offline.up.after_reply", "offline.down.after_reply"])
def test_a_crash_after_a_reply_is_healed_by_the_next_sync(tmp_path: Path, point: str) -> None:
    """The central system answered, the station did not note it: the next sync heals, once."""
    armed: list[str] = []

    def crash(name: str) -> None:
        if name in armed:
            armed.remove(name)
            raise RuntimeError(name)

    hook: CrashHook = crash
    with linked(MemoryBackend(), tmp_path, crash=hook) as day:
        if point == "offline.down.after_reply":
            armed.append(point)
            with pytest.raises(RuntimeError):
                day.station.sync_once()
            assert 0 == day.station.status().packages_verified
        assert "" == day.station.sync_once().error
        day.clock.set(START)
        morning(day.station.kit, day.group)
        waiting = day.station.status().backlog
        if point == "offline.up.after_reply":
            armed.append(point)
            with pytest.raises(RuntimeError):
                day.station.sync_once()
            (central,) = day.central.offline_sync.status(FAO, L00)
            assert (waiting, waiting) == (central.up_high_water, day.station.status().backlog)
        healed = day.station.sync_once()
        assert (waiting, 0) == (healed.sent, healed.backlog)
        assert central_attempts(day) == offline_attempts(day)


@pytest.mark.req("SCH-8")
def test_a_deactivated_server_is_refused_and_the_refusal_recorded(day: Linked) -> None:
    """The central system refuses it: the sync records the code; the room's entries wait."""
    day.station.sync_once()
    day.clock.set(START)
    morning(day.station.kit, day.group)
    waiting = day.station.status().backlog
    day.central.offline_servers.server_transition(FAO, day.server, "deactivate")
    report = day.station.sync_once()
    assert ("offline.server.removed", waiting) == (report.error, report.backlog)
    assert "offline.server.removed" == day.station.status().last_error


@pytest.mark.req("SCH-8")
def test_a_package_is_fetched_resumably_chunk_by_chunk_and_verified(day: Linked) -> None:
    """Each answer breaks off mid-chunk: the chunks got are kept, the rest asked by Range."""
    size = 256 * 1024
    day.link.cut_after = size + 1000
    report = day.station.sync_once()
    assert (1, "") == (report.packages, report.error)
    ranges = [asked for method, _, asked in day.link.requests if method == "GET"]
    assert ["", f"bytes={size}-", f"bytes={2 * size}-"] == ranges
    with day.station.store.begin(readonly=True) as uow:
        (package,) = uow.exam_packages.of_exam("NE-GL-2026")
        assert (True, 3) == (package.verified, len(uow.package_chunks.of_package(package.digest)))
    assert 3 * size > len(PACKAGE) > 2 * size


@pytest.mark.req("SCH-8")
def test_a_fetch_crashed_after_a_chunk_resumes_from_the_next_one(tmp_path: Path) -> None:
    """At offline.package.after_chunk the chunk is stored; the next sync asks for the rest."""
    armed = ["offline.package.after_chunk"]

    def crash(name: str) -> None:
        if name in armed:
            armed.remove(name)
            raise RuntimeError(name)

    with linked(MemoryBackend(), tmp_path, crash=crash) as day:
        with pytest.raises(RuntimeError):
            day.station.sync_once()
        assert (0, 1) == (
            day.station.status().packages_verified,
            day.station.status().packages_pending,
        )
        assert 1 == day.station.sync_once().packages
        ranges = [asked for method, _, asked in day.link.requests if method == "GET"]
        assert ["", f"bytes={256 * 1024}-"] == ranges


@pytest.mark.req("SCH-8")
def test_a_package_that_does_not_match_its_digest_is_dropped_and_never_verified(
    day: Linked,
) -> None:
    """The whole is checked before use: a damaged content is reported and fetched afresh."""
    day.link.damage = True
    report = day.station.sync_once()
    assert "offline.package.digest" == report.error
    with day.station.store.begin(readonly=True) as uow:
        (package,) = uow.exam_packages.of_exam("NE-GL-2026")
        assert not package.verified
        assert () == uow.package_chunks.of_package(package.digest)
        assert () == uow.sync_queue.after(UP_STREAM, 0, limit=10)
    day.link.damage = False
    assert 1 == day.station.sync_once().packages
