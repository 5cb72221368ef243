"""Centrally: the offline servers' synchronisation (SCH-8): credentials, conflicts, hand-over.

The offline-server pages (:mod:`portal._planning_servers`) show each
server's last sync, backlog, clock offset, down queue and conflicts
(``kit.offline_sync.status`` and ``conflicts``). Here are their moves:

- *Issue a credential* (the FAO administrator): a new credential for the
  server's ``examkit offline`` configuration, shown once on the page that
  answers the POST, never again (only its digest is stored; the old one
  stops working);
- *Mark resolved* a conflict (it stays listed, with who and when);
- *Hand over to the offline server* on an offline group's page (the planner
  or the FAO administrator): the portal publishes the test's package it
  ships (:mod:`portal._offline_packages`) where the viewer may publish,
  then ``kit.offline_sync.hand_over`` queues the group's master data down;
  the group is held by the server until its closed state comes back.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, NotFound
from examkit.offline import PUBLISH, ServerSyncStatus, SyncConflict
from examkit.problems import http_status
from examkit.scheduling import GroupState
from portal._base import Area, Viewer, allowed
from portal._i18n import N_
from portal._monitor_views import when
from portal._offline_packages import MEDIA_TYPE, package_of

EDIT: Final = "facet.fao.edit"
"""Who issues a server's credential and resolves its conflicts."""
HAND_OVER: Final = ("facet.sessions.plan", EDIT)
"""Who hands a group to its offline server: the planner or the FAO administrator."""
HANDOVER_STATES: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED})
"""The states of a group that may be handed over (again: only what changed goes down)."""
REASONS: Final = {
    "offline.conflict.digest": N_("The same entry arrived twice with different content"),
    "offline.conflict.central_changed": N_("Changed centrally after the hand-over"),
    "offline.conflict.server_removed": N_("Sent by a deactivated or deleted server"),
    "offline.conflict.not_held": N_("Data of a group the server does not hold"),
}
"""Each conflict's reason as the pages say it (a code not listed is shown as it is)."""


def status_view(status: ServerSyncStatus | None) -> dict[str, Any]:
    """Return a server's sync status as its pages show it (empty values: never synchronised)."""
    if status is None:
        return {"synced": False, "credential": False, "conflicts": 0, "held": ()}
    return {
        "synced": status.last_sync_at is not None,
        "last_sync": when(status.last_sync_at) if status.last_sync_at else "",
        "backlog": status.backlog,
        "offset_ms": status.clock_offset_ms,
        "up_high_water": status.up_high_water,
        "down_queued": status.down_queued,
        "down_acknowledged": status.down_acknowledged,
        "credential": status.credential_valid,
        "credential_issued": when(status.credential_issued_at)
        if status.credential_issued_at
        else "",
        "conflicts": status.open_conflicts,
        "held": status.held_groups,
    }


def conflict_view(conflict: SyncConflict, gettext: Any) -> dict[str, Any]:
    """Return one conflict as the server's page lists it."""
    reason = REASONS.get(conflict.reason)
    return {
        "id": conflict.id,
        "kind": conflict.kind,
        "key": conflict.key,
        "seq": conflict.seq,
        "reason": gettext(reason) if reason else conflict.reason,
        "detail": conflict.detail,
        "detected": when(conflict.detected_at),
        "resolved": when(conflict.resolved_at) if conflict.resolved_at else "",
    }


class ServerSyncPages(Area):
    """The moves of the offline servers' sync: issue a credential, resolve a conflict, hand over."""

    def routes(self) -> list[Route]:
        """Return the sync moves' routes."""
        return [
            Route("/planning/servers/{server}/credential", self.credential, methods=["POST"]),
            Route(
                "/planning/servers/{server}/conflicts/{conflict}/resolve",
                self.resolve,
                methods=["POST"],
            ),
            Route("/planning/groups/{group}/hand-over", self.hand_over, methods=["POST"]),
        ]

    @allowed(EDIT)
    async def credential(self, request: Request, viewer: Viewer) -> Response:
        """Issue the server a new credential and show it, this once."""
        from portal._planning_servers import OfflineServerPages

        portal = self.portal
        data = await portal.accepted(request, "server-credential")
        if isinstance(data, Response):
            return data
        server_id = request.path_params["server"]
        try:
            issued = await portal.call(
                portal.kit.offline_sync.issue_credential, viewer.id, server_id
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        return await OfflineServerPages(portal).server_page(request, viewer, credential=issued)

    @allowed(EDIT)
    async def resolve(self, request: Request, viewer: Viewer) -> Response:
        """Mark a conflict of the server dealt with; back to the server's page."""
        portal = self.portal
        data = await portal.accepted(request, "conflict-resolve")
        if isinstance(data, Response):
            return data
        server_id, conflict = request.path_params["server"], request.path_params["conflict"]
        try:
            found = await portal.call(portal.kit.offline_sync.conflicts, viewer.id, server_id)
            if conflict not in {item.id for item in found}:
                return portal.refusal(request, _not_found(conflict))
            await portal.call(portal.kit.offline_sync.resolve_conflict, viewer.id, conflict)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.to(f"/planning/servers/{server_id}?resolved=1")

    @allowed(*HAND_OVER)
    async def hand_over(self, request: Request, viewer: Viewer) -> Response:
        """Publish the test's package (where the viewer may) and hand the group to its server."""
        portal = self.portal
        data = await portal.accepted(request, "group-hand-over")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        _ = portal.gettext(request)
        try:
            handed = await portal.call(self._hand_over, viewer, group_id)
        except ExamkitError as error:
            return portal.message(
                request,
                _(
                    "The group was not handed over: %(reason)s",
                    reason=error.message(portal.lang(request)),
                ),
                http_status(error),
            )
        if not handed:
            return portal.message(
                request,
                _(
                    "The group was not handed over: its test's exam package is not published "
                    "yet. The service desk publishes it on its page Exam packages; then hand "
                    "the group over again."
                ),
                409,
            )
        return portal.to(f"/planning/groups/{group_id}?handed=1")

    def _hand_over(self, viewer: Viewer, group_id: str) -> bool:
        """Publish the group's test package where the viewer may, then hand the group over.

        Returns ``False`` (nothing done) when the test has no published package
        and the viewer may not publish one.

        Raises:
            ExamkitError: the hand-over's refusal.
        """
        kit = self.portal.kit
        details = kit.planning_desk.group_details(viewer.id, group_id)
        exam = details.group.exam
        content = package_of(exam)
        if content is not None and viewer.may(PUBLISH):
            kit.exam_packages.publish(viewer.id, exam, content, MEDIA_TYPE)
        if not any(package.verified for package in kit.exam_packages.packages(exam)):
            return False
        kit.offline_sync.hand_over(viewer.id, group_id)
        return True


def _not_found(conflict: str) -> ExamkitError:
    return NotFound("storage.not_found", field="conflict", kind="conflict", key=conflict)
