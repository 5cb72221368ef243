# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A whole exam day in real Chromium, across the parts (issue 23, item 6).

The proctor signs in to the monitor (its own rule: no code) and releases a
planned group of three; the three candidates sign in at ``/test`` in three
browser contexts and answer; meanwhile the proctor's table follows without
a reload: each candidate busy, their answered counts rising, one handed in,
one whose network is cut shown as *connection lost since ...* and then back.
The proctor gives a candidate extra time; all hand in; the proctor
completes the session report and closes the group, whose report PDF is
served. Then the planner releases the group for correction, the first and
the second corrector each score the open item in a context of their own to
the same score, a corrector closes the correction, and the results page
shows each candidate's grade. axe-core checks every state of the monitor
and the player.

The portal here counts a connection as lost after three seconds without a
sign of the page (``PortalConfig.connection_lost_seconds``), so the cut
shows within the test's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from tests.e2e.conftest import Served, assert_accessible, free_port, serving
from tests.school import ADMIN, L00, add_school

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.passwords import PRESETS, change_password
from examkit.scheduling import AttemptState, Candidate, GroupState, Mode
from examkit.testing import RecordingMailer, cheap_hasher
from portal._test_content import DEMO, DEMO_EXAM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PROCTOR_PASSWORD = "Surveillant-Eigen-42"
LOST_AFTER = 3.0
"""Seconds without a sign of a page after which the portal counts its connection lost."""
ROLES = {
    "planner": "facet.planner",
    "proctor": "facet.proctor",
    "first": "facet.corrector",
    "second": "facet.corrector",
}
"""The group's staff: name -> role at 22AB00."""


@attrs.frozen
class Day:
    """The planned group of the day: its id, its three candidates and the staff's ids."""

    group: str
    people: tuple[Candidate, ...]
    staff: dict[str, str]
    proctor_login: str


@pytest.fixture
def day_portal(tmp_path: Path) -> Iterator[Served]:
    """The portal in uvicorn over a fresh SQLite file with the school, a short lost-connection
    time (for the portal and the kit alike, as ``python -m portal serve`` wires them)."""
    from portal import PortalConfig
    from portal._config import PATHS

    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    config = PortalConfig(
        base_url=origin,
        token_key=b"k" * 32,
        database="unused",
        secure_cookies=False,
        connection_lost_seconds=LOST_AFTER,
    )
    backend = SQLBackend(f"sqlite:///{tmp_path / 'day.db'}")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(
            token_key=b"k" * 32, base_url=origin, paths=PATHS, sitting=config.sitting
        ),
        hasher=cheap_hasher("day"),
    )
    add_school(kit)
    try:
        with serving(kit, config, port):
            yield Served(origin, kit)
    finally:
        backend.close()


def plan_the_day(kit: Examkit) -> Day:
    """Make the staff (the proctor with a password of their own) and plan the demo test now
    for Anna, Bram and Cas (not released: the proctor does that on the monitor)."""
    staff: dict[str, str] = {}
    for name, role in ROLES.items():
        made = kit.users.add_user(
            ADMIN,
            application="facet",
            at=L00,
            login_name=f"22AB.{name.capitalize()}.x",
            first_name="Kim",
            last_name=name.capitalize(),
            email=f"{name}@school.nl",
            tell=False,
        )
        kit.grants.grant_role(ADMIN, made.id, role, at=[L00])
        staff[name] = made.id
    with kit.backend.begin() as uow:
        proctor = uow.accounts.get(staff["proctor"])
        uow.accounts.update(
            change_password(
                proctor,
                PROCTOR_PASSWORD,
                policy=PRESETS["facet"],
                hasher=kit.hasher,
                now=kit.clock.now(),
            )
        )
        uow.commit()
    kit.candidates.register_exam(DEMO_EXAM)
    people = tuple(
        kit.candidates.add_candidate(
            staff["planner"], location=L00, first_name=name, last_name="Bos", class_key="G5B"
        )
        for name in ("Anna", "Bram", "Cas")
    )
    group = kit.planning.plan(
        staff["planner"],
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=kit.clock.now(),
        room="Lokaal 12",
        proctor=staff["proctor"],
        candidates=[person.id for person in people],
        first_corrector=staff["first"],
        second_corrector=staff["second"],
    ).id
    return Day(group, people, staff, "22AB.Proctor.x")


