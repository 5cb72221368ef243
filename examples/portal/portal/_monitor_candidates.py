"""The proctor's moves on one candidate (SCH-4): pause, resume, extra time, reopen, re-entry, end.

Each move is a form of its own on the candidate's page, posted with its
one-time token; examkit's :class:`~examkit.scheduling.Proctoring` decides
whether the attempt's state allows it and logs it on the attempt.
"""

from __future__ import annotations

from functools import partial
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, InvalidInput
from examkit.problems import http_status
from examkit.scheduling import (
    MAX_EXTRA_MINUTES,
    Attempt,
    AttemptState,
    MonitorCandidate,
    MonitorGroup,
)
from portal._base import Area, Viewer
from portal._i18n import N_
from portal._monitor_access import not_today, on_monitor
from portal._monitor_views import candidate_row, group_view

INTERVENE: Final = "facet.monitor.intervene"
"""The proctor's action on a candidate's attempt."""

_A = AttemptState
_RUNNING: Final = frozenset({_A.IN_PROGRESS, _A.PAUSED})
CANDIDATE_MOVES: Final[dict[str, frozenset[AttemptState]]] = {
    "pause": frozenset({_A.IN_PROGRESS}),
    "resume": frozenset({_A.PAUSED}),
    "extra-time": _RUNNING,
    "reentry": _RUNNING,
    "reopen": frozenset({_A.SUBMITTED, _A.TIMED_OUT, _A.TERMINATED}),
    "end": frozenset({_A.REGISTERED, _A.IN_PROGRESS, _A.PAUSED}),
}
"""Each move on a candidate and the states whose page offers it."""

DONE: Final[dict[str, str]] = {
    "pause": N_("The test is paused; the time runs on."),
    "resume": N_("The test goes on."),
    "extra-time": N_("The extra time is given."),
    "reentry": N_("The candidate may sign in again, once."),
    "reopen": N_("The test is reopened."),
    "end": N_("The test is ended."),
}
"""What the page says after each move."""


class MonitorCandidatePages(Area):
    """One candidate's page on the monitor and the proctor's moves on their attempt."""

    def routes(self) -> list[Route]:
        """Return the candidate's page and the route of its moves."""
        return [
            Route(
                "/monitor/groups/{group}/candidates/{candidate}",
                self.candidate_page,
                methods=["GET"],
            ),
            Route(
                "/monitor/groups/{group}/candidates/{candidate}/{move}",
                self.act,
                methods=["POST"],
            ),
        ]

    async def render(
        self, request: Request, viewer: Viewer, status: int = 200, **context: object
    ) -> Response:
        """Render the candidate's page with a fresh token for each move it offers."""
        portal = self.portal
        kit = portal.kit
        group_id, wanted = request.path_params["group"], request.path_params["candidate"]

        def read() -> tuple[MonitorGroup | None, MonitorCandidate | None, dict[str, str]]:
            """The group, the candidate's line and its moves' tokens: one trip to a worker."""
            monitor = kit.proctoring.monitor(viewer.id, group=group_id, candidate=wanted)
            group = next((found for found in monitor.groups if found.id == group_id), None)
            line = None
            if group is not None:
                line = next((c for c in group.candidates if c.candidate == wanted), None)
            if group is None or line is None or group.held_by is not None:
                return group, line, {}  # a held group's candidates move on its offline server
            moves = [move for move, states in CANDIDATE_MOVES.items() if line.state in states]
            issued = kit.form_tokens.issue_many([f"monitor-{move}" for move in moves])
            return group, line, {move: issued[f"monitor-{move}"] for move in moves}

        group, line, tokens = await portal.call(read)
        if group is None or line is None:
            return not_today(portal, request)
        gettext = portal.gettext(request)
        return portal.page(
            request,
            "monitor/candidate.html",
            status,
            group=group_view(group, gettext),
            candidate=candidate_row(line, gettext),
            tokens=tokens,
            most=MAX_EXTRA_MINUTES,
            monitor_only=getattr(request.state, "viewer", None) is None,
            **context,
        )

    @on_monitor(INTERVENE)
    async def candidate_page(self, request: Request, viewer: Viewer) -> Response:
        """A candidate's state on the monitor and the moves it allows."""
        done = request.query_params.get("done", "")
        _ = self.portal.gettext(request)
        return await self.render(request, viewer, done=_(DONE[done]) if done in DONE else "")

    @on_monitor(INTERVENE)
    async def act(self, request: Request, viewer: Viewer) -> Response:
        """Make one move on the candidate's attempt; back to their page (with the refusal)."""
        portal = self.portal
        if (refusal := portal.cross_site_refusal(request)) is not None:
            return refusal
        move = request.path_params["move"]
        if move not in CANDIDATE_MOVES:
            _ = portal.gettext(request)
            return portal.message(request, _("There is no such move."), 404)
        data = await portal.accepted(request, f"monitor-{move}")
        if isinstance(data, Response):
            return data
        group, candidate = request.path_params["group"], request.path_params["candidate"]
        try:
            await portal.call(self._move(viewer, group, candidate, move, data))
        except ExamkitError as error:
            return await self.render(
                request, viewer, http_status(error), error=error.message(portal.lang(request))
            )
        return portal.to(f"/monitor/groups/{group}/candidates/{candidate}?done={move}")

    def _move(
        self, viewer: Viewer, group: str, candidate: str, move: str, data: FormData
    ) -> partial[Attempt]:
        """Return the examkit call that makes *move* with the posted *data*."""
        proctoring = self.portal.kit.proctoring
        reason = str(data.get("reason", "")).strip()
        who = (viewer.id, group, candidate)
        if move == "extra-time":
            return partial(proctoring.extend_time, *who, minutes=_minutes(data, 1), reason=reason)
        if move == "reentry":
            return partial(proctoring.allow_reentry, *who)
        if move == "reopen":
            return partial(proctoring.intervene, *who, "reactivate", minutes=_minutes(data, 0))
        event = {"pause": "pause", "resume": "resume", "end": "terminate"}[move]
        return partial(proctoring.intervene, *who, event, reason=reason)


def _minutes(data: FormData, least: int) -> int:
    """Return the posted whole minutes (*least* to the most extra time), or refuse them."""
    text = str(data.get("minutes", "")).strip()
    if not text.isdigit() or not least <= int(text) <= MAX_EXTRA_MINUTES:
        raise InvalidInput("sessions.attempt.minutes", field="minutes", most=MAX_EXTRA_MINUTES)
    return int(text)
