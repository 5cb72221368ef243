# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The proctor monitor over HTTP (issue 23 item 2: SCH-3..6, DOC-2, DOC-3, AUTH-9, WEB-3).

The monitor's own session (signed into by the monitor's rule, the monitor
only, its own timeouts), the day's groups, a group live (the polled rows),
release with the access code and the slips, block and release again, the
interventions on a candidate, the session report with its PDF, closing;
who reaches what, cross-site posts and double submissions.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from tests.portal.backends import portal_backend
from tests.portal.conftest import ORIGIN, SESSION_COOKIE, enter_as, portal_config

from examkit import Examkit
from examkit.errors import InvalidState
from examkit.passwords import change_password
from examkit.scheduling import AttemptState, GroupState
from examkit.testing import ManualClock, RecordingMailer, cheap_hasher
from examkit.testing.sessions import L00, START, add_candidates, make_session_kit, plan_group
from portal import create_app

OWN_PASSWORD = "Eigen-Wachtwoord-77"
MONITOR_COOKIE = "__Host-monitor"
G, C = "{group}", "{candidate}"
GROUPS = ("facet.monitor.groups", "facet.ft.monitor.groups")
DRAW = ("facet.monitor.session_report", "facet.ft.monitor.session_report")

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/monitor/sign-in"): "public",
    ("POST", "/monitor/sign-in"): "public",
    ("POST", "/monitor/sign-out"): "public",
    ("GET", "/monitor"): ("monitor", GROUPS),
    ("GET", f"/monitor/groups/{G}"): ("monitor", GROUPS),
    ("GET", f"/monitor/groups/{G}/rows"): ("monitor", GROUPS),
    ("POST", f"/monitor/groups/{G}/release"): (
        "monitor",
        ("facet.monitor.release", "facet.ft.monitor.release"),
    ),
    ("POST", f"/monitor/groups/{G}/block"): (
        "monitor",
        ("facet.monitor.block", "facet.ft.monitor.block"),
    ),
    ("POST", f"/monitor/groups/{G}/close"): (
        "monitor",
        ("facet.monitor.close", "facet.ft.monitor.close"),
    ),
    ("GET", f"/monitor/groups/{G}/slips.pdf"): (
        "monitor",
        ("facet.monitor.access_code", "facet.ft.monitor.access_code"),
    ),
    ("GET", f"/monitor/groups/{G}/candidates/{C}"): ("monitor", ("facet.monitor.intervene",)),
    ("POST", f"/monitor/groups/{G}/candidates/{C}/{{move}}"): (
        "monitor",
        ("facet.monitor.intervene",),
    ),
    ("GET", f"/monitor/groups/{G}/report"): (
        "monitor",
        (*DRAW, "facet.session_report.retrieve"),
    ),
    ("POST", f"/monitor/groups/{G}/report"): ("monitor", DRAW),
    ("POST", f"/monitor/groups/{G}/report/remarks"): (
        "monitor",
        ("facet.session_report.retrieve",),
    ),
    ("GET", f"/monitor/groups/{G}/report.pdf"): (
        "monitor",
        (*DRAW, "facet.session_report.retrieve"),
    ),
}

# Which of the session world's staff get which answer on each monitor page of a released
# group of 22AB00 (the proctor's), written out by hand: 404 where the group is not on the
# user's monitor today, 403 where the page or the group is not for them.
PAGES = ("day", "group", "rows", "candidate", "report", "report.pdf", "slips.pdf")
ROLES: dict[str, tuple[int, ...]] = {
    #                  day  group rows cand. report pdf  slips
    "proctor": (200, 200, 200, 200, 200, 200, 200),
    "ft_proctor": (200, 404, 404, 403, 403, 403, 404),
    "planner": (403, 403, 403, 403, 200, 200, 403),
    "elsewhere": (200, 404, 404, 404, 403, 403, 404),  # planner and proctor at 22AB01
    "corrector": (403, 403, 403, 403, 403, 403, 403),
    "administrator": (403, 403, 403, 403, 403, 403, 403),
    "ft_planner": (403, 403, 403, 403, 403, 403, 403),
}

