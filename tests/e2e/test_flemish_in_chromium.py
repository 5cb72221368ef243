# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The Flemish desk in Chromium (issue 23, point 6): from registration to the participation list.

The school's test coordinator makes the pupil groups, imports the school's
Flemish EDEXML file, registers one of its pupils (exempt from maths) and
then the rest of the file at once, validates and sees the missing reason
listed, gives it, validates again, and downloads the participation list's
PDF; a registration whose window has closed refuses a change and says until
when.
In English the desk's pages are walked again, and a test assistant fills in
a logbook that the coordinator's test report then shows. axe-core checks
every state.
The coordinator signs in through the pages once, choosing Vlaamse toetsen
on the sign-in page; elsewhere a web session is started directly.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import Served, assert_accessible, sign_in_in_browser

from examkit.accounts import Account, LoginName
from examkit.flemish import BRUSSELS, RegistrationWindow, TestMoment
from examkit.identifiers import Instellingsnummer
from examkit.imports import calendar_year
from examkit.passwords import change_password
from examkit.testing.conformance import make_flemish_institution

SCHOOL = Instellingsnummer("012345")
COORDINATOR = "BE.T.Peeters"
COORDINATOR_PASSWORD = "Toetsmoment-Lente-25"
FILE = Path(__file__).resolve().parents[1] / "fixtures" / "edexml" / "flemish-school-2.0.xml"
"""The Flemish EDEXML file made for the tests (school 45678, 2024-2025: renumbered here)."""


