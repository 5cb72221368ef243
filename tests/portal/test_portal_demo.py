# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``make demo``'s portal (issue 22, point 7): a school, a user per role, pupils, a mailbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from tests.portal.conftest import form_token_of

from examkit.scheduling import AMSTERDAM, GroupState, ServerState
from portal._demo import DEMO_PASSWORD, L00, Demo, demo_app
from portal._demo_examday import PLANNER, PROCTOR, exam_day_printout

pytestmark = pytest.mark.anyio


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    return demo_app(tmp_path)


@pytest.fixture
async def client(demo: Demo) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=demo.app)
    async with httpx.AsyncClient(transport=transport, base_url=demo.origin) as client:
        yield client


async def form_token(client: httpx.AsyncClient, page: str) -> str:
    return form_token_of((await client.get(page)).text)


@pytest.mark.req("WEB-1")
async def test_each_demo_account_signs_in_with_the_code_from_the_mailbox(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    roles = {account.login_name: account.role for account in demo.accounts}
    assert {
        "examkit.operator",
        "facet.administrator",
        "facet.planner",
        "facet.proctor",
        "facet.corrector",
        "cito_lvs.pupil_counsellor",
        "cito_lvs.subject_teacher",
        "vlaamse_toetsen.test_coordinator",
    } == set(roles.values())
    origin = {"Origin": demo.origin}
    # The system each signs in to, written out: the desk's is examkit's own.
    systems = {
        "examkit.operator": "examkit",
        "cito_lvs.pupil_counsellor": "cito_lvs",
        "cito_lvs.subject_teacher": "cito_lvs",
        "vlaamse_toetsen.test_coordinator": "vlaamse_toetsen",
    }
    for login, role in roles.items():
        data = {
            "login_name": login,
            "password": DEMO_PASSWORD,
            "application": systems.get(role, "facet"),
        }
        data["form_token"] = await form_token(client, "/sign-in")
        assert (
            "/sign-in/code"
            == (await client.post("/sign-in", data=data, headers=origin)).headers["location"]
        )
        mailbox = (await client.get("/dev/mailbox")).text
        code = re.search(r"\b(\d{6})\b", mailbox)
        assert code is not None
        sent = {"code": code.group(1), "form_token": await form_token(client, "/sign-in/code")}
        assert (
            "/"
            == (await client.post("/sign-in/code", data=sent, headers=origin)).headers["location"]
        )
        home = (await client.get("/")).text
        assert {
            "examkit.operator": "Servicedesk",
            "facet.administrator": "Beheerder",
            "facet.planner": "Afnameplanner",
            "facet.proctor": "Afnameleider",
            "facet.corrector": "Corrector",
            "cito_lvs.pupil_counsellor": "Leerlingbegeleider",
            "cito_lvs.subject_teacher": "Vakdocent",
            "vlaamse_toetsen.test_coordinator": "Toetsco\u00f6rdinator",
        }[role] in home
        token = await form_token(client, "/")
        await client.post("/sign-out", data={"form_token": token}, headers=origin)


@pytest.mark.req("WEB-1", "EDX-4")
async def test_the_demo_school_has_its_pupils_imported(demo: Demo) -> None:
    pupils = demo.kit.rosters.pupils(L00).items
    assert 4 == len(pupils)


@pytest.mark.req("WEB-1", "EDX-2")
async def test_the_demo_leaves_a_file_to_try_the_import_with(demo: Demo) -> None:
    preview = demo.kit.edexml_imports.preview("demo-beheerder", demo.update.read_bytes())
    assert ("L005",) == preview.diff.pupils.added
    ((changed, fields),) = [(c.key, c.fields) for c in preview.diff.pupils.changed]
    assert "L002" == changed
    assert [("Noor", "Nora")] == [(f.before, f.after) for f in fields]


@pytest.mark.req("WEB-3", "SCH-1", "SCH-2", "SCH-6", "SCH-8")
async def test_the_demo_s_exam_day_has_a_released_group_with_slips_and_what_surrounds_it(
    demo: Demo,
) -> None:
    kit = demo.kit
    today = kit.clock.now().astimezone(AMSTERDAM).date()
    groups = kit.planning_desk.day_groups(PLANNER, L00, today)
    (released,) = (group for group in groups if group.state is GroupState.RELEASED)
    slips = kit.group_lifecycle.access_slips(PROCTOR, released.id)
    assert ["Jesse van 't Hof", "Noor Bakker", "Sem de Vries"] == sorted(s.name for s in slips)
    code = kit.group_lifecycle.access_code(PROCTOR, released.id)
    extra = {a.login_name: a.extra_time_minutes for a in kit.planning.attempts(released.id)}
    jesse = next(s for s in slips if s.name.startswith("Jesse"))
    assert 15 == extra[jesse.login_name]
    tomorrow = kit.planning_desk.day_groups(PLANNER, L00, today + timedelta(days=1))
    assert [(GroupState.PLANNED, False), (GroupState.PLANNED, True)] == [
        (g.state, g.functionality_test) for g in tomorrow
    ]
    (server,) = kit.offline_servers.servers(PLANNER, L00)
    assert ServerState.ACTIVE == server.state
    printed = exam_day_printout(kit)
    assert f"access code {code}" in printed
    for slip in slips:
        assert f"{slip.login_name}  {slip.name}" in printed
    noor = next(s for s in slips if s.name.startswith("Noor"))
    session = kit.sitting.sign_in(noor.login_name, code)
    assert released.id == session.group


@pytest.mark.req("WEB-3")
async def test_the_demo_planner_sees_today_s_released_group(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    token, _ = demo.kit.web_sessions.start(PLANNER)
    client.cookies.set("session", token)
    overview = await client.get("/planning")
    assert 200 == overview.status_code, overview.text[:300]
    assert "Vrijgegeven voor de kandidaten (1)" in overview.text
    assert "Lokaal 12" in overview.text
