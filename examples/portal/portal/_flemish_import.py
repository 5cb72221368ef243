"""The Flemish desk's EDEXML import: the school's file, its preview, confirm or cancel.

A Flemish school's pupils come from its EDEXML file of the Flemish variant
(identified by its *instellingsnummer*). The test coordinator
(``vlaamse_toetsen.pupils.import``) uploads it from the registration's page;
examkit checks it for the registration's school and holds it as a preview,
shown by its id (a reload shows it again); confirm applies it, cancel erases
it. examkit keeps only what the desk needs: the national register number in
the file is dropped on import. The pupils then wait at the registration's
page to be registered (:mod:`portal._flemish_pupil`).
"""

from __future__ import annotations

from typing import ClassVar

import attrs
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.edexml import DEFAULT_LIMITS
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.flemish import FlemishRegistration
from examkit.imports import FLEMISH_IMPORT_ACTION, ImportPreview
from examkit.problems import http_status
from portal._base import Area, Viewer, allowed


class FlemishImportPages(Area):
    """Upload, preview, confirm or cancel the school's Flemish EDEXML file."""

    max_upload: ClassVar[int] = 20 * 1024 * 1024
    """The largest file the page accepts, in bytes (examkit's parser gets the same limit)."""

    def import_routes(self) -> list[Route]:
        """Return the import's routes (under a registration's path)."""
        base = "/flemish/{registration}/import"
        return [
            Route(base, self.upload_page, methods=["GET"]),
            Route(base, self.upload, methods=["POST"]),
            Route(base + "/{preview}", self.preview_page, methods=["GET"]),
            Route(base + "/{preview}/confirm", self.confirm, methods=["POST"]),
            Route(base + "/{preview}/cancel", self.cancel, methods=["POST"]),
        ]

    async def registration(self, request: Request, viewer: Viewer) -> FlemishRegistration:
        """Return the path's registration, as examkit shows it to *viewer* (or its refusal)."""
        return await self.portal.call(
            self.portal.kit.flemish.registration, viewer.id, request.path_params["registration"]
        )

    async def upload_form(
        self,
        request: Request,
        viewer: Viewer,
        status: int = 200,
        *,
        error: str | None = None,
        problems: list[tuple[int | None, str]] | None = None,
        filename: str = "",
    ) -> Response:
        """Render the upload form of the path's registration (or examkit's refusal)."""
        try:
            registration = await self.registration(request, viewer)
        except ExamkitError as refusal:
            return self.portal.refusal(request, refusal)
        return await self.portal.form_page(
            request,
            "flemish/flemish_import.html",
            "flemish-import",
            status,
            registration=registration,
            path=f"/flemish/{registration.id}",
            max_megabytes=self.max_upload // (1024 * 1024),
            cancelled=request.query_params.get("cancelled") == "1",
            error=error,
            problems=problems or [],
            filename=filename,
        )

    @allowed(FLEMISH_IMPORT_ACTION)
    async def upload_page(self, request: Request, viewer: Viewer) -> Response:
        """The upload form for the school's EDEXML file."""
        return await self.upload_form(request, viewer)

    @allowed(FLEMISH_IMPORT_ACTION)
    async def upload(self, request: Request, viewer: Viewer) -> Response:
        """Check the uploaded file for the registration's school; show its preview or problems."""
        portal = self.portal
        _ = portal.gettext(request)
        too_large = _("The file is larger than %(size)s MB.", size=self.max_upload // 2**20)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_upload + 64 * 1024:
            return await self.upload_form(request, viewer, 413, error=too_large)
        data = await portal.accepted(request, "flemish-import")
        if isinstance(data, Response):
            await request.close()
            return data
        upload = data.get("file")
        filename = upload.filename if isinstance(upload, UploadFile) else None
        content = await upload.read(self.max_upload + 1) if isinstance(upload, UploadFile) else b""
        await data.close()
        if not filename:
            return await self.upload_form(request, viewer, 400, error=_("Choose an EDEXML file."))
        if len(content) > self.max_upload:
            return await self.upload_form(request, viewer, 413, error=too_large)
        lang = portal.lang(request)
        try:
            registration = await self.registration(request, viewer)
            preview = await portal.call(
                portal.kit.edexml_imports.preview,
                viewer.id,
                content,
                location=registration.school,
                limits=attrs.evolve(DEFAULT_LIMITS, max_bytes=self.max_upload),
            )
        except ExamkitError as error:
            found = error.problems if isinstance(error, ExamkitErrorGroup) else (error,)
            problems = [(problem.line, problem.message(lang)) for problem in found]
            return await self.upload_form(
                request,
                viewer,
                http_status(error),
                error=error.message(lang),
                problems=problems,
                filename=filename,
            )
        return portal.to(f"/flemish/{registration.id}/import/{preview.id}")

    @allowed(FLEMISH_IMPORT_ACTION)
    async def preview_page(self, request: Request, viewer: Viewer) -> Response:
        """The preview by its id: school, school year, counts, warnings; confirm or cancel."""
        portal = self.portal
        try:
            registration = await self.registration(request, viewer)
            preview: ImportPreview = await portal.call(
                portal.kit.edexml_imports.get_preview, viewer.id, request.path_params["preview"]
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        lang = portal.lang(request)
        parts = preview.diff.parts()
        return await portal.form_page(
            request,
            "flemish/flemish_import_preview.html",
            "flemish-import-preview",
            registration=registration,
            path=f"/flemish/{registration.id}",
            preview=preview,
            other_year=preview.school_year != registration.school_year,
            pupils=parts["pupils"],
            groups=parts["groups"],
            warnings=[(item.line, item.message(lang)) for item in preview.warnings],
        )

    @allowed(FLEMISH_IMPORT_ACTION)
    async def confirm(self, request: Request, viewer: Viewer) -> Response:
        """Apply the previewed file; back to the registration, where its pupils wait."""
        portal = self.portal
        data = await portal.accepted(request, "flemish-import-preview")
        if isinstance(data, Response):
            return data
        registration_id = request.path_params["registration"]
        try:
            await portal.call(
                portal.kit.edexml_imports.confirm, viewer.id, request.path_params["preview"]
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.to(f"/flemish/{registration_id}#pupils")

    @allowed(FLEMISH_IMPORT_ACTION)
    async def cancel(self, request: Request, viewer: Viewer) -> Response:
        """Erase the preview; back to the upload form, which says so."""
        portal = self.portal
        data = await portal.accepted(request, "flemish-import-preview")
        if isinstance(data, Response):
            return data
        registration_id = request.path_params["registration"]
        try:
            await portal.call(
                portal.kit.edexml_imports.cancel, viewer.id, request.path_params["preview"]
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.to(f"/flemish/{registration_id}/import?cancelled=1")
