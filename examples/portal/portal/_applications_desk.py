"""The service desk's account applications: the queue with due dates, one application, decisions.

Only the operator (the action ``examkit.applications.handle``) reaches these
pages; examkit decides again in every use case. The queue lists the waiting
applications soonest due first, with their due dates in working days as
examkit counts them. Approving registers the institution, makes or keeps the
administrator's account and grants the role; rejecting needs a reason,
which the school is e-mailed. Either way the page then shows the result.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.applications import AMSTERDAM, HANDLE, AccountApplication, ApplicationStatus
from examkit.documents import account_application_pdf
from examkit.errors import ExamkitError, NotFound
from examkit.messages import Lang, text
from examkit.notifications import local_time
from examkit.org import Institution
from examkit.permissions import MATRIX
from examkit.problems import http_status
from portal._base import Area, Viewer, allowed


def pdf_response(pdf: bytes, filename: str) -> Response:
    """Return *pdf* as a download named *filename*."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _label(key: str, lang: Lang) -> str:
    return text(f"applications.label.{key}", lang)


def details(application: AccountApplication, lang: Lang) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return *application*'s details as titled blocks of (label, value) rows, in *lang*."""
    school, admin = application.school, application.administrator
    authority = application.competent_authority
    address = school.address
    locations = ", ".join(
        f"{location.code}" + (f" ({location.name})" if location.name else "")
        for location in school.secondary_locations
    )
    return [
        (
            _label("school", lang),
            [
                (_label("location_code", lang), str(school.code)),
                (
                    _label("education_location_code", lang),
                    str(school.onderwijslocatiecode or "-"),
                ),
                (_label("school_name", lang), school.name),
                (_label("street", lang), f"{address.street} {address.house_number}"),
                (_label("town", lang), f"{address.postcode} {address.town}"),
                (_label("secondary_locations", lang), locations or "-"),
            ],
        ),
        (
            _label("administrator", lang),
            [
                (_label("name", lang), admin.full_name),
                (_label("phone_number", lang), admin.phone),
                (_label("email_address", lang), admin.email),
                (_label("login_name", lang), str(admin.login_name)),
            ],
        ),
        (
            _label("competent_authority", lang),
            [
                (_label("name", lang), authority.full_name),
                (_label("job_title", lang), authority.function),
                (_label("email_address", lang), authority.email),
            ],
        ),
    ]


DECIDE: Final = "desk-decide"
"""The form name of an application's decision (approve or reject: one token for both)."""


