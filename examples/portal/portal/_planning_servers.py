"""The offline-server registry (*Beheren FAO's*, seed 004 §3.2, SCH-8).

The FAO administrator registers a location's offline servers (name and IP
address or host name), sees them with their state, edits them, and moves
them through their life: activate, deactivate, reactivate, delete (a
registered or deactivated one only). Only an active server can be chosen
for an offline group. examkit decides each step
(:class:`examkit.scheduling.OfflineServerRegistry`).
"""

from __future__ import annotations

from typing import Any, Final

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.offline import LocationServers, ServerSyncStatus, SyncConflict
from examkit.problems import http_status
from examkit.scheduling import SERVER_LIFECYCLE, OfflineServer, ServerState
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._planning_sync import conflict_view, status_view

VIEW: Final = "facet.fao.view"
"""Who sees the offline servers."""
MOVES: Final = {
    "activate": ("facet.fao.activate", N_("Activate")),
    "deactivate": ("facet.fao.deactivate", N_("Deactivate")),
    "reactivate": ("facet.fao.reactivate", N_("Reactivate")),
    "delete": ("facet.fao.delete", N_("Delete")),
}
"""Each move of a server: the action it needs and its button."""
STATES: Final = {
    ServerState.REGISTERED: N_("Registered, not yet active"),
    ServerState.ACTIVE: N_("Active"),
    ServerState.INACTIVE: N_("Deactivated"),
}
"""A server's state as the pages say it."""


@attrs.frozen
class ServerFacts:
    """What a server's page shows, read in one trip to a worker thread."""

    server: OfflineServer
    """The server."""
    status: ServerSyncStatus | None
    """Where its synchronisation stands."""
    conflicts: tuple[SyncConflict, ...]
    """Its conflicts, open ones first."""
    tokens: dict[str, str]
    """Its forms' one-time tokens, by form."""


