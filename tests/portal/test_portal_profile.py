# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The rest of sign-in and the profile over HTTP (issue 22 point 4: AUTH-1..11, NOTE-1).

The forgotten password (the same answer for every name, rate-limited per
address), the mailed reset link, the lockout with its end, the expiry
warning, the forced change of an expired password, the profile (details,
password, e-mail address in two steps); the proctor monitor's sign-in is
tests/portal/test_portal_monitor.py's.
"""

from __future__ import annotations

import re

import attrs
import httpx
import pytest
from tests.portal.conftest import (
    ORIGIN,
    SESSION_COOKIE,
    enter_as,
    form_token_of,
    mailed_code,
    sign_in,
    submit,
)
from tests.school import ADMIN, ADMIN_LOGIN, ADMIN_PASSWORD, L00

from examkit import Examkit
from examkit.passwords import change_password
from examkit.testing import ManualClock, RecordingMailer, cheap_hasher

NEW_PASSWORD = "Vlinder-Zomeravond-48"
OWN_PASSWORD = "Eigen-Wachtwoord-77"

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/sign-in/forgotten"): "public",
    ("POST", "/sign-in/forgotten"): "public",
    ("GET", "/sign-in/forgotten/sent"): "public",
    ("GET", "/sign-in/reset"): "public",
    ("POST", "/sign-in/reset"): "public",
    ("GET", "/sign-in/reset/done"): "public",
    ("GET", "/profile"): "signed_in",
    ("POST", "/profile"): "signed_in",
    ("GET", "/profile/password"): "signed_in",
    ("POST", "/profile/password"): "signed_in",
    ("GET", "/profile/password/changed"): "signed_in",
    ("GET", "/profile/email"): "signed_in",
    ("POST", "/profile/email"): "signed_in",
    ("GET", "/profile/email/sent"): "signed_in",
    ("GET", "/profile/email/confirm"): "public",
    ("POST", "/profile/email/confirm"): "public",
    ("GET", "/profile/email/confirmed"): "public",
    ("GET", "/profile/my-data.json"): "signed_in",
    ("GET", "/profile/my-data.pdf"): "signed_in",
}

SIGNED_IN_PAGES = (
    "/profile",
    "/profile/password",
    "/profile/password/changed",
    "/profile/email",
    "/profile/email/sent",
)
PUBLIC_PAGES = (
    "/sign-in/forgotten",
    "/sign-in/forgotten/sent",
    "/sign-in/reset/done",
    "/profile/email/confirm",
    "/profile/email/confirmed",
)

# Which roles see the profile (every signed-in user) and get into the proctor monitor
# (whoever may show the monitor's groups: the proctor, sent on to the monitor; its pages
# are tests/portal/test_portal_monitor.py's), written out by hand.
ROLES: dict[str | None, tuple[int, int]] = {
    # role: (the profile pages, the monitor's sign-in answer)
    "facet.administrator": (200, 403),
    "facet.planner": (200, 403),
    "facet.proctor": (200, 303),
    "facet.corrector": (200, 403),
    None: (200, 403),
}

pytestmark = pytest.mark.anyio


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


def mailed_link(kit: Examkit, kind: str) -> str:
    """Return the link with a token in the newest e-mail of *kind*, as the portal's path."""
    found = re.search(r"(https://\S+\?token=[\w-]+)", mailer(kit).last(kind).body)
    assert found is not None
    link = found.group(1)
    assert link.startswith(ORIGIN)
    return link.removeprefix(ORIGIN)


def add_staff(kit: Examkit, login: str, role: str | None, *, own_password: bool = True) -> str:
    """Add a user at 22AB00 with *role* (the administrator grants it); a password of their own."""
    account = kit.users.add_user(
        ADMIN,
        application="facet",
        at=L00,
        login_name=login,
        first_name="Piet",
        last_name=login.rsplit(".", 1)[-1],
        email=f"{login.rsplit('.', 1)[-1].lower()}@school.nl",
    )
    if role is not None:
        kit.grants.grant_role(ADMIN, account.id, role, at=[L00])
    if own_password:
        with kit.backend.begin() as uow:
            stored = uow.accounts.get(account.id)
            chosen = change_password(
                stored,
                OWN_PASSWORD,
                policy=kit.password_policy,
                hasher=cheap_hasher("set"),
                now=kit.clock.now(),
            )
            uow.accounts.update(chosen)
            uow.commit()
    return account.id