class DeskPages(Area):
    """The service desk's pages of account applications."""

    def desk_routes(self) -> list[Route]:
        """Return the desk's routes."""
        return [
            Route("/desk/applications", self.queue, methods=["GET"]),
            Route("/desk/applications/{id}", self.application, methods=["GET"]),
            Route("/desk/applications/{id}/form.pdf", self.desk_pdf, methods=["GET"]),
            Route("/desk/applications/{id}/approve", self.approve, methods=["POST"]),
            Route("/desk/applications/{id}/reject", self.reject, methods=["POST"]),
        ]

    @allowed(HANDLE)
    async def queue(self, request: Request, viewer: Viewer) -> Response:
        """The waiting applications, soonest due first, with their due dates."""
        portal = self.portal
        try:
            entries = await portal.call(portal.kit.applications.queue, viewer.id)
        except ExamkitError as error:
            return portal.refusal(request, error)
        lang = portal.lang(request)
        rows = [
            {
                "id": entry.application.id,
                "school": entry.application.school.name,
                "code": str(entry.application.school.code),
                "system": MATRIX.systems[entry.application.system].label(lang),
                "submitted": local_time(entry.application.submitted_at, AMSTERDAM),
                "due": entry.due.strftime("%d-%m-%Y"),
                "overdue": entry.overdue,
            }
            for entry in entries
        ]
        return portal.page(request, "applications/queue.html", rows=rows)

    @allowed(HANDLE)
    async def application(self, request: Request, viewer: Viewer) -> Response:
        """One application: its details, its PDF, and approve or reject while it waits."""
        return await self.show(request, viewer, request.path_params["id"])

    async def show(
        self, request: Request, viewer: Viewer, id: str, *, error: str = "", status: int = 200
    ) -> Response:
        """Render the application *id*, with *error* above it (a refused decision)."""
        portal = self.portal
        try:  # one trip to a worker thread for the reads and the decision form's token
            found, institution, token = await portal.call(self._shown, viewer, id)
        except ExamkitError as refused:
            return portal.refusal(request, refused)
        lang = portal.lang(request)
        context: dict[str, Any] = {
            "application": found,
            "blocks": details(found, lang),
            "system": MATRIX.systems[found.system].label(lang),
            "submitted": local_time(found.submitted_at, AMSTERDAM),
            "due": portal.kit.applications.due_date(found).strftime("%d-%m-%Y"),  # pure: no I/O
            "error": error,
            "decided": None,
        }
        if found.decision is not None:
            context["decided"] = local_time(found.decision.decided_at, AMSTERDAM)
            context["institution"] = institution
        if token is not None:
            context["form_token"] = token
        return portal.page(request, "applications/application.html", status, **context)

    def _shown(
        self, viewer: Viewer, id: str
    ) -> tuple[AccountApplication, Institution | None, str | None]:
        """Return the application, the institution it registered and the decision form's token.

        The institution only for an approved application (``None`` otherwise,
        or when it is gone); the token only while the application waits: one
        for the page's two forms (one decision spends it, and after it the
        other form has nothing left to decide).

        Raises:
            ExamkitError: examkit refused the read.
        """
        kit = self.portal.kit
        found = kit.applications.get(viewer.id, id)
        institution = None
        if found.decision is not None and found.status is ApplicationStatus.APPROVED:
            try:
                institution = kit.institutions.get(found.brin)
            except NotFound:
                institution = None
        waiting = found.status is ApplicationStatus.SUBMITTED
        return found, institution, kit.form_tokens.issue(DECIDE) if waiting else None

    @allowed(HANDLE)
    async def desk_pdf(self, request: Request, viewer: Viewer) -> Response:
        """The application's PDF form, as the school printed it."""
        portal = self.portal
        try:
            found = await portal.call(
                portal.kit.applications.get, viewer.id, request.path_params["id"]
            )
            pdf = await portal.call(account_application_pdf, found)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return pdf_response(pdf, f"aanvraag-schoolaccount-{found.school.code}.pdf")

    @allowed(HANDLE)
    async def approve(self, request: Request, viewer: Viewer) -> Response:
        """Approve: the institution registered, the administrator's account and role, e-mails."""
        portal = self.portal
        data = await portal.accepted(request, DECIDE)
        if isinstance(data, Response):
            return data
        id = request.path_params["id"]
        try:
            await portal.call(portal.kit.applications.approve, viewer.id, id)
        except ExamkitError as error:
            message = error.message(portal.lang(request))
            return await self.show(request, viewer, id, error=message, status=http_status(error))
        return portal.to(f"/desk/applications/{id}")

    @allowed(HANDLE)
    async def reject(self, request: Request, viewer: Viewer) -> Response:
        """Reject with a reason, which the school is e-mailed."""
        portal = self.portal
        data = await portal.accepted(request, DECIDE)
        if isinstance(data, Response):
            return data
        id = request.path_params["id"]
        reason = str(data.get("reason", ""))[:1000]
        try:
            await portal.call(
                portal.kit.applications.reject,
                viewer.id,
                id,
                reason=reason,
            )
        except ExamkitError as error:
            message = error.message(portal.lang(request))
            return await self.show(request, viewer, id, error=message, status=http_status(error))
        return portal.to(f"/desk/applications/{id}")
