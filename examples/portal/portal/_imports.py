"""EDEXML import: upload a file, check its preview, confirm or cancel it (seed 001, steps 2-4).

The administrator of the pupil-monitoring system (``cito_lvs.edexml.import``)
uploads the school administration's EDEXML file; examkit checks it and
holds it as a preview (nothing of it is the school's data yet), which the
page ``/imports/{id}`` shows by its id, so a reload shows it again. Confirm
applies exactly that difference, cancel erases it; a spent, cancelled or
expired preview is refused with examkit's message. The classes and pupils
it brings are in :mod:`portal._classes`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports import IMPORT_ACTION, SCHOOL_YEAR_ZONE, ImportDiff, ImportPreview
from examkit.problems import http_status
from portal._base import Area, NavEntry, Viewer, allowed
from portal._edexml_upload import (
    MAX_UPLOAD,
    UploadRefused,
    differences,
    preview_step,
    preview_upload,
)
from portal._i18n import N_

_KINDS: Final = ("pupils", "groups", "combination_groups", "teachers")
"""The parts of a difference, in the order the pages show them."""
_KIND_LABELS: Final = {
    "pupils": N_("Pupils"),
    "groups": N_("Classes"),
    "combination_groups": N_("Combination groups"),
    "teachers": N_("Teachers"),
}
_FIELD_LABELS: Final = {
    "name.last_name": N_("Last name"),
    "name.prefix": N_("Prefix"),
    "name.first_names": N_("First names"),
    "name.initials": N_("Initials"),
    "name.called_name": N_("Called name"),
    "name": N_("Name"),
    "eckid": N_("ECK iD"),
    "birth_date": N_("Date of birth"),
    "gender": N_("Gender"),
    "year_group": N_("Year group"),
    "year_group_derived": N_("Year group derived"),
    "group": N_("Class"),
    "combination_groups": N_("Combination groups"),
    "site": N_("Site"),
    "email": N_("E-mail address"),
    "roles": N_("Roles"),
    "role_descriptions": N_("Role descriptions"),
    "groups": N_("Classes"),
}
"""The fields a change names, as the page shows them (an unknown one as it is)."""
_VALUE_LABELS: Final = {"true": N_("yes"), "false": N_("no")}
"""Values a change shows in words (examkit writes a yes-or-no field as ``true``/``false``)."""


def _counts(diff: ImportDiff) -> dict[str, tuple[int, int, int]]:
    """Return how many of each kind are added, changed and gone."""
    return {
        kind: (len(part.added), len(part.changed), len(part.gone))
        for kind, part in diff.parts().items()
    }


def _read_counts(values: Mapping[str, str]) -> dict[str, tuple[int, int, int]]:
    """Return the counts a result page's address carries (``pupils=4-0-1``); missing ones 0."""
    counts: dict[str, tuple[int, int, int]] = {}
    for kind in _KINDS:
        parts = [*values.get(kind, "").split("-"), "", "", ""]
        added, changed, gone = (int(part) if part.isdigit() else 0 for part in parts[:3])
        counts[kind] = (added, changed, gone)
    return counts


T = TypeVar("T")


