"""The test assistant's logbook (*logboek*) of a test moment and pupil group.

After each test moment every assistant fills in the logbook of the pupil
group they supervised: who was absent and what happened
(:meth:`~examkit.flemish.FlemishDesk.add_logbook`); the coordinator's test
report is built from them (:mod:`portal._flemish`). examkit decides who may
(the school's test assistants) and refuses an unknown moment or group.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.flemish import LOGBOOK, Logbook
from examkit.problems import http_status
from portal._base import Viewer, allowed
from portal._flemish_import import FlemishImportPages


class FlemishLogbookPages(FlemishImportPages):
    """The logbook form of a registration's test moments and pupil groups."""

    def logbook_routes(self) -> list[Route]:
        """Return the logbook's routes (under a registration's path)."""
        return [
            Route("/flemish/{registration}/logbook", self.logbook_page, methods=["GET"]),
            Route("/flemish/{registration}/logbook", self.fill_in, methods=["POST"]),
        ]

    async def logbook_form(
        self,
        request: Request,
        viewer: Viewer,
        status: int = 200,
        *,
        shown: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> Response:
        """Render the logbook form of the path's registration (or examkit's refusal)."""
        try:
            registration = await self.registration(request, viewer)
        except ExamkitError as refusal:
            return self.portal.refusal(request, refusal)
        by_group = [
            (group, [pupil for pupil in registration.pupils if pupil.group == group])
            for group in registration.groups
        ]
        mine = [book for book in registration.logbooks if book.assistant == viewer.id]
        return await self.portal.form_page(
            request,
            "flemish/flemish_logbook.html",
            "flemish-logbook",
            status,
            registration=registration,
            path=f"/flemish/{registration.id}",
            moments=[(m.code, m.subject, m.on.strftime("%d-%m-%Y")) for m in registration.moments],
            by_group=by_group,
            mine=[(book.moment, book.group, len(book.absent)) for book in mine],
            saved=request.query_params.get("saved") == "1",
            shown=shown or {"absent": []},
            error=error,
        )

    @allowed(LOGBOOK)
    async def logbook_page(self, request: Request, viewer: Viewer) -> Response:
        """The logbook form: test moment, pupil group, the absent pupils, what happened."""
        return await self.logbook_form(request, viewer)

    @allowed(LOGBOOK)
    async def fill_in(self, request: Request, viewer: Viewer) -> Response:
        """Store the logbook; the form again, saying so (or with examkit's refusal)."""
        portal = self.portal
        data = await portal.accepted(request, "flemish-logbook")
        if isinstance(data, Response):
            return data
        registration_id = request.path_params["registration"]
        moment, group = str(data.get("moment", "")), str(data.get("group", ""))
        absent, notes = [str(key) for key in data.getlist("absent")], str(data.get("notes", ""))
        shown = {"moment": moment, "group": group, "absent": absent, "notes": notes}
        try:
            book = await portal.call(
                partial(Logbook, moment, group, viewer.id, absent=absent, notes=notes)
            )
            await portal.call(portal.kit.flemish.add_logbook, viewer.id, registration_id, book)
        except ExamkitError as error:
            message = error.message(portal.lang(request))
            return await self.logbook_form(
                request, viewer, http_status(error), shown=shown, error=message
            )
        return portal.to(f"/flemish/{registration_id}/logbook?saved=1")
