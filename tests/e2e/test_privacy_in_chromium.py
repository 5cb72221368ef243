# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The administrator's privacy pages in real Chromium, axe-core at every state (issue 27, 7).

The school's administrator signs in, opens the audit log from the
navigation, filters it to one person by following a row's subject and to
an action, and reads it in English; then names a user on *Persoonsgegevens*,
downloads their export as JSON and PDF, corrects their phone number, and
finds the export in the audit log.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser
from tests.school import ADMIN, L00

if TYPE_CHECKING:
    from playwright.sync_api import Page


def add_planner(portal: Served) -> str:
    """Add Piet Planner at 22AB00, by the school's administrator; return his account id."""
    return portal.kit.users.add_user(
        ADMIN,
        application="facet",
        at=L00,
        login_name="22AB.P.Planner",
        first_name="Piet",
        last_name="Planner",
        email="piet@school.nl",
    ).id


@pytest.mark.req("PRIV-2", "WEB-1")
def test_an_administrator_reads_the_audit_log_of_their_location(portal: Served, page: Page) -> None:
    planner = add_planner(portal)
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Auditlog")
    page.wait_for_url(portal.url("/audit-log"))
    assert_accessible(page)
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 2
    assert "auth.sign_in" in page.content()

    page.click(f"main table >> text=account:{planner}")
    page.wait_for_url(re.compile(r".*/audit-log\?subject=account%3A.*"))
    assert_accessible(page)
    subjects = set(page.locator("main table tbody td:nth-child(4)").all_inner_texts())
    assert {f"account:{planner}"} == subjects
    assert f"account:{planner}" == page.locator("#subject").input_value()

    page.fill("#subject", "")
    page.fill("#action", "auth")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*action=auth.*"))
    assert_accessible(page)
    actions = set(page.locator("main table tbody td:nth-child(3)").all_inner_texts())
    assert actions
    assert all(action.startswith("auth.") for action in actions)

    page.fill("#from", "2999-01-01")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*from=2999-01-01.*"))
    assert "Er zijn geen gebeurtenissen die hieraan voldoen." in page.content()
    assert_accessible(page)

    page.goto(portal.url("/audit-log?lang=en"))
    assert "<h1>Audit log</h1>" in page.content()
    assert_accessible(page)


@pytest.mark.req("PRIV-2", "WEB-1")
def test_an_administrator_exports_and_corrects_a_user_s_data(portal: Served, page: Page) -> None:
    planner = add_planner(portal)
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Persoonsgegevens")
    page.wait_for_url(portal.url("/privacy"))
    assert_accessible(page)
    page.select_option("#kind", "account")
    page.fill("#id", planner)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/privacy/person\?kind=account.*"))
    assert_accessible(page)

    with page.expect_download() as json_download:
        page.click("text=Downloaden als JSON (machineleesbaar)")
    document = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert "piet@school.nl" in json.dumps(document)
    with page.expect_download() as pdf_download:
        page.click("text=Downloaden als PDF")
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")

    page.select_option("#field", "phone")
    page.fill("#value", "0612345678")
    page.click("main form[action='/privacy/person/correct'] button[type=submit]")
    page.wait_for_url(re.compile(r".*done=corrected.*"))
    assert "Het gegeven is verbeterd" in page.content()
    assert_accessible(page)
    with portal.kit.backend.begin(readonly=True) as uow:
        assert "0612345678" == uow.accounts.get(planner).phone

    page.click("text=Deze persoon in het auditlog")
    page.wait_for_url(re.compile(r".*/audit-log\?subject=account.*"))
    actions = set(page.locator("main table tbody td:nth-child(3)").all_inner_texts())
    assert {"privacy.exported", "roles.user.edited"} <= actions
    assert_accessible(page)
