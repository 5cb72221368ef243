"""Results, partial reports, review (*inzage*) and the QTI download (seed 002, SCO-4 and SCO-5).

Once a group's correction is closed the planner sees every candidate's
total and grade by the N-term (the exam board publishes it after the test,
so the planner enters it), downloads the partial report (CSV) and the QTI
3.0 results, and grants a candidate review of the taken test for a limited
period; during that period the review shows every response, score and
comment, the history of the scores, and prints as the results report
(DOC-5). The grades need the test's answer key (the scoring definition of
its automatic items), which the exam board's supplier delivers with the
test's package: the pages read it from the packages the portal ships
(:data:`portal._test_content.CONTENTS`), so every process of the portal
has it from the start; for a test without a package they refuse (409).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.correction import MAX_REVIEW_PERIOD, CorrectionGroup, results_to_qti
from examkit.documents import ReviewPeriod, results_report_of, results_report_pdf
from examkit.errors import ExamkitError, InvalidInput, NotPermitted
from examkit.identifiers import LocationCode
from examkit.notifications import local_time
from examkit.problems import http_status
from examkit.scheduling import AMSTERDAM, TestSessionGroup
from examkit.scoring import TestDefinition, parse_nterm
from portal._base import Area, NavEntry, Viewer, allowed
from portal._correction import group_label
from portal._i18n import N_
from portal._test_content import answer_key_of

RESULTS: Final = "facet.results.view"
"""The planner's action to view results (and download QTI)."""
PARTIAL: Final = "facet.partial_reports.download"
"""The planner's action to download a partial report."""
REVIEW: Final = "facet.review.limited"
"""The planner's action to grant and hold a review."""
PUBLISH: Final = "facet.reports.results"
"""The planner's action to publish a group's results."""
NTERM: Final = "1,0"
"""The N-term the results form starts with (the planner enters the board's)."""
DAYS: Final = 7
"""The review period the grant form proposes, in days."""
CORRECTED: Final = frozenset({"correction_closed", "results_published", "review_open", "archived"})
"""The group states with results."""


def shown(moment: datetime) -> str:
    """Return *moment* as the pages show it: Amsterdam time with its zone."""
    return local_time(moment, AMSTERDAM)


class MissingKey(Exception):
    """The portal ships no package (so no answer key) for a test: its grades cannot be computed."""

    def __init__(self, exam: str) -> None:
        super().__init__(exam)
        self.exam = exam


def answer_key(exam: str) -> TestDefinition:
    """Return the answer key of test *exam*, from the test's package.

    Raises:
        MissingKey: the portal ships no package for it.
    """
    definition = answer_key_of(exam)
    if definition is None:
        raise MissingKey(exam)
    return definition


def nterm_of(request: Request, default: str = NTERM) -> str:
    """Return the request's N-term (``?nterm=``, else *default*), checked.

    Raises:
        InvalidInput: it is no number.
    """
    text = request.query_params.get("nterm", default).strip()[:20] or default
    parse_nterm(text)
    return text


