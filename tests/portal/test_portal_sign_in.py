# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The reference portal's first slice over HTTP (issue 22: WEB-1, WEB-2), on an SQLite file.

Every route through the ASGI app (``httpx.ASGITransport``): the
routes come from the router, and one that declares no access fails; staff
sign in with password, the e-mailed code and a trusted browser; the session
is examkit's own record behind an opaque cookie; sign-out ends it and the
pages say ``no-store``; a cross-site POST is refused.
"""

from __future__ import annotations

import httpx
import pytest
from tests.portal.conftest import ORIGIN, form_token_of, mailed_code, sign_in, submit
from tests.school import ADMIN_LOGIN, ADMIN_PASSWORD

from examkit import Examkit
from examkit.testing import RecordingMailer

LOGIN, PASSWORD = ADMIN_LOGIN, ADMIN_PASSWORD

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/"): "signed_in",
    ("GET", "/sign-in"): "public",
    ("POST", "/sign-in"): "public",
    ("GET", "/sign-in/password"): "public",
    ("POST", "/sign-in/password"): "public",
    ("GET", "/sign-in/code"): "public",
    ("POST", "/sign-in/code"): "public",
    ("POST", "/sign-out"): "public",
    ("GET", "/signed-out"): "public",
    ("GET", "/static/{name}"): "public",
    ("GET", "/health"): "public",
}

pytestmark = pytest.mark.anyio


@pytest.mark.req("WEB-1", "WEB-2", "AUTH-3")
async def test_staff_sign_in_with_the_mailed_code_reaches_the_home_page(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    assert "/sign-in" == (await client.get("/", follow_redirects=False)).headers["location"]
    await sign_in(client, kit)
    cookie = client.cookies.get("__Host-session")
    assert cookie is not None
    home = await client.get("/")
    assert 200 == home.status_code
    assert "Welkom, Karin Beheerder" in home.text
    assert "Beheerder" in home.text
    assert "no-store" == home.headers["cache-control"]
    with kit.backend.begin(readonly=True) as uow:
        stored = uow.web_sessions.list_for_account("admin")
    assert 1 == len(stored)
    assert cookie not in repr(stored)


@pytest.mark.req("WEB-2")
async def test_the_session_cookie_is_host_only_secure_http_only_and_lax(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    first = await submit(
        client, "/sign-in", "/sign-in", {"login_name": LOGIN, "password": PASSWORD}
    )
    done = await submit(client, "/sign-in/code", "/sign-in/code", {"code": mailed_code(kit)})
    set_cookies = [value for name, value in done.headers.multi_items() if name == "set-cookie"]
    session = next(value for value in set_cookies if value.startswith("__Host-session="))
    flags = {part.strip().lower() for part in session.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax", "secure"} <= flags
    assert not any(flag.startswith("domain") for flag in flags)
    assert first.status_code == 303


@pytest.mark.req("WEB-2")
async def test_sign_out_ends_the_session_for_good(client: httpx.AsyncClient, kit: Examkit) -> None:
    await sign_in(client, kit)
    old = client.cookies.get("__Host-session")
    assert old is not None
    out = await submit(client, "/", "/sign-out", {})
    assert (303, '"cache"') == (out.status_code, out.headers["clear-site-data"])
    client.cookies.set("__Host-session", old, domain="portal.school.nl")
    assert "/sign-in" == (await client.get("/", follow_redirects=False)).headers["location"]


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": ORIGIN},
        {},
    ],
)
async def test_a_cross_site_post_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit, headers: dict[str, str]
) -> None:
    assert isinstance(kit.mailer, RecordingMailer)
    refused = await client.post(
        "/sign-in",
        data={"login_name": LOGIN, "password": PASSWORD},
        headers=headers,
        follow_redirects=False,
    )
    assert 403 == refused.status_code
    assert [] == [message for message in kit.mailer.outbox if message.kind == "auth.otp"]


@pytest.mark.req("WEB-2", "AUTH-4")
async def test_a_trusted_browser_skips_the_code_next_time(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    await sign_in(client, kit, trust=True)
    await submit(client, "/", "/sign-out", {})
    again = await submit(
        client, "/sign-in", "/sign-in", {"login_name": LOGIN, "password": PASSWORD}
    )
    assert (303, "/") == (again.status_code, again.headers["location"])


@pytest.mark.req("WEB-1", "AUTH-5")
async def test_a_wrong_password_is_shown_in_the_chosen_language_and_no_session_starts(
    client: httpx.AsyncClient,
) -> None:
    wrong = await submit(
        client,
        "/sign-in?lang=en",
        "/sign-in?lang=en",
        {"login_name": LOGIN, "password": "Verkeerd-wachtwoord-1"},
    )
    assert 403 == wrong.status_code
    assert 'lang="en"' in wrong.text
    assert 'role="alert"' in wrong.text
    assert client.cookies.get("__Host-session") is None


@pytest.mark.req("WEB-2")
async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    page = await client.get("/sign-in")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert ("same-origin", "nosniff") == (
        page.headers["referrer-policy"],
        page.headers["x-content-type-options"],
    )


@pytest.mark.req("PLAT-1")
async def test_the_health_endpoint_answers_from_the_kit(client: httpx.AsyncClient) -> None:
    answer = await client.get("/health")
    assert 200 == answer.status_code
    assert {"ok": True, "storage": "ok", "schema": "current"} == {
        key: answer.json()[key] for key in ("ok", "storage", "schema")
    }


@pytest.mark.req("WEB-2")
async def test_a_second_submission_of_one_form_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """The same page posted twice (a double click): one code mailed, the second refused 409."""
    assert isinstance(kit.mailer, RecordingMailer)
    shown = await client.get("/sign-in")
    data = {"login_name": LOGIN, "password": PASSWORD, "form_token": form_token_of(shown.text)}
    first = await client.post("/sign-in", data=data, headers={"Origin": ORIGIN})
    second = await client.post(
        "/sign-in", data=data, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert (303, 409) == (first.status_code, second.status_code)
    assert 1 == len([message for message in kit.mailer.outbox if message.kind == "auth.otp"])
    forged = await client.post(
        "/sign-in",
        data={**data, "form_token": "made-up"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 409 == forged.status_code


@pytest.mark.req("WEB-1", "ROLE-2")
async def test_the_sign_in_asks_which_system_and_admits_only_to_one_the_user_has_a_role_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    page = (await client.get("/sign-in")).text
    assert '<option value="facet" selected>' not in page  # nothing chosen yet: the first shows
    for code in ("facet", "cito_lvs", "examkit"):
        assert f'<option value="{code}"' in page
    refused = await submit(
        client,
        "/sign-in",
        "/sign-in",
        {"login_name": LOGIN, "password": PASSWORD, "application": "cito_lvs"},
    )
    assert 403 == refused.status_code
    assert '<option value="cito_lvs" selected>' in refused.text
    assert client.cookies.get("__Host-signin") is None
