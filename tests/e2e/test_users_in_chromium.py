# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""User administration and the permission matrix in real Chromium, axe-core at every state.

The school's administrator signs in, adds a user (Facet's e-mail with the
login name and an initial password is recorded), is refused a login name
that is taken, grants the new user a role at the location, deactivates
them; the matrix page in Dutch and English; an invited user activates the
account on the public invitation page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser
from tests.school import L00

from examkit.accounts import AccountStatus, LoginName

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.req("ROLE-2", "ROLE-3", "ROLE-5", "WEB-1", "NOTE-1")
def test_an_administrator_adds_a_user_grants_a_role_and_deactivates_them(
    portal: Served, page: Page
) -> None:
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Gebruikers")
    page.wait_for_url(portal.url("/users"))
    assert "Gebruikers van locatie 22AB00" in page.content()
    assert_accessible(page)

    page.click("text=Nieuwe gebruiker opvoeren")
    page.wait_for_url(re.compile(r".*/users/new.*"))
    assert_accessible(page)
    page.fill("#login_name", "22AB.K.Beheerder")
    page.fill("#first_name", "Dubbel")
    page.fill("#last_name", "Beheerder")
    page.fill("#email", "dubbel@school.nl")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    assert_accessible(page)

    page.fill("#login_name", "22AB.P.Planner")
    page.fill("#first_name", "Piet")
    page.fill("#last_name", "Planner")
    page.fill("#email", "piet@school.nl")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/users/[^/?]+\?location=22AB00&done=added.*"))
    assert "gestuurd naar piet@school.nl" in page.content()
    assert_accessible(page)
    message = portal.mailer.last("roles.credentials")
    assert ("piet@school.nl",) == message.to
    assert "22AB.P.Planner" in message.body

    page.click("text=Rol toekennen")
    page.wait_for_url(re.compile(r".*/grant.*"))
    assert_accessible(page)
    page.select_option("#role", "facet.planner")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("#place-22AB00").is_checked()
    assert_accessible(page)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*done=granted.*"))
    assert "Afnameplanner" in page.content()
    assert_accessible(page)

    page.click("main button:text('Deactiveren')")
    page.wait_for_url(re.compile(r".*done=deactivated.*"))
    assert "gedeactiveerd en overal uitgelogd" in page.content()
    assert_accessible(page)
    user = page.url.split("/users/")[1].split("?")[0]
    with portal.kit.backend.begin(readonly=True) as uow:
        assert AccountStatus.DEACTIVATED == uow.accounts.get(user).status

    page.goto(portal.url("/users?lang=en"))
    assert "Deactivated" in page.content()
    assert_accessible(page)


@pytest.mark.req("ROLE-5", "WEB-1")
def test_the_permission_matrix_page_in_both_languages(portal: Served, page: Page) -> None:
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Rechten")
    page.wait_for_url(portal.url("/permissions"))
    assert "Opvoeren nieuwe gebruiker(s)" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.click("text=English")
    assert "Add new users" in page.content()
    assert_accessible(page)


@pytest.mark.req("ROLE-3", "WEB-1")
def test_an_invited_user_activates_the_account_on_the_public_page(
    portal: Served, page: Page
) -> None:
    kit = portal.kit
    with kit.backend.begin(readonly=True) as uow:
        (desk,) = uow.authorizations.list(role="examkit.operator").items
    kit.grants.grant_administrator(desk.account, "admin", at=[L00], role="cito_lvs.administrator")
    kit.users.add_user(
        "admin",
        application="cito_lvs",
        at=L00,
        login_name="22AB.T.Docent",
        first_name="Tom",
        last_name="Docent",
        email="tom@school.nl",
        lang="en",
    )
    found = re.search(r"(/invitations/\S+)", portal.mailer.last("roles.invitation").body)
    assert found is not None
    page.goto(portal.url(found.group(1)))
    assert_accessible(page)
    page.fill("#new_password", "kort")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    assert_accessible(page)
    page.fill("#new_password", "Kastanje-Zonnebloem-77")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*\?done=1$"))
    assert "Uw account is geactiveerd" in page.content()
    assert_accessible(page)
    with kit.backend.begin(readonly=True) as uow:
        invited = uow.accounts.get_by_login_name(LoginName("22AB.T.Docent"))
    assert invited.password is not None
    assert kit.hasher.verify("Kastanje-Zonnebloem-77", invited.password.hash)
