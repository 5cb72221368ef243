# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The Flemish tests' school desk over HTTP (issue 23, point 5; seed 003).

The test coordinator registers pupils (exemptions, voluntary participation,
no questionnaire, own accommodations) and pupil groups inside the
registration window; outside it every change is refused with the day it
closed, and nothing changes. Validation lists every problem at its pupil or
group, or locks the registration; the participation list (and its PDF) and
the test report follow. Only the school's coordinator reaches a
registration: another school's is refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as
from tests.school import ADMIN

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.errors import ExamkitErrorGroup
from examkit.flemish import (
    FlemishRegistration,
    Logbook,
    PupilRegistration,
    RegistrationWindow,
    TestMoment,
)
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.testing import ManualClock
from examkit.testing.conformance import make_flemish_institution
from portal._demo import demo_app

VIEW = ("allowed", ("vlaamse_toetsen.test_moments.view",))
PUPILS = ("allowed", ("vlaamse_toetsen.exemptions.set",))
LIST = ("allowed", ("vlaamse_toetsen.participation_list.download",))
IMPORT = ("allowed", ("vlaamse_toetsen.pupils.import",))
LOGBOOK = ("allowed", ("vlaamse_toetsen.logbook.fill_in",))

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/flemish"): (
        "allowed",
        ("vlaamse_toetsen.test_moments.view", "vlaamse_toetsen.logbook.fill_in"),
    ),
    ("GET", "/flemish/{registration}"): VIEW,
    ("POST", "/flemish/{registration}/groups"): (
        "allowed",
        ("vlaamse_toetsen.pupil_groups.create",),
    ),
    ("GET", "/flemish/{registration}/pupil"): PUPILS,
    ("POST", "/flemish/{registration}/pupils/file"): PUPILS,
    ("POST", "/flemish/{registration}/pupil"): PUPILS,
    ("GET", "/flemish/{registration}/pupil/{pupil}"): PUPILS,
    ("POST", "/flemish/{registration}/validate"): (
        "allowed",
        ("vlaamse_toetsen.registration.validate",),
    ),
    ("GET", "/flemish/{registration}/list"): LIST,
    ("GET", "/flemish/{registration}/list.pdf"): LIST,
    ("GET", "/flemish/{registration}/report/{moment}"): (
        "allowed",
        ("vlaamse_toetsen.test_report.fill_in",),
    ),
    ("GET", "/flemish/{registration}/import"): IMPORT,
    ("POST", "/flemish/{registration}/import"): IMPORT,
    ("GET", "/flemish/{registration}/import/{preview}"): IMPORT,
    ("POST", "/flemish/{registration}/import/{preview}/confirm"): IMPORT,
    ("POST", "/flemish/{registration}/import/{preview}/cancel"): IMPORT,
    ("GET", "/flemish/{registration}/logbook"): LOGBOOK,
    ("POST", "/flemish/{registration}/logbook"): LOGBOOK,
}

SCHOOL = Instellingsnummer("012345")
OTHER = Instellingsnummer("054321")
REG = "012345:2026-2027"
DESK = f"/flemish/{REG}"
PAGES = (
    "/flemish",
    DESK,
    f"{DESK}/pupil",
    f"{DESK}/pupil/LL01",
    f"{DESK}/list",
    f"{DESK}/list.pdf",
    f"{DESK}/report/NED",
    f"{DESK}/import",
    f"{DESK}/logbook",
)
# Each role and what it gets on each page, by hand (not read from the permission matrix).
ROLES = {
    "vlaamse_toetsen.test_coordinator": (200, 200, 200, 200, 200, 200, 200, 200, 403),
    "vlaamse_toetsen.test_coordinator of another school": (
        200,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
    ),
    "vlaamse_toetsen.test_assistant": (200, 403, 403, 403, 403, 403, 403, 403, 200),
    "facet.administrator": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "examkit.operator": (403, 403, 403, 403, 403, 403, 403, 403, 403),
}
# The kit's clock stands at 2026-09-01 10:00 in Amsterdam (and Brussels): inside the window.
WINDOW = RegistrationWindow(date(2026, 8, 25), date(2026, 9, 30))
PARENTS = date(2026, 9, 20)
FILE = Path(__file__).resolve().parents[1] / "fixtures" / "edexml" / "flemish-school-2.0.xml"
"""The Flemish EDEXML file made for the tests (school 45678, 2024-2025: renumbered below)."""
CLOSED_MESSAGE = "Wijzigen kon tot en met 30-09-2026; nadien kan je niets meer wijzigen."