@contextmanager
def signed_in_as(browser: Browser, portal: Served, account: str) -> Iterator[Page]:
    """A page in a browser context of its own, holding a web session of *account*."""
    token, _ = portal.kit.web_sessions.start(account)
    context = browser.new_context()
    context.add_cookies([{"name": "session", "value": token, "url": portal.origin}])
    try:
        yield context.new_page()
    finally:
        context.close()


def cell(page: Page, candidate: Candidate, column: str) -> str:
    """A selector for *candidate*'s cell of the monitor's table (state, time left, answered)."""
    index = {"state": 2, "left": 3, "answered": 4}[column]
    return f'tr[data-candidate="{candidate.id}"] td:nth-of-type({index})'


def saved(page: Page) -> None:
    """Wait until the player says every answer is saved (and the connection is there)."""
    page.wait_for_function(
        "() => document.getElementById('save-status').textContent === 'Opgeslagen'"
        " && document.getElementById('connection').hidden",
        timeout=15000,
    )


def to_screen(page: Page, screen: int) -> None:
    """Go to screen *screen* of the player through its list of questions."""
    page.click(f'.item-nav a[data-goto="{screen}"]')
    page.wait_for_selector(f"#screen-{screen}:not([hidden])")


def hand_in(page: Page, portal: Served) -> None:
    """Hand the test in from the player's last screen."""
    to_screen(page, len(DEMO.items))
    page.click('#hand-in-form button[type="submit"]')
    page.wait_for_url(portal.url("/test/done"))
    assert "Je toets is ingeleverd." in page.inner_text("main")


