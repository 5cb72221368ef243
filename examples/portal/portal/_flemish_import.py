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

from collections.abc import Callable
from typing import ClassVar, Final, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, NotFound
from examkit.flemish import FlemishRegistration
from examkit.identifiers import Instellingsnummer
from examkit.imports import FLEMISH_IMPORT_ACTION, ImportPreview
from portal._base import Area, Viewer, allowed
from portal._edexml_upload import (
    MAX_UPLOAD,
    UploadRefused,
    differences,
    preview_step,
    preview_upload,
)
from portal._i18n import N_

_KINDS: Final = (("pupils", N_("Pupils")), ("groups", N_("Classes")))
"""The parts of a Flemish file's difference, in the order the preview shows them."""


T = TypeVar("T")


class FlemishImportPages(Area):
    """Upload, preview, confirm or cancel the school's Flemish EDEXML file."""

    max_upload: ClassVar[int] = MAX_UPLOAD
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

        async def school(_: dict[str, str]) -> Instellingsnummer:
            return (await self.registration(request, viewer)).school

        registration_id = request.path_params["registration"]
        got = await preview_upload(
            self.portal,
            request,
            viewer.id,
            form="flemish-import",
            max_upload=self.max_upload,
            place=school,
        )
        if isinstance(got, Response):
            return got
        if isinstance(got, UploadRefused):
            return await self.upload_form(request, viewer, got.status, **got.shown())
        return self.portal.to(f"/flemish/{registration_id}/import/{got.id}")

    @allowed(FLEMISH_IMPORT_ACTION)
    async def preview_page(self, request: Request, viewer: Viewer) -> Response:
        """The preview by its id: school, school year, counts, warnings; confirm or cancel."""
        portal = self.portal
        try:  # one trip to a worker thread for the reads and the form's token
            registration, preview, token = await portal.call(
                self._preview_facts,
                viewer,
                request.path_params["registration"],
                request.path_params["preview"],
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        lang = portal.lang(request)
        return portal.page(
            request,
            "flemish/flemish_import_preview.html",
            form_token=token,
            registration=registration,
            path=f"/flemish/{registration.id}",
            preview=preview,
            other_year=preview.school_year != registration.school_year,
            differences=differences(preview.diff, _KINDS),
            warnings=[(item.line, item.message(lang)) for item in preview.warnings],
        )

    def _preview_facts(
        self, viewer: Viewer, registration_id: str, preview_id: str
    ) -> tuple[FlemishRegistration, ImportPreview, str]:
        """Return the registration, its school's preview and the preview form's token.

        Raises:
            ExamkitError: examkit refused a read, or the preview is another place's
                (a Dutch location's is no preview of this desk: not found here).
        """
        kit = self.portal.kit
        registration = kit.flemish.registration(viewer.id, registration_id)
        preview = kit.edexml_imports.get_preview(viewer.id, preview_id)
        if str(preview.location) != str(registration.school):
            raise NotFound(kind="import", key=preview_id)
        return registration, preview, kit.form_tokens.issue("flemish-import-preview")

    async def _step(
        self, request: Request, viewer: Viewer, step: Callable[[str, str], T]
    ) -> T | Response:
        """Confirm or cancel the path's preview with *step* (:func:`preview_step`).

        Only a preview of the registration's school: another place's is not found here.
        """
        portal = self.portal
        try:
            registration = await self.registration(request, viewer)
            preview: ImportPreview = await portal.call(
                portal.kit.edexml_imports.get_preview, viewer.id, request.path_params["preview"]
            )
            if str(preview.location) != str(registration.school):
                raise NotFound(kind="import", key=request.path_params["preview"])
        except ExamkitError as error:
            return portal.refusal(request, error)
        return await preview_step(
            self.portal,
            request,
            form="flemish-import-preview",
            step=step,
            actor=viewer.id,
            refused=self.portal.refusal,
        )

    @allowed(FLEMISH_IMPORT_ACTION)
    async def confirm(self, request: Request, viewer: Viewer) -> Response:
        """Apply the previewed file; back to the registration, where its pupils wait."""
        portal = self.portal
        done = await self._step(request, viewer, portal.kit.edexml_imports.confirm)
        if isinstance(done, Response):
            return done
        return portal.to(f"/flemish/{request.path_params['registration']}#pupils")

    @allowed(FLEMISH_IMPORT_ACTION)
    async def cancel(self, request: Request, viewer: Viewer) -> Response:
        """Erase the preview; back to the upload form, which says so."""
        portal = self.portal
        done = await self._step(request, viewer, portal.kit.edexml_imports.cancel)
        if isinstance(done, Response):
            return done
        return portal.to(f"/flemish/{request.path_params['registration']}/import?cancelled=1")