pytestmark = pytest.mark.anyio


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id


def coordinator(kit: Examkit, account_id: str, school: Instellingsnummer) -> str:
    """Store *account_id* as *school*'s test coordinator, granted by the service desk."""
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=account_id,
                login_name=LoginName(f"BE.{account_id.title()}"),
                first_name="Tine",
                last_name=account_id.title(),
                email=f"{account_id}@school.be",
                institutions=frozenset({school}),
            )
        )
        uow.commit()
    kit.grants.grant_administrator(
        operator_of(kit), account_id, at=[school], role="vlaamse_toetsen.test_coordinator"
    )
    return account_id


@pytest.fixture
def desk(kit: Examkit) -> Examkit:
    """The Flemish school 012345 with its coordinator ``coord`` and this year's registration."""
    kit.institutions.register(make_flemish_institution(str(SCHOOL)))
    coordinator(kit, "coord", SCHOOL)
    kit.flemish.open_registration(
        "coord",
        school=SCHOOL,
        school_year=SchoolYear("2026-2027"),
        window=WINDOW,
        parents_deadline=PARENTS,
        moments=[
            TestMoment("NED", "nederlands", date(2027, 5, 18)),
            TestMoment("WIS", "wiskunde", date(2027, 5, 20)),
        ],
    )
    kit.flemish.add_group("coord", REG, "6A")
    kit.flemish.set_pupil("coord", REG, PupilRegistration("LL01", "Lotte Peeters", group="6A"))
    return kit


def stored(kit: Examkit) -> FlemishRegistration:
    return kit.flemish.registration("coord", REG)


def user_with(kit: Examkit, role: str) -> str:
    """Return an account holding *role* (made through the use cases)."""
    if role == "vlaamse_toetsen.test_coordinator":
        return "coord"
    if role == "facet.administrator":
        return ADMIN
    if role == "examkit.operator":
        return operator_of(kit)
    if role.endswith("another school"):
        kit.institutions.register(make_flemish_institution(str(OTHER)))
        return coordinator(kit, "elsewhere", OTHER)
    assistant = kit.users.add_user(
        "coord",
        application="vlaamse_toetsen",
        at=SCHOOL,
        login_name="BE.Assistent",
        first_name="An",
        last_name="Assistent",
        email="an@school.be",
        tell=False,
    ).id
    kit.grants.grant_role("coord", assistant, "vlaamse_toetsen.test_assistant", at=[SCHOOL])
    return assistant


def token_for(html: str, action: str) -> str:
    """Return the one-time token of the form posting to *action* in *html*."""
    found = re.search(
        rf'<form method="post" action="{re.escape(action)}"[^>]*><input type="hidden" '
        r'name="form_token" value="([^"]+)"',
        html,
    )
    assert found is not None, html[:800]
    return found.group(1)


