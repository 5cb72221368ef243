"""Who reaches the proctor monitor: a monitor session of its own, or the portal's session.

The monitor is signed into with the monitor's rule (AUTH-9: the same name
and password, no e-mailed code), so the session that sign-in starts is a
monitor session (:class:`examkit.websessions.SessionScope` ``MONITOR``)
in a cookie of its own: it opens the monitor's pages and nothing else, and
lapses on the monitor's own timeouts. A proctor who signed in to the portal
in full reaches the monitor with that session as well. Each monitor page is
declared with :func:`on_monitor` and the matrix actions it needs; the use
cases decide about the exact group.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from examkit.errors import InvalidState, NotFound, NotPermitted
from examkit.scheduling import MonitorGroup
from examkit.websessions import SessionScope
from portal._base import SESSION, A, Endpoint, Portal, SignedInEndpoint, Viewer
from portal._security import clear_cookie, cookie_name, set_cookie

MONITOR_COOKIE: Final = "monitor"
"""The monitor session's cookie (``__Host-monitor`` on https)."""

MONITOR_SIGN_IN: Final = "/monitor/sign-in"
"""The monitor's own sign-in page."""


async def monitor_viewer(portal: Portal, request: Request) -> tuple[Viewer | None, str | None]:
    """Return the user of the request's monitor session and its renewed id, or ``None``s."""
    token = request.cookies.get(cookie_name(MONITOR_COOKIE, portal.config))
    if not token:
        return None, None
    users = portal.kit.web_sessions
    renewed: str | None = None
    try:
        user = await portal.call(users.user, token, area=SessionScope.MONITOR)
    except InvalidState:
        try:
            renewed = await portal.call(users.renew, token)
            user = await portal.call(users.user, renewed, area=SessionScope.MONITOR)
        except (InvalidState, NotPermitted, NotFound):
            return None, None
    except (NotPermitted, NotFound):
        return None, None
    return Viewer(user.account, user.actor), renewed


def on_monitor(*actions: str) -> Callable[[SignedInEndpoint[A]], Endpoint[A]]:
    """Declare a monitor page for users allowed one of *actions*, by either session.

    The portal's session comes first (its navigation shows); else the
    monitor's. Signed out, the visitor goes to the portal's sign-in page, or
    to the monitor's when the browser still holds a lapsed monitor session
    (whose cookie is cleared). A poll of the page (htmx) that finds the
    session lapsed is sent there whole (``HX-Redirect``), not swapped into
    the table.
    """

    def declare(endpoint: SignedInEndpoint[A]) -> Endpoint[A]:
        @wraps(endpoint)
        async def guarded(self: A, request: Request) -> Response:
            portal = self.portal
            viewer = await portal.viewer(request)
            renewed_monitor: str | None = None
            if viewer is not None:
                request.state.viewer = viewer
            else:
                viewer, renewed_monitor = await monitor_viewer(portal, request)
            if viewer is None:
                return _signed_out(portal, request)
            request.state.monitor_viewer = viewer
            if not viewer.may(*actions):
                _ = portal.gettext(request)
                response = portal.message(request, _("This page is not for you."), 403)
            else:
                response = await endpoint(self, request, viewer)
            if viewer.renewed is not None:
                set_cookie(response, SESSION, viewer.renewed, portal.config, max_age=None)
            if renewed_monitor is not None:
                set_cookie(response, MONITOR_COOKIE, renewed_monitor, portal.config, max_age=None)
            return response

        guarded.access = ("monitor", actions)  # type: ignore[attr-defined]
        return guarded

    return declare


async def today_s_group(
    portal: Portal, viewer: Viewer, group_id: str, candidate: str | None = None
) -> MonitorGroup | None:
    """Return group *group_id* as *viewer*'s monitor shows it today, or ``None``.

    With *candidate*, the group with that candidate's line only.
    """
    monitor = await portal.call(
        portal.kit.proctoring.monitor, viewer.id, group=group_id, candidate=candidate
    )
    return next((group for group in monitor.groups if group.id == group_id), None)


def not_today(portal: Portal, request: Request) -> Response:
    """The 404 page of a group that is not on the viewer's monitor today."""
    _ = portal.gettext(request)
    return portal.message(request, _("This group is not on your monitor today."), 404)


def _signed_out(portal: Portal, request: Request) -> Response:
    """Send a signed-out visitor of a monitor page to a sign-in page."""
    had_monitor = cookie_name(MONITOR_COOKIE, portal.config) in request.cookies
    where = MONITOR_SIGN_IN if had_monitor else "/sign-in"
    if request.headers.get("hx-request") == "true":
        response = Response(status_code=204, headers={"HX-Redirect": where})
    else:
        response = portal.to(where)
    if had_monitor:
        clear_cookie(response, MONITOR_COOKIE, portal.config)
    return response
