"""The signed-in home, sign-out, the signed-out page, the portal's script and its health."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from examkit.permissions import MATRIX
from portal._base import SESSION, Area, Portal, Viewer, public, signed_in
from portal._security import clear_cookie, cookie_name

_STATIC: Final = Path(__file__).with_name("static")
_TYPES: Final = {".js": "text/javascript", ".css": "text/css"}


class HomePages(Area):
    """What every visitor shares: home, sign-out, the script, the health check."""

    def __init__(self, portal: Portal) -> None:
        super().__init__(portal)
        self.files = {
            path.name: (path.read_bytes(), _TYPES[path.suffix])
            for path in sorted(_STATIC.iterdir())
            if path.suffix in _TYPES
        }
        """The portal's static files, read once per app (not at import): bytes, media type."""

    def routes(self) -> list[Route]:
        """Return the routes of the home and the plumbing pages."""
        return [
            Route("/", self.home, methods=["GET"]),
            Route("/sign-out", self.sign_out, methods=["POST"]),
            Route("/signed-out", self.signed_out, methods=["GET"]),
            Route("/static/{name}", self.static, methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
        ]

    @signed_in
    async def home(self, request: Request, viewer: Viewer) -> Response:
        """The signed-in user's roles and the sign-out button."""
        lang = self.portal.lang(request)
        roles = [
            (
                MATRIX.system(MATRIX.role(grant.role).application).label(lang),
                MATRIX.role(grant.role).label(lang),
                grant.describe().replace(",", ", "),
            )
            for grant in viewer.actor.grants
        ]
        kit = self.portal.kit

        def read() -> tuple[str | None, str]:
            """The password's expiry warning and the sign-out form's token: one worker trip."""
            return kit.profile.expiry_warning(viewer.id, lang), kit.form_tokens.issue("sign-out")

        warning, token = await self.portal.call(read)
        return self.portal.page(
            request,
            "home.html",
            form_token=token,
            name=viewer.account.full_name,
            roles=sorted(roles),
            warning=warning,
        )

    @public
    async def sign_out(self, request: Request) -> Response:
        """End the web session for good; the browser drops its cached pages."""
        portal = self.portal
        if isinstance(refusal := await portal.accepted(request, "sign-out"), Response):
            return refusal
        token = request.cookies.get(cookie_name(SESSION, portal.config))
        if token:
            await portal.call(portal.kit.web_sessions.end, token)
        response = portal.to("/signed-out")
        clear_cookie(response, SESSION, portal.config)
        response.headers["Clear-Site-Data"] = '"cache"'
        return response

    @public
    async def signed_out(self, request: Request) -> Response:
        """Says the user is signed out."""
        _ = self.portal.gettext(request)
        response = self.portal.message(request, _("You are signed out."))
        # Nothing personal on it: the browser may keep it (its back/forward cache too).
        response.headers["Cache-Control"] = "no-cache"
        return response

    @public
    async def static(self, request: Request) -> Response:
        """The portal's scripts and stylesheet (no inline script or style: the CSP forbids it)."""
        found = self.files.get(request.path_params["name"])
        if found is None:
            return Response(status_code=404)
        body, media_type = found
        return Response(
            body, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
        )

    @public
    async def health(self, request: Request) -> Response:
        """The kit's health (storage, schema) as JSON; 503 when it is not ok."""
        health = await self.portal.call(self.portal.kit.health)
        body = {
            "ok": health.ok,
            "storage": health.storage,
            "schema": health.schema,
            "checked_at": health.checked_at.isoformat(),
        }
        return JSONResponse(body, status_code=200 if health.ok else 503)
