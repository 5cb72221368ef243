"""The proctor monitor (*afnamemonitor*, seed 004 §4.2): the day's groups, live, and their moves.

The proctor signs in with the monitor's rule (AUTH-9: the same name and
password, no code), which starts a monitor session of its own
(:mod:`portal._monitor_access`); a proctor signed in to the portal in full
reaches it too. The monitor lists the proctor's groups of the day; a
group's page shows its state and access code, releases it (*vrijgeven*:
the code and the slips to print, SCH-6), blocks it and releases it again,
closes it (SCH-3), and shows each candidate's state, updated every two
seconds without a reload (SCH-4): htmx polls the table's body, and a
summary sentence that screen readers hear politely. The candidates' moves
are in :mod:`portal._monitor_candidates`, the session report in
:mod:`portal._monitor_report`.
"""

from __future__ import annotations

from functools import partial
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.documents import access_slips_pdf
from examkit.errors import ExamkitError
from examkit.problems import http_status
from examkit.scheduling import GroupState, MonitorGroup
from examkit.websessions import SessionScope
from portal._base import Area, NavEntry, Viewer, public
from portal._i18n import N_
from portal._monitor_access import MONITOR_COOKIE, not_today, on_monitor, today_s_group
from portal._monitor_candidates import MonitorCandidatePages
from portal._monitor_report import MonitorReportPages, exam_title
from portal._monitor_views import group_view, summary
from portal._offline_status import sync_status
from portal._security import clear_cookie, client_address, cookie_name, set_cookie

GROUPS: Final = ("facet.monitor.groups", "facet.ft.monitor.groups")
"""Who sees the monitor: the proctor and the FT proctor."""

MOVES: Final[dict[str, tuple[str, ...]]] = {
    "release": ("facet.monitor.release", "facet.ft.monitor.release"),
    "block": ("facet.monitor.block", "facet.ft.monitor.block"),
    "close": ("facet.monitor.close", "facet.ft.monitor.close"),
}
"""The group's moves on the monitor and the actions that show each."""

OFFERED: Final[dict[str, frozenset[GroupState]]] = {
    "release": frozenset({GroupState.PLANNED, GroupState.BLOCKED}),
    "block": frozenset({GroupState.RELEASED}),
    "close": frozenset({GroupState.RELEASED, GroupState.BLOCKED}),
}
"""The group states whose page offers each move (the lifecycle decides in the end)."""

CODE: Final = ("facet.monitor.access_code", "facet.ft.monitor.access_code")
"""Who gets the access code and its slips."""


