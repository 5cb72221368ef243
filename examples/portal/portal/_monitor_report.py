"""The session report (*proces-verbaal*, SCH-5, DOC-3): the proctor writes it, the planner remarks.

Until the group closes the proctor records the actual start and end, notes,
incidents (about one candidate or the whole group) and completes the
report, which closing needs. After the close the planner adds remarks. Both
read it as a page and as the PDF examkit prints.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.documents import session_report_pdf
from examkit.errors import ExamkitError, NotFound
from examkit.problems import http_status
from examkit.scheduling import AMSTERDAM, GroupState, Incident, SessionReportData
from portal._base import Area, Portal, Viewer
from portal._monitor_access import on_monitor
from portal._monitor_views import ATTEMPT_STATES, GROUP_STATES, clock, when

DRAW: Final = ("facet.monitor.session_report", "facet.ft.monitor.session_report")
"""Who draws up a group's report: its proctor (the FT proctor for an FT group)."""
RETRIEVE: Final = "facet.session_report.retrieve"
"""Who retrieves a closed group's report and remarks on it: the planner."""
_OPEN: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED})


async def exam_title(portal: Portal, exam: str) -> str:
    """Return the title of the test *exam* (empty when it is not registered)."""
    try:
        found = await portal.call(portal.kit.candidates.exam, exam)
    except NotFound:
        return ""
    return found.title


class MonitorReportPages(Area):
    """A group's session report: the page, the proctor's form, the planner's remarks, the PDF."""

    def routes(self) -> list[Route]:
        """Return the report's routes."""
        return [
            Route("/monitor/groups/{group}/report", self.report_page, methods=["GET"]),
            Route("/monitor/groups/{group}/report", self.write, methods=["POST"]),
            Route("/monitor/groups/{group}/report/remarks", self.remark, methods=["POST"]),
            Route("/monitor/groups/{group}/report.pdf", self.pdf, methods=["GET"]),
        ]

    async def render(
        self, request: Request, viewer: Viewer, status: int = 200, **context: object
    ) -> Response:
        """Render the report with the forms the viewer may use in the group's state."""
        portal = self.portal
        kit, group_id = portal.kit, request.path_params["group"]

        def read() -> tuple[SessionReportData, dict[str, str]]:
            """The report and the tokens of the forms the viewer may use: one worker trip."""
            report = kit.session_reports.session_report(viewer.id, group_id)
            forms = []
            if report.state in _OPEN and viewer.may(*DRAW):
                forms.append("monitor-report")
            if report.state not in _OPEN and viewer.may(RETRIEVE):
                forms.append("monitor-remark")
            return report, kit.form_tokens.issue_many(forms) if forms else {}

        try:
            report, tokens = await portal.call(read)
        except ExamkitError as error:
            return portal.refusal(request, error)
        _ = portal.gettext(request)
        return portal.page(
            request,
            "monitor/report.html",
            status,
            report=report,
            state_text=_(GROUP_STATES[report.state]),
            planned=(when(report.planned_start), when(report.planned_end)),
            actual=(clock(report.started_at), clock(report.ended_at)),
            attendance=[
                {
                    "line": line,
                    "state_text": _(ATTEMPT_STATES[line.state]),
                    "started": clock(line.started_at),
                    "ended": clock(line.ended_at),
                }
                for line in report.attendance
            ],
            when=when,
            write_token=tokens.get("monitor-report"),
            remark_token=tokens.get("monitor-remark"),
            shown=context.pop("shown", {}),
            may_groups=viewer.may("facet.monitor.groups", "facet.ft.monitor.groups"),
            monitor_only=getattr(request.state, "viewer", None) is None,
            **context,
        )

    @on_monitor(*DRAW, RETRIEVE)
    async def report_page(self, request: Request, viewer: Viewer) -> Response:
        """The group's session report, with the form to write it (or to remark on it)."""
        saved = request.query_params.get("saved") in {"report", "remark"}
        return await self.render(request, viewer, saved=saved)

    @on_monitor(*DRAW)
    async def write(self, request: Request, viewer: Viewer) -> Response:
        """Save the proctor's start, end, notes, a new incident and whether it is complete."""
        portal = self.portal
        data = await portal.accepted(request, "monitor-report")
        if isinstance(data, Response):
            return data
        group = request.path_params["group"]
        reports = portal.kit.session_reports
        shown = {name: str(data.get(name, "")) for name in ("started", "ended", "notes")}
        _ = portal.gettext(request)
        try:
            report = await portal.call(reports.session_report, viewer.id, group)
            day = report.planned_start.astimezone(AMSTERDAM).date()
            try:
                started, ended = _at(day, data, "started"), _at(day, data, "ended")
            except ValueError:
                return await self.render(
                    request,
                    viewer,
                    422,
                    error=_("Write a time as hh:mm, for example 09:05."),
                    shown=shown,
                )
            incident_text = str(data.get("incident", "")).strip()
            about = str(data.get("incident_candidate", ""))
            known = {line.candidate for line in report.attendance}
            incidents = (
                [
                    Incident(
                        at=portal.kit.clock.now(),
                        text=incident_text,
                        candidate=about if about in known else None,
                    )
                ]
                if incident_text
                else []
            )
            await portal.call(
                partial(
                    reports.write_report,
                    viewer.id,
                    group,
                    started_at=started,
                    ended_at=ended,
                    notes=str(data.get("notes", "")).strip(),
                    incidents=incidents,
                    completed=data.get("completed") == "yes",
                )
            )
        except ExamkitError as error:
            return await self.render(
                request,
                viewer,
                http_status(error),
                error=error.message(portal.lang(request)),
                shown=shown,
            )
        return portal.to(f"/monitor/groups/{group}/report?saved=report")

    @on_monitor(RETRIEVE)
    async def remark(self, request: Request, viewer: Viewer) -> Response:
        """Append the planner's remark to the closed group's report."""
        portal = self.portal
        data = await portal.accepted(request, "monitor-remark")
        if isinstance(data, Response):
            return data
        group = request.path_params["group"]
        try:
            await portal.call(
                portal.kit.session_reports.add_remark,
                viewer.id,
                group,
                str(data.get("remark", "")).strip(),
            )
        except ExamkitError as error:
            return await self.render(
                request, viewer, http_status(error), error=error.message(portal.lang(request))
            )
        return portal.to(f"/monitor/groups/{group}/report?saved=remark")

    @on_monitor(*DRAW, RETRIEVE)
    async def pdf(self, request: Request, viewer: Viewer) -> Response:
        """The official session report as examkit prints it (DOC-3)."""
        portal = self.portal
        group = request.path_params["group"]
        try:
            report: SessionReportData = await portal.call(
                portal.kit.session_reports.session_report, viewer.id, group
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        title = await exam_title(portal, report.exam)
        pdf = await portal.call(partial(session_report_pdf, report, test=title))
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="proces-verbaal-{group}.pdf"'},
        )


def _at(day: date, data: FormData, name: str) -> datetime | None:
    """Return the posted time of day *name* (``hh:mm``) on the group's *day*, or ``None``.

    Raises:
        ValueError: the text is not a time of day.
    """
    text = str(data.get(name, "")).strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    return datetime.combine(day, time(int(hours), int(minutes)), tzinfo=AMSTERDAM)