@pytest.mark.req(
    "WEB-3", "WEB-4", "SCH-3", "SCH-4", "SCH-6", "SCO-1", "SCO-3", "SCO-4", "SCO-5", "DOC-3"
)
def test_an_exam_day_from_the_release_to_the_grades(day_portal: Served, browser: Browser) -> None:
    from playwright.sync_api import expect

    portal, kit = day_portal, day_portal.kit
    day = plan_the_day(kit)
    group, (anna, bram, cas) = day.group, day.people
    contexts = [browser.new_context() for _ in range(4)]
    try:
        monitor, *players = (context.new_page() for context in contexts)

        # The proctor signs in to the monitor and releases the group.
        monitor.goto(portal.url("/monitor/sign-in"))
        assert_accessible(monitor)
        monitor.fill("#login", day.proctor_login)
        monitor.fill("#password", PROCTOR_PASSWORD)
        monitor.click("main button[type=submit]")
        monitor.wait_for_url(portal.url("/monitor"))
        assert_accessible(monitor)
        monitor.click(f'a[href="/monitor/groups/{group}"]')
        monitor.wait_for_url(portal.url(f"/monitor/groups/{group}"))
        assert_accessible(monitor)
        monitor.click("text=Afnamegroep vrijgeven")
        monitor.wait_for_url(portal.url(f"/monitor/groups/{group}?done=release"))
        code = monitor.locator(".access-code").inner_text()
        assert kit.group_lifecycle.access_code(day.staff["proctor"], group) == code
        assert_accessible(monitor)
        monitor.evaluate("window.notReloaded = true")

        # The three sign in, each in a browser of their own; the table follows.
        for n, (player, person) in enumerate(zip(players, day.people, strict=True)):
            player.goto(portal.url("/test"))
            if n == 0:
                assert_accessible(player)
            player.fill("#login", person.login_name)
            player.fill("#code", code)
            player.click("main button[type=submit]")
            player.wait_for_url(portal.url("/test/player"))
            player.wait_for_selector("#player")
            expect(monitor.locator(cell(monitor, person, "state"))).to_have_text(
                "Bezig", timeout=6000
            )
        assert_accessible(players[0])
        expect(monitor.locator("#monitor-summary")).to_contain_text("3 bezig")
        assert_accessible(monitor)

        # They answer; each count rises on the monitor.
        page_anna, page_bram, page_cas = players
        for player in players:
            player.check("#answer-0-1")
        for player, person in zip(players, day.people, strict=True):
            saved(player)
            expect(monitor.locator(cell(monitor, person, "answered"))).to_have_text(
                "1", timeout=6000
            )
        for player in (page_anna, page_bram):
            to_screen(player, 2)
            player.fill("#answer-2", "Amsterdam")
            to_screen(player, 3)
            player.fill("#answer-3", "0,8")
            to_screen(player, 4)
            player.fill("#answer-4", "Beste gemeente, wij willen een speelplaats in de wijk.")
            player.keyboard.press("Tab")
            saved(player)
        assert_accessible(page_anna)
        expect(monitor.locator(cell(monitor, anna, "answered"))).to_have_text("4", timeout=6000)
        expect(monitor.locator(cell(monitor, bram, "answered"))).to_have_text("4", timeout=6000)
        assert_accessible(monitor)

        # Anna hands in: finished on the monitor.
        hand_in(page_anna, portal)
        assert_accessible(page_anna)
        expect(monitor.locator(cell(monitor, anna, "state"))).to_have_text(
            "Ingeleverd", timeout=6000
        )
        expect(monitor.locator("#monitor-summary")).to_contain_text("1 klaar")
        assert_accessible(monitor)

        # Cas's network is cut: the page says so, the monitor shows since when; then back.
        page_cas.context.set_offline(True)
        to_screen(page_cas, 2)
        page_cas.fill("#answer-2", "Leeuwarden")
        page_cas.keyboard.press("Tab")
        page_cas.wait_for_selector("#connection:not([hidden])")
        assert_accessible(page_cas)
        lost = monitor.locator(f'tr[data-candidate="{cas.id}"] .lost')
        expect(lost).to_have_text(
            re.compile(r"^verbinding verbroken sinds \d\d:\d\d$"), timeout=10000
        )
        expect(monitor.locator("#monitor-summary")).to_contain_text("verbinding verbroken: 1")
        assert_accessible(monitor)
        page_cas.context.set_offline(False)
        saved(page_cas)
        expect(lost).to_have_count(0, timeout=6000)
        expect(monitor.locator(cell(monitor, cas, "answered"))).to_have_text("2", timeout=6000)
        expect(monitor.locator("#monitor-summary")).to_contain_text("verbinding verbroken: 0")
        assert monitor.evaluate("window.notReloaded === true")

        # The proctor gives Bram ten minutes more.
        deadline = kit.sitting.attempt(group, bram.id).deadline
        assert deadline is not None
        monitor.click(f"#act-{bram.id}")
        monitor.wait_for_url(portal.url(f"/monitor/groups/{group}/candidates/{bram.id}"))
        assert_accessible(monitor)
        monitor.fill("#extra-minutes", "10")
        monitor.fill("#extra-reason", "dyslexie, vergeten in te plannen")
        monitor.click("text=Extra tijd geven")
        monitor.wait_for_url("**?done=extra-time")
        assert_accessible(monitor)
        extended = kit.sitting.attempt(group, bram.id)
        assert (AttemptState.IN_PROGRESS, deadline + timedelta(minutes=10)) == (
            extended.state,
            extended.deadline,
        )
        monitor.goto(portal.url(f"/monitor/groups/{group}"))
        more = re.compile(r"^1:0\d:\d\d$")  # an hour's test, ten minutes more
        expect(monitor.locator(cell(monitor, bram, "left"))).to_have_text(more)
        expect(page_bram.locator("#time-left")).to_have_text(more, timeout=6000)
        monitor.evaluate("window.notReloaded = true")

        # Bram and Cas hand in: every one finished, without a reload.
        hand_in(page_bram, portal)
        hand_in(page_cas, portal)
        expect(monitor.locator("#monitor-summary")).to_contain_text("3 klaar", timeout=6000)
        for person in day.people:
            assert "Ingeleverd" == monitor.inner_text(cell(monitor, person, "state"))
        assert monitor.evaluate("window.notReloaded === true")
        assert_accessible(monitor)

        # The session report, complete; the group closed; the report's PDF.
        monitor.goto(portal.url(f"/monitor/groups/{group}/report"))
        assert_accessible(monitor)
        monitor.fill("#started", "09:00")
        monitor.fill("#ended", "10:00")
        monitor.fill("#notes", "Rustig verlopen; bij Cas viel het netwerk even weg.")
        monitor.check("#completed")
        monitor.click("text=Proces-verbaal opslaan")
        monitor.wait_for_url("**/report?saved=report")
        assert_accessible(monitor)
        monitor.goto(portal.url(f"/monitor/groups/{group}"))
        monitor.click("text=Afnamegroep afsluiten")
        monitor.wait_for_url("**?done=close")
        assert_accessible(monitor)
        assert GroupState.CLOSED is kit.planning.group(group).state
        pdf = monitor.request.get(portal.url(f"/monitor/groups/{group}/report.pdf"))
        assert ("application/pdf", b"%PDF-") == (pdf.headers["content-type"], pdf.body()[:5])
    finally:
        for context in contexts:
            context.close()

    correct_to_the_grades(browser, portal, day)


