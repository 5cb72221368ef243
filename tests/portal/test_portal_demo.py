# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``make demo``'s portal (issue 22, point 7): a school, a user per role, pupils, a mailbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from html import unescape as html_unescape
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


# -- the demo's exam day, as a person runs it from what ``make demo`` prints -------------------


def printed_day(printed: str) -> tuple[str, dict[str, str]]:
    """Return the access code and each printed candidate's login name by first name."""
    code = re.search(r"access code (\S+);", printed)
    assert code is not None, printed
    logins = {
        name.split()[0]: login for login, name in re.findall(r"^  (\S+)  (.+)$", printed, re.M)
    }
    return code.group(1), logins


def token_for(html: str, action: str) -> str:
    """Return the one-time token of the form posting to *action* in *html*."""
    found = re.search(
        rf'action="{re.escape(action)}"><input type="hidden" name="form_token" value="([^"]+)"',
        html,
    )
    assert found is not None, (action, html[:2000])
    return found.group(1)


def row_of(html: str, candidate: str) -> list[str]:
    """Return the cells of *candidate*'s row of the monitor's table as text: login name, name,
    state, time left, answered, extra time, late saves, act."""
    found = re.search(rf'<tr data-candidate="{re.escape(candidate)}">(.*?)</tr>', html, re.S)
    assert found is not None, html[:2000]
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)
    return [" ".join(html_unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


class Candidate:
    """A candidate at a computer of their own: a client of the demo with its own cookies."""

    def __init__(self, demo: Demo) -> None:
        self.origin = demo.origin
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=demo.app), base_url=demo.origin
        )
        self.page: tuple[int, str] = (0, "")
        self.counter = 0

    async def sign_in(self, login: str, code: str) -> httpx.Response:
        """Sign in at /test with *login* and *code*; open the player when let in."""
        data = {"login_name": login, "access_code": code}
        data["form_token"] = await form_token(self.client, "/test")
        answer = await self.client.post("/test", data=data, headers={"Origin": self.origin})
        if answer.status_code == 303:
            player = await self.client.get("/test/player")
            assert 200 == player.status_code, player.text[:300]
            epoch = re.search(r'data-epoch="(\d+)"', player.text)
            token = re.search(r'<meta name="examkit-save" content="([0-9a-f]+)">', player.text)
            assert epoch is not None
            assert token is not None
            self.page = (int(epoch.group(1)), token.group(1))
        return answer

    async def answer(self, item: str, value: object) -> None:
        """Save one answer as the player does; it must be stored."""
        self.counter += 1
        saved = await self.client.post(
            "/test/save",
            json={"epoch": self.page[0], "counter": self.counter, "item": item, "value": value},
            headers={"Origin": self.origin, "X-Examkit-Save": self.page[1]},
        )
        assert (200, True) == (saved.status_code, saved.json()["stored"]), saved.text

    async def hand_in(self) -> None:
        """Hand the test in from the player."""
        form = {"epoch": str(self.page[0]), "page_token": self.page[1]}
        handed = await self.client.post("/test/hand-in", data=form, headers={"Origin": self.origin})
        assert (303, "/test/done") == (handed.status_code, handed.headers["location"])


