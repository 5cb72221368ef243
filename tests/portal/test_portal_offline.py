# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The portal on an offline server: the exam-day screens only, wording from verified packages.

The station's kit here is a kit on the SQLite file of the portal's tests with
a station state and a released group, as the down sync leaves them; the
package is stored the way the fetcher stores it (its description, then its
chunks, then assembled and verified).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import attrs
import httpx
import pytest
from tests.portal.conftest import ORIGIN, portal_config, submit
from tests.portal.exam_day import ReleasedGroup, released_group
from tests.school import add_school

from examkit import Examkit
from examkit.backends.sql import SQLBackend
from examkit.errors import ConfigurationError, InvalidState
from examkit.offline import StationState, assemble_verified, content_digest, store_chunk
from examkit.offline._model import ExamPackage
from examkit.scheduling import AttemptState
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher
from portal import PortalConfig, create_offline_app
from portal._offline_mode import build_station_kit
from portal._offline_packages import MEDIA_TYPE, items_from_package, package_bytes, package_of
from portal._test_content import DEMO, DEMO_EXAM

pytestmark = pytest.mark.anyio

SERVER = "fao-room12"
CLOCK = ManualClock.at("2026-09-01T08:00:00+00:00")
NO_PACKAGE_NL = "Deze toets kan niet beginnen"
NO_PACKAGE_EN = "This test cannot start"


@pytest.fixture
def station(tmp_path: Path) -> Iterator[tuple[Examkit, PortalConfig]]:
    """The station's kit as the offline portal builds it (the outbox around its SQLite store)."""
    path = tmp_path / "fao.db"
    store = SQLBackend(f"sqlite:///{path}")
    with store.begin() as uow:
        uow.offline_stations.add(
            StationState(
                SERVER,
                "https://central.example/offline-sync",
                last_sync_at=CLOCK.now() - timedelta(minutes=3),
                last_attempt_at=CLOCK.now() - timedelta(minutes=3),
                clock_offset_ms=-1250,
            )
        )
        uow.commit()
    store.close()
    config = attrs.evolve(portal_config(), station=str(path), database=f"sqlite:///{path}")
    kit, server = build_station_kit(
        config,
        RecordingMailer(),
        clock=CLOCK,
        secrets=SequenceSecretSource("fao"),
        hasher=cheap_hasher("fao"),
    )
    assert SERVER == server
    yield kit, config
    kit.close()


@pytest.fixture
def kit(station: tuple[Examkit, PortalConfig]) -> Examkit:
    """The station's kit (in place of the central one of the portal's tests)."""
    return station[0]


@pytest.fixture
def group(kit: Examkit) -> ReleasedGroup:
    """A released group of the demo test on the station, planned on the station's kit."""
    add_school(kit, with_password=True)
    return released_group(kit, ("Sanne", "Daan"))


