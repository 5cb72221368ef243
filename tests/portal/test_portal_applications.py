# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The account application and the service desk's queue over HTTP (issue 22, points 3 and 4).

A school applies in four steps without an account (ACC-1 to ACC-4): each
step checked, its problems shown at their fields in the page's language,
"Previous" keeping what was entered; sending stores the application and
the page after it offers the PDF form through the applicant's receipt only
(ACC-5). Sending is limited per client address (429 with Retry-After). The
service desk's queue shows the due dates (ACC-6); approving registers the
institution and mails the administrator and the authority, rejecting mails
the reason (NOTE-1). Who reaches which page is written out by hand below.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as, form_token_of, portal_config, submit
from tests.school import ADMIN, L00

from examkit import Examkit
from examkit.accounts import LoginName
from examkit.applications import ApplicationStatus
from examkit.identifiers import Brin
from examkit.testing import ManualClock, RecordingMailer
from portal import create_app
from portal._applications import SUBMIT_LIMIT
from portal._demo import demo_app

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/apply"): "public",
    ("GET", "/apply/{step}"): "public",
    ("POST", "/apply/{step}"): "public",
    ("GET", "/apply/sent/{receipt}"): "public",
    ("GET", "/apply/sent/{receipt}/form.pdf"): "public",
    ("GET", "/desk/applications"): ("allowed", ("examkit.applications.handle",)),
    ("GET", "/desk/applications/{id}"): ("allowed", ("examkit.applications.handle",)),
    ("GET", "/desk/applications/{id}/form.pdf"): (
        "allowed",
        ("examkit.applications.handle",),
    ),
    ("POST", "/desk/applications/{id}/approve"): (
        "allowed",
        ("examkit.applications.handle",),
    ),
    ("POST", "/desk/applications/{id}/reject"): (
        "allowed",
        ("examkit.applications.handle",),
    ),
}

# Which roles see the desk's pages (200) and which are refused (403), by hand.
DESK_ROLES = {
    "examkit.operator": 200,
    "facet.administrator": 403,
    "facet.planner": 403,
    "facet.proctor": 403,
    "facet.corrector": 403,
    None: 403,  # signed in, no role at all
}

SCHOOL = {
    "location_code": "22CD 00",
    "education_location_code": "",
    "school_name": "De Wadden",
    "street": "Dijk",
    "house_number": "1",
    "postcode": "8835 BA",
    "town": "Tzummarum",
    "secondary_locations[0].location_code": "22CD 01",
    "secondary_locations[0].location_name": "De Wadden Noord",
}
ADMINISTRATOR = {
    "first_name": "Anna",
    "last_name": "Visser",
    "phone_number": "06-12345678",
    "email_address": "a.visser@dewadden.nl",
    "login_name": "22CD.A.Visser",
}
AUTHORITY = {
    "initials": "P.",
    "last_name": "de Boer",
    "job_title": "Directeur",
    "email_address": "p.deboer@dewadden.nl",
}

pytestmark = pytest.mark.anyio


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id


def waiting(kit: Examkit) -> list[str]:
    return [entry.application.school.name for entry in kit.applications.queue(operator_of(kit))]


async def step(
    client: httpx.AsyncClient, segment: str, data: dict[str, str], action: str = "next"
) -> httpx.Response:
    return await submit(
        client, f"/apply/{segment}", f"/apply/{segment}", {**data, "action": action}
    )


async def walk(client: httpx.AsyncClient, school: dict[str, str] = SCHOOL) -> httpx.Response:
    """Walk the four steps and send; return the answer to sending."""
    for segment, data, after in (
        ("school", school, "/apply/administrator"),
        ("administrator", ADMINISTRATOR, "/apply/authority"),
        ("authority", AUTHORITY, "/apply/review"),
    ):
        answer = await step(client, segment, data)
        assert (303, after) == (answer.status_code, answer.headers["location"]), answer.text
    return await step(client, "review", {}, "send")