pytestmark = pytest.mark.anyio


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Examkit]:
    """The session world on an SQLite file, 10 minutes before the session; the proctor and the
    planner have passwords of their own."""
    with portal_backend(tmp_path / "monitor.db") as backend:
        kit = make_session_kit(ManualClock(START - timedelta(minutes=10)), backend=backend)
        with kit.backend.begin() as uow:
            for account in ("proctor", "planner", "administrator"):
                uow.accounts.update(
                    change_password(
                        uow.accounts.get(account),
                        OWN_PASSWORD,
                        policy=kit.password_policy,
                        hasher=cheap_hasher("set"),
                        now=kit.clock.now(),
                    )
                )
            uow.commit()
        yield kit


@pytest.fixture
async def client(kit: Examkit) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(kit, portal_config()))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


def planned(kit: Examkit, count: int = 3) -> tuple[str, list[str], list[str]]:
    """A group of *count* candidates planned today; its id, their ids and login names."""
    people = add_candidates(kit, count)
    return plan_group(kit, people), [p.id for p in people], [p.login_name for p in people]


def token_for(html: str, action: str) -> str:
    """Return the one-time token of the form posting to *action* in *html*."""
    found = re.search(
        rf'action="{re.escape(action)}"><input type="hidden" name="form_token" value="([^"]+)"',
        html,
    )
    assert found is not None, (action, html[:2000])
    return found.group(1)


async def post(
    client: httpx.AsyncClient,
    page: str,
    action: str,
    data: dict[str, str] | None = None,
    *,
    origin: str = ORIGIN,
) -> httpx.Response:
    """Open *page*, then post the form that goes to *action* with its token and *data*."""
    shown = await client.get(page)
    assert 200 == shown.status_code, (page, shown.text[:500])
    token = token_for(shown.text, action)
    return await client.post(
        action,
        data={**(data or {}), "form_token": token},
        headers={"Origin": origin},
        follow_redirects=False,
    )


