"""Planning (seed 004 §3.3 and §3.5): a location's session groups by day, planning one, a group.

The planner (*afnameplanner*) sees a location's groups of a day, by state,
and plans a group in two steps (:mod:`portal._planning_plan`): the test,
the time, the room and the people, and the candidates from imported
classes or the location's candidates; then each candidate's facilities
(extra time, aids) before the group is planned. The functionality-test
planner plans the system check's groups the same way (SCH-2) and sees only
those. A group's page shows its candidates, their facilities, its state
and its history; what happens on the exam day itself is the proctor
monitor's (``/monitor``). The candidate files, group files and answer
sheets are in :mod:`portal._planning_files`, the offline servers in
:mod:`portal._planning_servers`; examkit decides everything
(:class:`examkit.scheduling.PlanningDesk`, ``kit.planning``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.problems import http_status
from examkit.scheduling import GroupDetails, Mode, TestSessionGroup
from portal._base import Area, NavEntry, Portal, Viewer, allowed
from portal._i18n import N_
from portal._planning_files import PlanningFilesPages
from portal._planning_plan import PlanGroupPages
from portal._planning_servers import OfflineServerPages
from portal._planning_sync import HAND_OVER, HANDOVER_STATES, ServerSyncPages
from portal._planning_words import (
    ATTEMPT_STATES,
    EVENTS,
    GROUP_STATES,
    MODES,
    aids_of,
    chosen_location,
    clock,
    local,
    today,
)

VIEW: Final = ("facet.sessions.view_planned", "facet.ft.session_groups.create")
"""Who sees the planning overview and a group's page (the FT planner: FT groups only)."""


class PlanningPages(Area):
    """The planning overview and a group's page, with the planning pages of the other modules."""

    navigation: Sequence[NavEntry] = (NavEntry("/planning", N_("Planning"), VIEW),)

    def __init__(self, portal: Portal) -> None:
        super().__init__(portal)
        self.parts: tuple[Area, ...] = (
            PlanGroupPages(portal),
            PlanningFilesPages(portal),
            ServerSyncPages(portal),  # before the servers' /{server}/{event} moves
            OfflineServerPages(portal),
        )
        """The planning pages of their own modules (planning a group, files, offline servers)."""
        self.navigation = (
            *PlanningPages.navigation,
            *(entry for part in self.parts for entry in part.navigation),
        )

    def routes(self) -> list[Route]:
        """Return planning's routes (with those of its files and offline servers)."""
        routes = [
            Route("/planning", self.overview, methods=["GET"]),
            Route("/planning/groups/{group}", self.group, methods=["GET"]),
        ]
        for part in self.parts:
            routes.extend(part.routes())
        return routes

    # -- the overview ------------------------------------------------------------------------

    @allowed(*VIEW)
    async def overview(self, request: Request, viewer: Viewer) -> Response:
        """A location's groups of a day (today unless chosen), by state, with links to plan."""
        portal = self.portal
        _ = portal.gettext(request)
        locations = await portal.call(portal.kit.planning_desk.locations, viewer.id, VIEW)
        location = chosen_location(request, locations)
        day = _day(request.query_params.get("day", ""), today(portal.kit.clock.now()))
        context: dict[str, Any] = {
            "locations": [str(code) for code in locations],
            "location": location,
            "day": day.isoformat(),
            "day_shown": day.strftime("%d-%m-%Y"),
            "before": (day - timedelta(days=1)).isoformat(),
            "after": (day + timedelta(days=1)).isoformat(),
            "may": {
                "plan": viewer.may("facet.sessions.plan"),
                "ft": viewer.may("facet.ft.session_groups.create"),
                "group_file": viewer.may("facet.session_groups.import"),
            },
        }
        if not location:
            error = _("There is no location for you to plan at.")
            return portal.page(request, "planning/overview.html", error=error, **context)
        try:
            groups = await portal.call(
                portal.kit.planning_desk.day_groups, viewer.id, LocationCode(location), day
            )
        except ExamkitError as error:
            message = error.message(portal.lang(request))
            return portal.page(
                request, "planning/overview.html", http_status(error), error=message, **context
            )
        by_state = [
            (_(label), [_row(group, _) for group in groups if group.state is state])
            for state, label in GROUP_STATES.items()
        ]
        return portal.page(
            request,
            "planning/overview.html",
            by_state=[(label, rows) for label, rows in by_state if rows],
            count=len(groups),
            **context,
        )

    # -- a group's page ----------------------------------------------------------------------

    @allowed(*VIEW)
    async def group(self, request: Request, viewer: Viewer) -> Response:
        """A group: its test, time, room, people, candidates with facilities, state and history."""
        portal = self.portal
        _ = portal.gettext(request)
        try:
            details, token = await portal.call(
                self._group_facts, viewer, request.path_params["group"]
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        group = details.group
        attempts = {a.candidate: a for a in details.attempts}
        candidates = []
        for person_id in group.candidates:
            person = details.candidates.get(person_id)
            attempt = attempts.get(person_id)
            if person is None:
                continue
            candidates.append(
                {
                    "name": person.name,
                    "login_name": person.login_name,
                    "number": person.number,
                    "class_key": person.class_key,
                    "extra": attempt.extra_time_minutes if attempt else 0,
                    "aids": ", ".join(aids_of(person.facilities, _)),
                    "state": _(ATTEMPT_STATES[attempt.state]) if attempt else "",
                }
            )
        history = [
            {
                "at": local(record.at),
                "event": _(EVENTS.get(record.event, record.event)),
                "source": _(GROUP_STATES[record.source]),
                "target": _(GROUP_STATES[record.target]),
                "actor": details.staff.get(record.actor, record.actor),
                "reason": record.reason,
            }
            for record in group.log
        ]
        return portal.page(
            request,
            "planning/group.html",
            hand_over_token=token,
            handed=request.query_params.get("handed") == "1",
            group=group,
            exam=details.exam,
            state=_(GROUP_STATES[group.state]),
            mode=_(MODES.get(group.mode, group.mode.value)),
            day=local(group.starts_at)[:10],
            starts=clock(group.starts_at),
            ends=clock(group.ends_at),
            staff=details.staff,
            server=details.offline_server,
            candidates=sorted(candidates, key=lambda c: c["login_name"]),
            history=history,
            class_names=dict(details.class_names),
        )

    def _group_facts(self, viewer: Viewer, group_id: str) -> tuple[GroupDetails, str]:
        """Return the group's details (with its classes' names) and the hand-over form's token.

        One trip to a worker thread; the token only where the group may be
        handed over to its offline server by the viewer (else empty).
        """
        kit = self.portal.kit
        details = kit.planning_desk.group_details(viewer.id, group_id)
        group = details.group
        offer = (
            group.mode is Mode.OFFLINE
            and details.offline_server is not None
            and group.state in HANDOVER_STATES
            and viewer.may(*HAND_OVER)
        )
        return details, kit.form_tokens.issue("group-hand-over") if offer else ""


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _row(group: TestSessionGroup, _: Any) -> dict[str, Any]:
    return {
        "id": group.id,
        "starts": clock(group.starts_at),
        "ends": clock(group.ends_at),
        "exam": group.exam,
        "room": group.room,
        "mode": _(MODES.get(group.mode, group.mode.value)),
        "candidates": len(group.candidates),
        "ft": group.functionality_test,
    }
