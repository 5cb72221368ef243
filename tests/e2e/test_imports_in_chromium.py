# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The EDEXML import and the class lists in Chromium (issue 22, point 4), axe-core at every state.

The administrator uploads the school's file (Playwright's
``set_input_files``), checks the preview, confirms, and finds the classes
and a class's pupils; in English, a broken file shows its problems by
line, and a cancelled preview is gone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser
from tests.school import ADMIN, L00

from examkit.accounts import LoginName
from examkit.imports import calendar_year
from examkit.testing import demo_edexml


def school_file(portal: Served, folder: Path, *, broken: bool = False) -> Path:
    """Write this year's demo EDEXML file (or a broken one) to *folder*; return its path."""
    data = demo_edexml(calendar_year(portal.kit.clock.now()))
    if broken:
        data = data.replace(
            b"<jaargroep>4</jaargroep></groep>", b"<jaargroep>99</jaargroep></groep>"
        )
    path = folder / ("kapot.xml" if broken else "leerlingen.xml")
    path.write_bytes(data)
    return path


def administer_pupils(portal: Served) -> None:
    """Make the school's administrator the pupil-monitoring system's too, at 22AB00."""
    kit = portal.kit
    with kit.backend.begin(readonly=True) as uow:
        operator = uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id
    kit.grants.grant_administrator(operator, ADMIN, at=[L00], role="cito_lvs.administrator")


@pytest.mark.req("EDX-2", "EDX-3", "EDX-6", "WEB-1")
def test_upload_check_confirm_and_see_the_classes_and_a_class(
    portal: Served, page: Page, tmp_path: Path
) -> None:
    administer_pupils(portal)
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Importeren")
    page.wait_for_url(portal.url("/imports"))
    assert_accessible(page)
    page.set_input_files("#file", school_file(portal, tmp_path))
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/imports/**"))
    assert "4 leerlingen" in page.content()
    assert_accessible(page)
    page.reload()  # safe: the preview is fetched again by its id
    assert "Controleer en bevestig" in page.content()
    page.click("text=Bevestigen")
    page.wait_for_url(portal.url("/imports/confirmed**"))
    assert "Import bevestigd" in page.content()
    assert_accessible(page)
    page.click("text=Bekijk de klassen")
    page.wait_for_url(portal.url("/classes**"))
    assert "Plusklas" in page.content()
    assert_accessible(page)
    page.click("text=4A")
    page.wait_for_url(portal.url("/classes/22AB00/G4A"))
    assert "Noor Bakker" in page.content()
    assert "Elif" not in page.content()
    assert_accessible(page)
    assert 4 == len(portal.kit.rosters.pupils(L00).items)


@pytest.mark.req("EDX-1", "EDX-6", "WEB-1")
def test_in_english_a_broken_file_shows_its_lines_and_a_cancelled_preview_is_gone(
    portal: Served, page: Page, tmp_path: Path
) -> None:
    administer_pupils(portal)
    sign_in_in_browser(page, portal)
    page.goto(portal.url("/imports?lang=en"))
    page.set_input_files("#file", school_file(portal, tmp_path, broken=True))
    page.click("main button[type=submit]")
    page.wait_for_selector("#problems")
    assert "kapot.xml" in page.content()
    assert "<td>14</td>" in page.content()
    assert_accessible(page)
    page.set_input_files("#file", school_file(portal, tmp_path))
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/imports/**"))
    preview = page.url
    assert "Check and confirm" in page.content()
    assert_accessible(page)
    page.click("text=Cancel the import")
    page.wait_for_url(portal.url("/imports?cancelled=1"))
    assert "The import was cancelled" in page.content()
    assert_accessible(page)
    page.goto(preview)
    assert "Nothing was changed by this request." in page.content()
    assert_accessible(page)
    assert () == portal.kit.rosters.school_years(L00)
