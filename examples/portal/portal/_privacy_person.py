"""One person's data for whoever may see it: export (JSON, PDF) and correction (issue 27, 7).

*Persoonsgegevens* (``/privacy``) asks whose data: a user (account), a
candidate or a pupil of one of the viewer's locations; the user's and the
candidate's pages link to it too. The person's page (``/privacy/person``)
offers the export as JSON or PDF
(:meth:`kit.privacy_export.export <examkit.privacy.PrivacyExport.export>`,
audited and noted as a read of the person's data), the correction of a
personal field through the use case that owns it
(:meth:`kit.privacy_export.correct <examkit.privacy.PrivacyExport.correct>`),
the way to the erasure for whoever may erase, and the person's events in the
audit log. examkit decides who may see whom: a person of another school is
refused, whatever the page offers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.privacy import CORRECTABLE, PRIVACY_ACTIONS, PersonRef
from examkit.problems import http_status
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._privacy_erase import may_erase
from portal._privacy_people import KINDS, asked_person, person_query, posted_person
from portal._security import client_address

FIELDS: Final = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "email": N_("E-mail address"),
    "phone": N_("Phone number"),
}
"""The correctable fields, as the pages name them."""
SYSTEMS: Final = ("facet", "cito_lvs")
"""The systems whose administrators correct an account's details here (their user pages)."""


class PersonPages(Area):
    """Whose data, and one person's page with the export and the correction."""

    navigation: Sequence[NavEntry] = (NavEntry("/privacy", N_("Personal data"), PRIVACY_ACTIONS),)

    def routes(self) -> list[Route]:
        """Return the person pages' routes."""
        return [
            Route("/privacy", self.choose, methods=["GET"]),
            Route("/privacy/person", self.person_page, methods=["GET"]),
            Route("/privacy/person/export.json", self.export_json, methods=["GET"]),
            Route("/privacy/person/export.pdf", self.export_pdf, methods=["GET"]),
            Route("/privacy/person/correct", self.correct, methods=["POST"]),
        ]

    @allowed(*PRIVACY_ACTIONS)
    async def choose(self, request: Request, viewer: Viewer) -> Response:
        """The form that names a person."""
        return self.portal.page(request, "privacy/choose.html", kinds=KINDS, shown={})

    async def person_form(
        self,
        request: Request,
        viewer: Viewer,
        person: PersonRef,
        *,
        shown: Mapping[str, str] | None = None,
        error: ExamkitError | None = None,
    ) -> Response:
        """Render *person*'s page (with examkit's *error* on the correction, if any)."""
        portal = self.portal
        return await portal.form_page(
            request,
            "privacy/person.html",
            "privacy-correct",
            http_status(error) if error is not None else 200,
            person=person,
            kind=KINDS[person.kind],
            query=person_query(person),
            fields=[(name, FIELDS[name]) for name in CORRECTABLE[person.kind]],
            shown=shown or {},
            done=request.query_params.get("done") == "corrected",
            error=error.message(portal.lang(request)) if error is not None else None,
            may_erase=may_erase(viewer, person),
        )

    @allowed(*PRIVACY_ACTIONS)
    async def person_page(self, request: Request, viewer: Viewer) -> Response:
        """One person: the export, the correction and the way to the erasure."""
        person = asked_person(self.portal, request)
        if isinstance(person, Response):
            return person
        return await self.person_form(request, viewer, person)

    async def exported(self, request: Request, viewer: Viewer, suffix: str) -> Response:
        """Export the person the request names as *suffix* (``json`` or ``pdf``)."""
        portal = self.portal
        person = asked_person(portal, request)
        if isinstance(person, Response):
            return person
        try:
            export = await portal.call(portal.kit.privacy_export.export, viewer.id, person)
        except ExamkitError as error:
            return portal.refusal(request, error)
        name = f"persoonsgegevens-{person.kind}-{person.id}".replace("/", "-").replace('"', "")
        headers = {"Content-Disposition": f'attachment; filename="{name}.{suffix}"'}
        if suffix == "json":
            return Response(export.json().encode(), media_type="application/json", headers=headers)
        body = await portal.call(export.pdf)
        return Response(body, media_type="application/pdf", headers=headers)

    @allowed(*PRIVACY_ACTIONS)
    async def export_json(self, request: Request, viewer: Viewer) -> Response:
        """Everything stored about the person, as the export's JSON document."""
        return await self.exported(request, viewer, "json")

    @allowed(*PRIVACY_ACTIONS)
    async def export_pdf(self, request: Request, viewer: Viewer) -> Response:
        """Everything stored about the person, printed (PDF)."""
        return await self.exported(request, viewer, "pdf")

    @allowed(*PRIVACY_ACTIONS)
    async def correct(self, request: Request, viewer: Viewer) -> Response:
        """Correct one of the person's fields through the use case that owns it."""
        portal = self.portal
        posted = await posted_person(portal, request, "privacy-correct")
        if isinstance(posted, Response):
            return posted
        data, person = posted
        field = str(data.get("field", ""))
        value = str(data.get("value", "")).strip()
        application = next((s for s in SYSTEMS if viewer.may(f"{s}.users.edit")), None)
        try:
            await portal.call(
                portal.kit.privacy_export.correct,
                viewer.id,
                person,
                field,
                value,
                application=application,
                ip=client_address(request, portal.config),
            )
        except ExamkitError as error:
            shown = {"field": field, "value": value}
            return await self.person_form(request, viewer, person, shown=shown, error=error)
        return portal.to(f"/privacy/person?{person_query(person, done='corrected')}")
