"""An EDEXML file's upload, shared by the import pages of the Dutch and the Flemish areas.

Both read the posted file with the same limit and the same refusals
(:func:`read_upload`), have examkit check it (:func:`preview_upload`), and
show examkit's refusal of the file with each problem at its line
(:func:`file_refused`); confirm and cancel are one step each
(:func:`preview_step`); their templates share the
pieces in ``templates/edexml/`` (the file field, the problems, the
preview's warnings and its table of differences). What each page adds (the
Dutch page's location, the Flemish page's registration) stays in its area.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, TypeVar

import attrs
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from examkit.edexml import DEFAULT_LIMITS, Limits
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.imports import ImportDiff, ImportPlace, ImportPreview
from examkit.messages import Lang
from examkit.problems import http_status
from portal._base import Portal

T = TypeVar("T")

MAX_UPLOAD: Final = 20 * 1024 * 1024
"""The largest file an import page accepts by default, in bytes."""
_OVERHEAD: Final = 64 * 1024
"""What a multipart request may carry besides its file (the token, a field, the boundaries)."""


@attrs.frozen
class Uploaded:
    """A posted file, read within the limit, with the form's other fields."""

    filename: str
    """The file's name as the browser sent it."""
    content: bytes
    """The file's bytes."""
    fields: dict[str, str]
    """The form's other fields (text only)."""


@attrs.frozen
class UploadRefused:
    """Why an upload shows its form again: the status, the message and the file's problems."""

    status: int
    """The response's status (400, 413, or examkit's for the file)."""
    error: str
    """The message, in the page's language."""
    problems: tuple[tuple[int | None, str], ...] = ()
    """Each problem of the file: its line (``None`` when it has none) and its message."""
    filename: str = ""
    """The refused file's name ("" when no file was read)."""

    def shown(self) -> dict[str, Any]:
        """Return what the upload form shows of the refusal."""
        return {"error": self.error, "problems": list(self.problems), "filename": self.filename}


def limits(max_upload: int) -> Limits:
    """Return examkit's parser limits with *max_upload* as the largest file."""
    return attrs.evolve(DEFAULT_LIMITS, max_bytes=max_upload)


def differences(
    diff: ImportDiff, kinds: Sequence[tuple[str, str]]
) -> list[tuple[str, int, int, int]]:
    """Return a preview's table of differences: each kind's label, how many new, changed, removed.

    *kinds* holds each kind of :meth:`~examkit.imports.ImportDiff.parts` with its label,
    marked for translation (the template translates it).
    """
    parts = diff.parts()
    return [
        (label, len(parts[kind].added), len(parts[kind].changed), len(parts[kind].gone))
        for kind, label in kinds
    ]


def file_refused(error: ExamkitError, lang: Lang, filename: str) -> UploadRefused:
    """Return examkit's refusal of the file *filename*: its status, message and every problem."""
    found = error.problems if isinstance(error, ExamkitErrorGroup) else (error,)
    return UploadRefused(
        http_status(error),
        error.message(lang),
        tuple((problem.line, problem.message(lang)) for problem in found),
        filename,
    )


async def read_upload(
    portal: Portal, request: Request, form: str, max_upload: int
) -> Uploaded | UploadRefused | Response:
    """Read the file posted with the form *form*, at most *max_upload* bytes.

    A request that declares more than the limit is refused before it is
    read (413); the cross-site check and the form's one-time token are
    :meth:`Portal.accepted`'s (its response is returned as it is, the
    request's file let go); no file chosen is 400; a file over the limit is
    413. Only ``max_upload + 1`` bytes are ever read.
    """
    _ = portal.gettext(request)
    too_large = _("The file is larger than %(size)s MB.", size=max_upload // 2**20)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_upload + _OVERHEAD:
        return UploadRefused(413, too_large)
    data = await portal.accepted(request, form)
    if isinstance(data, Response):
        await request.close()  # the refused form's file, if it was read, is let go now
        return data
    upload = data.get("file")
    filename = upload.filename if isinstance(upload, UploadFile) else None
    content = await upload.read(max_upload + 1) if isinstance(upload, UploadFile) else b""
    fields = {name: value for name, value in data.multi_items() if isinstance(value, str)}
    await data.close()
    if not filename:
        return UploadRefused(400, _("Choose an EDEXML file."))
    if len(content) > max_upload:
        return UploadRefused(413, too_large)
    return Uploaded(filename, content, fields)


async def preview_upload(
    portal: Portal,
    request: Request,
    actor: str,
    *,
    form: str,
    max_upload: int,
    place: Callable[[dict[str, str]], Awaitable[ImportPlace | None]],
) -> ImportPreview | UploadRefused | Response:
    """Read the file posted with *form* (:func:`read_upload`) and have examkit check it.

    *place* returns the school the file is for from the form's other fields
    (``None``: as the file says); its refusal is shown like the file's.
    Returns examkit's preview, the refusal to show at the form, or
    :meth:`Portal.accepted`'s response.
    """
    got = await read_upload(portal, request, form, max_upload)
    if not isinstance(got, Uploaded):
        return got
    try:
        return await portal.call(
            portal.kit.edexml_imports.preview,
            actor,
            got.content,
            location=await place(got.fields),
            limits=limits(max_upload),
        )
    except ExamkitError as error:
        return file_refused(error, portal.lang(request), got.filename)


async def preview_step(
    portal: Portal,
    request: Request,
    *,
    form: str,
    step: Callable[[str, str], T],
    actor: str,
    refused: Callable[[Request, ExamkitError], Response],
) -> T | Response:
    """Confirm or cancel the path's preview (*step*: examkit's ``confirm`` or ``cancel``).

    Returns what *step* returns, :meth:`Portal.accepted`'s response for a
    refused post, or the page *refused* makes of examkit's refusal.
    """
    data = await portal.accepted(request, form)
    if isinstance(data, Response):
        return data
    try:
        return await portal.call(step, actor, request.path_params["preview"])
    except ExamkitError as error:
        return refused(request, error)