def email_of(kit: Examkit, account_id: str) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get(account_id).email


async def post_again(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, str]
) -> tuple[httpx.Response, httpx.Response]:
    """Post *action* twice with one form token (a double click); return both answers."""
    token = form_token_of((await client.get(page)).text)
    sent = {**data, "form_token": token}
    first = await client.post(action, data=sent, headers={"Origin": ORIGIN})
    second = await client.post(action, data=sent, headers={"Origin": ORIGIN})
    return first, second


# -- who may reach what ------------------------------------------------------------------------


@pytest.mark.req("WEB-2", "AUTH-10")
@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
async def test_signed_out_the_profile_pages_go_to_sign_in(
    client: httpx.AsyncClient, path: str
) -> None:
    answer = await client.get(path, follow_redirects=False)
    assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("WEB-1", "WEB-2", "AUTH-9", "AUTH-10")
@pytest.mark.parametrize("role", list(ROLES), ids=str)
async def test_each_role_reaches_the_profile_and_only_the_proctor_the_monitor(
    client: httpx.AsyncClient, kit: Examkit, role: str | None
) -> None:
    profile_status, monitor_status = ROLES[role]
    if role == "facet.administrator":  # granted by the service desk: the school's own
        login, password, account_id = ADMIN_LOGIN, ADMIN_PASSWORD, ADMIN
    else:
        login, password = "22AB.P.Medewerker", OWN_PASSWORD
        account_id = add_staff(kit, login, role)
    monitor = await submit(
        client,
        "/monitor/sign-in",
        "/monitor/sign-in",
        {"login_name": login, "password": password},
    )
    assert monitor_status == monitor.status_code
    assert client.cookies.get(SESSION_COOKIE) is None  # the monitor opens no portal session
    enter_as(client, kit, account_id)
    for path in SIGNED_IN_PAGES:
        assert profile_status == (await client.get(path)).status_code, path
    assert "/profile" in (await client.get("/")).text  # in everyone's navigation


