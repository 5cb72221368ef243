"""Planning's files: the candidates and their file, the group file, the answer-sheet order.

A candidate file (*kandidatenbestand*) is read whole or not at all: each
problem is shown with its line (:func:`examkit.scheduling.read_candidate_file`).
A group file (*inlezen afnamegroep*) plans each of its groups on its own;
the page that follows shows every group's status (*status afname-import*,
SCH-1). The answer-sheet order of a paper test counts the location's
current imported pupils per class (EDX-3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, ExamkitErrorGroup, NotFound
from examkit.identifiers import LocationCode
from examkit.problems import http_status
from examkit.scheduling import (
    CANDIDATE_FILE_COLUMNS,
    CANDIDATE_FILE_REQUIRED,
    GROUP_FILE_COLUMNS,
    GROUP_FILE_REQUIRED,
    MAX_CENTRAL_EXTRA_TIME,
    AnswerSheetOrder,
    Candidate,
    Facilities,
    GroupImport,
    Mode,
)
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._planning_words import AIDS, aids_of, chosen_location, class_names, parse_minutes

CANDIDATES: Final = ("facet.candidates.overview", "facet.candidates.import")
"""Who sees a location's candidates (the planner)."""
READ_IN: Final = "facet.candidates.import"
"""Who reads in a candidate file."""
GROUP_FILE: Final = "facet.session_groups.import"
"""Who reads in a group file."""
SHEETS: Final = "ce_portal.paper_test.order"
"""Who orders answer sheets for a paper test."""


async def _read_upload(data: Any, limit: int) -> tuple[str | None, bytes]:
    """Return the uploaded file's name and at most *limit* + 1 of its bytes."""
    upload = data.get("file")
    if not isinstance(upload, UploadFile):
        return None, b""
    content = await upload.read(limit + 1)
    return upload.filename or None, content