class MonitorPages(Area):
    """The monitor's sign-in, the day's groups, a group live, its release, block and close."""

    navigation = (NavEntry("/monitor", N_("Proctor monitor"), GROUPS),)

    def routes(self) -> list[Route]:
        """Return the monitor's routes (the candidates' and the report's too)."""
        return [
            Route("/monitor/sign-in", self.sign_in_page, methods=["GET"]),
            Route("/monitor/sign-in", self.sign_in, methods=["POST"]),
            Route("/monitor/sign-out", self.sign_out, methods=["POST"]),
            Route("/monitor", self.day_page, methods=["GET"]),
            Route("/monitor/groups/{group}", self.group_page, methods=["GET"]),
            Route("/monitor/groups/{group}/rows", self.rows, methods=["GET"]),
            Route("/monitor/groups/{group}/release", self.release, methods=["POST"]),
            Route("/monitor/groups/{group}/block", self.block, methods=["POST"]),
            Route("/monitor/groups/{group}/close", self.close, methods=["POST"]),
            Route("/monitor/groups/{group}/slips.pdf", self.slips, methods=["GET"]),
            *MonitorCandidatePages(self.portal).routes(),
            *MonitorReportPages(self.portal).routes(),
        ]

    # -- signing in and out ------------------------------------------------------------------

    @public
    async def sign_in_page(self, request: Request) -> Response:
        """The monitor's sign-in form."""
        return await self.portal.form_page(request, "monitor/sign_in.html", "monitor")

    @public
    async def sign_in(self, request: Request) -> Response:
        """Check name and password by the monitor's rule; start a monitor session.

        The answer goes to the monitor; with the password's expiry near, it
        first shows the monitor's warning (AUTH-9).
        """
        portal = self.portal
        data = await portal.accepted(request, "monitor")
        if isinstance(data, Response):
            return data
        kit, lang = portal.kit, portal.lang(request)
        login_name = str(data.get("login_name", ""))
        try:
            result = await portal.hashing_call(
                partial(
                    kit.sign_in_monitor.monitor_sign_in,
                    login_name,
                    str(data.get("password", "")),
                    ip=client_address(request, portal.config),
                )
            )
            token, _ = await portal.call(
                partial(kit.web_sessions.start, result.account_id, scope=SessionScope.MONITOR)
            )
        except ExamkitError as error:
            return await portal.form_page(
                request,
                "monitor/sign_in.html",
                "monitor",
                http_status(error),
                error=error.message(lang),
                login_name=login_name,
            )
        earlier = request.cookies.get(cookie_name(MONITOR_COOKIE, portal.config))
        if earlier:
            await portal.call(kit.web_sessions.end, earlier)
        warning = kit.sign_in_monitor.monitor_warning(result, lang)
        response: Response
        if warning is None:
            response = portal.to("/monitor")
        else:
            response = portal.page(request, "monitor/warning.html", warning=warning)
        set_cookie(response, MONITOR_COOKIE, token, portal.config, max_age=None)
        return response

    @public
    async def sign_out(self, request: Request) -> Response:
        """End the monitor session for good (the portal's session, if any, is left alone)."""
        portal = self.portal
        if isinstance(refusal := await portal.accepted(request, "monitor-sign-out"), Response):
            return refusal
        token = request.cookies.get(cookie_name(MONITOR_COOKIE, portal.config))
        if token:
            await portal.call(portal.kit.web_sessions.end, token)
        response = portal.to("/monitor/sign-in")
        clear_cookie(response, MONITOR_COOKIE, portal.config)
        response.headers["Clear-Site-Data"] = '"cache"'
        return response

    # -- the day and one group ---------------------------------------------------------------

    @on_monitor(*GROUPS)
    async def day_page(self, request: Request, viewer: Viewer) -> Response:
        """The proctor's groups of the day, each a link to its page."""
        portal = self.portal
        gettext = portal.gettext(request)
        monitor = await portal.call(portal.kit.proctoring.monitor, viewer.id, lines=False)
        monitor_only = getattr(request.state, "viewer", None) is None
        token = (
            await portal.call(portal.kit.form_tokens.issue, "monitor-sign-out")
            if monitor_only
            else None
        )
        return portal.page(
            request,
            "monitor/day.html",
            day="-".join(reversed(monitor.day.split("-"))),
            groups=[group_view(group, gettext) for group in monitor.groups],
            monitor_only=monitor_only,
            form_token=token,
            sync=await sync_status(portal),
        )

    async def _group(self, request: Request, viewer: Viewer) -> MonitorGroup | None:
        """Return the path's group as the viewer's monitor shows it today, or ``None``."""
        return await today_s_group(self.portal, viewer, request.path_params["group"])

    async def render_group(
        self, request: Request, viewer: Viewer, status: int = 200, **context: object
    ) -> Response:
        """Render a group's page (its forms with fresh tokens); a group not shown: its refusal."""
        portal = self.portal
        kit, group_id = portal.kit, request.path_params["group"]

        def read() -> tuple[MonitorGroup | None, dict[str, str]]:
            """The group as the monitor shows it today and its moves' tokens: one worker trip."""
            monitor = kit.proctoring.monitor(viewer.id, group=group_id)
            group = next((found for found in monitor.groups if found.id == group_id), None)
            if group is None:
                return None, {}
            offered = {
                move
                for move, actions in MOVES.items()
                if group.state in OFFERED[move] and viewer.may(*actions) and group.held_by is None
            }
            issued = kit.form_tokens.issue_many([f"monitor-{move}" for move in sorted(offered)])
            return group, {move: issued[f"monitor-{move}"] for move in sorted(offered)}

        group, tokens = await portal.call(read)
        if group is None:
            return not_today(portal, request)
        gettext, ngettext = portal.gettext(request), portal.words[portal.lang(request)].ngettext
        return portal.page(
            request,
            "monitor/group.html",
            status,
            group=group_view(group, gettext),
            summary=summary(group, ngettext),
            tokens=tokens,
            may_code=viewer.may(*CODE),
            may_act=viewer.may("facet.monitor.intervene") and group.held_by is None,
            monitor_only=getattr(request.state, "viewer", None) is None,
            sync=await sync_status(portal),
            **context,
        )

    @on_monitor(*GROUPS)
    async def group_page(self, request: Request, viewer: Viewer) -> Response:
        """A group: its state, the access code, the moves and the candidates live."""
        done = request.query_params.get("done", "")
        return await self.render_group(request, viewer, done=done if done in MOVES else "")

    @on_monitor(*GROUPS)
    async def rows(self, request: Request, viewer: Viewer) -> Response:
        """The candidates' table and its summary, as the page polls them (no layout)."""
        portal = self.portal
        group = await self._group(request, viewer)
        if group is None:
            return not_today(portal, request)
        gettext, ngettext = portal.gettext(request), portal.words[portal.lang(request)].ngettext
        return portal.page(
            request,
            "monitor/_rows.html",
            group=group_view(group, gettext),
            summary=summary(group, ngettext),
            may_act=viewer.may("facet.monitor.intervene") and group.held_by is None,
        )

    # -- the group's moves -------------------------------------------------------------------

    async def move(self, request: Request, viewer: Viewer, move: str) -> Response:
        """Make the group's *move*; back to its page, or the page with the refusal."""
        portal = self.portal
        data = await portal.accepted(request, f"monitor-{move}")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        lifecycle = portal.kit.group_lifecycle
        reason = str(data.get("reason", "")).strip()
        try:
            if move == "release":
                await portal.call(lifecycle.release, viewer.id, group_id)
            elif move == "block":
                await portal.call(partial(lifecycle.block, viewer.id, group_id, reason=reason))
            else:
                await portal.call(partial(lifecycle.close, viewer.id, group_id, reason=reason))
        except ExamkitError as error:
            return await self.render_group(
                request, viewer, http_status(error), error=error.message(portal.lang(request))
            )
        return portal.to(f"/monitor/groups/{group_id}?done={move}")

    @on_monitor(*MOVES["release"])
    async def release(self, request: Request, viewer: Viewer) -> Response:
        """Release the group (*vrijgeven*; the first release draws the access code), or again."""
        return await self.move(request, viewer, "release")

    @on_monitor(*MOVES["block"])
    async def block(self, request: Request, viewer: Viewer) -> Response:
        """Block the group (*blokkeren*): sign-ins stop, the access code is kept."""
        return await self.move(request, viewer, "block")

    @on_monitor(*MOVES["close"])
    async def close(self, request: Request, viewer: Viewer) -> Response:
        """Close the group (*afsluiten*): once every test has ended and the report is complete."""
        return await self.move(request, viewer, "close")

    @on_monitor(*CODE)
    async def slips(self, request: Request, viewer: Viewer) -> Response:
        """The access-code slips of the group's candidates and their list, as a PDF (DOC-2)."""
        portal = self.portal
        group_id = request.path_params["group"]
        group = await self._group(request, viewer)
        if group is None:
            return not_today(portal, request)
        try:
            slips = await portal.call(portal.kit.group_lifecycle.access_slips, viewer.id, group_id)
        except ExamkitError as error:
            return portal.refusal(request, error)
        title = await exam_title(portal, group.exam)
        pdf = await portal.call(partial(access_slips_pdf, slips, test=title))
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="toegangscodes-{group_id}.pdf"'},
        )