@pytest.fixture
async def elsewhere(kit: Examkit) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the same portal from another address."""
    transport = httpx.ASGITransport(
        app=create_app(kit, portal_config()), client=("198.51.100.9", 40000)
    )
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as other:
        yield other


def reject_token_of(html: str) -> str:
    """Return the token of the reject form (the page's second form)."""
    return str(re.findall(r'name="form_token" value="([^"]+)"', html)[1])


def account_with(kit: Examkit, role: str | None) -> str:
    """Return an account holding *role* (the operator's own for the desk's role)."""
    if role == "examkit.operator":
        return operator_of(kit)
    if role == "facet.administrator":
        return ADMIN
    login = f"22AB.T.{(role or 'none').split('.')[-1].capitalize()}"
    account = kit.users.add_user(
        ADMIN,
        application="facet",
        at=L00,
        login_name=login,
        first_name="Test",
        last_name="Gebruiker",
        email=f"{login.lower()}@school.nl",
        tell=False,
    )
    if role is not None:
        kit.grants.grant_role(ADMIN, account.id, role, at=[L00])
    return account.id


# -- the applicant ---------------------------------------------------------------------------


@pytest.mark.req("ACC-1", "ACC-5", "WEB-1")
async def test_an_applicant_walks_the_four_steps_sends_and_downloads_the_form(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    start = await client.get("/apply", follow_redirects=False)
    assert (303, "/apply/school") == (start.status_code, start.headers["location"])
    first = await client.get("/apply/school")
    assert 'aria-current="step"' in first.text
    assert "Stap 1 van 4: School" in first.text
    for segment, data in (
        ("school", SCHOOL),
        ("administrator", ADMINISTRATOR),
        ("authority", AUTHORITY),
    ):
        await step(client, segment, data)
    review = await client.get("/apply/review")
    assert 200 == review.status_code
    for shown in ("De Wadden", "22CD01", "0612345678", "22CD.A.Visser", "P. de Boer"):
        assert shown in review.text
    sent = await step(client, "review", {}, "send")
    assert 303 == sent.status_code
    location = sent.headers["location"]
    assert re.fullmatch(r"/apply/sent/[A-Za-z0-9_-]{40,}", location)
    assert ["De Wadden"] == waiting(kit)
    application = kit.applications.queue(operator_of(kit))[0].application
    assert application.id not in location
    assert client.cookies.get("__Host-application") is None
    page = await client.get(location)
    assert 200 == page.status_code
    assert "Aanvraag verzonden" in page.text
    assert kit.applications.due_date(application).strftime("%d-%m-%Y") in page.text
    assert "helpdeskfacet@duo.nl" in page.text
    english = await client.get(f"{location}?lang=en")
    assert '<html lang="en">' in english.text
    assert "<h1>Application sent</h1>" in english.text
    pdf = await client.get(f"{location}/form.pdf")
    assert (200, "application/pdf") == (pdf.status_code, pdf.headers["content-type"])
    assert pdf.content.startswith(b"%PDF")
    assert "aanvraag-schoolaccount-22CD00.pdf" in pdf.headers["content-disposition"]
    # back at the start: a new, empty application
    assert "De Wadden" not in (await client.get("/apply/school")).text


@pytest.mark.req("ACC-5", "WEB-2")
async def test_the_form_is_there_for_the_receipt_only_never_by_the_application_s_id(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    sent = await walk(client)
    application = kit.applications.queue(operator_of(kit))[0].application
    for made_up in (application.id, "made-up", sent.headers["location"][-20:]):
        assert 404 == (await client.get(f"/apply/sent/{made_up}/form.pdf")).status_code
        assert 404 == (await client.get(f"/apply/sent/{made_up}")).status_code


@pytest.mark.req("ACC-2", "ACC-3", "WEB-1")
@pytest.mark.parametrize(
    ("query", "phone", "private"),
    [
        ("", "is geen Nederlands mobiel", "is een privé-e-mailadres"),
        ("?lang=en", "is not a Dutch mobile", "is a private e-mail address"),
    ],
)
async def test_a_step_s_problems_are_shown_at_their_fields_in_the_page_s_language(
    client: httpx.AsyncClient, kit: Examkit, query: str, phone: str, private: str
) -> None:
    await step(client, "school", SCHOOL)
    wrong = {**ADMINISTRATOR, "phone_number": "0800 1234", "email_address": "anna@gmail.com"}
    shown = await client.get(f"/apply/administrator{query}")
    refused = await client.post(
        f"/apply/administrator{query}",
        data={**wrong, "action": "next", "form_token": form_token_of(shown.text)},
        headers={"Origin": ORIGIN},
    )
    assert 422 == refused.status_code
    assert 'role="alert"' in refused.text
    assert phone in refused.text
    assert private in refused.text
    assert 'id="f-phone_number" name="phone_number"' in refused.text
    assert 'aria-invalid="true" aria-describedby="f-phone_number-hint f-phone_number-error"' in (
        refused.text
    )
    assert 'href="#f-email_address"' in refused.text
    assert 'value="anna@gmail.com"' in refused.text  # what was typed stays
    assert 'value="Anna"' in refused.text
    # the step did not pass: the next one cannot be opened
    onwards = await client.get("/apply/authority", follow_redirects=False)
    assert "/apply/administrator" == onwards.headers["location"]
    assert [] == waiting(kit)


@pytest.mark.req("ACC-1")
async def test_a_secondary_location_s_problem_is_shown_in_its_row(
    client: httpx.AsyncClient,
) -> None:
    other = {**SCHOOL, "secondary_locations[0].location_code": "99ZZ 01"}
    refused = await step(client, "school", other)
    assert 422 == refused.status_code
    assert 'id="f-secondary_locations-0-location_code-error"' in refused.text
    assert "hoort niet bij de school" in refused.text


@pytest.mark.req("ACC-1")
async def test_previous_keeps_what_was_entered_at_every_step(client: httpx.AsyncClient) -> None:
    await step(client, "school", SCHOOL)
    await step(client, "administrator", ADMINISTRATOR)
    half = {**AUTHORITY, "email_address": ""}
    back = await step(client, "authority", half, "back")
    assert (303, "/apply/administrator") == (back.status_code, back.headers["location"])
    administrator = await client.get("/apply/administrator")
    assert 'value="22CD.A.Visser"' in administrator.text
    back = await step(client, "administrator", ADMINISTRATOR, "back")
    school = await client.get("/apply/school")
    assert 'value="De Wadden"' in school.text
    assert 'value="De Wadden Noord"' in school.text
    authority = await client.get("/apply/authority")
    assert 'value="de Boer"' in authority.text  # typed before going back, unchecked, kept
    assert "/apply/school" == back.headers["location"]


@pytest.mark.req("ACC-1", "WEB-2")
async def test_a_later_step_opens_only_after_the_earlier_ones_and_a_changed_cookie_is_empty(
    client: httpx.AsyncClient,
) -> None:
    for segment in ("administrator", "authority", "review"):
        early = await client.get(f"/apply/{segment}", follow_redirects=False)
        assert "/apply/school" == early.headers["location"]
    assert 404 == (await client.get("/apply/elsewhere")).status_code
    await step(client, "school", SCHOOL)
    cookie = client.cookies.get("__Host-application")
    assert cookie is not None
    forged = cookie[:-4] + ("AAAA" if not cookie.endswith("AAAA") else "BBBB")
    client.cookies.set("__Host-application", forged, domain="portal.school.nl")
    again = await client.get("/apply/administrator", follow_redirects=False)
    assert "/apply/school" == again.headers["location"]


@pytest.mark.req("ACC-1")
async def test_an_application_in_progress_lapses_after_two_hours(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await step(client, "school", SCHOOL)
    assert 200 == (await client.get("/apply/administrator")).status_code
    assert isinstance(kit.clock, ManualClock)
    kit.clock.advance(hours=2, minutes=1)
    lapsed = await client.get("/apply/administrator", follow_redirects=False)
    assert "/apply/school" == lapsed.headers["location"]
    assert "De Wadden" not in (await client.get("/apply/school")).text


@pytest.mark.req("ACC-1", "WEB-2")
async def test_a_cross_site_send_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    for segment, data in (
        ("school", SCHOOL),
        ("administrator", ADMINISTRATOR),
        ("authority", AUTHORITY),
    ):
        await step(client, segment, data)
    shown = await client.get("/apply/review")
    refused = await client.post(
        "/apply/review",
        data={"action": "send", "form_token": form_token_of(shown.text)},
        headers={"Origin": "https://evil.example"},
    )
    assert 403 == refused.status_code
    assert [] == waiting(kit)


@pytest.mark.req("ACC-1", "WEB-2")
async def test_sending_twice_stores_one_application(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    for segment, data in (
        ("school", SCHOOL),
        ("administrator", ADMINISTRATOR),
        ("authority", AUTHORITY),
    ):
        await step(client, segment, data)
    shown = await client.get("/apply/review")
    data = {"action": "send", "form_token": form_token_of(shown.text)}
    first = await client.post("/apply/review", data=data, headers={"Origin": ORIGIN})
    second = await client.post("/apply/review", data=data, headers={"Origin": ORIGIN})
    assert (303, 409) == (first.status_code, second.status_code)
    assert ["De Wadden"] == waiting(kit)


@pytest.mark.req("WEB-2")
async def test_the_sixth_application_from_one_address_is_refused_another_address_is_not(
    client: httpx.AsyncClient, elsewhere: httpx.AsyncClient, kit: Examkit
) -> None:
    allowed = SUBMIT_LIMIT.limit.requests
    for _ in range(allowed):
        assert 303 == (await walk(client)).status_code
    refused = await walk(client)
    assert 429 == refused.status_code
    assert "Te veel verzoeken vanaf uw adres" in refused.text
    assert "Tue, 01 Sep 2026 09:00:00 GMT" == refused.headers["retry-after"]
    assert allowed == len(waiting(kit))
    english = await walk(client)
    assert 429 == english.status_code
    assert 303 == (await walk(elsewhere)).status_code
    assert allowed + 1 == len(waiting(kit))


@pytest.mark.req("WEB-2")
async def test_the_limit_s_refusal_is_in_english_on_an_english_page(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(SUBMIT_LIMIT.limit.requests):
        await walk(client)
    for segment, data in (
        ("school", SCHOOL),
        ("administrator", ADMINISTRATOR),
        ("authority", AUTHORITY),
    ):
        await step(client, segment, data)
    refused = await submit(
        client, "/apply/review?lang=en", "/apply/review?lang=en", {"action": "send"}
    )
    assert 429 == refused.status_code
    assert "Too many requests from your address" in refused.text
    assert 'lang="en"' in refused.text


@pytest.mark.req("ACC-1", "WEB-1")
@pytest.mark.parametrize(("query", "words"), [("", "Volgende"), ("?lang=en", "Next")])
async def test_every_step_renders_in_both_languages(
    client: httpx.AsyncClient, query: str, words: str
) -> None:
    for segment, data in (
        ("school", SCHOOL),
        ("administrator", ADMINISTRATOR),
        ("authority", AUTHORITY),
    ):
        page = await client.get(f"/apply/{segment}{query}")
        assert 200 == page.status_code
        assert words in page.text
        await step(client, segment, data)
    review = await client.get(f"/apply/review{query}")
    assert ("Verzenden" if not query else "Send") in review.text
    assert ("Naam school" if not query else "School name") in review.text


# -- the service desk ------------------------------------------------------------------------


@pytest.mark.req("ACC-6", "WEB-2")
async def test_the_desk_s_pages_are_for_the_operator_alone(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await walk(client)
    client.cookies.clear()
    application = kit.applications.queue(operator_of(kit))[0].application
    pages = [
        "/desk/applications",
        f"/desk/applications/{application.id}",
        f"/desk/applications/{application.id}/form.pdf",
    ]
    for page in pages:
        signed_out = await client.get(page, follow_redirects=False)
        assert (303, "/sign-in") == (signed_out.status_code, signed_out.headers["location"])
    for role, expected in DESK_ROLES.items():
        client.cookies.clear()
        enter_as(client, kit, account_with(kit, role))
        assert [expected] * 3 == [(await client.get(page)).status_code for page in pages], role
        home = await client.get("/")
        assert ('href="/desk/applications"' in home.text) is (expected == 200), role


@pytest.mark.req("ACC-6", "WEB-1")
@pytest.mark.parametrize(
    ("query", "words"), [("", ("Accountaanvragen", "Uiterlijk behandeld")), ("?lang=en", ("Due",))]
)
async def test_the_queue_shows_the_due_dates_soonest_first(
    client: httpx.AsyncClient, kit: Examkit, query: str, words: tuple[str, ...]
) -> None:
    await walk(client)
    await walk(
        client,
        {
            **SCHOOL,
            "location_code": "22EF 00",
            "school_name": "Het Wad",
            "secondary_locations[0].location_code": "22EF 01",
        },
    )
    client.cookies.clear()
    enter_as(client, kit, operator_of(kit))
    queue = await client.get(f"/desk/applications{query}")
    assert 200 == queue.status_code
    for word in words:
        assert word in queue.text
    entries = kit.applications.queue(operator_of(kit))
    assert "15-09-2026" == entries[0].due.strftime("%d-%m-%Y")  # ten working days (facet)
    assert queue.text.index("De Wadden") < queue.text.index("Het Wad")
    assert "15-09-2026" in queue.text
    assert '<th scope="col">' in queue.text


@pytest.mark.req("ACC-6", "ACC-8", "NOTE-1", "ORG-1")
async def test_the_desk_approves_the_institution_is_registered_and_both_are_mailed(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await walk(client)
    client.cookies.clear()
    desk = operator_of(kit)
    enter_as(client, kit, desk)
    application = kit.applications.queue(desk)[0].application
    page = f"/desk/applications/{application.id}"
    shown = await client.get(page)
    assert "Goedkeuren" in shown.text
    assert "De Wadden Noord" in shown.text
    mailer(kit).clear()
    approved = await submit(client, page, f"{page}/approve")
    assert (303, page) == (approved.status_code, approved.headers["location"])
    assert ApplicationStatus.APPROVED == kit.applications.get(desk, application.id).status
    institution = kit.institutions.get(Brin("22CD"))
    assert ["22CD00", "22CD01"] == [str(location.code) for location in institution.locations]
    assert {"roles.credentials", "applications.confirmation"} == {
        message.kind for message in mailer(kit).outbox
    }
    result = await client.get(page)
    assert "Goedgekeurd op" in result.text
    assert "22CD00, 22CD01" in result.text
    assert "22CD.A.Visser" in result.text
    assert "Goedkeuren" not in result.text
    english = await client.get(f"{page}?lang=en")
    assert "Approved on" in english.text
    assert () == kit.applications.queue(desk)


@pytest.mark.req("ACC-6", "NOTE-1", "WEB-1")
async def test_the_desk_rejects_with_a_reason_which_the_school_is_mailed(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await walk(client)
    client.cookies.clear()
    desk = operator_of(kit)
    enter_as(client, kit, desk)
    application = kit.applications.queue(desk)[0].application
    page = f"/desk/applications/{application.id}"
    shown = await client.get(f"{page}?lang=en")
    no_reason = await client.post(
        f"{page}/reject?lang=en",
        data={"reason": " ", "form_token": reject_token_of(shown.text)},
        headers={"Origin": ORIGIN},
    )
    assert 422 == no_reason.status_code
    assert "Give a reason for the rejection" in no_reason.text
    shown = await client.get(page)
    tokens = re.findall(r'name="form_token" value="([^"]+)"', shown.text)
    assert 2 == len(tokens)
    mailer(kit).clear()
    rejected = await client.post(
        f"{page}/reject",
        data={"reason": "Het formulier is niet ondertekend.", "form_token": tokens[1]},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert (303, page) == (rejected.status_code, rejected.headers["location"])
    mail = mailer(kit).last("applications.rejected")
    assert ("a.visser@dewadden.nl", "p.deboer@dewadden.nl") == mail.to
    assert "Het formulier is niet ondertekend." in mail.body
    assert ApplicationStatus.REJECTED == kit.applications.get(desk, application.id).status
    result = await client.get(f"{page}?lang=nl")
    assert "Afgewezen op" in result.text
    assert "Het formulier is niet ondertekend." in result.text
    # approving now is refused by examkit and changes nothing (the approve form is gone)
    approve = await client.post(
        f"{page}/approve",
        data={"form_token": tokens[0]},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 409 == approve.status_code
    assert ApplicationStatus.REJECTED == kit.applications.get(desk, application.id).status


@pytest.mark.req("ACC-6", "WEB-2")
async def test_a_cross_site_or_second_approval_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await walk(client)
    client.cookies.clear()
    desk = operator_of(kit)
    enter_as(client, kit, desk)
    application = kit.applications.queue(desk)[0].application
    page = f"/desk/applications/{application.id}"
    shown = await client.get(page)
    token = form_token_of(shown.text)
    forged = await client.post(
        f"{page}/approve", data={"form_token": token}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert 403 == forged.status_code
    assert ApplicationStatus.SUBMITTED == kit.applications.get(desk, application.id).status
    first = await client.post(
        f"{page}/approve", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    mailer(kit).clear()
    second = await client.post(
        f"{page}/approve", data={"form_token": token}, headers={"Origin": ORIGIN}
    )
    assert (303, 409) == (first.status_code, second.status_code)
    assert [] == list(mailer(kit).outbox)


@pytest.mark.req("ACC-5", "ACC-6")
async def test_the_desk_downloads_the_application_s_form(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await walk(client)
    client.cookies.clear()
    enter_as(client, kit, operator_of(kit))
    application = kit.applications.queue(operator_of(kit))[0].application
    pdf = await client.get(f"/desk/applications/{application.id}/form.pdf")
    assert (200, b"%PDF") == (pdf.status_code, pdf.content[:4])
    assert 404 == (await client.get("/desk/applications/unknown-id")).status_code


@pytest.mark.req("ACC-6")
def test_the_demo_s_desk_finds_two_applications_waiting(tmp_path: Path) -> None:
    demo = demo_app(tmp_path)
    with demo.kit.backend.begin(readonly=True) as uow:
        desk = uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id
    assert ["De Wadden", "Het Wad"] == [
        entry.application.school.name for entry in demo.kit.applications.queue(desk)
    ]