class OfflineServerPages(Area):
    """A location's offline servers: the list and the registration, a server, its moves."""

    navigation = (NavEntry("/planning/servers", N_("Offline servers"), (VIEW,)),)

    def routes(self) -> list[Route]:
        """Return the offline servers' routes."""
        return [
            Route("/planning/servers", self.servers, methods=["GET"]),
            Route("/planning/servers", self.add, methods=["POST"]),
            Route("/planning/servers/{server}", self.server, methods=["GET"]),
            Route("/planning/servers/{server}", self.edit, methods=["POST"]),
            Route("/planning/servers/{server}/{event}", self.move, methods=["POST"]),
        ]

    async def _list(
        self, request: Request, viewer: Viewer, location: str = "", status: int = 200, **extra: Any
    ) -> Response:
        portal = self.portal
        _ = portal.gettext(request)
        chosen = location or request.query_params.get("location", "")
        try:
            found, token = await portal.call(self._listed, viewer, chosen, location)
        except ExamkitError as error:
            return portal.refusal(request, error)
        shown = "" if found.location is None else str(found.location)
        context: dict[str, Any] = {
            "locations": [str(code) for code in found.locations],
            "location": shown,
            "may_add": viewer.may("facet.fao.add"),
            "values": {},
            **extra,
        }
        if not shown:
            context["error"] = _("There is no location with offline servers for you.")
            return portal.page(request, "planning/servers.html", 403, **context)
        if location and shown != location:
            # a location posted that is not the viewer's: refused, as examkit refuses it
            context["location"] = location
            context["error"] = NotPermitted("permission.denied").message(portal.lang(request))
            return portal.page(request, "planning/servers.html", 403, **context)
        rows = [
            (
                server,
                _(STATES[server.state]),
                status_view(found.statuses.get(server.id)),
            )
            for server in found.servers
        ]
        return portal.page(
            request, "planning/servers.html", status, form_token=token, rows=rows, **context
        )

    def _listed(self, viewer: Viewer, chosen: str, posted: str) -> tuple[LocationServers, str]:
        """The servers of the location *chosen* and the register form's token: one trip.

        A location *posted* (the register form's, refused) the viewer may not
        view servers at gets no token: its page says so.
        """
        kit = self.portal.kit
        found = kit.offline_sync.location_servers(viewer.id, chosen or None)
        shown = "" if found.location is None else str(found.location)
        usable = bool(shown) and (not posted or shown == posted)
        return found, kit.form_tokens.issue("server-add") if usable else ""

    @allowed(VIEW)
    async def servers(self, request: Request, viewer: Viewer) -> Response:
        """A location's offline servers with their state; the form to register one."""
        return await self._list(request, viewer)

    @allowed("facet.fao.add")
    async def add(self, request: Request, viewer: Viewer) -> Response:
        """Register an offline server (it starts registered, not yet active)."""
        portal = self.portal
        data = await portal.accepted(request, "server-add")
        if isinstance(data, Response):
            return data
        location = str(data.get("location", ""))
        name, address = str(data.get("name", "")), str(data.get("address", ""))
        try:
            server = await portal.call(
                portal.kit.offline_servers.add_server,
                viewer.id,
                location=LocationCode(location),
                name=name,
                address=address,
            )
        except ExamkitError as error:
            return await self._list(
                request,
                viewer,
                location,
                http_status(error),
                error=error.message(portal.lang(request)),
                values={"name": name, "address": address},
            )
        return portal.to(f"/planning/servers/{server.id}")

    async def _find(self, viewer: Viewer, server_id: str) -> OfflineServer:
        """Return the server *server_id* among the viewer's locations' servers.

        Raises:
            NotFound: none of them has that id.
        """
        return await self.portal.call(self._found, viewer, server_id)

    def _found(self, viewer: Viewer, server_id: str) -> OfflineServer:
        """:meth:`_find`'s reads, in the worker thread they run in.

        Raises:
            NotFound: none of the viewer's locations' servers has that id.
        """
        kit = self.portal.kit
        for location in kit.planning_desk.locations(viewer.id, (VIEW,)):
            for server in kit.offline_servers.servers(viewer.id, location):
                if server.id == server_id:
                    return server
        raise NotFound("storage.not_found", field="server", kind="FAO", key=server_id)

    def _server_facts(self, viewer: Viewer, server_id: str) -> ServerFacts:
        """Return the server, its sync status, its conflicts and its page's form tokens.

        One trip to a worker thread.

        Raises:
            NotFound: none of the viewer's locations' servers has that id.
        """
        kit = self.portal.kit
        try:
            found = kit.offline_sync.server_sync(viewer.id, server_id)
        except NotPermitted as refused:  # another school's server: as if there were none
            raise NotFound("storage.not_found", field="server", kind="FAO", key=server_id) from (
                refused
            )
        tokens = kit.form_tokens.issue_many(
            ["server-move", "server-edit", "server-credential", "conflict-resolve"]
        )
        return ServerFacts(found.server, found.status, found.conflicts, tokens)

    async def server_page(
        self, request: Request, viewer: Viewer, status: int = 200, **extra: Any
    ) -> Response:
        portal = self.portal
        _ = portal.gettext(request)
        try:
            facts = await portal.call(self._server_facts, viewer, request.path_params["server"])
        except ExamkitError as error:
            return portal.refusal(request, error)
        server, tokens = facts.server, facts.tokens
        moves = [
            (event, label)
            for event, (action, label) in MOVES.items()
            if server.state in SERVER_LIFECYCLE.event(event)[0].sources and viewer.may(action)
        ]
        return portal.page(
            request,
            "planning/server.html",
            status,
            form_token=tokens["server-edit"],
            server=server,
            state=_(STATES[server.state]),
            moves=moves,
            move_token=tokens["server-move"],
            may_edit=viewer.may("facet.fao.edit"),
            values=extra.pop("values", {"name": server.name, "address": server.address}),
            sync=status_view(facts.status),
            conflicts=[conflict_view(item, _) for item in facts.conflicts],
            credential_token=tokens["server-credential"],
            resolve_token=tokens["conflict-resolve"],
            **extra,
        )

    @allowed(VIEW)
    async def server(self, request: Request, viewer: Viewer) -> Response:
        """One server: its state, its moves, and the form to change its name or address."""
        return await self.server_page(request, viewer)

    @allowed("facet.fao.edit")
    async def edit(self, request: Request, viewer: Viewer) -> Response:
        """Change the server's name or address."""
        portal = self.portal
        data = await portal.accepted(request, "server-edit")
        if isinstance(data, Response):
            return data
        name, address = str(data.get("name", "")), str(data.get("address", ""))
        server_id = request.path_params["server"]
        try:
            await portal.call(
                portal.kit.offline_servers.edit_server,
                viewer.id,
                server_id,
                name=name,
                address=address,
            )
        except ExamkitError as error:
            return await self.server_page(
                request,
                viewer,
                http_status(error),
                error=error.message(portal.lang(request)),
                values={"name": name, "address": address},
            )
        return portal.to(f"/planning/servers/{server_id}")

    @allowed(*(action for action, _ in MOVES.values()))
    async def move(self, request: Request, viewer: Viewer) -> Response:
        """Activate, deactivate, reactivate or delete the server; a deleted one: to the list."""
        portal = self.portal
        data = await portal.accepted(request, "server-move")
        if isinstance(data, Response):
            return data
        server_id, event = request.path_params["server"], request.path_params["event"]
        try:
            server = await self._find(viewer, server_id)
            moved = await portal.call(
                portal.kit.offline_servers.server_transition, viewer.id, server_id, event
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        if moved is None:
            return portal.to(f"/planning/servers?location={server.location}&deleted=1")
        return portal.to(f"/planning/servers/{server_id}")