def correct_to_the_grades(browser: Browser, portal: Served, day: Day) -> None:
    """The planner releases *day*'s closed group for correction; both correctors score the
    open item alike; the second closes the correction; the results show each grade."""
    kit, group, (anna, bram, cas) = portal.kit, day.group, day.people
    with signed_in_as(browser, portal, day.staff["planner"]) as planner:
        planner.goto(portal.url("/correction"))
        planner.click("text=Vrijgeven voor correctie")
        planner.wait_for_url(portal.url(f"/correction/{group}"))
        assert GroupState.RELEASED_FOR_CORRECTION is kit.planning.group(group).state
        scores = {anna.id: "3", bram.id: "2", cas.id: "0"}
        for corrector in ("first", "second"):
            with signed_in_as(browser, portal, day.staff[corrector]) as page:
                page.goto(portal.url(f"/correction/{group}"))
                page.locator("main table a").first.click()
                for _ in day.people:
                    page.wait_for_url("**/score/**")
                    page.fill("#score-v5", scores[page.url.rsplit("/", 1)[1]])
                    page.click("main button[type=submit]")
                page.wait_for_url(portal.url(f"/correction/{group}"))
                if corrector == "second":
                    page.click("text=Correctie afsluiten")
                    page.wait_for_url(portal.url(f"/correction/{group}"))
                    assert "De correctie is afgesloten" in page.content()
        assert GroupState.CORRECTION_CLOSED is kit.planning.group(group).state
        for person in day.people:
            sheet = kit.corrections.sheet(group, person.id)
            assert int(scores[person.id]) == sheet.items["v5"].final
        planner.goto(portal.url(f"/results/{group}"))
        rows = kit.results.results(day.staff["planner"], group, DEMO.definition, "1,0")
        # v1, v3, v4 right and 3 for v5; the same less one for v5; v1 right only
        assert {anna.id: 6, bram.id: 5, cas.id: 1} == {row.candidate: row.total for row in rows}
        shown = planner.inner_text("main table")
        for row in rows:
            assert re.search(rf"{row.name}.*{str(row.grade).replace('.', ',')}", shown), row
