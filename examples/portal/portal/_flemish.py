"""The Flemish tests' school desk (*Vlaamse toetsen Schoolloket*, seed 003) for its coordinator.

The coordinator finds the school's registrations
(:meth:`~examkit.flemish.FlemishDesk.registrations_for`) and, in one of them,
within its registration window: per pupil the exemptions from Dutch and/or
maths with their reason, voluntary participation, no questionnaire (the
parents' request by their deadline) and own accommodations
(*hulpmiddelen*); the pupil groups; the validation, which lists every
problem or locks the registration. Then the participation list for the
test assistants (and its PDF) and, after each test moment, the test report
from the assistants' logbooks. examkit decides everything: outside the
window a change is refused and the page says until when changes were
possible; another school's registration is refused.

The pupils come from the school's EDEXML file (:mod:`portal._flemish_import`)
or are entered by hand; the pupil form and the file's pupils not registered
yet are in :mod:`portal._flemish_pupil`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.documents import participation_list_pdf
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.flemish import DESK_VIEW, LOGBOOK, FlemishRegistration, NewPupil
from examkit.problems import http_status
from portal._applications_desk import pdf_response
from portal._base import NavEntry, Viewer, allowed
from portal._flemish_logbook import FlemishLogbookPages
from portal._flemish_pupil import FilePupils, imported_pupils, pupil_of, shown_from, shown_of
from portal._i18n import N_

GROUPS = "vlaamse_toetsen.pupil_groups.create"
PUPILS = "vlaamse_toetsen.exemptions.set"
VALIDATE = "vlaamse_toetsen.registration.validate"
LIST = "vlaamse_toetsen.participation_list.download"
REPORT = "vlaamse_toetsen.test_report.fill_in"


def dutch_date(value: date) -> str:
    """Return *value* as the desk writes a day: ``28-02-2025``."""
    return value.strftime("%d-%m-%Y")


class FlemishPages(FlemishLogbookPages):
    """The school desk: registrations, pupils, groups, validation, the list, the test report."""

    navigation = (NavEntry("/flemish", N_("Flemish tests school desk"), (DESK_VIEW, LOGBOOK)),)

    def routes(self) -> list[Route]:
        """Return the desk's routes."""
        return [
            Route("/flemish", self.registrations, methods=["GET"]),
            Route("/flemish/{registration}", self.desk, methods=["GET"]),
            Route("/flemish/{registration}/groups", self.add_group, methods=["POST"]),
            Route("/flemish/{registration}/pupil", self.new_pupil, methods=["GET"]),
            Route("/flemish/{registration}/pupils/file", self.register_file, methods=["POST"]),
            Route("/flemish/{registration}/pupil", self.set_pupil, methods=["POST"]),
            Route("/flemish/{registration}/pupil/{pupil}", self.edit_pupil, methods=["GET"]),
            Route("/flemish/{registration}/validate", self.validate, methods=["POST"]),
            Route("/flemish/{registration}/list", self.participation, methods=["GET"]),
            Route("/flemish/{registration}/list.pdf", self.participation_pdf, methods=["GET"]),
            Route("/flemish/{registration}/report/{moment}", self.report, methods=["GET"]),
            *self.import_routes(),
            *self.logbook_routes(),
        ]

    # -- reading ------------------------------------------------------------------------------

    def base(self, registration: FlemishRegistration) -> dict[str, Any]:
        """Return what every page of one registration shows."""
        now = self.portal.kit.clock.now()
        return {
            "registration": registration,
            "path": f"/flemish/{registration.id}",
            "opens": dutch_date(registration.window.opens),
            "closes": dutch_date(registration.window.closes),
            "parents_deadline": dutch_date(registration.parents_deadline),
            "is_open": registration.window.is_open(now),
            "moments": [(m.code, m.subject, dutch_date(m.on)) for m in registration.moments],
        }

    @allowed(DESK_VIEW, LOGBOOK)
    async def registrations(self, request: Request, viewer: Viewer) -> Response:
        """The registrations of the viewer's schools: the desk's, or the assistant's logbooks."""
        found = await self.portal.call(self.portal.kit.flemish.registrations_for, viewer.id)
        return self.portal.page(
            request,
            "flemish/flemish_registrations.html",
            registrations=[(r.id, str(r.school), str(r.school_year), self.base(r)) for r in found],
            desk=viewer.may(DESK_VIEW),
        )

    @allowed(DESK_VIEW)
    async def desk(self, request: Request, viewer: Viewer) -> Response:
        """One registration: its window, test moments, groups, pupils and the validation."""
        try:
            return await self.desk_page(request, viewer, request.path_params["registration"])
        except ExamkitError as error:
            return self.portal.refusal(request, error)

    async def file_pupils(
        self, request: Request, viewer: Viewer, registration: FlemishRegistration
    ) -> FilePupils:
        """Return the school's imported pupils not registered yet (none once validated)."""
        if registration.is_locked:
            return FilePupils()
        portal = self.portal
        lang = portal.lang(request)
        return await portal.call(imported_pupils, portal.kit, viewer.id, registration, lang)

    def _desk_facts(
        self, viewer: Viewer, registration: FlemishRegistration | str, lang: str
    ) -> tuple[FlemishRegistration, FilePupils, dict[str, str]]:
        """Return the registration (read when given by id), its file's pupils and the tokens.

        One trip to a worker thread: the school's imported pupils not
        registered yet (none once validated) and the page's three forms' tokens.

        Raises:
            ExamkitError: examkit refused the registration's read.
        """
        kit = self.portal.kit
        if isinstance(registration, str):
            registration = kit.flemish.registration(viewer.id, registration)
        found = (
            FilePupils()
            if registration.is_locked
            else imported_pupils(kit, viewer.id, registration, lang)
        )
        forms = ["flemish-validate", "flemish-file", "flemish-group"]
        return registration, found, kit.form_tokens.issue_many(forms)

    async def desk_page(
        self,
        request: Request,
        viewer: Viewer,
        registration: FlemishRegistration | str,
        *,
        error: str | None = None,
        problems: list[tuple[str, str, str]] | None = None,
        status: int = 200,
        group: str = "",
    ) -> Response:
        """Render the registration's page, with a refusal or the validation's problems.

        *registration* is the registration or its id (then read with the rest).

        Raises:
            ExamkitError: examkit refused the registration's read (given by id).
        """
        portal = self.portal
        shown, file, tokens = await portal.call(
            self._desk_facts, viewer, registration, portal.lang(request)
        )
        members = dict.fromkeys(shown.groups, 0)
        for pupil in shown.pupils:
            if pupil.group in members:
                members[pupil.group] += 1
        return portal.page(
            request,
            "flemish/flemish_desk.html",
            status,
            form_token=tokens["flemish-group"],
            **self.base(shown),
            groups=list(members.items()),
            validate_token=tokens["flemish-validate"],
            file_token=tokens["flemish-file"],
            file=file,
            validated=(
                dutch_date(shown.validated_at.date()) if shown.validated_at is not None else ""
            ),
            error=error,
            problems=problems or [],
            group=group,
        )

    # -- changes ------------------------------------------------------------------------------

    async def refused(
        self, request: Request, viewer: Viewer, error: ExamkitError, **shown: Any
    ) -> Response:
        """Show the registration's page again with examkit's refusal (or the refusal alone)."""
        message = error.message(self.portal.lang(request))
        try:
            registration = await self.registration(request, viewer)
        except ExamkitError as unseen:
            return self.portal.refusal(request, unseen)
        return await self.desk_page(
            request, viewer, registration, error=message, status=http_status(error), **shown
        )

    @allowed(GROUPS)
    async def add_group(self, request: Request, viewer: Viewer) -> Response:
        """Make a pupil group (*leerlingengroep aanmaken*)."""
        data = await self.portal.accepted(request, "flemish-group")
        if isinstance(data, Response):
            return data
        name = str(data.get("group", ""))
        registration_id = request.path_params["registration"]
        try:
            await self.portal.call(
                self.portal.kit.flemish.add_group, viewer.id, registration_id, name
            )
        except ExamkitError as error:
            return await self.refused(request, viewer, error, group=name)
        return self.portal.to(f"/flemish/{registration_id}#groups")

    @allowed(VALIDATE)
    async def validate(self, request: Request, viewer: Viewer) -> Response:
        """Validate: every problem listed at its pupil or group, or the registration locked."""
        data = await self.portal.accepted(request, "flemish-validate")
        if isinstance(data, Response):
            return data
        registration_id = request.path_params["registration"]
        try:
            await self.portal.call(self.portal.kit.flemish.validate, viewer.id, registration_id)
        except ExamkitErrorGroup as group:
            try:
                registration = await self.registration(request, viewer)
            except ExamkitError as error:
                return self.portal.refusal(request, error)
            return await self.desk_page(
                request,
                viewer,
                registration,
                error=group.message(self.portal.lang(request)),
                problems=self.problems(request, registration, group),
                status=http_status(group),
            )
        except ExamkitError as error:
            return await self.refused(request, viewer, error)
        return self.portal.to(f"/flemish/{registration_id}")

    def problems(
        self, request: Request, registration: FlemishRegistration, group: ExamkitErrorGroup
    ) -> list[tuple[str, str, str]]:
        """Return each problem as (what it concerns, its message, a link to fix it or "")."""
        _ = self.portal.gettext(request)
        lang = self.portal.lang(request)
        names = {pupil.pupil: pupil.name for pupil in registration.pupils}
        found = []
        for problem in group.problems:
            field = problem.field or ""
            kind, _colon, key = field.partition(":")
            if kind == "pupil":
                what = _("Pupil %(name)s", name=names.get(key, key) + " (" + key + ")")
                link = f"/flemish/{registration.id}/pupil/{key}"
            elif kind == "group":
                what, link = _("Pupil group %(group)s", group=key), "#groups"
            else:
                what, link = "", ""
            found.append((what, problem.message(lang), link))
        return found

    # -- one pupil ----------------------------------------------------------------------------

    @allowed(PUPILS)
    async def new_pupil(self, request: Request, viewer: Viewer) -> Response:
        """The form for a pupil not registered yet (``?key=``: the file's pupil, filled in)."""
        key = request.query_params.get("key")
        if key is None:
            return await self.pupil_page(request, viewer, None)
        try:
            registration = await self.registration(request, viewer)
            file = await self.file_pupils(request, viewer, registration)
        except ExamkitError as error:
            return self.portal.refusal(request, error)
        found = next((pupil for pupil in file.pupils if pupil.key == key), None)
        if found is None:
            return Response(status_code=404)
        group = found.group if found.group in registration.groups else ""
        shown = {"pupil": found.key, "name": found.name, "group": group, "from_file": True}
        return await self.pupil_page(request, viewer, None, shown=shown)

    @allowed(PUPILS)
    async def register_file(self, request: Request, viewer: Viewer) -> Response:
        """Register every pupil of the file not registered yet, in the group named as its class.

        A pupil whose class has no pupil group of that name is registered
        without a group (validation then lists them). examkit registers them
        all in one unit of work
        (:meth:`~examkit.flemish.FlemishDesk.register_pupils`): a refusal,
        shown with the pupil it names, registers none of them.
        """
        data = await self.portal.accepted(request, "flemish-file")
        if isinstance(data, Response):
            return data
        portal = self.portal
        registration_id = request.path_params["registration"]
        try:
            registration = await self.registration(request, viewer)
            file = await self.file_pupils(request, viewer, registration)
            pupils = [
                NewPupil(
                    pupil.key, pupil.name, pupil.group if pupil.group in registration.groups else ""
                )
                for pupil in file.pupils
            ]
            if pupils:
                await portal.call(
                    portal.kit.flemish.register_pupils, viewer.id, registration_id, pupils
                )
        except ExamkitError as error:
            return await self.refused(request, viewer, error)
        return portal.to(f"/flemish/{registration_id}#pupils")

    @allowed(PUPILS)
    async def edit_pupil(self, request: Request, viewer: Viewer) -> Response:
        """The form with a registered pupil's exemptions, participation and accommodations."""
        return await self.pupil_page(request, viewer, request.path_params["pupil"])

    async def pupil_page(
        self,
        request: Request,
        viewer: Viewer,
        key: str | None,
        *,
        shown: dict[str, Any] | None = None,
        error: str | None = None,
        status: int = 200,
    ) -> Response:
        """Render the pupil form (new when *key* is ``None``), filled in."""
        try:
            registration = await self.registration(request, viewer)
        except ExamkitError as refusal:
            return self.portal.refusal(request, refusal)
        pupil = next((p for p in registration.pupils if p.pupil == key), None)
        if key is not None and pupil is None and shown is None:
            return Response(status_code=404)
        return await self.portal.form_page(
            request,
            "flemish/flemish_pupil.html",
            "flemish-pupil",
            status,
            **self.base(registration),
            groups=registration.groups,
            existing=key is not None,
            fixed=key is not None or bool(shown and shown.get("from_file")),
            shown=shown if shown is not None else shown_of(pupil),
            error=error,
        )

    @allowed(PUPILS)
    async def set_pupil(self, request: Request, viewer: Viewer) -> Response:
        """Store a pupil's registration (new, or replacing the one with the same key)."""
        data = await self.portal.accepted(request, "flemish-pupil")
        if isinstance(data, Response):
            return data
        registration_id = request.path_params["registration"]
        existing = data.get("existing") == "yes"
        from_file = data.get("from_file") == "yes"
        try:
            pupil = await self.portal.call(pupil_of, data)
            await self.portal.call(
                self.portal.kit.flemish.set_pupil, viewer.id, registration_id, pupil
            )
        except ExamkitError as error:
            return await self.pupil_page(
                request,
                viewer,
                str(data.get("pupil", "")) if existing else None,
                shown={**shown_from(data), "from_file": from_file},
                error=error.message(self.portal.lang(request)),
                status=http_status(error),
            )
        return self.portal.to(f"/flemish/{registration_id}#pupils")

    # -- the list and the report --------------------------------------------------------------

    @allowed(LIST)
    async def participation(self, request: Request, viewer: Viewer) -> Response:
        """The participation list with exemptions and accommodations, and its PDF."""
        portal = self.portal
        registration_id = request.path_params["registration"]
        try:
            lines = await portal.call(
                portal.kit.flemish.participation_list, viewer.id, registration_id
            )
            registration = await self.registration(request, viewer)
        except ExamkitError as error:
            return portal.refusal(request, error)
        reasons = {pupil.pupil: pupil.exemption_reason for pupil in registration.pupils}
        return portal.page(
            request,
            "flemish/flemish_list.html",
            **self.base(registration),
            lines=lines,
            reasons=reasons,
        )

    @allowed(LIST)
    async def participation_pdf(self, request: Request, viewer: Viewer) -> Response:
        """The participation list as a PDF for the test assistants (DOC-4)."""
        portal = self.portal
        registration_id = request.path_params["registration"]
        try:
            await portal.call(portal.kit.flemish.participation_list, viewer.id, registration_id)
            registration = await self.registration(request, viewer)
            pdf = await portal.call(participation_list_pdf, registration)
        except ExamkitError as error:
            return portal.refusal(request, error)
        name = f"deelnamelijst-{registration.school}-{registration.school_year}.pdf"
        return pdf_response(pdf, name)

    @allowed(REPORT)
    async def report(self, request: Request, viewer: Viewer) -> Response:
        """The test report of one test moment, from the assistants' logbooks."""
        portal = self.portal
        registration_id = request.path_params["registration"]
        moment = request.path_params["moment"]
        try:
            report = await portal.call(
                portal.kit.flemish.test_report, viewer.id, registration_id, moment
            )
            registration = await self.registration(request, viewer)
        except ExamkitError as error:
            return portal.refusal(request, error)
        names = {pupil.pupil: pupil.name for pupil in registration.pupils}
        return portal.page(
            request,
            "flemish/flemish_report.html",
            **self.base(registration),
            report=report,
            moment=next(m for m in self.base(registration)["moments"] if m[0] == moment),
            absent=[(names.get(key, key), key) for key in report.absent],
        )
