# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The rest of sign-in and the profile in Chromium (issue 22, point 4), axe-core at every state.

The forgotten password through the mailed link to a new sign-in; the
profile's password change; the e-mail address changed with the link mailed
to the new address; the proctor monitor's sign-in. Dutch, and English once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser
from tests.school import ADMIN, ADMIN_LOGIN, ADMIN_PASSWORD, L00

from examkit.passwords import change_password

NEW_PASSWORD = "Vlinder-Zomeravond-48"


def mailed_link(portal: Served, kind: str) -> str:
    """Return the link with a token in the newest e-mail of *kind*."""
    found = re.search(r"(http://\S+\?token=[\w-]+)", portal.mailer.last(kind).body)
    assert found is not None
    return found.group(1)


@pytest.mark.req("AUTH-8", "WEB-1")
def test_a_forgotten_password_is_reset_through_the_mailed_link(portal: Served, page: Page) -> None:
    page.goto(portal.url("/sign-in"))
    page.click("text=Wachtwoord vergeten?")
    page.wait_for_url(portal.url("/sign-in/forgotten"))
    assert_accessible(page)
    page.fill("#name", ADMIN_LOGIN)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/sign-in/forgotten/sent"))
    assert "Als de gebruikersnaam bekend is" in page.content()
    assert_accessible(page)
    page.goto(mailed_link(portal, "auth.reset"))
    assert "het moet bestaan uit minimaal 8 tekens" in page.content()
    assert_accessible(page)
    page.fill("#new", "kort")
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert_accessible(page)
    page.fill("#new", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/sign-in/reset/done"))
    assert_accessible(page)
    page.goto(mailed_link(portal, "auth.reset"))  # the used link: a page that says so
    assert "Deze link werkt niet meer" in page.content()
    assert_accessible(page)
    sign_in_in_browser(page, portal, password=NEW_PASSWORD)
    assert "Welkom, Karin Beheerder" in page.content()


@pytest.mark.req("AUTH-10", "AUTH-1", "WEB-1")
def test_the_profile_changes_the_password_and_the_e_mail_address(
    portal: Served, page: Page
) -> None:
    sign_in_in_browser(page, portal)
    page.click("nav >> text=Mijn profiel")
    page.wait_for_url(portal.url("/profile"))
    assert_accessible(page)
    page.goto(portal.url("/profile/password?lang=en"))
    assert_accessible(page)
    page.fill("#old", "Not-the-old-one-1")
    page.fill("#new", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "The current password is not correct." in page.content()
    assert_accessible(page)
    page.fill("#old", ADMIN_PASSWORD)
    page.fill("#new", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/profile/password/changed"))
    assert "Your password is changed" in page.content()
    assert_accessible(page)
    # The e-mail address, in Dutch: the new address and the password, then the mailed link.
    page.goto(portal.url("/profile/email?lang=nl"))
    assert_accessible(page)
    page.fill("#email", "karin@nieuw.nl")
    page.fill("#password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/profile/email/sent"))
    assert_accessible(page)
    page.goto(mailed_link(portal, "auth.email_confirm"))
    assert_accessible(page)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/profile/email/confirmed"))
    assert_accessible(page)
    with portal.kit.backend.begin(readonly=True) as uow:
        assert "karin@nieuw.nl" == uow.accounts.get(ADMIN).email


@pytest.mark.req("AUTH-9")
def test_the_proctor_signs_in_to_the_monitor_and_the_administrator_does_not(
    portal: Served, page: Page
) -> None:
    kit = portal.kit
    proctor = kit.users.add_user(
        ADMIN,
        application="facet",
        at=L00,
        login_name="22AB.A.Afnameleider",
        first_name="Anna",
        last_name="Afnameleider",
        email="anna@school.nl",
    )
    kit.grants.grant_role(ADMIN, proctor.id, "facet.proctor", at=[L00])
    with kit.backend.begin() as uow:
        chosen = change_password(
            uow.accounts.get(proctor.id),
            NEW_PASSWORD,
            policy=kit.password_policy,
            hasher=kit.hasher,
            now=kit.clock.now(),
        )
        uow.accounts.update(chosen)
        uow.commit()
    page.goto(portal.url("/monitor/sign-in?lang=en"))
    assert_accessible(page)
    page.fill("#login", "22AB.A.Afnameleider")
    page.fill("#password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=You have no session groups to monitor today.")
    assert_accessible(page)
    page.goto(portal.url("/monitor/sign-in?lang=nl"))
    assert_accessible(page)
    page.fill("#login", ADMIN_LOGIN)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "U heeft geen toegang tot afnamemonitor." in page.content()
    assert_accessible(page)
