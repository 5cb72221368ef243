# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Planning in Chromium (issue 23, point 1), axe-core at every state, Dutch and English.

A planner plans a group from an imported class with one candidate's extra
time and read-aloud (too much extra time refused first), reads in a
candidate file whose bad line is shown (in English), and registers an
offline server (a bad address refused first) and activates it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import Served, assert_accessible
from tests.school import L00

from examkit.imports import calendar_year
from examkit.scheduling import AMSTERDAM, ServerState
from examkit.testing import demo_edexml, store_actor
from examkit.testing.sessions import EXAM

PLANNER = "planner"


def staffed(portal: Served) -> None:
    """Give 22AB00 a planner (its FAO administrator too), a proctor, a corrector, a test, pupils."""
    kit = portal.kit
    granted = kit.clock.now() - timedelta(days=1)
    store_actor(
        kit.backend,
        PLANNER,
        [("facet.planner", [L00]), ("facet.fao_administrator", [L00])],
        granted_at=granted,
    )
    store_actor(kit.backend, "proctor", [("facet.proctor", [L00])], granted_at=granted)
    store_actor(kit.backend, "corrector", [("facet.corrector", [L00])], granted_at=granted)
    store_actor(kit.backend, "citobeheer", [("cito_lvs.administrator", [L00])], granted_at=granted)
    kit.candidates.register_exam(EXAM)
    preview = kit.edexml_imports.preview("citobeheer", demo_edexml(calendar_year(kit.clock.now())))
    kit.edexml_imports.confirm("citobeheer", preview)


def enter_as_planner(page: Page, portal: Served) -> None:
    """Give the browser a web session of the planner (the sign-in is the sign-in's tests')."""
    token, _ = portal.kit.web_sessions.start(PLANNER)
    page.context.add_cookies([{"name": "session", "value": token, "url": portal.origin}])


@pytest.mark.req("SCH-1", "WEB-3")
def test_the_planner_plans_a_group_from_a_class_with_a_candidate_s_extra_time(
    portal: Served, page: Page
) -> None:
    staffed(portal)
    enter_as_planner(page, portal)
    page.goto(portal.url("/planning"))
    assert "Op deze dag zijn geen afnamegroepen gepland." in page.content()
    assert_accessible(page)
    page.click("text=Afnamegroep plannen")
    page.wait_for_url(portal.url("/planning/plan**"))
    assert_accessible(page)
    day = (portal.kit.clock.now().astimezone(AMSTERDAM) + timedelta(days=1)).date()
    page.fill("#date", day.isoformat())
    page.fill("#time", "09:00")
    page.fill("#room", "Lokaal 12")
    page.select_option("#first_corrector", "corrector")
    page.get_by_label("Klas 4A, 2 leerlingen").check()
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Stap 2 van 2" in page.content()
    assert_accessible(page)
    page.get_by_label("Extra tijd van Sem de Vries").fill("45")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "meer dan 30 minuten extra tijd" in page.content()
    assert_accessible(page)
    page.get_by_label("Extra tijd van Sem de Vries").fill("20")
    page.get_by_role("row", name="Sem de Vries").get_by_label("Voorlezen").check()
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/planning/groups/**"))
    assert "Gepland, nog niet vrijgegeven" in page.content()
    assert "Voorlezen" in page.content()
    assert_accessible(page)
    group_id = page.url.rsplit("/", 1)[1]
    group = portal.kit.planning.group(group_id)
    assert ("Lokaal 12", 2) == (group.room, len(group.candidates))
    extra = sorted(a.extra_time_minutes for a in portal.kit.planning.attempts(group_id))
    assert [0, 20] == extra
    page.click("text=De planning van")
    page.wait_for_url(portal.url("/planning?**"))
    assert "Gepland, nog niet vrijgegeven (1)" in page.content()
    assert_accessible(page)


@pytest.mark.req("SCH-1", "WEB-3")
def test_in_english_a_candidate_file_s_bad_line_is_shown_and_a_good_one_read_in(
    portal: Served, page: Page, tmp_path: Path
) -> None:
    staffed(portal)
    enter_as_planner(page, portal)
    page.goto(portal.url("/planning/candidates?lang=en"))
    assert "The location has no candidates yet." in page.content()
    assert_accessible(page)
    header = "achternaam;voornaam;examennummer;klas;extra_tijd;voorlezen\n"
    bad = tmp_path / "kandidaten.csv"
    bad.write_text(header + "de Jong;Lotte;1001;4A;15;ja\nVisser;;1002;4A;0;nee\n")
    page.set_input_files("#file", bad)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "The candidate file kandidaten.csv was not read in." in page.content()
    assert page.get_by_role("cell", name="voornaam").is_visible()
    assert_accessible(page)
    assert () == portal.kit.candidates.candidates(PLANNER, L00)
    bad.write_text(header + "de Jong;Lotte;1001;4A;15;ja\nVisser;Bram;1002;4A;0;nee\n")
    page.set_input_files("#file", bad)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/planning/candidates?**read=2"))
    assert "2 candidates added" in page.content()
    assert "Read aloud" in page.content()
    assert_accessible(page)
    assert 2 == len(portal.kit.candidates.candidates(PLANNER, L00))


@pytest.mark.req("SCH-8", "WEB-3")
def test_the_planner_registers_an_offline_server_and_activates_it(
    portal: Served, page: Page
) -> None:
    staffed(portal)
    enter_as_planner(page, portal)
    page.goto(portal.url("/planning/servers?lang=nl"))
    assert "Op deze vestiging is geen FAO geregistreerd." in page.content()
    assert_accessible(page)
    page.fill("#name", "FAO lokaal 12")
    page.fill("#address", "geen adres")
    with page.expect_navigation():
        page.get_by_role("button", name="Toevoegen").click()
    assert 'role="alert"' in page.content()
    assert_accessible(page)
    page.fill("#address", "192.168.1.20")
    page.get_by_role("button", name="Toevoegen").click()
    page.wait_for_url(portal.url("/planning/servers/**"))
    assert "Toegevoegd, nog niet actief" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.click("button:has-text('Activeren')")
    assert "Deactiveren" in page.content()
    assert_accessible(page)
    (server,) = portal.kit.offline_servers.servers(PLANNER, L00)
    assert ("FAO lokaal 12", ServerState.ACTIVE) == (server.name, server.state)
