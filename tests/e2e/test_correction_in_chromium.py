# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Correction to a grade in Debian's Chromium (issue 23, point 6; seed 002).

The planner releases a closed group; two correctors, each in a browser
context of their own, score every candidate on the scoring screen, agree on
one difference and escalate another; the planner refers it to a third
corrector, who decides; a corrector closes the correction; the planner sees
the grades, grants review, whose page shows the responses, and publishes
the results, which the quality officer's class overview then shows. axe-core
checks every page state, in Dutch and in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page
from tests.e2e.conftest import Served, assert_accessible, free_port
from tests.e2e.test_player_in_chromium import KEY_HEX, Server
from tests.portal.test_portal_correction import account, corrected, taken_group
from tests.school import add_school

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.correction import ItemState
from examkit.scheduling import GroupState
from examkit.testing import RecordingMailer, cheap_hasher
from examkit.testing.correction import DEFINITION, EXAM
from portal._test_content import CONTENTS


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


def score_everyone(page: Page, portal: Served, group: str, o2: tuple[str, ...]) -> None:
    """Open the group's work list, then score each candidate in turn (o1: 2, o2 as given)."""
    page.goto(portal.url("/correction"))
    assert_accessible(page)
    page.click(f"a[href='/correction/{group}']")
    page.wait_for_url(portal.url(f"/correction/{group}"))
    assert_accessible(page)
    page.locator("main table a").first.click()
    for n, points in enumerate(o2):
        page.wait_for_url("**/score/**")
        if n == 0:
            assert_accessible(page)
        page.fill("#score-o1", "2")
        page.fill("#score-o2", points)
        page.click("main button[type=submit]")
    page.wait_for_url(portal.url(f"/correction/{group}"))


@pytest.mark.req("SCO-3", "SCO-4", "SCO-5", "SCO-6", "DOC-5", "WEB-3")
def test_two_correctors_correct_a_group_to_its_grades_and_review_is_granted(
    portal: Served, browser: Browser
) -> None:
    kit = portal.kit
    world = taken_group(kit)
    staff, group, people = world.staff, world.group, world.people
    with signed_in_as(browser, portal, staff["planner"]) as planner:
        planner.goto(portal.url("/correction"))
        assert_accessible(planner)
        planner.click("text=Vrijgeven voor correctie")
        planner.wait_for_url(portal.url(f"/correction/{group}"))
        assert_accessible(planner)
        assert GroupState.RELEASED_FOR_CORRECTION is kit.planning.group(group).state
        with (
            signed_in_as(browser, portal, staff["first"]) as first,
            signed_in_as(browser, portal, staff["second"]) as second,
        ):
            score_everyone(first, portal, group, ("1", "2", "3"))
            score_everyone(second, portal, group, ("2", "2", "1"))
            first.reload()
            assert "Overeen te komen correcties" in first.content()
            assert_accessible(first)
            agree = first.locator("main form[action$='/agree']").first
            agree.locator("input[name=score]").fill("2")
            agree.locator("button").click()
            first.wait_for_url(portal.url(f"/correction/{group}"))
            second.reload()
            second.locator("main form[action$='/escalate'] button").first.click()
            second.wait_for_url(portal.url(f"/correction/{group}"))
            second.click("text=Correctie afsluiten")
            second.wait_for_load_state()
            assert 'role="alert"' in second.content()
            assert_accessible(second)
            planner.reload()
            planner.select_option("#third", staff["third"])
            planner.click("text=Geëscaleerde vragen toewijzen")
            planner.wait_for_url(portal.url(f"/correction/{group}"))
            with signed_in_as(browser, portal, staff["third"]) as third:
                third.goto(portal.url(f"/correction/{group}?lang=en"))
                assert_accessible(third)
                third.locator("main table a").first.click()
                third.wait_for_url("**/score/**")
                assert "score-o1" not in third.content()
                assert_accessible(third)
                third.fill("#score-o2", "2")
                third.click("main button[type=submit]")
                third.wait_for_url(portal.url(f"/correction/{group}"))
            decided = [kit.corrections.sheet(group, p).items["o2"].state for p in people]
            assert ItemState.DECIDED in decided
            second.goto(portal.url(f"/correction/{group}"))
            second.click("text=Correctie afsluiten")
            second.wait_for_url(portal.url(f"/correction/{group}"))
            assert "De correctie is afgesloten" in second.content()
            assert_accessible(second)
        assert GroupState.CORRECTION_CLOSED is kit.planning.group(group).state
        planner.goto(portal.url("/results"))
        assert_accessible(planner)
        planner.click(f"a[href='/results/{group}']")
        planner.wait_for_url(f"**/results/{group}")
        assert_accessible(planner)
        rows = kit.results.results(staff["planner"], group, DEFINITION, "1,0")
        for row in rows:
            assert str(row.grade).replace(".", ",") in planner.content()
        planner.locator("main form[action$='/review']").first.locator("button").click()
        planner.wait_for_url(f"**/results/{group}?nterm=1,0")
        assert_accessible(planner)
        planner.locator("main a[href^='/review/']").first.click()
        planner.wait_for_url("**/review/**")
        assert "Geschiedenis van de scores" in planner.content()
        assert_accessible(planner)
        planner.goto(planner.url + "&lang=en")
        assert "History of the scores" in planner.content()
        assert_accessible(planner)
        planner.goto(portal.url(f"/results/{group}?lang=nl"))
        planner.click("text=Resultaten publiceren")
        planner.wait_for_url(portal.url(f"/results/{group}"))
        assert "gepubliceerd met N-term 1,0" in planner.content()
        assert_accessible(planner)
    assert GroupState.RESULTS_PUBLISHED is kit.planning.group(group).state
    officer = account(kit, "kwaliteit", "cito_lvs.quality_officer")
    with signed_in_as(browser, portal, officer) as reader:
        reader.goto(portal.url("/reports"))
        assert "Klassenoverzicht" in reader.content()
        assert_accessible(reader)
        reader.goto(portal.url("/reports?lang=en"))
        assert "Class overview" in reader.content()
        assert_accessible(reader)


@pytest.mark.req("SCO-4", "WEB-3")
def test_a_portal_process_of_its_own_grades_from_the_test_package_it_ships(
    tmp_path: Path,
) -> None:
    """Nothing registered at run time: ``python -m portal serve`` started over the file grades.

    The group is corrected in this process; the portal's own process, started
    afterwards (as after a restart), reads the answer key from its packages.
    """
    database = tmp_path / "portal.db"
    backend = SQLBackend(f"sqlite:///{database}")
    port = free_port()
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=bytes.fromhex(KEY_HEX), base_url=f"http://127.0.0.1:{port}"),
        hasher=cheap_hasher("grades"),
    )
    server = Server(database, port)
    try:
        add_school(kit)
        world = taken_group(kit)
        group = corrected(kit, world)
        planner = world.staff["planner"]
        server.start()
        token, _ = kit.web_sessions.start(planner)
        shown = httpx.get(
            f"{server.origin}/results/{group}?lang=en", cookies={"session": token}, timeout=30
        )
        assert 200 == shown.status_code
        rows = kit.results.results(planner, group, CONTENTS[EXAM.code].definition, "1,0")
        assert 3 == len(rows)
        for row in rows:
            assert f"<td>{row.grade}</td>" in shown.text
    finally:
        server.kill()
        backend.close()
