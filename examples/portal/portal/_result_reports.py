"""The reports of each role (SCO-6): class overview, class report and subject report.

The quality officer sees per class and test the number of candidates and
their mean grade; the pupil counsellor every result in their classes; the
subject teacher the results of their subject in their classes. The rows are
the published results of a location
(:meth:`examkit.correction.GroupResults.reports`), which examkit filters by
the viewer's grants; the page shows each role's report, made by examkit's
report functions.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.correction import (
    CLASS_OVERVIEW_VIEW,
    REPORTS_VIEW,
    class_overview,
    class_report,
    subject_report,
)
from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.problems import http_status
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_

REPORTS: Final = (REPORTS_VIEW, CLASS_OVERVIEW_VIEW)
"""Who reaches the reports: a report role of the pupil-monitoring system."""
QUALITY, COUNSELLOR, TEACHER = (
    "cito_lvs.quality_officer",
    "cito_lvs.pupil_counsellor",
    "cito_lvs.subject_teacher",
)
"""The report roles: each sees its own report (SCO-6)."""


class ReportsPages(Area):
    """The reports of the quality officer, the pupil counsellor and the subject teacher."""

    navigation = (NavEntry("/reports", N_("Reports"), REPORTS),)

    def routes(self) -> list[Route]:
        """Return the route of the reports."""
        return [Route("/reports", self.reports, methods=["GET"])]

    @allowed(*REPORTS)
    async def reports(self, request: Request, viewer: Viewer) -> Response:
        """The published results the viewer's roles may see at one of their locations."""
        portal = self.portal
        template = "results/results_reports.html"
        kit, chosen = portal.kit, request.query_params.get("location", "")

        def read() -> tuple[list[str], str, Any]:
            """The viewer's locations, the one shown and its reports (or the refusal): one trip."""
            locations = [str(code) for code in kit.rosters.locations_for(viewer.id)]
            location = chosen if chosen in locations else (locations[0] if locations else "")
            if not location:
                return locations, location, None
            try:
                return locations, location, kit.results.reports(viewer.id, LocationCode(location))
            except ExamkitError as refused:
                return locations, location, refused

        try:
            locations, location, rows = await portal.call(read)
        except ExamkitError as error:
            return portal.refusal(request, error)
        if rows is None:
            return portal.page(request, template, locations=locations, location="", rows=None)
        if isinstance(rows, ExamkitError):
            message = rows.message(portal.lang(request))
            return portal.page(
                request,
                template,
                http_status(rows),
                error=message,
                locations=locations,
                location=location,
                rows=None,
            )
        actor = viewer.actor
        roles = set(actor.roles())
        return portal.page(
            request,
            template,
            locations=locations,
            location=location,
            rows=rows,
            overview=class_overview(actor, rows) if QUALITY in roles else (),
            classes=class_report(actor, rows) if COUNSELLOR in roles else (),
            subjects=subject_report(actor, rows) if TEACHER in roles else (),
        )