async def post(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """Open *page*, then post its form to *action* with *data* and that form's token."""
    shown = await client.get(page)
    token = token_for(shown.text, action)
    return await client.post(
        action,
        data={**(data or {}), "form_token": token},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


@pytest.mark.req("SCH-9", "ROLE-6", "WEB-3")
@pytest.mark.parametrize("role", sorted(ROLES))
async def test_each_role_reaches_the_desk_pages_it_is_allowed(
    client: httpx.AsyncClient, desk: Examkit, role: str
) -> None:
    enter_as(client, desk, user_with(desk, role))
    got = tuple([(await client.get(page)).status_code for page in PAGES])
    assert ROLES[role] == got


@pytest.mark.req("WEB-3")
async def test_signed_out_the_desk_sends_to_the_sign_in(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    for page in PAGES:
        answer = await client.get(page, follow_redirects=False)
        assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("SCH-9", "WEB-3")
async def test_every_page_in_dutch_and_in_english(client: httpx.AsyncClient, desk: Examkit) -> None:
    enter_as(client, desk, "coord")
    words = {
        "/flemish": ("De registraties van je school", "Registrations of your school"),
        DESK: (
            "Informatie invoeren of aanpassen kan vanaf 25-08-2026 tot en met 30-09-2026.",
            "Changes are possible from 25-08-2026 up to and including 30-09-2026.",
        ),
        f"{DESK}/pupil": (
            "Vrijstelling voor de Vlaamse toets Nederlands",
            "Exempt from the Flemish test of Dutch",
        ),
        f"{DESK}/pupil/LL01": ("Leerling Lotte Peeters", "Pupil Lotte Peeters"),
        f"{DESK}/list": ("Deelnamelijst 2026-2027", "Participation list 2026-2027"),
        f"{DESK}/report/NED": ("Toetsverslag NED", "Test report NED"),
        f"{DESK}/import": ("Het rijksregisternummer", "The national register number"),
    }
    for page, (dutch, english) in words.items():
        nl = await client.get(page)
        en = await client.get(f"{page}?lang=en")
        assert (200, 200) == (nl.status_code, en.status_code), page
        assert dutch in nl.text, page
        assert english in en.text, page
        assert 'lang="en"' in en.text
        await client.get(f"{page}?lang=nl")


@pytest.mark.req("SCH-9", "WEB-3")
async def test_a_pupil_is_stored_with_exemption_participation_questionnaire_and_aids(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    answer = await post(
        client,
        f"{DESK}/pupil",
        f"{DESK}/pupil",
        {
            "pupil": "LL02",
            "name": "Arne Maes",
            "group": "6A",
            "exempt_maths": "yes",
            "exemption_reason": "Anderstalige nieuwkomer",
            "no_questionnaire": "yes",
            "questionnaire_requested_on": "2026-09-14",
            "accommodations": "voorleessoftware, rekenmachine",
        },
    )
    assert (303, f"{DESK}#pupils") == (answer.status_code, answer.headers["location"])
    assert (
        PupilRegistration(
            "LL02",
            "Arne Maes",
            exempt_maths=True,
            exemption_reason="Anderstalige nieuwkomer",
            no_questionnaire=True,
            questionnaire_requested_on=date(2026, 9, 14),
            accommodations=("voorleessoftware", "rekenmachine"),
            group="6A",
        )
        == stored(desk).pupils[1]
    )
    edited = await post(
        client,
        f"{DESK}/pupil/LL01",
        f"{DESK}/pupil",
        {"existing": "yes", "pupil": "LL01", "name": "Lotte Peeters", "voluntary": "yes"},
    )
    assert 303 == edited.status_code
    assert PupilRegistration("LL01", "Lotte Peeters", voluntary=True) == stored(desk).pupils[0]
    page = (await client.get(DESK)).text
    assert "voorleessoftware, rekenmachine" in page
    assert "2 geregistreerde leerlingen" in page


@pytest.mark.req("SCH-9", "WEB-3")
async def test_a_bad_pupil_is_shown_again_with_examkits_message_and_nothing_stored(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    before = stored(desk)
    nameless = await post(client, f"{DESK}/pupil", f"{DESK}/pupil", {"pupil": "LL09"})
    assert 422 == nameless.status_code
    assert 'role="alert"' in nameless.text
    assert 'value="LL09"' in nameless.text
    undated = await post(
        client,
        f"{DESK}/pupil?lang=en",
        f"{DESK}/pupil",
        {"pupil": "LL09", "name": "Nina", "questionnaire_requested_on": "30-02-2026"},
    )
    assert 422 == undated.status_code
    assert "&#39;30-02-2026&#39; is not a date" in undated.text
    assert before == stored(desk)


@pytest.mark.req("SCH-9", "WEB-3")
async def test_groups_are_made_and_a_taken_name_is_refused(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    made = await post(client, DESK, f"{DESK}/groups", {"group": "6B"})
    assert (303, f"{DESK}#groups") == (made.status_code, made.headers["location"])
    assert ("6A", "6B") == stored(desk).groups
    taken = await post(client, DESK, f"{DESK}/groups", {"group": "6A"})
    assert 422 == taken.status_code
    assert "Leerlingengroep &#39;6A&#39; bestaat al of heeft geen naam." in taken.text
    assert ("6A", "6B") == stored(desk).groups


@pytest.mark.req("SCH-9", "WEB-3")
@pytest.mark.parametrize(
    ("now", "message"),
    [
        ("2026-10-01T00:00:00+02:00", CLOSED_MESSAGE),
        ("2026-08-24T23:00:00+02:00", "Wijzigen kan pas vanaf 25-08-2026 tot en met 30-09-2026."),
    ],
)
async def test_outside_the_window_every_change_is_refused_with_when(
    client: httpx.AsyncClient, desk: Examkit, now: str, message: str
) -> None:
    assert isinstance(desk.clock, ManualClock)
    desk.clock.set(datetime.fromisoformat(now))
    enter_as(client, desk, "coord")
    before = stored(desk)
    page = (await client.get(DESK)).text
    assert "ze is nu niet open, dus je kan niets wijzigen" in page
    for action, data in [
        (f"{DESK}/groups", {"group": "6B"}),
        (f"{DESK}/pupil", {"pupil": "LL02", "name": "Arne Maes", "group": "6A"}),
        (f"{DESK}/validate", {}),
    ]:
        source = f"{DESK}/pupil" if action.endswith("pupil") else DESK
        answer = await post(client, source, action, data)
        assert 409 == answer.status_code, action
        assert message in answer.text
        assert 'role="alert"' in answer.text
    assert before == stored(desk)
    assert not stored(desk).is_locked


@pytest.mark.req("SCH-9", "WEB-3")
async def test_validation_lists_every_problem_then_locks(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    desk.flemish.add_group("coord", REG, "6B")
    desk.flemish.set_pupil(
        "coord", REG, PupilRegistration("LL02", "Arne Maes", exempt_dutch=True, group="6A")
    )
    refused = await post(client, DESK, f"{DESK}/validate")
    assert 422 == refused.status_code
    text = refused.text
    assert "De registratie heeft 2 onvolkomenheid/-heden" in text
    assert f'<a href="{DESK}/pupil/LL02">Leerling Arne Maes (LL02)</a>: Geef de reden' in text
    assert '<a href="#groups">Leerlingengroep 6B</a>: Leerlingengroep &#39;6B&#39; heeft' in text
    assert not stored(desk).is_locked
    desk.flemish.set_pupil(
        "coord",
        REG,
        PupilRegistration(
            "LL02", "Arne Maes", exempt_dutch=True, exemption_reason="OKAN", group="6B"
        ),
    )
    done = await post(client, DESK, f"{DESK}/validate")
    assert (303, DESK) == (done.status_code, done.headers["location"])
    assert stored(desk).is_locked
    page = (await client.get(DESK)).text
    assert "Gevalideerd op 01-09-2026." in page
    assert f'action="{DESK}/groups"' not in page
    late = await post(client, f"{DESK}/pupil", f"{DESK}/pupil", {"pupil": "LL03", "name": "X"})
    assert 409 == late.status_code
    assert "De registratie is gevalideerd; er kan niets meer worden gewijzigd." in late.text


@pytest.mark.req("SCH-9", "DOC-4", "WEB-3")
async def test_the_participation_list_and_its_pdf(client: httpx.AsyncClient, desk: Examkit) -> None:
    enter_as(client, desk, "coord")
    desk.flemish.set_pupil(
        "coord",
        REG,
        PupilRegistration(
            "LL02",
            "Arne Maes",
            exempt_maths=True,
            exemption_reason="OKAN",
            accommodations=["voorleessoftware"],
            group="6A",
        ),
    )
    page = await client.get(f"{DESK}/list")
    assert 200 == page.status_code
    rows = re.findall(r"<tr><td>(.*?)</td><th scope=\"row\">(.*?)</th>(.*?)</tr>", page.text)
    assert [("6A", "Arne Maes (LL02)"), ("6A", "Lotte Peeters (LL01)")] == [
        (group, name) for group, name, _ in rows
    ]
    assert "<td>neemt deel</td><td>vrijgesteld</td><td>vult ze in</td><td>OKAN</td>" in rows[0][2]
    assert "<td>voorleessoftware</td>" in rows[0][2]
    pdf = await client.get(f"{DESK}/list.pdf")
    assert (200, "application/pdf") == (pdf.status_code, pdf.headers["content-type"])
    assert pdf.content.startswith(b"%PDF")
    assert "deelnamelijst-012345-2026-2027.pdf" in pdf.headers["content-disposition"]


@pytest.mark.req("SCH-9", "WEB-3")
async def test_the_test_report_gathers_the_assistants_logbooks(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    assistant = user_with(desk, "vlaamse_toetsen.test_assistant")
    desk.flemish.add_logbook(
        assistant, REG, Logbook("NED", "6A", assistant, absent=["LL01"], notes="Vlot verlopen")
    )
    enter_as(client, desk, "coord")
    page = (await client.get(f"{DESK}/report/NED")).text
    assert "<li>Lotte Peeters (LL01)</li>" in page
    assert "<li>6A: Vlot verlopen</li>" in page
    unknown = await client.get(f"{DESK}/report/XYZ")
    assert 422 == unknown.status_code
    assert "&#39;XYZ&#39; is geen toetsmoment van deze registratie." in unknown.text


@pytest.mark.req("WEB-3")
async def test_a_cross_site_post_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    before = stored(desk)
    page = (await client.get(DESK)).text
    for action, data in [
        (f"{DESK}/groups", {"group": "6B", "form_token": token_for(page, f"{DESK}/groups")}),
        (f"{DESK}/validate", {"form_token": token_for(page, f"{DESK}/validate")}),
        (f"{DESK}/pupil", {"pupil": "LL02", "name": "Evil"}),
    ]:
        answer = await client.post(
            action, data=data, headers={"Origin": "https://evil.example"}, follow_redirects=False
        )
        assert 403 == answer.status_code
    assert before == stored(desk)


@pytest.mark.req("WEB-3")
async def test_a_second_submission_of_a_form_changes_nothing(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    token = token_for((await client.get(DESK)).text, f"{DESK}/groups")
    sent = {"group": "6B", "form_token": token}
    first = await client.post(f"{DESK}/groups", data=sent, headers={"Origin": ORIGIN})
    assert ("6A", "6B") == stored(desk).groups
    sent["group"] = "6C"
    again = await client.post(
        f"{DESK}/groups", data=sent, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert (303, 409) == (first.status_code, again.status_code)
    assert ("6A", "6B") == stored(desk).groups


def school_file() -> bytes:
    """Return the tests' Flemish EDEXML file as school 012345's file of 2026-2027."""
    data = FILE.read_bytes()
    data = data.replace(b"<instellingsnummer>45678<", b"<instellingsnummer>012345<")
    return data.replace(b"<schooljaar>2024-2025<", b"<schooljaar>2026-2027<")


@pytest.mark.req("SCH-9", "EDX-3", "WEB-3")
async def test_the_pupils_come_from_the_schools_flemish_edexml_file(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    missing = (await client.get(DESK)).text
    assert "Voor school 012345 is nog niets ingelezen." in missing
    desk.edexml_imports.confirm("coord", desk.edexml_imports.preview("coord", school_file()))
    page = (await client.get(DESK)).text
    waiting = re.findall(r'<a href="[^"]+/pupil\?key=([^"]+)">([^<]+)</a>', page)
    assert [
        ("LL-0001", "Lotte Peeters"),
        ("LL-0002", "Arne Janssens"),
        ("LL-0003", "Noor Van den Broeck"),
        ("LL-0004", "Wout de Maes"),
        ("LL-0005", "Fien"),
    ] == waiting
    form = (await client.get(f"{DESK}/pupil?key=LL-0001")).text
    assert 'name="pupil" value="LL-0001"' in form
    assert 'value="Lotte Peeters"' in form
    assert '<option value="6A" selected>' in form
    assert 404 == (await client.get(f"{DESK}/pupil?key=LL-9999")).status_code
    one = await post(
        client,
        f"{DESK}/pupil?key=LL-0001",
        f"{DESK}/pupil",
        {"from_file": "yes", "pupil": "LL-0001", "name": "Lotte Peeters", "group": "6A"},
    )
    assert 303 == one.status_code
    rest = await post(client, DESK, f"{DESK}/pupils/file")
    assert (303, f"{DESK}#pupils") == (rest.status_code, rest.headers["location"])
    assert [
        ("LL-0001", "Lotte Peeters", "6A"),
        ("LL-0002", "Arne Janssens", "6A"),
        ("LL-0003", "Noor Van den Broeck", ""),
        ("LL-0004", "Wout de Maes", ""),
        ("LL-0005", "Fien", ""),
        ("LL01", "Lotte Peeters", "6A"),
    ] == [(p.pupil, p.name, p.group) for p in stored(desk).pupils]
    done = (await client.get(DESK)).text
    assert "Alle leerlingen uit het EDEXML-bestand van de school zijn geregistreerd." in done


@pytest.mark.req("SCH-9", "EDX-3", "WEB-3")
async def test_registering_all_of_the_file_is_refused_whole_and_changes_nothing(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    """The file's fourth pupil has a name too long to register: none of the five is stored."""
    enter_as(client, desk, "coord")
    long_name = school_file().replace(b"<achternaam>Maes<", b"<achternaam>" + b"M" * 200 + b"<")
    desk.edexml_imports.confirm("coord", desk.edexml_imports.preview("coord", long_name))
    before = stored(desk)
    refused = await post(client, DESK, f"{DESK}/pupils/file")
    assert ["LL01"] == [p.pupil for p in stored(desk).pupils]
    assert before == stored(desk)
    assert 422 == refused.status_code
    assert 'role="alert"' in refused.text
    assert (
        "Leerling LL-0004 heeft geen bruikbare naam (leeg of langer dan 200 tekens); "
        "er is niemand geregistreerd."
    ) in refused.text
    assert "De 5 leerlingen uit het bestand registreren" in refused.text


@pytest.mark.req("SCH-9", "WEB-3")
def test_the_demo_has_a_flemish_school_with_its_pupils_from_its_file(tmp_path: Path) -> None:
    demo = demo_app(tmp_path)
    assert ("BE.T.Peeters", "vlaamse_toetsen.test_coordinator") in [
        (account.login_name, account.role) for account in demo.accounts
    ]
    kit = demo.kit
    coordinator_id = "demo-toetscoordinator"
    (registration,) = kit.flemish.registrations_for(coordinator_id)
    assert registration.window.is_open(kit.clock.now())
    imported = kit.rosters.pupils_for(coordinator_id, SCHOOL, school_year=registration.school_year)
    keys = [item.pupil.key for item in imported.items]
    assert 8 == len(keys)
    assert {p.pupil for p in registration.pupils} < set(keys)
    with pytest.raises(ExamkitErrorGroup):
        kit.flemish.validate(coordinator_id, registration.id)


async def upload(client: httpx.AsyncClient, data: bytes, *, lang: str = "nl") -> httpx.Response:
    """Post *data* as the school's file from the import page (with its token)."""
    page = (await client.get(f"{DESK}/import?lang={lang}")).text
    return await client.post(
        f"{DESK}/import",
        data={"form_token": token_for(page, f"{DESK}/import")},
        files={"file": ("leerlingen.xml", data, "text/xml")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


@pytest.mark.req("SCH-9", "EDX-2", "EDX-6", "WEB-3")
async def test_the_coordinator_imports_the_schools_file_then_registers_its_pupils(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    sent = await upload(client, school_file())
    assert 303 == sent.status_code
    preview = sent.headers["location"]
    assert preview.startswith(f"{DESK}/import/")
    shown = (await client.get(preview)).text
    assert "5 leerlingen, 3 klassen" in shown
    assert "<dd>012345</dd>" in shown
    assert () == desk.rosters.school_years(SCHOOL)
    done = await post(client, preview, f"{preview}/confirm")
    assert (303, f"{DESK}#pupils") == (done.status_code, done.headers["location"])
    assert (SchoolYear("2026-2027"),) == desk.rosters.school_years(SCHOOL)
    assert "De 5 leerlingen uit het bestand registreren" in (await client.get(DESK)).text
    again = await client.post(
        f"{preview}/confirm",
        data={"form_token": token_for(shown, f"{preview}/confirm")},
        headers={"Origin": ORIGIN},
    )
    assert 404 == again.status_code  # confirmed: the preview is gone, nothing more happens


@pytest.mark.req("SCH-9", "EDX-1", "EDX-6", "WEB-3")
async def test_a_cancelled_or_refused_file_stores_nothing(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    enter_as(client, desk, "coord")
    sent = await upload(client, school_file())
    preview = sent.headers["location"]
    token = token_for((await client.get(preview)).text, f"{preview}/confirm")
    cancelled = await client.post(  # the form's second button posts to cancel
        f"{preview}/cancel", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    assert (303, f"{DESK}/import?cancelled=1") == (
        cancelled.status_code,
        cancelled.headers["location"],
    )
    assert "geannuleerd" in (await client.get(cancelled.headers["location"])).text
    assert 404 == (await client.get(preview)).status_code
    broken = await upload(client, school_file().replace(b"</leerlingen>", b""), lang="en")
    assert 422 == broken.status_code
    assert "Problems in leerlingen.xml" in broken.text
    assert 'role="alert"' in broken.text
    elsewhere = await upload(client, FILE.read_bytes())
    assert 422 == elsewhere.status_code
    assert "Het bestand is van school 45678 (instellingsnummer), niet van de gekozen 012345." in (
        elsewhere.text
    )
    assert () == desk.rosters.school_years(SCHOOL)


@pytest.mark.req("SCH-9", "ROLE-6", "WEB-3")
async def test_the_assistant_fills_in_a_logbook_and_the_report_shows_it(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    assistant = user_with(desk, "vlaamse_toetsen.test_assistant")
    enter_as(client, desk, assistant)
    listed = (await client.get("/flemish")).text
    assert f'href="/flemish/{REG.replace(":", "%3A")}/logbook"' in listed
    form = f"{DESK}/logbook"
    english = (await client.get(f"{form}?lang=en")).text
    assert "Fill in a logbook" in english
    unknown = await post(client, form, form, {"moment": "NED", "group": "7Z"})
    assert 422 == unknown.status_code
    assert "Pupil group &#39;7Z&#39; does not exist." in unknown.text  # the English page's
    assert () == stored(desk).logbooks
    data = {"moment": "NED", "group": "6A", "absent": "LL01", "notes": "Vlot verlopen"}
    saved = await post(client, f"{form}?lang=nl", form, data)
    assert (303, f"{form}?saved=1") == (saved.status_code, saved.headers["location"])
    assert [Logbook("NED", "6A", assistant, absent=["LL01"], notes="Vlot verlopen")] == list(
        stored(desk).logbooks
    )
    assert "NED, 6A: 1 leerling afwezig" in (await client.get(saved.headers["location"])).text
    enter_as(client, desk, "coord")
    report = (await client.get(f"{DESK}/report/NED")).text
    assert "<li>Lotte Peeters (LL01)</li>" in report
    assert "<li>6A: Vlot verlopen</li>" in report


@pytest.mark.req("SCH-9", "EDX-6", "WEB-3")
async def test_a_preview_of_another_school_is_not_found_on_this_desk(
    client: httpx.AsyncClient, desk: Examkit
) -> None:
    """One coordinator of two schools: school 45678's preview is neither shown nor applied
    through school 012345's desk (nor cancelled there), and stays 45678's to decide."""
    other = Instellingsnummer("45678")
    desk.institutions.register(make_flemish_institution(str(other)))
    operator = operator_of(desk)
    desk.grants.link_institution(operator, "coord", other)
    desk.grants.grant_administrator(
        operator, "coord", at=[other], role="vlaamse_toetsen.test_coordinator"
    )
    theirs = desk.edexml_imports.preview("coord", FILE.read_bytes())
    assert other == theirs.location
    enter_as(client, desk, "coord")
    shown = await client.get(f"{DESK}/import/{theirs.id}")
    assert 404 == shown.status_code
    ours = (await client.get(f"{DESK}/import")).text
    for step in ("confirm", "cancel"):
        refused = await client.post(
            f"{DESK}/import/{theirs.id}/{step}",
            data={"form_token": token_for(ours, f"{DESK}/import")},
            headers={"Origin": ORIGIN},
        )
        assert 404 == refused.status_code
    assert () == desk.rosters.school_years(other)
    assert theirs.id == desk.edexml_imports.get_preview("coord", theirs.id).id