@pytest.fixture
async def station_client(
    station: tuple[Examkit, PortalConfig], group: ReleasedGroup
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the offline server's portal over the station's kit."""
    kit, config = station
    app = create_offline_app(kit, config, server=SERVER)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


def backlog(kit: Examkit) -> int:
    """The station's up entries not yet acknowledged."""
    with kit.backend.begin(readonly=True) as uow:
        state = uow.offline_stations.get(SERVER)
    return state.up_queued - state.up_acknowledged


def deliver(kit: Examkit, content: bytes, *, complete: bool = True) -> ExamPackage:
    """Store the package of *content* as the fetcher does: description, chunks, verified."""
    package = ExamPackage(
        digest=content_digest(content),
        exam=DEMO_EXAM.code,
        size=len(content),
        chunk_size=64,
        media_type=MEDIA_TYPE,
        published_at=kit.clock.now(),
    )
    with kit.backend.begin() as uow:
        uow.exam_packages.add(package)
        last = package.chunks if complete else package.chunks - 1
        for index in range(last):
            store_chunk(uow, package, index, content[index * 64 : (index + 1) * 64])
        assemble_verified(uow, package.digest)
        uow.commit()
    return package


async def sign_in(client: httpx.AsyncClient, group: ReleasedGroup) -> httpx.Response:
    return await submit(
        client,
        "/test",
        "/test",
        {"login_name": group.candidates[0].login_name, "access_code": group.code},
    )


def attempt_state(kit: Examkit, group: ReleasedGroup) -> AttemptState:
    with kit.backend.begin(readonly=True) as uow:
        return uow.test_attempts.get(f"{group.id}:{group.candidates[0].id}").state


@pytest.mark.req("SCH-7", "SCH-8")
def test_a_package_holds_the_items_as_the_player_shows_them_and_only_for_its_test() -> None:
    content = package_of(DEMO.code)
    assert content is not None
    assert DEMO.items == items_from_package(content, DEMO_EXAM)
    assert content == package_bytes(DEMO)  # the same bytes every time: one digest per test
    other = attrs.evolve(DEMO_EXAM, code="OTHER-1")
    for wrong, exam in ((content, other), (b"{not json", DEMO_EXAM)):
        with pytest.raises(InvalidState) as refused:
            items_from_package(wrong, exam)
        assert "offline.package.unverified" == refused.value.code


@pytest.mark.req("SCH-7", "SCH-8")
async def test_without_a_package_the_test_cannot_start_and_the_page_says_why(
    station_client: httpx.AsyncClient, kit: Examkit, group: ReleasedGroup
) -> None:
    before = backlog(kit)
    answer = await sign_in(station_client, group)
    assert 503 == answer.status_code
    assert NO_PACKAGE_NL in answer.text
    assert AttemptState.REGISTERED == attempt_state(kit, group)  # the clock did not start
    assert before == backlog(kit)


@pytest.mark.req("SCH-7", "SCH-8")
async def test_an_incomplete_package_is_never_used(
    station_client: httpx.AsyncClient, kit: Examkit, group: ReleasedGroup
) -> None:
    content = package_of(DEMO.code)
    assert content is not None
    package = deliver(kit, content, complete=False)
    assert package.chunks > 1
    answer = await sign_in(station_client, group)
    assert 503 == answer.status_code
    assert NO_PACKAGE_NL in answer.text


@pytest.mark.req("SCH-7", "SCH-8")
async def test_with_its_verified_package_the_candidate_takes_the_test_with_its_wording(
    station_client: httpx.AsyncClient, kit: Examkit, group: ReleasedGroup
) -> None:
    content = package_of(DEMO.code)
    assert content is not None
    deliver(kit, content)
    before = backlog(kit)
    answer = await sign_in(station_client, group)
    assert (303, "/test/player") == (answer.status_code, answer.headers["location"])
    player = await station_client.get("/test/player")
    assert 200 == player.status_code
    assert DEMO.items[0].prompt in player.text
    assert AttemptState.IN_PROGRESS == attempt_state(kit, group)
    with kit.backend.begin(readonly=True) as uow:
        queued = uow.sync_queue.after("up", before, limit=10)
    # the sign-in and the page went into the outbox, to travel up
    assert {("attempt", f"{group.id}:{group.candidates[0].id}")} == {
        (entry.kind, entry.key) for entry in queued
    }


@pytest.mark.req("SCH-7", "SCH-8")
async def test_a_package_that_does_not_match_its_test_does_not_start_the_test(
    station_client: httpx.AsyncClient, kit: Examkit, group: ReleasedGroup
) -> None:
    deliver(kit, package_bytes(attrs.evolve(DEMO, items=DEMO.items[:2])))
    answer = await sign_in(station_client, group)
    assert 503 == answer.status_code


@pytest.mark.req("SCH-7", "SCH-8")
async def test_the_offline_server_serves_the_exam_day_screens_only(
    station_client: httpx.AsyncClient, kit: Examkit
) -> None:
    for path in ("/planning", "/planning/servers", "/users", "/results", "/sign-in"):
        assert 404 == (await station_client.get(path)).status_code, path
    start = await station_client.get("/?lang=en")
    assert 200 == start.status_code
    assert 'href="/test"' in start.text
    assert 'href="/monitor"' in start.text
    assert "Last sync" in start.text
    assert "-1250 ms" in start.text
    assert f"{backlog(kit)} entries" in start.text  # the planning queued them on the station
    assert 200 == (await station_client.get("/static/portal.css")).status_code


@pytest.mark.req("SCH-7", "SCH-8")
async def test_the_monitor_shows_the_sync_status(
    station_client: httpx.AsyncClient, kit: Examkit, group: ReleasedGroup
) -> None:
    token, _ = kit.web_sessions.start(group.staff["proctor"])
    station_client.cookies.set("__Host-session", token, domain="portal.school.nl")
    day = await station_client.get("/monitor")
    assert 200 == day.status_code
    assert "Laatste synchronisatie" in day.text
    assert "Klokverschil" in day.text
    page = await station_client.get(f"/monitor/groups/{group.id}?lang=en")
    assert 200 == page.status_code
    assert "Waiting to be sent" in page.text
    assert f"{backlog(kit)} entries" in page.text


@pytest.mark.req("SCH-7", "SCH-8")
def test_offline_mode_needs_a_station_store(tmp_path: object) -> None:
    env = {"EXAMKIT_PORTAL_TOKEN_KEY": "6b" * 32, "EXAMKIT_PORTAL_MODE": "offline"}
    with pytest.raises(ConfigurationError, match="EXAMKIT_PORTAL_STATION"):
        PortalConfig.from_environment({**env, "EXAMKIT_PORTAL_STATION": "/nonexistent/fao.db"})
    with pytest.raises(ConfigurationError, match="EXAMKIT_PORTAL_MODE"):
        PortalConfig.from_environment({**env, "EXAMKIT_PORTAL_MODE": "sideways"})
    central = PortalConfig.from_environment({"EXAMKIT_PORTAL_TOKEN_KEY": "6b" * 32})
    assert not central.offline