def dutch(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def flemish_school(portal: Served) -> tuple[str, str, date]:
    """The school with its coordinator, this year's open registration and last year's closed one.

    Returns this year's registration, last year's and the day the open window closes.
    """
    kit = portal.kit
    kit.institutions.register(make_flemish_institution(str(SCHOOL)))
    with kit.backend.begin(readonly=True) as uow:
        operator = uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id
    coordinator = Account(
        id="coord",
        login_name=LoginName(COORDINATOR),
        first_name="Tine",
        last_name="Peeters",
        email="tine@school.be",
        institutions=frozenset({SCHOOL}),
    )
    with kit.backend.begin() as uow:
        uow.accounts.add(
            change_password(
                coordinator,
                COORDINATOR_PASSWORD,
                policy=kit.password_policy,
                hasher=kit.hasher,
                now=kit.clock.now(),
            )
        )
        uow.commit()
    kit.grants.grant_administrator(
        operator, "coord", at=[SCHOOL], role="vlaamse_toetsen.test_coordinator"
    )
    now = kit.clock.now()
    today = now.astimezone(BRUSSELS).date()
    year = calendar_year(now)
    window = RegistrationWindow(today - timedelta(days=7), today + timedelta(days=30))
    current = kit.flemish.open_registration(
        "coord",
        school=SCHOOL,
        school_year=year,
        window=window,
        parents_deadline=today + timedelta(days=20),
        moments=[TestMoment("NED", "nederlands", today + timedelta(days=90))],
    )
    closed = kit.flemish.open_registration(
        "coord",
        school=SCHOOL,
        school_year=year.previous(),
        window=RegistrationWindow(today - timedelta(days=400), today - timedelta(days=340)),
        parents_deadline=today - timedelta(days=350),
    )
    return current.id, closed.id, window.closes


def school_file(portal: Served, folder: Path) -> Path:
    """Write the tests' Flemish EDEXML file as school 012345's file of this school year."""
    year = calendar_year(portal.kit.clock.now())
    data = FILE.read_bytes().replace(b"<instellingsnummer>45678<", b"<instellingsnummer>012345<")
    data = data.replace(b"<schooljaar>2024-2025<", f"<schooljaar>{year}<".encode())
    path = folder / "leerlingen.xml"
    path.write_bytes(data)
    return path


def enter_as(page: Page, portal: Served, account: str) -> None:
    """Give the browser a web session of *account* (cookie ``session``: plain http)."""
    token, _ = portal.kit.web_sessions.start(account)
    page.context.add_cookies([{"name": "session", "value": token, "url": portal.origin}])


def enter_as_coordinator(page: Page, portal: Served) -> None:
    """Give the browser a web session of the school's test coordinator."""
    enter_as(page, portal, "coord")


def assistant(portal: Served) -> str:
    """Return a test assistant of the school, appointed by the coordinator."""
    kit = portal.kit
    made = kit.users.add_user(
        "coord",
        application="vlaamse_toetsen",
        at=SCHOOL,
        login_name="BE.A.Assistent",
        first_name="An",
        last_name="Assistent",
        email="an@school.be",
        tell=False,
    ).id
    kit.grants.grant_role("coord", made, "vlaamse_toetsen.test_assistant", at=[SCHOOL])
    return made


@pytest.mark.req("SCH-9", "DOC-4", "EDX-2", "WEB-3", "WEB-4", "AUTH-3")
def test_from_registration_to_the_participation_list_in_dutch(
    portal: Served, page: Page, tmp_path: Path
) -> None:
    current, closed, closes = flemish_school(portal)
    sign_in_in_browser(page, portal, COORDINATOR, COORDINATOR_PASSWORD, system="vlaamse_toetsen")
    page.click("nav >> text=Vlaamse toetsen Schoolloket")
    page.wait_for_url(portal.url("/flemish"))
    assert_accessible(page)
    page.click(f"main th a >> text={current.split(':')[1]}")
    page.wait_for_selector("#group")
    assert f"tot en met {dutch(closes)}" in page.content()
    assert "is nog niets ingelezen" in page.content()
    assert_accessible(page)
    for group in ("6A", "4A", "4B"):
        page.fill("#group", group)
        page.click("text=Leerlingengroep aanmaken")
        page.wait_for_selector(f"text={group}: 0 leerlingen")
    page.fill("#group", "6A")
    page.click("text=Leerlingengroep aanmaken")  # taken: refused, shown with examkit's message
    page.wait_for_selector("[role=alert]")
    assert "bestaat al of heeft geen naam" in page.content()
    assert_accessible(page)
    page.click("text=Het EDEXML-bestand van de school inlezen")
    page.wait_for_selector("#file")
    assert_accessible(page)
    page.set_input_files("#file", school_file(portal, tmp_path))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector("text=Controleer en bevestig")
    assert "5 leerlingen, 3 klassen" in page.content()
    assert_accessible(page)
    page.click("main button >> text=Bevestigen")
    page.wait_for_selector("#file-pupils")
    assert_accessible(page)
    page.click("#file-pupils ~ table >> text=Lotte Peeters")
    page.wait_for_selector("#exempt_maths")
    assert "LL-0001" in page.content()
    assert_accessible(page)
    page.check("#exempt_maths")
    page.fill("#accommodations", "voorleessoftware")
    page.click("text=Leerling bewaren")
    page.wait_for_selector("text=1 geregistreerde leerling")
    page.click("text=De 4 leerlingen uit het bestand registreren")
    page.wait_for_selector("text=5 geregistreerde leerlingen")
    assert "Alle leerlingen uit het EDEXML-bestand van de school zijn geregistreerd." in (
        page.content()
    )
    page.click("text=Registratie valideren")
    page.wait_for_selector("#problems")
    assert "Geef de reden van de vrijstelling op." in page.content()
    assert_accessible(page)
    page.click("text=Leerling Lotte Peeters (LL-0001)")
    page.wait_for_selector("#exemption_reason")
    page.fill("#exemption_reason", "Anderstalige nieuwkomer")
    page.click("text=Leerling bewaren")
    page.wait_for_selector("text=5 geregistreerde leerlingen")
    page.click("text=Registratie valideren")
    page.wait_for_selector("text=Gevalideerd op")
    assert_accessible(page)
    assert portal.kit.flemish.registration("coord", current).is_locked
    page.click("text=De deelnamelijst met vrijstellingen en toegekende hulpmiddelen")
    page.wait_for_selector("text=Deelnamelijst")
    assert "Anderstalige nieuwkomer" in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("text=Download de deelnamelijst (pdf) voor de toetsassistenten")
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
    page.goto(portal.url(f"/flemish/{closed}"))
    assert "ze is nu niet open" in page.content()
    assert_accessible(page)
    page.fill("#group", "6B")
    page.click("text=Leerlingengroep aanmaken")
    page.wait_for_selector("[role=alert]")
    assert "nadien kan je niets meer wijzigen" in page.content()
    assert_accessible(page)
    assert () == portal.kit.flemish.registration("coord", closed).groups


@pytest.mark.req("SCH-9", "WEB-3", "WEB-4")
def test_the_desk_in_english(portal: Served, page: Page) -> None:
    current, _, _ = flemish_school(portal)
    enter_as_coordinator(page, portal)
    page.goto(portal.url("/flemish?lang=en"))
    assert "Registrations of your school" in page.content()
    assert_accessible(page)
    for path, words in [
        (f"/flemish/{current}", "Changes are possible from"),
        (f"/flemish/{current}/pupil", "Exempt from the Flemish test of Dutch"),
        (f"/flemish/{current}/list", "Not validated yet"),
        (f"/flemish/{current}/report/NED", "Pupil groups without a logbook yet"),
    ]:
        page.goto(portal.url(path))
        assert words in page.content()
        assert_accessible(page)
    page.goto(portal.url(f"/flemish/{current}"))
    page.fill("#group", "6A")
    page.click("text=Create the pupil group")
    page.wait_for_selector("text=6A: 0 pupils")
    page.click("text=Validate the registration")
    page.wait_for_selector("[role=alert]")
    assert "Pupil group '6A' has no pupils." in page.content()
    assert_accessible(page)
    enter_as(page, portal, assistant(portal))
    page.goto(portal.url("/flemish"))
    page.click(f"main th a >> text={current.split(':')[1]}")
    page.wait_for_selector("#notes")
    assert_accessible(page)
    page.fill("#notes", "Smooth, no incidents")
    page.click("text=Save the logbook")
    page.wait_for_selector("[role=status]")
    assert "NED, 6A: 0 pupils absent" in page.content()
    assert_accessible(page)
    enter_as(page, portal, "coord")
    page.goto(portal.url(f"/flemish/{current}/report/NED"))
    assert "6A: Smooth, no incidents" in page.content()
    assert_accessible(page)
