# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The demo's offline exam day (SCH-7, SCH-8): central unreachable until after closing.

``make demo`` runs a whole exam day on the school's offline server with the
internet link down, then synchronises it. Here: central holds exactly what
the offline server holds, the group is no longer held, the portal's pages
show it, and ``examkit offline sync`` against the served demo changes
nothing more (a quiet sync).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn

from examkit.scheduling import AttemptState, GroupState
from portal._demo import Demo, demo_app
from portal._demo_examday import PLANNER
from portal._demo_offline import ANSWERS, check_offline_day

pytestmark = pytest.mark.anyio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo, built once for this module (on a port of its own, for the served test)."""
    return demo_app(tmp_path_factory.mktemp("demo"), port=free_port())


@pytest.fixture
async def client(demo: Demo) -> AsyncIterator[httpx.AsyncClient]:
    """The demo's planner (its FAO administrator too), signed in."""
    token, _ = demo.kit.web_sessions.start(PLANNER)
    transport = httpx.ASGITransport(app=demo.app)
    async with httpx.AsyncClient(transport=transport, base_url=demo.origin) as client:
        client.cookies.set("session", token)  # the demo's cookies: plain http, no prefix
        yield client


@pytest.mark.req("SCH-7", "SCH-8")
def test_the_day_ran_without_the_central_system_and_central_now_equals_the_offline_server(
    demo: Demo,
) -> None:
    day = demo.offline
    assert ["offline.central.unreachable"] * 2 == [report.error for report in day.failed]
    assert day.failed[-1].backlog > 0  # the day waited in the outbox
    assert day.last.complete
    assert day.failed[-1].backlog == day.last.sent
    assert 0 == day.last.backlog
    assert [] == check_offline_day(demo.kit, day.store, day.group)
    group = demo.kit.planning.group(day.group)
    assert (GroupState.CLOSED, None) == (group.state, group.held_by)
    attempts = demo.kit.planning.attempts(day.group)
    assert {AttemptState.SUBMITTED} == {attempt.state for attempt in attempts}
    answered = {demo.kit.candidates.candidate(a.candidate).first_name: a for a in attempts}
    for name, answers in ANSWERS.items():
        stored = {item: saved.value for item, saved in answered[name].responses.items()}
        assert answers == stored, name
    assert group.report is not None
    assert group.report.completed


@pytest.mark.req("SCH-7", "SCH-8")
async def test_the_offline_server_page_shows_the_day_s_sync(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    day = demo.offline
    listed = await client.get("/planning/servers?lang=en")
    assert 200 == listed.status_code
    assert "Not yet synchronised" not in listed.text
    page = await client.get(f"/planning/servers/{day.server}?lang=en")
    assert "Last sync" in page.text
    assert "0 entries" in page.text  # nothing waiting any more
    assert f"{day.failed[-1].backlog} entries" in page.text  # received from the server
    assert "ms (the offline server minus the central system)" in page.text
    assert "No conflicts." in page.text
    group = await client.get(f"/planning/groups/{day.group}?lang=en")
    assert "Closed by the proctor" in group.text
    assert "held by the offline server" not in group.text


@pytest.fixture
def served(demo: Demo) -> Iterator[str]:
    """The demo served over HTTP on its port (the offline server's central URL)."""
    port = int(demo.origin.rsplit(":", 1)[1])
    server = uvicorn.Server(
        uvicorn.Config(demo.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield demo.origin
    server.should_exit = True
    thread.join(timeout=30)


@pytest.mark.req("SCH-8")
def test_examkit_offline_sync_against_the_served_demo_changes_nothing_more(
    demo: Demo, served: str
) -> None:
    day = demo.offline
    before = check_offline_day(demo.kit, day.store, day.group)
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "examkit", "offline", "sync", "--store", str(day.store)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "EXAMKIT_OFFLINE_CREDENTIAL": day.credential},
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    report = json.loads(done.stdout)
    assert {"complete": True, "sent": 0, "received": 0, "backlog": 0, "conflicts": []} == {
        key: report[key] for key in ("complete", "sent", "received", "backlog", "conflicts")
    }
    assert report["up_high_water"] == report["up_queued"] > 0
    assert isinstance(report["clock_offset_ms"], int)
    assert [] == before == check_offline_day(demo.kit, day.store, day.group)
