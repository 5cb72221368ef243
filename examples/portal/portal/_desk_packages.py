"""The service desk publishes the portal's test packages as exam packages (SCH-8).

An offline group's test travels to its offline server as an exam package
(:mod:`portal._offline_packages`): immutable, addressed by its SHA-256. The
service desk (the action ``examkit.exam_packages.publish``) publishes the
package of each test the portal ships here, once per content
(``kit.exam_packages.publish``: the same content again changes nothing); a
group's hand-over then sends it down with the group.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, NotFound
from examkit.offline import PUBLISH, content_digest
from examkit.problems import http_status
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._monitor_views import when
from portal._offline_packages import MEDIA_TYPE, package_of
from portal._test_content import CONTENTS

FORM: Final = "package-publish"
"""The publish button's form (its one-time token)."""


class PackagePages(Area):
    """The test packages the portal ships, whether each is published, and its publication."""

    navigation = (NavEntry("/desk/packages", N_("Exam packages"), (PUBLISH,)),)

    def routes(self) -> list[Route]:
        """Return the packages' page and its publication."""
        return [
            Route("/desk/packages", self.packages, methods=["GET"]),
            Route("/desk/packages/{exam}", self.publish, methods=["POST"]),
        ]

    def _rows(self) -> list[dict[str, Any]]:
        """Each shipped test: its code, title, the package's digest, when it was published."""
        kit = self.portal.kit
        rows = []
        for code in sorted(CONTENTS):
            content = package_of(code)
            assert content is not None  # noqa: S101 - CONTENTS has it
            digest = content_digest(content)
            try:
                title = kit.candidates.exam(code).title
            except NotFound:
                title = ""
            published = next(
                (item for item in kit.exam_packages.packages(code) if item.digest == digest), None
            )
            rows.append(
                {
                    "code": code,
                    "title": title,
                    "digest": digest,
                    "size": len(content),
                    "published": when(published.published_at) if published else "",
                }
            )
        return rows

    def _rows_and_token(self) -> tuple[list[dict[str, Any]], str]:
        """Return :meth:`_rows` and the publish form's token: one trip to a worker thread."""
        return self._rows(), self.portal.kit.form_tokens.issue(FORM)

    async def _page(self, request: Request, status: int = 200, **context: Any) -> Response:
        rows, token = await self.portal.call(self._rows_and_token)
        return self.portal.page(
            request, "desk/packages.html", status, form_token=token, rows=rows, **context
        )

    @allowed(PUBLISH)
    async def packages(self, request: Request, viewer: Viewer) -> Response:
        """The shipped tests' packages, each published or with its button."""
        return await self._page(request, done=request.query_params.get("done", ""))

    @allowed(PUBLISH)
    async def publish(self, request: Request, viewer: Viewer) -> Response:
        """Publish the package of the test in the path (again: nothing changes)."""
        portal = self.portal
        data = await portal.accepted(request, FORM)
        if isinstance(data, Response):
            return data
        exam = request.path_params["exam"]
        content = package_of(exam)
        if content is None:
            return portal.refusal(
                request, NotFound("storage.not_found", field="exam", kind="package", key=exam)
            )
        try:
            await portal.call(
                portal.kit.exam_packages.publish, viewer.id, exam, content, MEDIA_TYPE
            )
        except ExamkitError as error:
            return await self._page(
                request, http_status(error), error=error.message(portal.lang(request))
            )
        return portal.to(f"/desk/packages?done={exam}")
