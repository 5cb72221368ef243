# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A candidate takes a test on the offline server's portal, in real Chromium (SCH-7, SCH-8).

Centrally a group is handed to the offline server; the offline server syncs
(the central sync endpoint reached in-process) and gets the group, its
candidate and the verified package. Its portal (``portal:offline_app``'s
wiring: the outbox around the station's store) is served in uvicorn; the
candidate starts from its start page, signs in, answers from the package's
wording and hands in. The answers wait in the outbox; the next sync puts them
centrally.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from tests.e2e.conftest import assert_accessible, free_port
from tests.portal.exam_day import staff_of
from tests.school import ADMIN, L00, add_school

from examkit import Examkit, Settings
from examkit.backends.http import InProcessTransport
from examkit.backends.sql import SQLBackend
from examkit.offline import OfflineStation
from examkit.offline.http import SyncEndpoint
from examkit.scheduling import AttemptState, Candidate, Mode
from examkit.testing import RecordingMailer, cheap_hasher
from portal._offline_packages import MEDIA_TYPE, package_of
from portal._test_content import DEMO, DEMO_EXAM

if TYPE_CHECKING:
    from playwright.sync_api import Page

CENTRAL = "http://central.example.nl"


@attrs.frozen
class OfflineRoom:
    """The offline server's portal served, the station, the central kit and the group."""

    origin: str
    station: OfflineStation
    central: Examkit
    group: str
    candidate: Candidate
    code: str


def _operator(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        (found, *_) = uow.authorizations.list(role="examkit.operator").items
    return found.account


@pytest.fixture
def room(tmp_path: Path) -> Iterator[OfflineRoom]:
    """A group handed over centrally, synced to the offline server, released there; its
    portal served on loopback."""
    import uvicorn

    from portal import PortalConfig
    from portal._offline_mode import build_station_kit, create_offline_app

    central = Examkit(
        backend=SQLBackend(f"sqlite:///{tmp_path / 'central.db'}"),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"c" * 32, base_url=CENTRAL),
        hasher=cheap_hasher("central"),
    )
    add_school(central, with_password=True)
    staff = staff_of(central)
    central.grants.grant_role(ADMIN, staff["planner"], "facet.fao_administrator", at=[L00])
    central.candidates.register_exam(DEMO_EXAM)
    person = central.candidates.add_candidate(
        staff["planner"], location=L00, first_name="Fenna", last_name="Dijkstra"
    )
    server = central.offline_servers.add_server(
        staff["planner"], location=L00, name="FAO 12", address="10.0.0.2"
    )
    central.offline_servers.server_transition(staff["planner"], server.id, "activate")
    credential = central.offline_sync.issue_credential(staff["planner"], server.id)
    content = package_of(DEMO_EXAM.code)
    assert content is not None
    central.exam_packages.publish(_operator(central), DEMO_EXAM.code, content, MEDIA_TYPE)
    group = central.planning.plan(
        staff["planner"],
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.OFFLINE,
        offline_server=server.id,
        starts_at=central.clock.now() - timedelta(minutes=1),
        room="Lokaal 12",
        proctor=staff["proctor"],
        candidates=[person.id],
        first_corrector=staff["corrector"],
    )
    central.offline_sync.hand_over(staff["planner"], group.id)
    store = tmp_path / "fao.db"
    endpoint = Starlette(routes=[Mount("/offline-sync", app=SyncEndpoint(central))])
    station = OfflineStation.open(
        str(store),
        server=server.id,
        central_url=CENTRAL + "/offline-sync",
        credential=credential,
        settings=Settings(token_key=b"o" * 32, base_url=CENTRAL),
        mailer=RecordingMailer(),
        transport=InProcessTransport(endpoint),
    )
    morning = station.sync_once()
    assert morning.complete, morning.error
    released = station.kit.group_lifecycle.release(staff["proctor"], group.id)
    assert released.access_code is not None
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    config = PortalConfig(
        base_url=origin,
        token_key=b"p" * 32,
        database=f"sqlite:///{store}",
        secure_cookies=False,
        station=str(store),
    )
    kit, server_id = build_station_kit(config, RecordingMailer())
    app = create_offline_app(kit, config, server=server_id)
    served = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield OfflineRoom(origin, station, central, group.id, person, released.access_code)
    finally:
        served.should_exit = True
        thread.join(timeout=10)
        kit.close()
        station.close()
        central.close()


@pytest.mark.req("SCH-7", "SCH-8", "WEB-4")
def test_a_candidate_takes_the_test_on_the_offline_portal_and_the_answers_reach_central(
    room: OfflineRoom, page: Page
) -> None:
    page.goto(f"{room.origin}/?lang=en")
    assert "Last sync" in page.inner_text("main")
    assert_accessible(page)
    page.click("text=Candidates: start your test")
    page.wait_for_url(f"{room.origin}/test")
    page.fill("#login", room.candidate.login_name)
    page.fill("#code", room.code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{room.origin}/test/player")
    assert DEMO.items[0].prompt in page.inner_text("main")  # the wording from the package
    page.check("#answer-0-1")
    page.wait_for_function(
        "() => ['Opgeslagen', 'Saved'].includes(document.getElementById('save-status')"
        ".textContent)",
        timeout=15000,
    )
    for screen in range(len(DEMO.items)):  # to the overview with the hand-in
        page.click(f'#screen-{screen} button[data-step="1"]')
        page.wait_for_selector(f"#screen-{screen + 1}:not([hidden])")
    page.click('#hand-in-form button[type="submit"]')
    page.wait_for_url(f"{room.origin}/test/done")
    attempt = room.station.kit.sitting.attempt(room.group, room.candidate.id)
    assert AttemptState.SUBMITTED == attempt.state
    assert (
        AttemptState.REGISTERED == room.central.sitting.attempt(room.group, room.candidate.id).state
    )  # nothing reaches central before the sync
    after = room.station.sync_once()
    assert after.complete, after.error
    assert after.sent > 0
    stored = room.central.sitting.attempt(room.group, room.candidate.id)
    assert AttemptState.SUBMITTED == stored.state
    assert {"v1": {"chosen": ["B"]}} == {item: s.value for item, s in stored.responses.items()}
