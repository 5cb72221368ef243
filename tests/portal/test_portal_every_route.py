# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Rules every route keeps, checked over the router (a new route is covered without a new test).

- A signed-out visitor of a signed-in page is sent to the sign-in page.
- A cross-site POST is refused with 403 before anything else is looked at,
  even from a signed-in user allowed the page (the cross-site check comes
  first, before a path parameter is even read), and nothing is mailed. The
  one exception is SAML's assertion consumer service, another site's POST by
  design (AUTH-13), and the list of exceptions holds it alone; beside the
  pages, the one mounted application is the offline servers' sync endpoint
  (SCH-8), with its own authentication.
- Every signed-in page says ``Cache-Control: no-store``.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import Mount, Route
from tests.portal.conftest import enter_as, portal_config
from tests.school import ADMIN

from examkit import Examkit
from examkit.testing import RecordingMailer
from portal import create_app

pytestmark = pytest.mark.anyio


def routes(kit: Examkit, method: str, *, cross_site: bool = False) -> list[tuple[str, object]]:
    """Each route of *method*: its path with every parameter filled in, and its access.

    Without *cross_site*, the routes declared to take another site's POST are left out.
    """
    found = []
    for route in create_app(kit, portal_config()).routes:
        if isinstance(route, Route) and method in (route.methods or set()):
            if getattr(route.endpoint, "cross_site", False) and not cross_site:
                continue
            path = re.sub(r"\{[^}]+\}", "x0", route.path)
            found.append((path, getattr(route.endpoint, "access", None)))
    return found


@pytest.mark.req("WEB-2", "AUTH-13")
def test_the_saml_assertion_consumer_service_is_the_only_route_open_to_other_sites(
    kit: Examkit,
) -> None:
    every = set(routes(kit, "POST", cross_site=True))
    exempt = every - set(routes(kit, "POST"))
    assert {("/sign-in/entree/x0/acs", "public")} == exempt


@pytest.mark.req("WEB-2", "SCH-8")
def test_the_one_application_beside_the_pages_is_the_offline_sync_endpoint(kit: Examkit) -> None:
    mounted = [
        (route.path, type(route.app).__name__)
        for route in create_app(kit, portal_config()).routes
        if isinstance(route, Mount)
    ]
    assert [("/offline-sync", "SyncEndpoint")] == mounted


@pytest.mark.req("WEB-2")
async def test_a_signed_out_visitor_of_any_signed_in_page_goes_to_the_sign_in_page(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    pages = [path for path, access in routes(kit, "GET") if access != "public"]
    assert pages
    for path in pages:
        answer = await client.get(path, follow_redirects=False)
        assert (303, "/sign-in") == (answer.status_code, answer.headers.get("location")), path


@pytest.mark.req("WEB-2")
async def test_a_cross_site_post_to_any_route_is_refused_first_even_when_signed_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    assert isinstance(kit.mailer, RecordingMailer)
    before = len(kit.mailer.outbox)
    enter_as(client, kit, ADMIN)
    for path, _ in routes(kit, "POST"):
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            answer = await client.post(path, data={}, headers=headers, follow_redirects=False)
            assert 403 == answer.status_code, (path, headers)
    assert before == len(kit.mailer.outbox)


@pytest.mark.req("WEB-2")
async def test_every_signed_in_page_says_no_store(client: httpx.AsyncClient, kit: Examkit) -> None:
    enter_as(client, kit, ADMIN)
    for path, access in routes(kit, "GET"):
        if access == "public" or "x0" in path:
            continue
        answer = await client.get(path, follow_redirects=False)
        assert "no-store" == answer.headers["cache-control"], path
