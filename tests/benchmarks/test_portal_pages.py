"""benchmarks/portal_pages.py finds every signed-in page, fills its path and builds its baseline.

The benchmark must measure pages other developers add later without being
edited: these tests add pages to the portal the way an area would and check
that they are found, filled from the data set or listed as skipped with a
reason, that the viewer is given a role for each of their actions, and that
the baseline renders exactly the page the real endpoint rendered.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the benchmarks, as scripts do

import httpx
import pytest
from benchmarks._portal_server import (
    HOST,
    PageRoute,
    _portal_of,
    build_portal,
    capture,
    make_baseline,
    session_cookie,
    signed_in_pages,
)
from benchmarks.portal_pages import (
    SMOKE_SIZE,
    DataSet,
    build_data_set,
    fill_paths,
    give_every_needed_role,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from examkit import Examkit
from examkit.errors import NotFound
from examkit.permissions import MATRIX, ScopeKind, load_actor
from portal._base import Area, Viewer, allowed, public, signed_in


class LaterPages(Area):
    """Pages as another area would add them: a filled one, an unfillable one, a file."""

    def routes(self) -> list[Route]:
        return [
            Route("/later/users/{account_id}", self.user, methods=["GET"]),
            Route("/later/things/{thing}", self.thing, methods=["GET"]),
            Route("/later/export", self.export, methods=["GET"]),
            Route("/later/open", self.open, methods=["GET"]),
        ]

    @allowed("facet.users.edit")
    async def user(self, request: Request, viewer: Viewer) -> Response:
        account = request.path_params["account_id"]
        try:
            found = await self.portal.call(self._account, account)
        except NotFound as error:
            return self.portal.refusal(request, error)
        return self.portal.message(request, found)

    def _account(self, account: str) -> str:
        with self.portal.kit.backend.begin(readonly=True) as uow:
            return uow.accounts.get(account).full_name

    @signed_in
    async def thing(self, request: Request, viewer: Viewer) -> Response:
        return self.portal.message(request, "nothing", 404)

    @signed_in
    async def export(self, request: Request, viewer: Viewer) -> Response:
        return JSONResponse({"rows": []})

    @public
    async def open(self, request: Request) -> Response:
        return self.portal.message(request, "open")


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[tuple[Examkit, Starlette, DataSet]]:
    kit, app = build_portal(f"sqlite:///{tmp_path / 'portal.db'}", 8000)
    app.router.routes.extend(LaterPages(_portal_of(app)).routes())
    data = build_data_set(kit, SMOKE_SIZE, 1)
    yield kit, app, data
    kit.close()


def test_the_signed_in_get_pages_come_from_the_router(
    portal: tuple[Examkit, Starlette, DataSet],
) -> None:
    _, app, _ = portal
    pages = {page.path: page for page in signed_in_pages(app)}
    later = {path for path in pages if path.startswith("/later/")}
    assert {"/later/users/{account_id}", "/later/things/{thing}", "/later/export"} == later
    assert "/" in pages
    assert ("facet.users.edit",) == pages["/later/users/{account_id}"].actions
    assert ("account_id",) == pages["/later/users/{account_id}"].params
    assert () == pages["/"].actions


def test_a_later_page_is_filled_from_the_data_set_and_the_others_are_listed_skipped(
    portal: tuple[Examkit, Starlette, DataSet],
) -> None:
    kit, app, data = portal
    pages = signed_in_pages(app)
    assert [] == give_every_needed_role(kit, data, pages)
    cookie, _ = kit.web_sessions.start(data.admin)
    filled, skipped = fill_paths(app, pages, data.values, cookie)
    assert "/" == filled["/"]
    assert f"/later/users/{data.values['account']}" == filled["/later/users/{account_id}"]
    assert {"/later/things/{thing}", "/later/export"} == {
        path for path in skipped if path.startswith("/later/")
    }
    assert "no filling from the data set answers 200" in skipped["/later/things/{thing}"]
    assert "renders no template through Portal.page" in skipped["/later/export"]
    # the portal's own pages: every one filled but its downloads, a page after a POST and the
    # privacy pages, which name their person in the query (the filler fills paths only)
    own = {path: why for path, why in skipped.items() if not path.startswith("/later/")}
    by_query = {
        "/privacy/person",
        "/privacy/person/export.json",
        "/privacy/person/export.pdf",
        "/privacy/erase",
    }
    assert {"/imports/confirmed", *by_query} == {
        path for path, why in own.items() if "renders no template" not in why
    }
    downloads = own.keys() - {"/imports/confirmed", *by_query}
    assert all(path.endswith((".pdf", ".csv", ".zip", ".json")) for path in downloads)
    assert {"/profile/my-data.json", "/profile/my-data.pdf"} <= downloads
    values = data.values
    assert {
        "/monitor/groups/{group}": f"/monitor/groups/{values['today_group']}",
        "/correction/{group}/score/{candidate}": (
            f"/correction/{values['correcting_group']}/score/{values['correcting_candidate']}"
        ),
        "/review/{group}/{candidate}": (
            f"/review/{values['corrected_group']}/{values['reviewed_candidate']}"
        ),
        "/flemish/{registration}/import/{preview}": (
            f"/flemish/{values['registration']}/import/{values['flemish_import']}"
        ),
        "/flemish/{registration}/logbook": f"/flemish/{values['registration']}/logbook",
    }.items() <= filled.items()


def test_the_monitor_s_pages_are_signed_in_pages_and_their_baseline_checks_the_session(
    portal: tuple[Examkit, Starlette, DataSet],
) -> None:
    kit, app, data = portal
    pages = {page.path: page for page in signed_in_pages(app)}
    assert pages["/monitor"].monitor
    assert not pages["/"].monitor
    assert ("facet.monitor.groups", "facet.ft.monitor.groups") == pages["/monitor"].actions
    cookie, _ = kit.web_sessions.start(data.admin)
    real = _get_all(app, ["/monitor"], cookie)
    rendered, statuses = asyncio.run(capture(app, {"/monitor": "/monitor"}, cookie))
    assert {"/monitor": 200} == statuses
    make_baseline(app, rendered)
    assert real == _get_all(app, ["/monitor"], cookie)
    assert "" == _get_all(app, ["/monitor"], "")[0]  # signed out: sent to sign in


def test_the_viewer_gets_a_role_for_every_action_a_page_may_be_allowed_for(
    portal: tuple[Examkit, Starlette, DataSet],
) -> None:
    kit, _, data = portal
    actions = sorted(
        {
            action
            for role in MATRIX.roles.values()
            if role.scope in {ScopeKind.LOCATIONS, ScopeKind.SYSTEM}
            for action in role.actions
        }
    )
    pages = [PageRoute(f"/p{n}", (), (action,)) for n, action in enumerate(actions)]
    assert [] == give_every_needed_role(kit, data, pages)
    with kit.backend.begin(readonly=True) as uow:
        actor = load_actor(uow, data.admin)
    assert [] == [action for action in actions if not actor.may(action)]


def _without_tokens(html: str) -> str:
    return re.sub(r'name="form_token" value="[^"]+"', 'name="form_token" value=""', html)


def test_the_baseline_renders_the_page_the_real_endpoint_rendered(
    portal: tuple[Examkit, Starlette, DataSet],
) -> None:
    kit, app, data = portal
    cookie, _ = kit.web_sessions.start(data.admin)
    path = f"/later/users/{data.values['account']}"
    real = _get_all(app, ["/", path], cookie)
    rendered, statuses = asyncio.run(capture(app, {"/": "/", path: path}, cookie))
    assert {"/": 200, path: 200} == statuses
    assert "home.html" == rendered["/"].template
    make_baseline(app, {"/": rendered["/"], "/later/users/{account_id}": rendered[path]})
    served = _get_all(app, ["/", path, "/later/users/someone-else"], cookie)
    assert [_without_tokens(page) for page in real] == [
        _without_tokens(page) for page in served[:2]
    ]
    assert served[1] == served[2]  # the captured context, whatever the path says
    signed_out = _get_all(app, ["/"], "")
    assert "" == signed_out[0]  # the baseline still looks the session up: a redirect


def _get_all(app: Starlette, paths: list[str], cookie: str) -> list[str]:
    async def get() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        cookies = {session_cookie(): cookie} if cookie else {}
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{HOST}", cookies=cookies
        ) as client:
            return [(await client.get(path)).text for path in paths]

    return asyncio.run(get())
