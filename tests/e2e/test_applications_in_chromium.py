# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The account application and the service desk in Debian's Chromium (issue 22, point 4).

An applicant walks the four steps (one step refused at its field first),
sends the application and downloads its PDF form; the service desk signs
in, opens the queue and approves it. axe-core checks every page state, in
Dutch and, for the desk's result, in English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser

from examkit.accounts import LoginName
from examkit.applications import ApplicationStatus
from examkit.identifiers import Brin
from examkit.passwords import PRESETS, change_password
from examkit.testing import cheap_hasher

DESK_LOGIN, DESK_PASSWORD = "examkit.servicedesk", "Zeedijk-Wadloper-48"


def give_the_desk_a_password(portal: Served) -> str:
    """Give the first operator (made by the school's set-up) a password of its own."""
    kit = portal.kit
    with kit.backend.begin() as uow:
        desk = uow.accounts.get_by_login_name(LoginName(DESK_LOGIN))
        chosen = change_password(
            desk,
            DESK_PASSWORD,
            policy=PRESETS["facet"],
            hasher=cheap_hasher("set"),
            now=kit.clock.now(),
        )
        uow.accounts.update(chosen)
        uow.commit()
    return desk.id


def fill(page: Page, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.fill(f"#f-{field}", value)


def next_step(page: Page, portal: Served, segment: str) -> None:
    page.click("main button[value=next]")
    page.wait_for_url(portal.url(f"/apply/{segment}"))


@pytest.mark.req("ACC-1", "ACC-2", "ACC-3", "ACC-5", "ACC-6", "WEB-1", "WEB-2")
def test_a_school_applies_and_the_desk_approves(portal: Served, page: Page, tmp_path: Path) -> None:
    page.goto(portal.url("/sign-in"))
    page.click("text=Schoolaccount aanvragen")
    page.wait_for_url(portal.url("/apply/school"))
    assert_accessible(page)
    fill(
        page,
        {
            "location_code": "22CD 00",
            "school_name": "De Wadden",
            "street": "Dijk",
            "house_number": "1",
            "postcode": "8835 BA",
            "town": "Tzummarum",
            "secondary_locations-0-location_code": "22CD 01",
        },
    )
    next_step(page, portal, "administrator")
    assert_accessible(page)
    fill(
        page,
        {
            "first_name": "Anna",
            "last_name": "Visser",
            "phone_number": "06-12345678",
            "email_address": "anna@gmail.com",
            "login_name": "22CD.A.Visser",
        },
    )
    page.click("main button[value=next]")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "privé-e-mailadres" in alert.inner_text()
    assert "true" == page.get_attribute("#f-email_address", "aria-invalid")
    assert "Anna" == page.input_value("#f-first_name")  # what was typed stays
    assert_accessible(page)
    page.fill("#f-email_address", "a.visser@dewadden.nl")
    next_step(page, portal, "authority")
    fill(
        page,
        {
            "initials": "P.",
            "last_name": "de Boer",
            "job_title": "Directeur",
            "email_address": "p.deboer@dewadden.nl",
        },
    )
    page.click("main button[value=back]")  # Previous keeps both steps
    page.wait_for_url(portal.url("/apply/administrator"))
    assert "a.visser@dewadden.nl" == page.input_value("#f-email_address")
    next_step(page, portal, "authority")
    assert "de Boer" == page.input_value("#f-last_name")
    next_step(page, portal, "review")
    assert "22CD.A.Visser" in page.inner_text("main")
    assert_accessible(page)
    page.click("main button[value=send]")
    page.wait_for_url(portal.url("/apply/sent/**"))
    assert "Aanvraag verzonden" in page.inner_text("h1")
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("text=PDF downloaden")
    saved = tmp_path / "form.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # the service desk
    desk = give_the_desk_a_password(portal)
    page.context.clear_cookies()
    sign_in_in_browser(page, portal, DESK_LOGIN, DESK_PASSWORD)
    page.click("nav >> text=Accountaanvragen")
    page.wait_for_url(portal.url("/desk/applications"))
    assert "De Wadden" in page.inner_text("main table")
    assert_accessible(page)
    page.click("main table >> text=De Wadden")
    page.wait_for_url(portal.url("/desk/applications/*"))
    assert_accessible(page)
    page.click("main button:has-text('Goedkeuren')")
    page.wait_for_selector("text=Goedgekeurd op")
    assert "22CD00, 22CD01" in page.inner_text("main")
    assert_accessible(page)
    page.goto(page.url + "?lang=en")
    assert "Approved on" in page.inner_text("main")
    assert_accessible(page)
    application = portal.kit.applications.get(desk, page.url.split("/")[-1].split("?")[0])
    assert ApplicationStatus.APPROVED == application.status
    assert "De Wadden" == portal.kit.institutions.get(Brin("22CD")).name
    assert {"roles.credentials", "applications.confirmation"} <= {
        message.kind for message in portal.mailer.outbox
    }