@pytest.mark.req("WEB-1")
@pytest.mark.parametrize("path", SIGNED_IN_PAGES + PUBLIC_PAGES)
async def test_every_page_renders_in_dutch_and_in_english(
    client: httpx.AsyncClient, kit: Examkit, path: str
) -> None:
    enter_as(client, kit, ADMIN)
    dutch = await client.get(path)
    english = await client.get(f"{path}?lang=en")
    assert (200, 200) == (dutch.status_code, english.status_code)
    assert (
        ('lang="nl"', 'lang="en"')
        == (
            re.search(r'<html lang="\w+"', dutch.text).group(0)[6:],  # type: ignore[union-attr]
            re.search(r'<html lang="\w+"', english.text).group(0)[6:],  # type: ignore[union-attr]
        )
    )
    assert dutch.text != english.text


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("page", "action", "data"),
    [
        ("/sign-in/forgotten", "/sign-in/forgotten", {"name": ADMIN_LOGIN}),
        (
            "/profile/password",
            "/profile/password",
            {"old_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD},
        ),
        ("/profile/email", "/profile/email", {"email": "n@x.nl", "password": ADMIN_PASSWORD}),
        ("/profile", "/profile", {"first_name": "Kees", "last_name": "Beheerder"}),
        ("/monitor/sign-in", "/monitor/sign-in", {"login_name": ADMIN_LOGIN, "password": "x"}),
    ],
)
async def test_a_cross_site_post_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit, page: str, action: str, data: dict[str, str]
) -> None:
    enter_as(client, kit, ADMIN)
    token = form_token_of((await client.get(page)).text)
    before = kit.backend.begin(readonly=True)
    with before as uow:
        account = uow.accounts.get(ADMIN)
    refused = await client.post(
        action,
        data={**data, "form_token": token},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert 403 == refused.status_code
    with kit.backend.begin(readonly=True) as uow:
        assert account == uow.accounts.get(ADMIN)
    assert [] == [m for m in mailer(kit).outbox if m.kind.startswith(("auth.reset", "auth.email"))]


# -- the forgotten password ----------------------------------------------------------------------


@pytest.mark.req("AUTH-8", "NOTE-1", "WEB-1")
async def test_forgotten_password_mailed_link_new_password_sign_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    assert 'href="/sign-in/forgotten"' in (await client.get("/sign-in")).text
    asked = await submit(client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": ADMIN_LOGIN})
    assert (303, "/sign-in/forgotten/sent") == (asked.status_code, asked.headers["location"])
    answer = await client.get("/sign-in/forgotten/sent")
    assert "Als de gebruikersnaam bekend is, ontvangt u een e-mail" in answer.text
    mail = mailer(kit).last("auth.reset")
    assert ("admin@school.nl",) == mail.to
    link = mailed_link(kit, "auth.reset")
    assert link.startswith("/sign-in/reset?token=")
    form = await client.get(link)
    assert 200 == form.status_code
    assert "het moet bestaan uit minimaal 8 tekens" in form.text  # the policy's rules, shown
    weak = await submit(
        client, link, "/sign-in/reset", {"token": link[21:], "new_password": "kort"}
    )
    assert 422 == weak.status_code
    assert 'role="alert"' in weak.text
    assert "minimaal 8 tekens" in weak.text
    done = await submit(
        client, link, "/sign-in/reset", {"token": link[21:], "new_password": NEW_PASSWORD}
    )
    assert (303, "/sign-in/reset/done") == (done.status_code, done.headers["location"])
    assert ("admin@school.nl",) == mailer(kit).last("auth.reset_done").to
    await sign_in(client, kit, password=NEW_PASSWORD)
    used = await client.get(link)
    assert 404 == used.status_code
    assert "Deze link werkt niet meer" in used.text
    assert 'href="/sign-in/forgotten"' in used.text


@pytest.mark.req("AUTH-8")
async def test_an_expired_reset_link_gets_a_clear_page(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await submit(client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": "admin@school.nl"})
    link = mailed_link(kit, "auth.reset")
    clock(kit).advance(hours=1)
    expired = await client.get(f"{link}&lang=en")
    assert 404 == expired.status_code
    assert "This link no longer works" in expired.text
    assert "unknown, already used or expired" in expired.text


@pytest.mark.req("AUTH-8", "AUTH-5")
async def test_the_answer_never_tells_whether_an_account_exists(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """A known and an unknown name (or address): the same answer; mail only to a known one."""
    answers = []
    for name in (ADMIN_LOGIN, "22AB.Niemand", "admin@school.nl", "niemand@school.nl"):
        before = len(mailer(kit).outbox)
        asked = await submit(client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": name})
        shown = await client.get(asked.headers["location"])
        answers.append((asked.status_code, asked.headers["location"], shown.text))
        sent = mailer(kit).outbox[before:]
        known = "niemand" not in name.lower()
        assert ([("auth.reset", ("admin@school.nl",))] if known else []) == [
            (m.kind, m.to) for m in sent
        ]
    assert 1 == len(set(answers))


@pytest.mark.req("AUTH-8", "WEB-2")
async def test_the_forgotten_password_form_is_rate_limited_per_address(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    for number in range(10):
        asked = await submit(
            client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": f"22AB.Onbekend{number}"}
        )
        assert 303 == asked.status_code
    refused = await submit(
        client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": ADMIN_LOGIN}
    )
    assert 429 == refused.status_code
    assert (
        "Te veel verzoeken vanaf uw adres: probeer het vanaf 01-09-2026 10:15 CEST opnieuw."
        in refused.text
    )
    assert "Tue, 01 Sep 2026 08:15:00 GMT" == refused.headers["retry-after"]
    assert [] == [m for m in mailer(kit).outbox if m.kind == "auth.reset"]
    clock(kit).advance(minutes=15)
    again = await submit(client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": ADMIN_LOGIN})
    assert 303 == again.status_code


@pytest.mark.req("WEB-2", "AUTH-8")
async def test_a_second_submission_of_the_forgotten_form_sends_nothing_more(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    first, second = await post_again(
        client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": ADMIN_LOGIN}
    )
    assert (303, 409) == (first.status_code, second.status_code)
    assert 1 == len([m for m in mailer(kit).outbox if m.kind == "auth.reset"])


@pytest.mark.req("AUTH-8")
async def test_an_empty_name_is_asked_again(client: httpx.AsyncClient) -> None:
    empty = await submit(client, "/sign-in/forgotten", "/sign-in/forgotten", {"name": " "})
    assert 422 == empty.status_code
    assert "Vul uw gebruikersnaam of e-mailadres in." in empty.text


# -- lockout, expiry, the forced change ----------------------------------------------------------


@pytest.mark.req("AUTH-6")
async def test_the_lockout_says_when_it_ends_with_the_zone(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    for _ in range(3):
        await submit(
            client, "/sign-in", "/sign-in", {"login_name": ADMIN_LOGIN, "password": "Fout-123-x"}
        )
    blocked = await submit(
        client, "/sign-in", "/sign-in", {"login_name": ADMIN_LOGIN, "password": ADMIN_PASSWORD}
    )
    assert 429 == blocked.status_code
    assert "Account geblokkeerd" in blocked.text
    assert "Vanaf 01-09-2026 10:15 CEST kunt u opnieuw proberen in te loggen." in blocked.text
    assert 'href="/sign-in/forgotten"' in blocked.text


@pytest.mark.req("AUTH-7")
async def test_the_home_page_and_the_profile_warn_of_the_password_s_expiry(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    assert "verloopt" not in (await client.get("/")).text
    clock(kit).advance(days=360)
    enter_as(client, kit, ADMIN)
    warning = "Uw wachtwoord verloopt over 5 dag(en), op 01-09-2027 10:00 CEST."
    assert warning in (await client.get("/")).text
    assert warning in (await client.get("/profile")).text
    english = await client.get("/?lang=en")
    assert "Your password expires in 5 day(s), on 01-09-2027 10:00 CEST." in english.text


@pytest.mark.req("AUTH-7", "AUTH-1")
async def test_an_expired_password_is_replaced_at_sign_in_after_entering_it_again(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    clock(kit).advance(days=366)
    first = await submit(
        client, "/sign-in", "/sign-in", {"login_name": ADMIN_LOGIN, "password": ADMIN_PASSWORD}
    )
    assert (303, "/sign-in/password") == (first.status_code, first.headers["location"])
    page = await client.get("/sign-in/password")
    assert "Uw wachtwoord is verlopen" in page.text
    assert 'name="old_password"' in page.text
    assert "minimaal 8 tekens" in page.text
    wrong = await submit(
        client,
        "/sign-in/password",
        "/sign-in/password",
        {"old_password": "Niet-het-oude-1", "new_password": NEW_PASSWORD},
    )
    assert 403 == wrong.status_code
    assert "Het huidige wachtwoord is niet correct." in wrong.text
    same = await submit(
        client,
        "/sign-in/password",
        "/sign-in/password",
        {"old_password": ADMIN_PASSWORD, "new_password": ADMIN_PASSWORD},
    )
    assert 422 == same.status_code
    assert 'role="alert"' in same.text
    changed = await submit(
        client,
        "/sign-in/password",
        "/sign-in/password",
        {"old_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert (303, "/sign-in/code") == (changed.status_code, changed.headers["location"])
    done = await submit(client, "/sign-in/code", "/sign-in/code", {"code": mailed_code(kit)})
    assert (303, "/") == (done.status_code, done.headers["location"])


@pytest.mark.req("AUTH-2")
async def test_a_first_sign_in_asks_no_old_password(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    add_staff(kit, "22AB.N.Nieuw", "facet.planner", own_password=False)
    initial = re.search(r"Wachtwoord: (\S+)", mailer(kit).last("roles.credentials").body)
    assert initial is not None
    first = await submit(
        client, "/sign-in", "/sign-in", {"login_name": "22AB.N.Nieuw", "password": initial.group(1)}
    )
    assert (303, "/sign-in/password") == (first.status_code, first.headers["location"])
    page = await client.get("/sign-in/password")
    assert 'name="old_password"' not in page.text
    changed = await submit(
        client, "/sign-in/password", "/sign-in/password", {"new_password": NEW_PASSWORD}
    )
    assert (303, "/sign-in/code") == (changed.status_code, changed.headers["location"])


# -- the profile -------------------------------------------------------------------------------


@pytest.mark.req("AUTH-11")
async def test_the_profile_names_every_institution_of_the_account(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    from examkit.identifiers import Brin
    from examkit.testing.conformance import make_institution

    kit.institutions.register(make_institution("33CD", name="De Tweede School"))
    with kit.backend.begin() as uow:
        account = uow.accounts.get(ADMIN)
        both = account.institutions | {Brin("33CD")}
        uow.accounts.update(attrs.evolve(account, institutions=both))
        uow.commit()
    enter_as(client, kit, ADMIN)
    page = await client.get("/profile")
    assert "Instellingen" in page.text
    assert "33CD De Tweede School" in page.text
    assert re.search(r"<li>22AB \S", page.text)


@pytest.mark.req("PRIV-2", "WEB-2")
async def test_every_user_downloads_their_own_data_and_nobody_else_s(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    for path in ("/profile/my-data.json", "/profile/my-data.pdf"):
        answer = await client.get(path, follow_redirects=False)
        assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])
    corrector = add_staff(kit, "22AB.C.Corrector", "facet.corrector")
    enter_as(client, kit, corrector)
    page = await client.get("/profile")
    assert 'href="/profile/my-data.json"' in page.text
    assert "Mijn gegevens" in page.text
    answer = await client.get("/profile/my-data.json")
    assert 200 == answer.status_code
    assert answer.headers["content-type"].startswith("application/json")
    assert "attachment" in answer.headers["content-disposition"]
    document = answer.json()
    assert "examkit-person-export" == document["format"]
    assert f"account:{corrector}" in answer.text
    assert "22AB.C.Corrector" in answer.text
    assert "corrector@school.nl" in answer.text
    assert ADMIN_LOGIN not in answer.text  # the administrator who added them is not listed
    pdf = await client.get("/profile/my-data.pdf")
    assert (200, "application/pdf") == (pdf.status_code, pdf.headers["content-type"])
    assert pdf.content.startswith(b"%PDF")
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(actor=corrector).items
    exported = [event for event in events if event.action == "privacy.exported"]
    assert 2 == len(exported)
    assert {f"account:{corrector}"} == {event.subject for event in exported}


@pytest.mark.req("AUTH-10")
async def test_the_profile_saves_names_phone_and_language(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    page = await client.get("/profile")
    assert ADMIN_LOGIN in page.text
    assert "admin@school.nl" in page.text
    saved = await submit(
        client,
        "/profile",
        "/profile",
        {
            "first_name": "Kees",
            "last_name": "Beheer",
            "phone": "050 599 7799",
            "preferred_lang": "en",
        },
    )
    assert (303, "/profile?saved=yes") == (saved.status_code, saved.headers["location"])
    with kit.backend.begin(readonly=True) as uow:
        stored = uow.accounts.get(ADMIN)
    assert ("Kees", "Beheer", "050 599 7799", "en", "admin@school.nl") == (
        stored.first_name,
        stored.last_name,
        stored.phone,
        stored.lang,
        stored.email,
    )
    assert "Uw gegevens zijn opgeslagen." in (await client.get("/profile?saved=yes")).text
    empty = await submit(client, "/profile", "/profile", {"first_name": "", "last_name": ""})
    assert 422 == empty.status_code
    assert 'role="alert"' in empty.text
    with kit.backend.begin(readonly=True) as uow:
        assert "Kees" == uow.accounts.get(ADMIN).first_name


@pytest.mark.req("AUTH-10", "AUTH-1", "WEB-2")
async def test_changing_the_password_ends_every_other_session_and_keeps_this_one(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await sign_in(client, kit)
    other, _ = kit.web_sessions.start(ADMIN)
    page = await client.get("/profile/password")
    assert "het moet bestaan uit minimaal 8 tekens" in page.text
    wrong = await submit(
        client,
        "/profile/password",
        "/profile/password",
        {"old_password": "Niet-het-oude-1", "new_password": NEW_PASSWORD},
    )
    assert 403 == wrong.status_code
    assert "Het huidige wachtwoord is niet correct." in wrong.text
    weak = await submit(
        client,
        "/profile/password",
        "/profile/password",
        {"old_password": ADMIN_PASSWORD, "new_password": "aaa bbb"},
    )
    assert 422 == weak.status_code
    assert weak.text.count("<li>") > len(kit.password_policy.all_rules)  # rules + problems
    first, second = await post_again(
        client,
        "/profile/password",
        "/profile/password",
        {"old_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert (303, 409) == (first.status_code, second.status_code)
    said = await client.get(first.headers["location"])
    assert "Uw wachtwoord is gewijzigd" in said.text
    assert 200 == (await client.get("/profile")).status_code
    client.cookies.set(SESSION_COOKIE, other, domain="portal.school.nl")
    assert 303 == (await client.get("/profile", follow_redirects=False)).status_code
    client.cookies.clear()
    await sign_in(client, kit, password=NEW_PASSWORD)


@pytest.mark.req("AUTH-10", "NOTE-1")
async def test_the_e_mail_address_changes_with_the_password_and_the_mailed_link(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    wrong = await submit(
        client,
        "/profile/email",
        "/profile/email",
        {"email": "karin@nieuw.nl", "password": "Niet-het-oude-1"},
    )
    assert 403 == wrong.status_code
    assert "Het huidige wachtwoord is niet correct." in wrong.text
    same = await submit(
        client,
        "/profile/email",
        "/profile/email",
        {"email": "admin@school.nl", "password": ADMIN_PASSWORD},
    )
    assert 422 == same.status_code
    bad = await submit(
        client,
        "/profile/email",
        "/profile/email",
        {"email": "geen-adres", "password": ADMIN_PASSWORD},
    )
    assert 422 == bad.status_code
    assert [] == [m for m in mailer(kit).outbox if m.kind.startswith("auth.email")]
    asked = await submit(
        client,
        "/profile/email",
        "/profile/email",
        {"email": "karin@nieuw.nl", "password": ADMIN_PASSWORD},
    )
    assert (303, "/profile/email/sent") == (asked.status_code, asked.headers["location"])
    assert [
        ("auth.email_confirm", ("karin@nieuw.nl",)),
        ("auth.email_notice", ("admin@school.nl",)),
    ] == [(m.kind, m.to) for m in mailer(kit).outbox if m.kind.startswith("auth.email")]
    assert "admin@school.nl" == email_of(kit, ADMIN)  # not yet: the link first
    link = mailed_link(kit, "auth.email_confirm")
    assert link.startswith("/profile/email/confirm?token=")
    confirm_page = await client.get(link)
    assert "admin@school.nl" == email_of(kit, ADMIN)  # opening the link changes nothing
    token = re.search(r'name="token" value="([^"]+)"', confirm_page.text)
    assert token is not None
    confirmed = await submit(client, link, "/profile/email/confirm", {"token": token.group(1)})
    assert (303, "/profile/email/confirmed") == (
        confirmed.status_code,
        confirmed.headers["location"],
    )
    assert "karin@nieuw.nl" == email_of(kit, ADMIN)
    again = await submit(client, link, "/profile/email/confirm", {"token": token.group(1)})
    assert 404 == again.status_code
    assert "onbekend, al gebruikt of verlopen" in again.text


def test_the_portal_names_its_own_pages_for_examkit_s_links() -> None:
    """The links in examkit's e-mails lead to the portal's routes, written out here."""
    from portal._config import PATHS

    base = "https://portal.school.nl"
    assert (
        f"{base}/sign-in",
        f"{base}/sign-in/reset?token=t",
        f"{base}/profile/email/confirm?token=t",
        f"{base}/invitations/t",
    ) == (
        PATHS.link(base, PATHS.sign_in),
        PATHS.link(base, PATHS.reset, "t"),
        PATHS.link(base, PATHS.email_confirm, "t"),
        PATHS.link(base, PATHS.invitation, "t"),
    )


@pytest.mark.req("WEB-2", "AUTH-10")
async def test_a_second_submission_of_the_e_mail_change_mails_nothing_more(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    first, second = await post_again(
        client,
        "/profile/email",
        "/profile/email",
        {"email": "karin@nieuw.nl", "password": ADMIN_PASSWORD},
    )
    assert (303, 409) == (first.status_code, second.status_code)
    assert 1 == len([m for m in mailer(kit).outbox if m.kind == "auth.email_confirm"])


@pytest.mark.req("WEB-2", "AUTH-10")
async def test_a_password_change_in_the_request_that_renews_the_session_keeps_the_user_signed_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """A role granted meanwhile makes the request renew the session; the change's own new
    session is the one the browser keeps (not the renewed one, which the change ended)."""
    await sign_in(client, kit)
    page = await client.get("/profile/password")
    kit.grants.grant_role(ADMIN, ADMIN, "facet.proctor", at=[L00])  # the session must renew
    changed = await client.post(
        "/profile/password",
        data={
            "old_password": ADMIN_PASSWORD,
            "new_password": NEW_PASSWORD,
            "form_token": form_token_of(page.text),
        },
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 303 == changed.status_code
    sessions = [v for k, v in changed.headers.multi_items() if k == "set-cookie"]
    assert 1 == sum(value.startswith(f"{SESSION_COOKIE}=") for value in sessions)
    assert 200 == (await client.get("/profile", follow_redirects=False)).status_code