class PlanningFilesPages(Area):
    """The candidates of a location and their file, the group file, the answer sheets."""

    navigation = (
        NavEntry("/planning/candidates", N_("Candidates"), CANDIDATES),
        NavEntry("/planning/answer-sheets", N_("Answer sheets"), (SHEETS,)),
    )
    max_upload: ClassVar[int] = 2 * 1024 * 1024
    """The largest candidate or group file the pages accept, in bytes."""

    def routes(self) -> list[Route]:
        """Return the routes of the candidates, the group file and the answer sheets."""
        return [
            Route("/planning/candidates", self.candidates, methods=["GET"]),
            Route("/planning/candidates", self.read_in, methods=["POST"]),
            Route("/planning/candidates/{candidate}", self.candidate, methods=["GET"]),
            Route("/planning/candidates/{candidate}", self.set_facilities, methods=["POST"]),
            Route("/planning/group-file", self.group_file_form, methods=["GET"]),
            Route("/planning/group-file", self.group_file, methods=["POST"]),
            Route("/planning/answer-sheets", self.answer_sheets, methods=["GET"]),
        ]

    # -- candidates --------------------------------------------------------------------------

    async def _candidates_page(
        self, request: Request, viewer: Viewer, location: str = "", status: int = 200, **extra: Any
    ) -> Response:
        portal = self.portal
        _ = portal.gettext(request)
        locations = await portal.call(portal.kit.planning_desk.locations, viewer.id, CANDIDATES)
        location = location or chosen_location(request, locations)
        context: dict[str, Any] = {
            "locations": [str(code) for code in locations],
            "location": location,
            "columns": CANDIDATE_FILE_COLUMNS,
            "required": CANDIDATE_FILE_REQUIRED,
            "may_read_in": viewer.may(READ_IN),
            "read": request.query_params.get("read", ""),
            "changed": request.query_params.get("changed") == "1",
            **extra,
        }
        if not location:
            context["error"] = _("There is no location for you to plan at.")
            return portal.page(request, "planning/candidates.html", 403, **context)
        try:
            people = await portal.call(
                portal.kit.candidates.candidates, viewer.id, LocationCode(location)
            )
        except ExamkitError as error:
            context["error"] = error.message(portal.lang(request))
            return portal.page(request, "planning/candidates.html", http_status(error), **context)
        rows = [
            {
                "id": person.id,
                "name": person.name,
                "login_name": person.login_name,
                "number": person.number,
                "class_key": person.class_key,
                "extra": person.facilities.extra_time_minutes,
                "aids": ", ".join(aids_of(person.facilities, _)),
            }
            for person in people
        ]
        names = await class_names(portal, viewer, LocationCode(location))
        return await portal.form_page(
            request,
            "planning/candidates.html",
            "candidate-file",
            status,
            rows=rows,
            class_names=names,
            **context,
        )

    @allowed(*CANDIDATES)
    async def candidates(self, request: Request, viewer: Viewer) -> Response:
        """A location's candidates with their login names and facilities; the file's upload."""
        return await self._candidates_page(request, viewer)

    @allowed(READ_IN)
    async def read_in(self, request: Request, viewer: Viewer) -> Response:
        """Read in a candidate file: all its candidates, or every problem with its line."""
        portal = self.portal
        data = await portal.accepted(request, "candidate-file")
        if isinstance(data, Response):
            await request.close()
            return data
        _ = portal.gettext(request)
        location = str(data.get("location", ""))
        filename, content = await _read_upload(data, self.max_upload)
        await data.close()
        if not filename:
            error = _("Choose a candidate file.")
            return await self._candidates_page(request, viewer, location, 400, error=error)
        if len(content) > self.max_upload:
            error = _("The file is larger than %(size)s MB.", size=self.max_upload // 2**20)
            return await self._candidates_page(request, viewer, location, 413, error=error)
        lang = portal.lang(request)
        try:
            made = await portal.call(
                portal.kit.candidates.import_candidates, viewer.id, LocationCode(location), content
            )
        except ExamkitError as error:
            problems = [
                (problem.line, problem.field or "", problem.message(lang))
                for problem in (
                    error.problems if isinstance(error, ExamkitErrorGroup) else (error,)
                )
            ]
            return await self._candidates_page(
                request,
                viewer,
                location,
                http_status(error),
                error=_("The candidate file %(file)s was not read in.", file=filename),
                problems=problems,
            )
        return portal.to(f"/planning/candidates?location={location}&read={len(made)}")

    async def _find(self, viewer: Viewer, candidate_id: str) -> Candidate:
        """Return candidate *candidate_id* among the viewer's locations' candidates.

        Raises:
            NotFound: none of them has that id.
        """
        return await self.portal.call(self._found, viewer, candidate_id)

    def _found(self, viewer: Viewer, candidate_id: str) -> Candidate:
        """:meth:`_find`'s reads, in the worker thread they run in.

        Raises:
            NotFound: none of the viewer's locations' candidates has that id.
        """
        kit = self.portal.kit
        locations = kit.planning_desk.locations(viewer.id, (READ_IN,))
        try:  # one candidate read, not every candidate of every location listed
            person: Candidate | None = kit.candidates.candidate(candidate_id)
        except NotFound:
            person = None
        if person is None or person.location not in locations:
            raise NotFound(
                "storage.not_found", field="candidate", kind="Kandidaat", key=candidate_id
            )
        return person

    def _candidate_facts(
        self, viewer: Viewer, candidate_id: str
    ) -> tuple[Candidate, Mapping[str, str], str]:
        """Return the candidate, its location's class names and the form's token.

        In one trip to a worker thread
        (:meth:`kit.planning_desk.candidate_details
        <examkit.scheduling.PlanningDesk.candidate_details>`: one read).

        Raises:
            NotFound: the candidate is none of the viewer's locations'.
        """
        kit = self.portal.kit
        found = kit.planning_desk.candidate_details(viewer.id, candidate_id)
        token = kit.form_tokens.issue("candidate-facilities")
        return found.candidate, found.class_names, token

    async def _candidate_page(
        self, request: Request, viewer: Viewer, status: int = 200, **extra: Any
    ) -> Response:
        portal = self.portal
        try:
            person, names, token = await portal.call(
                self._candidate_facts, viewer, request.path_params["candidate"]
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        shown = extra.pop("shown", None) or {
            "extra": str(person.facilities.extra_time_minutes),
            **{field: getattr(person.facilities, field) for field, _ in AIDS},
        }
        return portal.page(
            request,
            "planning/candidate.html",
            status,
            form_token=token,
            person=person,
            shown=shown,
            aids=AIDS,
            maximum=MAX_CENTRAL_EXTRA_TIME,
            class_names=names,
            **extra,
        )

    @allowed(READ_IN)
    async def candidate(self, request: Request, viewer: Viewer) -> Response:
        """A candidate's facilities: extra time and aids, to change."""
        return await self._candidate_page(request, viewer)

    @allowed(READ_IN)
    async def set_facilities(self, request: Request, viewer: Viewer) -> Response:
        """Store the candidate's facilities; back to the location's candidates."""
        portal = self.portal
        data = await portal.accepted(request, "candidate-facilities")
        if isinstance(data, Response):
            return data
        candidate_id = request.path_params["candidate"]
        shown = {
            "extra": str(data.get("extra", "")).strip(),
            **{field: data.get(field) == "yes" for field, _ in AIDS},
        }
        try:
            person = await self._find(viewer, candidate_id)
            facilities = Facilities(
                extra_time_minutes=parse_minutes(str(shown["extra"]), "extra"),
                **{field: bool(shown[field]) for field, _ in AIDS},
            )
            await portal.call(
                portal.kit.candidates.set_facilities, viewer.id, candidate_id, facilities
            )
        except ExamkitError as error:
            return await self._candidate_page(
                request,
                viewer,
                http_status(error),
                error=error.message(portal.lang(request)),
                shown=shown,
            )
        return portal.to(f"/planning/candidates?location={person.location}&changed=1")

    # -- the group file ----------------------------------------------------------------------

    async def _group_file_page(
        self, request: Request, viewer: Viewer, status: int = 200, **extra: Any
    ) -> Response:
        portal = self.portal
        locations = await portal.call(portal.kit.planning_desk.locations, viewer.id, (GROUP_FILE,))
        return await portal.form_page(
            request,
            "planning/group_file.html",
            "group-file",
            status,
            locations=[str(code) for code in locations],
            location=chosen_location(request, locations),
            columns=GROUP_FILE_COLUMNS,
            required=GROUP_FILE_REQUIRED,
            **extra,
        )

    @allowed(GROUP_FILE)
    async def group_file_form(self, request: Request, viewer: Viewer) -> Response:
        """The group file's upload, with its columns."""
        return await self._group_file_page(request, viewer)

    @allowed(GROUP_FILE)
    async def group_file(self, request: Request, viewer: Viewer) -> Response:
        """Read in a group file; show each group's status (planned, or why not)."""
        portal = self.portal
        data = await portal.accepted(request, "group-file")
        if isinstance(data, Response):
            await request.close()
            return data
        _ = portal.gettext(request)
        location = str(data.get("location", ""))
        filename, content = await _read_upload(data, self.max_upload)
        await data.close()
        if not filename:
            return await self._group_file_page(
                request, viewer, 400, error=_("Choose a group file.")
            )
        if len(content) > self.max_upload:
            error = _("The file is larger than %(size)s MB.", size=self.max_upload // 2**20)
            return await self._group_file_page(request, viewer, 413, error=error)
        lang = portal.lang(request)
        try:
            result: GroupImport = await portal.call(
                portal.kit.planning.import_groups, viewer.id, LocationCode(location), content
            )
        except ExamkitError as error:
            problems = [
                (problem.line, problem.field or "", problem.message(lang))
                for problem in (
                    error.problems if isinstance(error, ExamkitErrorGroup) else (error,)
                )
            ]
            return await self._group_file_page(
                request,
                viewer,
                http_status(error),
                error=_("The group file %(file)s was not read in.", file=filename),
                problems=problems,
            )
        statuses = {
            "complete": _("Every group was planned."),
            "partial": _("Some groups were planned; the others were not."),
            "failed": _("No group was planned."),
        }
        lines = [
            {
                "label": line.label,
                "lines": ", ".join(str(n) for n in line.lines),
                "group": line.group,
                "problem": line.message_en if lang == "en" else line.message_nl,
            }
            for line in result.lines
        ]
        # The outcome is shown at once, not stored: each planned group has its own page.
        return portal.page(
            request,
            "planning/group_file_status.html",
            status_text=statuses[result.status],
            lines=lines,
            location=location,
            filename=filename,
        )

    # -- answer sheets -----------------------------------------------------------------------

    @allowed(SHEETS)
    async def answer_sheets(self, request: Request, viewer: Viewer) -> Response:
        """The answer sheets to order for a paper test, per class (a form that only reads)."""
        portal = self.portal
        _ = portal.gettext(request)
        locations = await portal.call(portal.kit.planning_desk.locations, viewer.id, (SHEETS,))
        location = chosen_location(request, locations)
        context: dict[str, Any] = {
            "locations": [str(code) for code in locations],
            "location": location,
            "exam": request.query_params.get("exam", ""),
            "spares": request.query_params.get("spares", "0"),
            "exams": (),
        }
        if not location:
            context["error"] = _("There is no location for you to plan at.")
            return portal.page(request, "planning/answer_sheets.html", 403, **context)
        try:
            exams = await portal.call(
                portal.kit.planning_desk.exams, viewer.id, LocationCode(location)
            )
            context["exams"] = [e for e in exams if Mode.PAPER in e.modes]
            if context["exam"]:
                spares = context["spares"].strip() or "0"
                if not spares.isdigit():
                    context["error"] = _("Spare sheets are a whole number, 0 or more.")
                    return portal.page(request, "planning/answer_sheets.html", 400, **context)
                order: AnswerSheetOrder = await portal.call(
                    portal.kit.candidates.answer_sheet_order,
                    viewer.id,
                    LocationCode(location),
                    context["exam"],
                    spares=int(spares),
                )
                context["order"] = order
        except ExamkitError as error:
            context["error"] = error.message(portal.lang(request))
            return portal.page(
                request, "planning/answer_sheets.html", http_status(error), **context
            )
        return portal.page(request, "planning/answer_sheets.html", **context)
