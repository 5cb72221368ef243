"""The portal's routes: staff sign-in, the signed-in home, sign-out, health.

Every endpoint declares who may reach it (:func:`public` or
:func:`signed_in`); a test fails for a route that declares nothing. Each
examkit call runs in a worker thread, never on the event loop; the ones that
hash a password wait for a slot of a limiter no larger than the number of
cores, so a burst of sign-ins queues instead of exhausting memory.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from examkit import Examkit
from examkit.auth import SignInProgress, Step
from examkit.errors import ExamkitError, InvalidState, NotFound, NotPermitted
from examkit.messages import Lang
from examkit.permissions import MATRIX
from examkit.problems import http_status
from portal._config import PortalConfig
from portal._security import (
    SecurityHeaders,
    clear_cookie,
    client_address,
    cookie_name,
    cross_site,
    set_cookie,
)
from portal._texts import words

T = TypeVar("T")
E = TypeVar("E", bound=Callable[..., Awaitable[Response]])

SESSION, SIGN_IN, BROWSER, LANG = "session", "signin", "browser", "lang"
"""The portal's cookies: the web session, the sign-in in progress, the trusted browser, the
language."""
_BROWSER_AGE: Final = 24 * 3600
_SCRIPT: Final = (Path(__file__).with_name("static") / "portal.js").read_bytes()


def public(endpoint: E) -> E:
    """Declare *endpoint* open to everyone (signed in or not)."""
    endpoint.access = "public"  # type: ignore[attr-defined]
    return endpoint


def signed_in(endpoint: E) -> E:
    """Declare *endpoint* for a signed-in user only (others go to the sign-in page)."""
    endpoint.access = "signed_in"  # type: ignore[attr-defined]
    return endpoint


class Portal:
    """The endpoints over one kit and one configuration."""

    def __init__(self, kit: Examkit, config: PortalConfig) -> None:
        self.kit = kit
        self.config = config
        self.templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
        self.hashing = anyio.CapacityLimiter(os.cpu_count() or 1)

    # -- plumbing ----------------------------------------------------------------------------

    def lang(self, request: Request) -> Lang:
        chosen = request.query_params.get("lang") or request.cookies.get(
            cookie_name(LANG, self.config)
        )
        return "en" if chosen == "en" else "nl"

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        lang = self.lang(request)
        response = self.templates.TemplateResponse(
            request, template, {"lang": lang, "t": words(lang), **context}, status_code=status
        )
        if request.query_params.get("lang") in {"nl", "en"}:
            set_cookie(response, LANG, lang, self.config, max_age=365 * 24 * 3600)
        return response

    async def form_page(
        self, request: Request, template: str, form: str, status: int = 200, **context: Any
    ) -> Response:
        """Render *template* with a fresh one-time token for its *form*."""
        token = await run_in_threadpool(self.kit.form_tokens.issue, form)
        return self.page(request, template, status, form_token=token, **context)

    async def spend(self, request: Request, form: str, data: Any) -> Response | None:
        """Spend the submission's form token; return the refusal page if it was spent already."""
        try:
            await run_in_threadpool(
                self.kit.form_tokens.take, form, str(data.get("form_token", ""))
            )
        except InvalidState as error:
            message = error.message(self.lang(request))
            return self.page(request, "message.html", http_status(error), message=message)
        return None

    async def hashing_call(self, call: Callable[[], T]) -> T:
        """Run *call*, which hashes a password, in a worker thread within the cores' limit."""
        return await anyio.to_thread.run_sync(call, limiter=self.hashing)

    def refused(self, request: Request) -> Response | None:
        if cross_site(request, self.config):
            lang = self.lang(request)
            return self.page(request, "message.html", 403, message=words(lang)["cross_site"])
        return None

    def to(self, path: str) -> RedirectResponse:
        return RedirectResponse(path, status_code=303)

    # -- sign-in -----------------------------------------------------------------------------

    @public
    async def sign_in_page(self, request: Request) -> Response:
        return await self.form_page(request, "sign_in.html", "sign-in")

    async def accepted(self, request: Request, form: str) -> FormData | Response:
        """Return the posted form, or the refusal: a cross-site request, a spent form token."""
        if (refusal := self.refused(request)) is not None:
            return refusal
        data = await request.form()
        if (spent := await self.spend(request, form, data)) is not None:
            return spent
        return data

    async def step(
        self,
        request: Request,
        form: str,
        template: str,
        call: Callable[[FormData], Callable[[], SignInProgress]],
        *,
        hashes: bool,
        shown_again: Callable[[FormData], dict[str, str]] | None = None,
    ) -> Response:
        """Run one step of the sign-in from its posted *form*; go where it leads.

        A refusal shows the page again (with a new form token), its message in
        the page's language and the error's HTTP status.
        """
        data = await self.accepted(request, form)
        if isinstance(data, Response):
            return data
        made = call(data)
        try:
            progress = await (self.hashing_call(made) if hashes else run_in_threadpool(made))
        except ExamkitError as error:
            again = shown_again(data) if shown_again is not None else {}
            message = error.message(self.lang(request))
            return await self.form_page(
                request, template, form, http_status(error), error=message, **again
            )
        return await self.next_step(progress)

    def transaction(self, request: Request) -> str:
        """Return the sign-in in progress's token from its cookie (empty without one)."""
        return request.cookies.get(cookie_name(SIGN_IN, self.config), "")

    @public
    async def sign_in(self, request: Request) -> Response:
        return await self.step(
            request,
            "sign-in",
            "sign_in.html",
            lambda form: partial(
                self.kit.staff_sign_in.submit_credentials,
                str(form.get("login_name", "")),
                str(form.get("password", "")),
                ip=client_address(request, self.config),
                browser_token=request.cookies.get(cookie_name(BROWSER, self.config)),
                application=self.config.application,
                lang=self.lang(request),
            ),
            hashes=True,
            shown_again=lambda form: {"login_name": str(form.get("login_name", ""))},
        )

    @public
    async def change_password_page(self, request: Request) -> Response:
        return await self.form_page(request, "change_password.html", "sign-in-password")

    @public
    async def change_password(self, request: Request) -> Response:
        return await self.step(
            request,
            "sign-in-password",
            "change_password.html",
            lambda form: partial(
                self.kit.staff_sign_in.change_password,
                self.transaction(request),
                str(form.get("new_password", "")),
                ip=client_address(request, self.config),
                lang=self.lang(request),
            ),
            hashes=True,
        )

    @public
    async def code_page(self, request: Request) -> Response:
        return await self.form_page(request, "code.html", "sign-in-code")

    @public
    async def submit_code(self, request: Request) -> Response:
        return await self.step(
            request,
            "sign-in-code",
            "code.html",
            lambda form: partial(
                self.kit.staff_sign_in.submit_code,
                self.transaction(request),
                str(form.get("code", "")),
                ip=client_address(request, self.config),
                trust_browser=form.get("trust_browser") == "yes",
            ),
            hashes=False,
        )

    async def next_step(self, progress: SignInProgress) -> Response:
        """Go where the sign-in stands; signed in, start the web session (a new id)."""
        if progress.step is Step.SIGNED_IN:
            token, _ = await run_in_threadpool(self.kit.web_sessions.start, progress.account_id)
            response = self.to("/")
            set_cookie(response, SESSION, token, self.config, max_age=None)
            clear_cookie(response, SIGN_IN, self.config)
            if progress.browser_token is not None:
                set_cookie(
                    response, BROWSER, progress.browser_token, self.config, max_age=_BROWSER_AGE
                )
            return response
        path = {
            Step.CHANGE_PASSWORD: "/sign-in/password",
            Step.CHANGE_EXPIRED_PASSWORD: "/sign-in/password",
            Step.SECOND_FACTOR: "/sign-in/code",
        }.get(progress.step, "/sign-in")
        response = self.to(path)
        set_cookie(response, SIGN_IN, progress.transaction, self.config, max_age=None)
        return response

    # -- signed in ---------------------------------------------------------------------------

    async def account_of(self, request: Request) -> tuple[str, str | None] | None:
        """Return the signed-in account and a renewed session id (if it was renewed), or None."""
        token = request.cookies.get(cookie_name(SESSION, self.config))
        if not token:
            return None
        try:
            session = await run_in_threadpool(self.kit.web_sessions.resolve, token)
        except InvalidState:
            renewed = await run_in_threadpool(self.kit.web_sessions.renew, token)
            session = await run_in_threadpool(self.kit.web_sessions.resolve, renewed)
            return session.account_id, renewed
        except (NotPermitted, NotFound):
            return None
        return session.account_id, None

    @signed_in
    async def home(self, request: Request) -> Response:
        found = await self.account_of(request)
        if found is None:
            return self.to("/sign-in")
        account_id, renewed = found
        account = await run_in_threadpool(self._account, account_id)
        authorization = await run_in_threadpool(self.kit.permissions.authorization, account_id)
        lang = self.lang(request)
        roles = sorted(
            {
                MATRIX.role(grant.role).label_en
                if lang == "en"
                else MATRIX.role(grant.role).label_nl
                for grant in authorization.active_grants
            }
        )
        response = await self.form_page(
            request, "home.html", "sign-out", name=account.full_name, roles=roles
        )
        if renewed is not None:
            set_cookie(response, SESSION, renewed, self.config, max_age=None)
        return response

    def _account(self, account_id: str) -> Any:
        with self.kit.backend.begin(readonly=True) as uow:
            return uow.accounts.get(account_id)

    @public
    async def sign_out(self, request: Request) -> Response:
        if isinstance(refusal := await self.accepted(request, "sign-out"), Response):
            return refusal
        token = request.cookies.get(cookie_name(SESSION, self.config))
        if token:
            await run_in_threadpool(self.kit.web_sessions.end, token)
        response = self.to("/signed-out")
        clear_cookie(response, SESSION, self.config)
        response.headers["Clear-Site-Data"] = '"cache"'
        return response

    @public
    async def signed_out(self, request: Request) -> Response:
        response = self.page(
            request, "message.html", message=words(self.lang(request))["signed_out"]
        )
        # Nothing personal on it: the browser may keep it (its back/forward cache too).
        response.headers["Cache-Control"] = "no-cache"
        return response

    @public
    async def script(self, request: Request) -> Response:
        """The portal's one script (no inline script: the CSP forbids it)."""
        return Response(
            _SCRIPT,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @public
    async def health(self, request: Request) -> Response:
        health = await run_in_threadpool(self.kit.health)
        body = {
            "ok": health.ok,
            "storage": health.storage,
            "schema": health.schema,
            "checked_at": health.checked_at.isoformat(),
        }
        return JSONResponse(body, status_code=200 if health.ok else 503)


def create_app(kit: Examkit, config: PortalConfig) -> Starlette:
    """Return the portal over *kit* (built once per process, shared by every request)."""
    portal = Portal(kit, config)
    routes = [
        Route("/", portal.home, methods=["GET"]),
        Route("/sign-in", portal.sign_in_page, methods=["GET"]),
        Route("/sign-in", portal.sign_in, methods=["POST"]),
        Route("/sign-in/password", portal.change_password_page, methods=["GET"]),
        Route("/sign-in/password", portal.change_password, methods=["POST"]),
        Route("/sign-in/code", portal.code_page, methods=["GET"]),
        Route("/sign-in/code", portal.submit_code, methods=["POST"]),
        Route("/sign-out", portal.sign_out, methods=["POST"]),
        Route("/signed-out", portal.signed_out, methods=["GET"]),
        Route("/static/portal.js", portal.script, methods=["GET"]),
        Route("/health", portal.health, methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