class ResultsPages(Area):
    """The planner's results, downloads and reviews."""

    navigation = (NavEntry("/results", N_("Results"), (RESULTS,)),)

    def routes(self) -> list[Route]:
        """Return the routes of results and review."""
        return [
            Route("/results", self.groups, methods=["GET"]),
            Route("/results/{group}", self.results, methods=["GET"]),
            Route("/results/{group}/partial-report.csv", self.partial, methods=["GET"]),
            Route("/results/{group}/qti.zip", self.qti, methods=["GET"]),
            Route("/results/{group}/review", self.grant, methods=["POST"]),
            Route("/results/{group}/publish", self.publish, methods=["POST"]),
            Route("/review/{group}/{candidate}", self.review, methods=["GET"]),
            Route("/review/{group}/{candidate}/report.pdf", self.report, methods=["GET"]),
        ]

    def refusal(self, request: Request, error: ExamkitError | MissingKey) -> Response:
        """Return the page that refuses: examkit's error, or the missing answer key (409)."""
        if isinstance(error, ExamkitError):
            return self.portal.refusal(request, error)
        _ = self.portal.gettext(request)
        text = _(
            "Test %(exam)s has no answer key in this portal: its grades cannot be computed.",
            exam=error.exam,
        )
        return self.portal.message(request, text, 409)

    @allowed(RESULTS)
    async def groups(self, request: Request, viewer: Viewer) -> Response:
        """The groups with results at the planner's locations."""
        portal = self.portal
        found: list[TestSessionGroup] = []
        places = viewer.actor.places(RESULTS)
        try:
            for location in sorted(p for p in places if isinstance(p, LocationCode)):
                after: str | None = None
                while True:
                    page = await portal.call(
                        portal.kit.planning.planned_groups,
                        viewer.id,
                        location,
                        after=after,
                        limit=200,
                    )
                    found.extend(g for g in page.items if g.state.value in CORRECTED)
                    if page.next_after is None:
                        break
                    after = page.next_after
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.page(request, "results/results_groups.html", groups=found, label=group_label)

    async def _inputs(self, request: Request) -> tuple[TestSessionGroup, TestDefinition, str]:
        portal = self.portal
        group = await portal.call(portal.kit.planning.group, request.path_params["group"])
        return group, answer_key(group.exam), nterm_of(request)

    @allowed(RESULTS)
    async def results(self, request: Request, viewer: Viewer) -> Response:
        """Every candidate's total and grade by the N-term, downloads and review grants."""
        return await self._results_page(request, viewer)

    async def _results_page(
        self, request: Request, viewer: Viewer, *, error: ExamkitError | None = None
    ) -> Response:
        portal = self.portal
        kit = portal.kit
        context: dict[str, Any] = {"rows": (), "reviews": (), "names": {}}
        status = 200
        group_id = request.path_params["group"]

        def read() -> tuple[TestSessionGroup, CorrectionGroup | None, str | None, Any, str]:
            """Read the group, its correction, N-term and rows, and the form's token: one trip.

            A refusal of the correction's or the rows' read (not a NotPermitted) comes
            back in place of the rows, for the page to show.
            """
            group = kit.planning.group(group_id)
            definition = answer_key(group.exam)
            try:
                correction = kit.corrections.correction(group.id)
            except ExamkitError as refused:
                if isinstance(refused, NotPermitted):
                    raise
                return group, None, None, refused, kit.form_tokens.issue("results-group")
            nterm: str | None = None
            try:
                nterm = nterm_of(request, correction.nterm or NTERM)
                rows: Any = kit.results.results(viewer.id, group.id, definition, nterm)
            except ExamkitError as refused:
                if isinstance(refused, NotPermitted):
                    raise
                rows = refused
            return group, correction, nterm, rows, kit.form_tokens.issue("results-group")

        try:
            group, correction, nterm, found, token = await portal.call(read)
        except (ExamkitError, MissingKey) as failure:
            return self.refusal(request, failure)
        context.update(group=group, group_id=group.id, label=group_label(group))
        if correction is not None:
            context.update(reviews=correction.reviews, published=correction.nterm)
        if nterm is not None:
            context["nterm"] = nterm
        if isinstance(found, ExamkitError):
            error = error or found
        else:
            context["rows"] = found
            context["names"] = {row.candidate: row.name for row in found}
        if error is not None:
            context["error"] = error.message(portal.lang(request))
            status = http_status(error)
        context.setdefault("nterm", request.query_params.get("nterm", NTERM)[:20])
        return portal.page(
            request,
            "results/results_group.html",
            status,
            form_token=token,
            days=DAYS,
            may_review=viewer.may(REVIEW),
            may_partial=viewer.may(PARTIAL),
            may_publish=viewer.may(PUBLISH),
            shown=shown,
            **context,
        )

    @allowed(PARTIAL)
    async def partial(self, request: Request, viewer: Viewer) -> Response:
        """The partial report (*deelrapportage*) as CSV (the download is audited)."""
        portal = self.portal
        try:
            group, definition, nterm = await self._inputs(request)
            report = await portal.call(
                portal.kit.results.partial_report, viewer.id, group.id, definition, nterm
            )
        except (ExamkitError, MissingKey) as error:
            return self.refusal(request, error)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerows(report.as_csv_rows())
        name = f"deelrapportage-{group.exam}-{group.id}.csv"
        return Response(
            out.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @allowed(RESULTS)
    async def qti(self, request: Request, viewer: Viewer) -> Response:
        """Every candidate's result as QTI 3.0 results, one document each, in a zip (audited)."""
        portal = self.portal
        try:
            group, definition, nterm = await self._inputs(request)
            exchanged = await portal.call(
                portal.kit.results.exchange, viewer.id, group.id, definition, nterm
            )
        except (ExamkitError, MissingKey) as error:
            return self.refusal(request, error)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for result in exchanged:
                archive.writestr(f"{result.candidate}.xml", results_to_qti(result))
        name = f"qti-results-{group.exam}-{group.id}.zip"
        return Response(
            out.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @allowed(REVIEW)
    async def grant(self, request: Request, viewer: Viewer) -> Response:
        """Grant a candidate review (*inzage*) from now for the days entered."""
        portal = self.portal
        data = await portal.accepted(request, "results-group")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        candidate = str(data.get("candidate", ""))
        text = str(data.get("days", "")).strip()
        try:
            if not text.isdigit() or len(text) > 3:
                raise InvalidInput(
                    "correction.review.period", field="ends_at", days=MAX_REVIEW_PERIOD.days
                )
            now = portal.kit.clock.now()
            await portal.call(
                portal.kit.reviews.grant_review,
                viewer.id,
                group_id,
                candidate,
                starts_at=now,
                ends_at=now + timedelta(days=int(text)),
            )
        except ExamkitError as error:
            return await self._results_page(request, viewer, error=error)
        nterm = quote(str(data.get("nterm", NTERM))[:20], safe=",.")
        return portal.to(f"/results/{group_id}?nterm={nterm}")

    @allowed(PUBLISH)
    async def publish(self, request: Request, viewer: Viewer) -> Response:
        """Publish the group's results with the N-term entered (the reports by role read them)."""
        portal = self.portal
        data = await portal.accepted(request, "results-group")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        nterm = str(data.get("nterm", "")).strip()[:20]
        try:
            group = await portal.call(portal.kit.planning.group, group_id)
            await portal.call(
                portal.kit.results.publish, viewer.id, group_id, answer_key(group.exam), nterm
            )
        except MissingKey as missing:
            return self.refusal(request, missing)
        except ExamkitError as error:
            if isinstance(error, NotPermitted):
                return portal.refusal(request, error)
            return await self._results_page(request, viewer, error=error)
        return portal.to(f"/results/{group_id}")

    async def _review(
        self, request: Request, viewer: Viewer, *, history: bool = False
    ) -> tuple[Any, ...]:
        """The group, N-term, review, grant (and *history*): one trip to a worker thread."""
        return await self.portal.call(self._reviewed, request, viewer, history)

    def _reviewed(self, request: Request, viewer: Viewer, history: bool) -> tuple[Any, ...]:
        nterm = nterm_of(request)
        page = self.portal.kit.reviews.review_page(
            viewer.id,
            request.path_params["group"],
            request.path_params["candidate"],
            answer_key,
            nterm,
        )
        return page.group, nterm, page.view, page.grant, page.history if history else ()

    @allowed(REVIEW)
    async def review(self, request: Request, viewer: Viewer) -> Response:
        """The candidate's review while its period runs: responses, scores, comments, history."""
        portal = self.portal
        try:
            group, nterm, view, grant, history = await self._review(request, viewer, history=True)
        except (ExamkitError, MissingKey) as error:
            return self.refusal(request, error)
        return portal.page(
            request,
            "results/results_review.html",
            group=group,
            label=group_label(group),
            nterm=nterm,
            view=view,
            grant=grant,
            history=history,
            shown=shown,
        )

    @allowed(REVIEW)
    async def report(self, request: Request, viewer: Viewer) -> Response:
        """The results and review report of the candidate as PDF (DOC-5)."""
        portal = self.portal
        try:
            _, _, view, grant, _ = await self._review(request, viewer)
            period = ReviewPeriod(grant.starts_at, grant.ends_at)
            pdf = await portal.call(results_report_pdf, results_report_of(view, review=period))
        except (ExamkitError, MissingKey) as error:
            return self.refusal(request, error)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="resultaten-{view.candidate}.pdf"'},
        )