async def monitor_sign_in(
    client: httpx.AsyncClient, login: str = "22AB.proctor.x", password: str = OWN_PASSWORD
) -> httpx.Response:
    page = await client.get("/monitor/sign-in")
    return await client.post(
        "/monitor/sign-in",
        data={
            "login_name": login,
            "password": password,
            "form_token": token_for(page.text, "/monitor/sign-in"),
        },
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


def attempt_state(kit: Examkit, group: str, candidate: str) -> AttemptState:
    return kit.sitting.attempt(group, candidate).state


# -- the monitor's own session ---------------------------------------------------------------


@pytest.mark.req("AUTH-9", "WEB-2", "SCH-4")
async def test_the_monitor_sign_in_starts_a_session_of_the_monitor_only(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, _, _ = planned(kit)
    codes = len(mailer(kit).outbox)
    signed = await monitor_sign_in(client)
    assert (303, "/monitor") == (signed.status_code, signed.headers["location"])
    assert client.cookies.get(MONITOR_COOKIE) is not None
    assert client.cookies.get(SESSION_COOKIE) is None  # no session of the whole portal
    assert codes == len(mailer(kit).outbox)  # no one-time password
    day = await client.get("/monitor")
    assert 200 == day.status_code
    assert f'href="/monitor/groups/{group}"' in day.text
    assert "Uitloggen uit de afnamemonitor" in day.text
    assert 200 == (await client.get(f"/monitor/groups/{group}")).status_code
    for elsewhere in ("/", "/profile", "/users", "/imports"):
        refused = await client.get(elsewhere, follow_redirects=False)
        assert (303, "/sign-in") == (refused.status_code, refused.headers["location"]), elsewhere
    assert 'href="/profile"' not in day.text  # no navigation of the portal


@pytest.mark.req("AUTH-9", "WEB-2")
async def test_the_monitor_session_lapses_after_20_idle_minutes_and_6_hours_in_all(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await monitor_sign_in(client)
    for _ in range(35):  # the open page polls: never idle, until 6 hours from the sign-in
        clock(kit).advance(minutes=10)
        assert 200 == (await client.get("/monitor")).status_code
    clock(kit).advance(minutes=11)
    lapsed = await client.get("/monitor", follow_redirects=False)
    assert (303, "/monitor/sign-in") == (lapsed.status_code, lapsed.headers["location"])
    assert client.cookies.get(MONITOR_COOKIE) is None
    await monitor_sign_in(client)
    clock(kit).advance(minutes=21)
    polled = await client.get("/monitor", headers={"HX-Request": "true"}, follow_redirects=False)
    assert (204, "/monitor/sign-in") == (polled.status_code, polled.headers["hx-redirect"])


@pytest.mark.req("AUTH-9", "WEB-2")
async def test_signing_out_of_the_monitor_ends_its_session(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await monitor_sign_in(client)
    token = client.cookies.get(MONITOR_COOKIE)
    assert token is not None
    out = await post(client, "/monitor", "/monitor/sign-out")
    assert (303, "/monitor/sign-in") == (out.status_code, out.headers["location"])
    client.cookies.set(MONITOR_COOKIE, token, domain="portal.school.nl")  # a copy kept
    again = await client.get("/monitor", follow_redirects=False)
    assert (303, "/monitor/sign-in") == (again.status_code, again.headers["location"])


@pytest.mark.req("AUTH-9", "WEB-2")
async def test_signing_in_again_ends_the_browser_s_earlier_monitor_session(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await monitor_sign_in(client)
    earlier = client.cookies.get(MONITOR_COOKIE)
    await monitor_sign_in(client)
    later = client.cookies.get(MONITOR_COOKIE)
    assert earlier is not None
    assert later not in {None, earlier}
    assert 200 == (await client.get("/monitor")).status_code
    client.cookies.set(MONITOR_COOKIE, earlier, domain="portal.school.nl")
    assert 303 == (await client.get("/monitor", follow_redirects=False)).status_code


@pytest.mark.req("AUTH-9", "WEB-2")
async def test_a_role_granted_meanwhile_renews_the_monitor_session_and_keeps_it_the_monitor_s(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await monitor_sign_in(client)
    before = client.cookies.get(MONITOR_COOKIE)
    kit.grants.grant_role("administrator", "proctor", "facet.corrector", at=[L00])
    assert 200 == (await client.get("/monitor")).status_code
    renewed = client.cookies.get(MONITOR_COOKIE)
    assert renewed not in {None, before}
    assert 200 == (await client.get("/monitor")).status_code
    assert 303 == (await client.get("/profile", follow_redirects=False)).status_code


@pytest.mark.req("AUTH-9", "SCH-4")
async def test_a_proctor_signed_in_to_the_portal_reaches_the_monitor_too(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, _, _ = planned(kit)
    enter_as(client, kit, "proctor")
    day = await client.get("/monitor")
    assert 200 == day.status_code
    assert 'href="/monitor" aria-current="page"' in day.text  # in the portal's navigation
    assert "Uitloggen uit de afnamemonitor" not in day.text
    assert 200 == (await client.get(f"/monitor/groups/{group}")).status_code


@pytest.mark.req("AUTH-9")
async def test_the_monitor_warns_near_the_expiry_and_refuses_an_expired_password(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    clock(kit).advance(days=362)
    warned = await monitor_sign_in(client)
    assert 200 == warned.status_code
    assert "Uw wachtwoord is nog 3 dag(en) geldig" in warned.text
    assert 'href="/monitor"' in warned.text
    assert client.cookies.get(MONITOR_COOKIE) is not None
    clock(kit).advance(days=3)
    client.cookies.clear()
    expired = await monitor_sign_in(client)
    assert 403 == expired.status_code
    assert "Uw wachtwoord is verlopen" in expired.text
    assert client.cookies.get(MONITOR_COOKIE) is None


@pytest.mark.req("AUTH-9")
async def test_no_monitor_for_a_wrong_password_an_initial_one_or_another_role(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    wrong = await monitor_sign_in(client, password="Fout-Wachtwoord-11")
    assert 403 == wrong.status_code
    assert 'value="22AB.proctor.x"' in wrong.text
    planner = await monitor_sign_in(client, login="22AB.planner.x")
    assert 403 == planner.status_code
    with kit.backend.begin() as uow:
        proctor = uow.accounts.get("proctor")
        record = proctor.password
        assert record is not None
        import attrs

        uow.accounts.update(attrs.evolve(proctor, password=attrs.evolve(record, must_change=True)))
        uow.commit()
    initial = await monitor_sign_in(client)
    assert 403 == initial.status_code
    assert "Met het wachtwoord dat u per e-mail heeft ontvangen" in initial.text
    assert client.cookies.get(MONITOR_COOKIE) is None


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


# -- who reaches which page --------------------------------------------------------------------


@pytest.mark.req("WEB-2", "SCH-4", "SCH-5")
@pytest.mark.parametrize("who", list(ROLES))
async def test_each_role_gets_its_answer_on_each_monitor_page(
    client: httpx.AsyncClient, kit: Examkit, who: str
) -> None:
    group, people, _ = planned(kit)
    kit.group_lifecycle.release("proctor", group)
    enter_as(client, kit, who)
    paths = {
        "day": "/monitor",
        "group": f"/monitor/groups/{group}",
        "rows": f"/monitor/groups/{group}/rows",
        "candidate": f"/monitor/groups/{group}/candidates/{people[0]}",
        "report": f"/monitor/groups/{group}/report",
        "report.pdf": f"/monitor/groups/{group}/report.pdf",
        "slips.pdf": f"/monitor/groups/{group}/slips.pdf",
    }
    answers = tuple([(await client.get(paths[name])).status_code for name in PAGES])
    assert ROLES[who] == answers


@pytest.mark.req("WEB-2")
async def test_signed_out_every_monitor_page_goes_to_the_sign_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, _, _ = planned(kit)
    for path in ("/monitor", f"/monitor/groups/{group}", f"/monitor/groups/{group}/report"):
        answer = await client.get(path, follow_redirects=False)
        assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("WEB-1", "SCH-4", "SCH-5")
async def test_every_monitor_page_renders_in_dutch_and_in_english(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, _ = planned(kit)
    kit.group_lifecycle.release("proctor", group)
    enter_as(client, kit, "proctor")
    for path, dutch_words, english_words in (
        ("/monitor/sign-in", "Inloggen op de afnamemonitor", "Sign in to the proctor monitor"),
        ("/monitor", "Uw afnamegroepen op 12-05-2026", "Your session groups on 12-05-2026"),
        (f"/monitor/groups/{group}", "Toegangscode", "Access code"),
        (f"/monitor/groups/{group}/candidates/{people[0]}", "Afname beëindigen", "End the test"),
        (f"/monitor/groups/{group}/report", "Proces-verbaal opstellen", "Write the report"),
    ):
        dutch = await client.get(f"{path}?lang=nl")
        english = await client.get(f"{path}?lang=en")
        assert (200, 200) == (dutch.status_code, english.status_code), path
        assert ('<html lang="nl">', dutch_words) == (
            re.search(r'<html lang="\w+">', dutch.text).group(0),  # type: ignore[union-attr]
            dutch_words if dutch_words in dutch.text else path,
        )
        assert ('<html lang="en">', english_words) == (
            re.search(r'<html lang="\w+">', english.text).group(0),  # type: ignore[union-attr]
            english_words if english_words in english.text else path,
        )


# -- the group: release, block, release again, the live table, closing ---------------------------


@pytest.mark.req("SCH-3", "SCH-6", "DOC-2", "WEB-3")
async def test_the_proctor_releases_sees_the_code_prints_the_slips_blocks_and_releases_again(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, _, _ = planned(kit)
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}"
    before = await client.get(page)
    assert "Gepland: nog niet vrijgegeven" in before.text
    assert "Toegangscode" not in before.text
    released = await post(client, page, f"{page}/release")
    assert (303, f"{page}?done=release") == (released.status_code, released.headers["location"])
    stored = kit.planning.group(group)
    assert GroupState.RELEASED == stored.state
    assert stored.access_code is not None
    shown = await client.get(released.headers["location"])
    assert f'<p class="access-code">{stored.access_code}</p>' in shown.text
    assert "De afnamegroep is vrijgegeven: deel de toegangscode uit." in shown.text
    slips = await client.get(f"{page}/slips.pdf")
    assert (200, "application/pdf") == (slips.status_code, slips.headers["content-type"])
    assert slips.content.startswith(b"%PDF-")
    blocked = await post(client, page, f"{page}/block", {"reason": "brandalarm"})
    assert 303 == blocked.status_code
    stored = kit.planning.group(group)
    assert (GroupState.BLOCKED, "brandalarm") == (stored.state, stored.log[-1].reason)
    assert 409 == (await client.get(f"{page}/slips.pdf")).status_code or stored.access_code
    again = await post(client, page, f"{page}/release")
    assert 303 == again.status_code
    assert ["release", "block", "release"] == [r.event for r in kit.planning.group(group).log]
    assert kit.planning.group(group).access_code == stored.access_code  # the same code


@pytest.mark.req("SCH-4", "WEB-3")
async def test_the_polled_rows_show_each_candidate_s_state_as_it_changes(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, logins = planned(kit)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    await monitor_sign_in(client)
    page = await client.get(f"/monitor/groups/{group}")
    assert f'hx-get="/monitor/groups/{group}/rows" hx-trigger="every 2s"' in page.text
    assert 'id="monitor-summary" aria-live="polite"' in page.text
    assert 1 == page.text.count("aria-live")  # the summary's only, not the whole table
    rows = await client.get(f"/monitor/groups/{group}/rows")
    assert "<html" not in rows.text  # a fragment: the summary and the table only
    assert (
        "3 kandidaten: 0 bezig, 0 gepauzeerd, 3 niet gestart, 0 klaar; verbinding verbroken: 0."
        in rows.text
    )
    key = kit.sitting.sign_in(logins[0], code).key
    kit.sitting.sign_in(logins[1], code)
    kit.proctoring.intervene("proctor", group, people[1], "pause")
    kit.sitting.submit(group, people[0], key=key)
    rows = await client.get(f"/monitor/groups/{group}/rows")
    assert (
        "3 kandidaten: 0 bezig, 1 gepauzeerd, 1 niet gestart, 1 klaar; verbinding verbroken: 0."
        in rows.text
    )
    states = dict(re.findall(r'data-candidate="([^"]+)">.*?<td class="state">([^<]+)', rows.text))
    assert {people[0]: "Ingeleverd", people[1]: "Gepauzeerd", people[2]: "Niet gestart"} == states


@pytest.mark.req("SCH-4", "SCH-5", "WEB-3")
async def test_a_lost_connection_and_late_saves_show_on_the_monitor_and_in_the_report(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, logins = planned(kit, 2)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    late_key = kit.sitting.sign_in(logins[0], code).key
    kit.sitting.submit(group, people[0], key=late_key)
    for sequence in (1, 2):
        with pytest.raises(InvalidState):
            kit.sitting.save_response(group, people[0], "q1", "A", sequence=sequence, key=late_key)
    kit.sitting.sign_in(logins[1], code)  # a contact at 08:50 (Amsterdam)
    clock(kit).advance(seconds=25)  # silent longer than 20 seconds
    await monitor_sign_in(client)
    rows = await client.get(f"/monitor/groups/{group}/rows")
    assert "klaar; verbinding verbroken: 1." in rows.text
    lost = re.search(
        rf'data-candidate="{people[1]}">.*?<td class="state">(.*?)</td>', rows.text, re.S
    )
    assert lost is not None
    assert 'Bezig<br><strong class="lost">verbinding verbroken sinds 08:50</strong>' == (
        lost.group(1)
    )
    late = re.findall(rf'data-candidate="{people[0]}">(.*?)</tr>', rows.text, re.S)
    assert ["2"] == re.findall(r"<td>(\d+)</td>(?=<td><a)", late[0])
    candidate = await client.get(f"/monitor/groups/{group}/candidates/{people[1]}")
    assert "verbinding verbroken sinds 08:50" in candidate.text
    report = await client.get(f"/monitor/groups/{group}/report")
    assert 2 == kit.session_reports.session_report("proctor", group).attendance[0].late_saves
    assert re.search(rf"{logins[0]}</th>(<td>[^<]*</td>){{5}}<td>2</td>", report.text)


@pytest.mark.req("SCH-3", "SCH-5", "WEB-3")
async def test_closing_needs_the_complete_report_and_ended_tests(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, logins = planned(kit)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    key = kit.sitting.sign_in(logins[0], code).key
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}"
    refused = await post(client, page, f"{page}/close")
    assert 409 == refused.status_code
    assert re.search(r'role="alert"[^>]*>[^<]*proces-verbaal', refused.text)
    assert GroupState.RELEASED == kit.planning.group(group).state
    report = f"{page}/report"
    written = await post(
        client,
        report,
        report,
        {
            "started": "09:02",
            "ended": "11:01",
            "notes": "Rustig verlopen.",
            "incident": "Kandidaat kwam te laat.",
            "incident_candidate": people[1],
            "completed": "yes",
        },
    )
    assert (303, f"{report}?saved=report") == (written.status_code, written.headers["location"])
    stored = kit.planning.group(group).report
    assert ("Rustig verlopen.", True) == (stored.notes, stored.completed)
    assert stored.started_at == START.replace(minute=2)
    assert [("Kandidaat kwam te laat.", people[1])] == [
        (i.text, i.candidate) for i in stored.incidents
    ]
    running = await post(client, page, f"{page}/close")
    assert 409 == running.status_code
    assert logins[0] in running.text
    kit.sitting.submit(group, people[0], key=key)
    closed = await post(client, page, f"{page}/close", {"reason": "klaar"})
    assert 303 == closed.status_code
    assert GroupState.CLOSED == kit.planning.group(group).state
    assert AttemptState.ABSENT == attempt_state(kit, group, people[1])
    pdf = await client.get(f"{report}.pdf")
    assert (200, "application/pdf") == (pdf.status_code, pdf.headers["content-type"])
    assert pdf.content.startswith(b"%PDF-")
    after = await client.get(report)
    assert "Proces-verbaal opstellen" not in after.text  # closed: the report is final


@pytest.mark.req("SCH-5", "DOC-3")
async def test_a_bad_time_in_the_report_is_refused_and_the_planner_remarks_after_closing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, _, _ = planned(kit, 1)
    kit.group_lifecycle.release("proctor", group)
    await monitor_sign_in(client)
    report = f"/monitor/groups/{group}/report"
    shown = await client.get(report)
    bad = await client.post(
        report,
        data={"started": "negen uur", "notes": "x", "form_token": token_for(shown.text, report)},
        headers={"Origin": ORIGIN},
    )
    assert 422 == bad.status_code
    assert "Schrijf een tijd als uu:mm" in bad.text
    assert "" == kit.planning.group(group).report.notes
    kit.session_reports.write_report("proctor", group, completed=True)
    kit.group_lifecycle.close("proctor", group)
    client.cookies.clear()
    enter_as(client, kit, "planner")
    remarked = await post(client, report, f"{report}/remarks", {"remark": "Gezien, akkoord."})
    assert 303 == remarked.status_code
    assert ["Gezien, akkoord."] == [r.text for r in kit.planning.group(group).report.remarks]
    assert "Gezien, akkoord." in (await client.get(report)).text


# -- the candidates' moves ---------------------------------------------------------------------


@pytest.mark.req("SCH-4", "WEB-3")
async def test_the_proctor_pauses_gives_extra_time_allows_reentry_ends_and_reopens(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, logins = planned(kit)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    kit.sitting.sign_in(logins[0], code)
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}/candidates/{people[0]}"
    deadline = kit.sitting.attempt(group, people[0]).deadline
    assert deadline is not None

    paused = await post(client, page, f"{page}/pause")
    assert (303, f"{page}?done=pause") == (paused.status_code, paused.headers["location"])
    assert AttemptState.PAUSED == attempt_state(kit, group, people[0])
    assert "De afname is gepauzeerd" in (await client.get(paused.headers["location"])).text
    await post(client, page, f"{page}/extra-time", {"minutes": "15", "reason": "pauze"})
    attempt = kit.sitting.attempt(group, people[0])
    assert deadline + timedelta(minutes=15) == attempt.deadline
    assert ("extra_time", "+15 pauze") == (attempt.log[-1].event, attempt.log[-1].reason)
    too_much = await post(client, page, f"{page}/extra-time", {"minutes": "500"})
    assert 422 == too_much.status_code
    assert "120" in too_much.text
    assert deadline + timedelta(minutes=15) == kit.sitting.attempt(group, people[0]).deadline
    await post(client, page, f"{page}/resume")
    await post(client, page, f"{page}/reentry")
    assert kit.sitting.attempt(group, people[0]).reentry_allowed
    no_reason = await post(client, page, f"{page}/end", {"reason": " "})
    assert 422 == no_reason.status_code
    await post(client, page, f"{page}/end", {"reason": "onwel"})
    attempt = kit.sitting.attempt(group, people[0])
    assert (AttemptState.TERMINATED, "onwel") == (attempt.state, attempt.end_reason)
    await post(client, page, f"{page}/reopen", {"minutes": "20"})
    attempt = kit.sitting.attempt(group, people[0])
    assert AttemptState.IN_PROGRESS == attempt.state
    assert attempt.deadline is not None
    assert attempt.deadline >= kit.clock.now() + timedelta(minutes=20)
    assert [
        "start",
        "pause",
        "extra_time",
        "resume",
        "allow_reentry",
        "terminate",
        "reactivate",
    ] == [e.event for e in attempt.log]


@pytest.mark.req("SCH-4")
async def test_a_move_the_state_does_not_allow_or_that_does_not_exist_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, _ = planned(kit)
    kit.group_lifecycle.release("proctor", group)
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}/candidates/{people[0]}"
    shown = await client.get(page)
    assert f"{page}/pause" not in shown.text  # not started: no pause offered
    token = token_for(shown.text, f"{page}/end")
    refused = await client.post(
        f"{page}/pause", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    assert 409 == refused.status_code  # the end form's token is not the pause form's
    unknown = await client.post(f"{page}/explode", data={}, headers={"Origin": ORIGIN})
    assert 404 == unknown.status_code
    assert AttemptState.REGISTERED == attempt_state(kit, group, people[0])


# -- cross-site posts and double submissions ----------------------------------------------------


@pytest.mark.req("WEB-2", "SCH-3")
async def test_a_cross_site_post_changes_nothing(client: httpx.AsyncClient, kit: Examkit) -> None:
    group, people, logins = planned(kit)
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}"
    refused = await post(client, page, f"{page}/release", origin="https://evil.example")
    assert 403 == refused.status_code
    assert GroupState.PLANNED == kit.planning.group(group).state
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    kit.session_reports.write_report("proctor", group, completed=True)
    refused = await post(client, page, f"{page}/close", origin="https://evil.example")
    assert 403 == refused.status_code
    assert GroupState.RELEASED == kit.planning.group(group).state
    kit.sitting.sign_in(logins[0], code)
    candidate = f"{page}/candidates/{people[0]}"
    refused = await post(client, candidate, f"{candidate}/pause", origin="https://evil.example")
    assert 403 == refused.status_code
    assert AttemptState.IN_PROGRESS == attempt_state(kit, group, people[0])


@pytest.mark.req("WEB-2", "SCH-3", "SCH-4")
async def test_a_second_submission_of_a_form_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group, people, logins = planned(kit)
    await monitor_sign_in(client)
    page = f"/monitor/groups/{group}"
    token = token_for((await client.get(page)).text, f"{page}/release")
    first = await client.post(
        f"{page}/release", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    second = await client.post(
        f"{page}/release", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    assert (303, 409) == (first.status_code, second.status_code)
    assert ["release"] == [r.event for r in kit.planning.group(group).log]
    code = kit.planning.group(group).access_code
    assert code is not None
    kit.sitting.sign_in(logins[0], code)
    candidate = f"{page}/candidates/{people[0]}"
    token = token_for((await client.get(candidate)).text, f"{candidate}/extra-time")
    sent = {"minutes": "10", "form_token": token}
    first = await client.post(f"{candidate}/extra-time", data=sent, headers={"Origin": ORIGIN})
    second = await client.post(f"{candidate}/extra-time", data=sent, headers={"Origin": ORIGIN})
    assert (303, 409) == (first.status_code, second.status_code)
    log = kit.sitting.attempt(group, people[0]).log
    assert 1 == sum(1 for event in log if event.event == "extra_time")


# -- the demo ----------------------------------------------------------------------------------


@pytest.mark.req("WEB-3", "SCH-4", "SCH-6")
async def test_the_demo_proctor_finds_a_released_group_on_the_monitor(tmp_path: Path) -> None:
    from portal._demo import DEMO_PASSWORD, demo_app

    demo = demo_app(tmp_path)
    transport = httpx.ASGITransport(app=demo.app)
    async with httpx.AsyncClient(transport=transport, base_url=demo.origin) as client:
        page = await client.get("/monitor/sign-in")
        signed = await client.post(
            "/monitor/sign-in",
            data={
                "login_name": "22AB.A.Afnameleider",
                "password": DEMO_PASSWORD,
                "form_token": token_for(page.text, "/monitor/sign-in"),
            },
            headers={"Origin": demo.origin},
        )
        assert (303, "/monitor") == (signed.status_code, signed.headers["location"])
        day = await client.get("/monitor")
        # the day's groups: the released one, and the correction part's groups sat earlier
        links = re.findall(r'href="/monitor/groups/([^"/]+)"', day.text)
        pages = {link: (await client.get(f"/monitor/groups/{link}")).text for link in links}
        (group,) = (link for link, text in pages.items() if "Vrijgegeven: kandidaten" in text)
        shown = pages[group]
        slips = await client.get(f"/monitor/groups/{group}/slips.pdf")
    assert "Vrijgegeven: kandidaten loggen in met de toegangscode." in shown
    assert (
        "3 kandidaten: 1 bezig, 0 gepauzeerd, 2 niet gestart, 0 klaar; verbinding verbroken: 0."
        in shown
    )
    assert slips.content.startswith(b"%PDF-")