@pytest.mark.req("WEB-1", "WEB-3", "SCH-4", "SCH-5", "SCH-6")
async def test_a_person_runs_the_demo_s_exam_day_from_what_it_prints(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    """The printed code and login names let candidates in at /test, their answers are saved,
    the printed proctor sees them on the monitor and closes the group once all handed in."""
    kit, origin = demo.kit, {"Origin": demo.origin}
    code, logins = printed_day(exam_day_printout(kit))
    assert {"Sem", "Noor", "Jesse"} == set(logins)
    (proctor,) = (a.login_name for a in demo.accounts if a.role == "facet.proctor")
    signed = await client.post(
        "/monitor/sign-in",
        data={
            "login_name": proctor,
            "password": DEMO_PASSWORD,
            "form_token": await form_token(client, "/monitor/sign-in"),
        },
        headers=origin,
    )
    assert (303, "/monitor") == (signed.status_code, signed.headers["location"])
    today = kit.clock.now().astimezone(AMSTERDAM).date()
    (group,) = (
        g.id
        for g in kit.planning_desk.day_groups(PLANNER, L00, today)
        if g.state is GroupState.RELEASED
    )
    assert f'href="/monitor/groups/{group}"' in (await client.get("/monitor")).text
    ids = {
        slip.name.split()[0]: slip.candidate
        for slip in kit.group_lifecycle.access_slips(PROCTOR, group)
    }
    noor, jesse, sem = Candidate(demo), Candidate(demo), Candidate(demo)
    try:
        # Noor and Jesse sign in with what was printed (as typed: lower case) and answer.
        for person, name in ((noor, "Noor"), (jesse, "Jesse")):
            signed = await person.sign_in(logins[name].lower(), code)
            assert (303, "/test/player") == (signed.status_code, signed.headers["location"])
        await noor.answer("v1", {"chosen": ["B"]})
        await noor.answer("v3", {"text": "Amsterdam"})
        await jesse.answer("v5", {"text": "Beste gemeente, een speelplaats graag."})
        assert {"v1": {"chosen": ["B"]}, "v3": {"text": "Amsterdam"}} == {
            item: saved.value
            for item, saved in kit.sitting.attempt(group, ids["Noor"]).responses.items()
        }
        # The proctor's table (what the page polls) shows them at work, with their answers.
        rows = (await client.get(f"/monitor/groups/{group}/rows")).text
        row = row_of(rows, ids["Noor"])
        assert (logins["Noor"], "Noor Bakker", "Bezig", "2") == (row[0], row[1], row[2], row[4])
        row = row_of(rows, ids["Jesse"])
        assert ("Bezig", "1", "15 minuten") == (row[2], row[4], row[5])
        assert "3 kandidaten: 3 bezig" in rows
        await noor.hand_in()
        await jesse.hand_in()
        rows = (await client.get(f"/monitor/groups/{group}/rows")).text
        assert "Ingeleverd" == row_of(rows, ids["Noor"])[2]
        assert "2 klaar" in rows

        # The report complete; closing is refused while Sem (at work since the seed) is busy.
        report = f"/monitor/groups/{group}/report"
        written = await client.post(
            report,
            data={
                "started": "09:00",
                "ended": "10:00",
                "notes": "Rustig verlopen.",
                "completed": "yes",
                "form_token": token_for((await client.get(report)).text, report),
            },
            headers=origin,
        )
        assert 303 == written.status_code, written.text[:2000]
        close = f"/monitor/groups/{group}/close"
        page = (await client.get(f"/monitor/groups/{group}")).text
        refused = await client.post(
            close, data={"form_token": token_for(page, close)}, headers=origin
        )
        assert 409 == refused.status_code
        assert logins["Sem"] in refused.text
        # Sem's test was opened by the seed: the proctor lets him in again; he hands in.
        running = await sem.sign_in(logins["Sem"], code)
        assert 409 == running.status_code
        assert "de afnameleider kan je opnieuw laten inloggen" in running.text
        act = f"/monitor/groups/{group}/candidates/{ids['Sem']}"
        allowed = await client.post(
            f"{act}/reentry",
            data={"form_token": token_for((await client.get(act)).text, f"{act}/reentry")},
            headers=origin,
        )
        assert 303 == allowed.status_code, allowed.text[:2000]
        assert 303 == (await sem.sign_in(logins["Sem"], code)).status_code
        await sem.answer("v3", {"text": "Amsterdam"})
        await sem.hand_in()
        page = (await client.get(f"/monitor/groups/{group}")).text
        closed = await client.post(
            close, data={"form_token": token_for(page, close)}, headers=origin
        )
        assert (303, f"/monitor/groups/{group}?done=close") == (
            closed.status_code,
            closed.headers["location"],
        )
    finally:
        for person in (noor, jesse, sem):
            await person.client.aclose()
    assert GroupState.CLOSED is kit.planning.group(group).state
    pdf = await client.get(f"/monitor/groups/{group}/report.pdf")
    assert ("application/pdf", b"%PDF-") == (pdf.headers["content-type"], pdf.content[:5])


@pytest.mark.req("WEB-3")
def test_just_after_midnight_the_demo_s_group_is_still_today_s(tmp_path: Path) -> None:
    """Seeded at 00:02 in Amsterdam, today's group does not begin yesterday (five minutes
    before now): it begins at midnight, and the day's page lists it."""
    from datetime import date, datetime, time

    from examkit import Examkit, Settings
    from examkit.backends.sql import SQLBackend
    from examkit.testing import ManualClock, RecordingMailer, cheap_hasher
    from portal._config import PATHS
    from portal._demo import seed

    now = datetime.combine(date(2026, 12, 6), time(0, 2), tzinfo=AMSTERDAM)
    kit = Examkit(
        backend=SQLBackend(f"sqlite:///{tmp_path / 'midnight.db'}"),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="http://127.0.0.1", paths=PATHS),
        clock=ManualClock(now),
        hasher=cheap_hasher("midnight"),
    )
    seed(kit)
    groups = kit.planning_desk.day_groups(PLANNER, L00, now.date())
    (released,) = (group for group in groups if group.state is GroupState.RELEASED)
    assert now.replace(hour=0, minute=0) == released.starts_at