class ImportsPages(Area):
    """Upload, preview, confirm or cancel an EDEXML file."""

    navigation = (NavEntry("/imports", N_("Import"), (IMPORT_ACTION,)),)
    max_upload: ClassVar[int] = MAX_UPLOAD
    """The largest file the page accepts, in bytes (examkit's parser gets the same limit)."""

    def routes(self) -> list[Route]:
        """Return the import's routes."""
        return [
            Route("/imports", self.upload_page, methods=["GET"]),
            Route("/imports", self.upload, methods=["POST"]),
            Route("/imports/confirmed", self.confirmed, methods=["GET"]),
            Route("/imports/{preview}", self.preview_page, methods=["GET"]),
            Route("/imports/{preview}/confirm", self.confirm, methods=["POST"]),
            Route("/imports/{preview}/cancel", self.cancel, methods=["POST"]),
        ]

    async def _upload_form(
        self, request: Request, viewer: Viewer, status: int = 200, **context: Any
    ) -> Response:
        locations = sorted(
            str(place)
            for place in viewer.actor.places(IMPORT_ACTION)
            if isinstance(place, LocationCode)
        )
        return await self.portal.form_page(
            request,
            "imports/upload.html",
            "import-upload",
            status,
            locations=locations,
            max_megabytes=self.max_upload // (1024 * 1024),
            cancelled=request.query_params.get("cancelled") == "1",
            **context,
        )

    @allowed(IMPORT_ACTION)
    async def upload_page(self, request: Request, viewer: Viewer) -> Response:
        """The upload form: the file, and the location for a file that only names a schoolkey."""
        return await self._upload_form(request, viewer)

    @allowed(IMPORT_ACTION)
    async def upload(self, request: Request, viewer: Viewer) -> Response:
        """Check the uploaded file; show its preview, or every problem with its line."""

        async def chosen(fields: dict[str, str]) -> LocationCode | None:
            code = fields.get("location", "")
            return LocationCode(code) if code else None

        got = await preview_upload(
            self.portal,
            request,
            viewer.id,
            form="import-upload",
            max_upload=self.max_upload,
            place=chosen,
        )
        if isinstance(got, Response):
            return got
        if isinstance(got, UploadRefused):
            return await self._upload_form(request, viewer, got.status, **got.shown())
        return self.portal.to(f"/imports/{got.id}")

    @allowed(IMPORT_ACTION)
    async def preview_page(self, request: Request, viewer: Viewer) -> Response:
        """The preview by its id: school, year, counts, every difference; confirm or cancel."""
        portal = self.portal
        try:
            preview: ImportPreview = await portal.call(
                portal.kit.edexml_imports.get_preview, viewer.id, request.path_params["preview"]
            )
        except ExamkitError as error:
            return self._refused(request, error)
        lang = portal.lang(request)
        return await portal.form_page(
            request,
            "imports/preview.html",
            "import-preview",
            preview=preview,
            differences=differences(preview.diff, [(kind, _KIND_LABELS[kind]) for kind in _KINDS]),
            parts=[(kind, _KIND_LABELS[kind], preview.diff.parts()[kind]) for kind in _KINDS],
            fields=_FIELD_LABELS,
            values=_VALUE_LABELS,
            expires=preview.expires_at.astimezone(SCHOOL_YEAR_ZONE).strftime("%H:%M"),
            warnings=[(item.line, item.message(lang)) for item in preview.warnings],
        )

    async def _step(
        self, request: Request, viewer: Viewer, step: Callable[[str, str], T]
    ) -> T | Response:
        """Confirm or cancel the path's preview with *step* (:func:`preview_step`)."""
        return await preview_step(
            self.portal,
            request,
            form="import-preview",
            step=step,
            actor=viewer.id,
            refused=self._refused,
        )

    @allowed(IMPORT_ACTION)
    async def confirm(self, request: Request, viewer: Viewer) -> Response:
        """Apply the previewed difference; go to the result."""
        portal = self.portal
        result = await self._step(request, viewer, portal.kit.edexml_imports.confirm)
        if isinstance(result, Response):
            return result
        counts = "&".join(
            f"{kind}={added}-{changed}-{gone}"
            for kind, (added, changed, gone) in _counts(result.diff).items()
        )
        return portal.to(
            f"/imports/confirmed?location={result.location}"
            f"&school_year={result.school_year}&{counts}"
        )

    @allowed(IMPORT_ACTION)
    async def cancel(self, request: Request, viewer: Viewer) -> Response:
        """Erase the preview; back to the upload form, which says so."""
        portal = self.portal
        done = await self._step(request, viewer, portal.kit.edexml_imports.cancel)
        if isinstance(done, Response):
            return done
        return portal.to("/imports?cancelled=1")

    @allowed(IMPORT_ACTION)
    async def confirmed(self, request: Request, viewer: Viewer) -> Response:
        """The result of a confirmed import: what changed, and the way to the classes."""
        params = request.query_params
        try:
            location = LocationCode(params.get("location", ""))
            school_year = SchoolYear(params.get("school_year", ""))
        except ExamkitError as error:
            return self.portal.refusal(request, error)
        return self.portal.page(
            request,
            "imports/confirmed.html",
            location=str(location),
            school_year=str(school_year),
            counts=_read_counts(params),
            kinds=[(kind, _KIND_LABELS[kind]) for kind in _KINDS],
        )

    def _refused(self, request: Request, error: ExamkitError) -> Response:
        """Say why a preview cannot be shown, confirmed or cancelled, with the error's status."""
        message = error.message(self.portal.lang(request))
        return self.portal.page(request, "imports/refused.html", http_status(error), error=message)
