"""Staff sign-in: the password, a password of one's own, the e-mailed code, a trusted browser."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.auth import SignInProgress, Step
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.permissions import MATRIX
from examkit.problems import http_status
from portal._base import BROWSER, SESSION, SIGN_IN, Area, public
from portal._reset import password_rules, problems
from portal._security import clear_cookie, client_address, cookie_name, set_cookie

_BROWSER_AGE: Final = 24 * 3600
_NEXT: Final = {
    Step.CHANGE_PASSWORD: "/sign-in/password",
    Step.CHANGE_EXPIRED_PASSWORD: "/sign-in/password",
    Step.SECOND_FACTOR: "/sign-in/code",
}


class SignInPages(Area):
    """The three steps of a staff sign-in, each a page and its form."""

    def routes(self) -> list[Route]:
        """Return the sign-in's routes."""
        return [
            Route("/sign-in", self.sign_in_page, methods=["GET"]),
            Route("/sign-in", self.sign_in, methods=["POST"]),
            Route("/sign-in/password", self.change_password_page, methods=["GET"]),
            Route("/sign-in/password", self.change_password, methods=["POST"]),
            Route("/sign-in/code", self.code_page, methods=["GET"]),
            Route("/sign-in/code", self.submit_code, methods=["POST"]),
        ]

    def transaction(self, request: Request) -> str:
        """Return the sign-in in progress's token from its cookie (empty without one)."""
        return request.cookies.get(cookie_name(SIGN_IN, self.portal.config), "")

    async def step(
        self,
        request: Request,
        form: str,
        template: str,
        call: Callable[[FormData], Callable[[], SignInProgress]],
        *,
        hashes: bool,
        shown_again: Callable[[FormData], dict[str, object]] | None = None,
    ) -> Response:
        """Run one step of the sign-in from its posted *form*; go where it leads.

        A refusal shows the page again (with a new form token), its message in
        the page's language and the error's HTTP status.
        """
        portal = self.portal
        data = await portal.accepted(request, form)
        if isinstance(data, Response):
            return data
        made = call(data)
        try:
            progress = await (portal.hashing_call(made) if hashes else portal.call(made))
        except ExamkitError as error:
            again = shown_again(data) if shown_again is not None else {}
            if isinstance(error, ExamkitErrorGroup):  # each rule a new password breaks
                again["problems"] = problems(portal, request, error)
                message = None
            else:
                message = error.message(portal.lang(request))
            return await portal.form_page(
                request, template, form, http_status(error), error=message, **again
            )
        return await self.next_step(progress)

    def system(self, form: FormData) -> str:
        """Return the system the sign-in form chose (the first configured one by default)."""
        chosen = str(form.get("application", ""))
        systems = self.portal.config.applications
        return chosen if chosen in systems else systems[0]

    def systems(self, request: Request) -> list[tuple[str, str]]:
        """Return the configured systems with their names in the request's language."""
        lang = self.portal.lang(request)
        return [(code, MATRIX.system(code).label(lang)) for code in self.portal.config.applications]

    @public
    async def sign_in_page(self, request: Request) -> Response:
        """The sign-in form (with the choice of system where the portal serves several)."""
        return await self.portal.form_page(
            request,
            "sign_in.html",
            "sign-in",
            systems=self.systems(request),
            providers=self.portal.kit.federated_sign_in.providers,
        )

    @public
    async def sign_in(self, request: Request) -> Response:
        """Check the login name and password (hashing: within the cores' limit)."""
        config = self.portal.config
        return await self.step(
            request,
            "sign-in",
            "sign_in.html",
            lambda form: partial(
                self.portal.kit.staff_sign_in.submit_credentials,
                str(form.get("login_name", "")),
                str(form.get("password", "")),
                ip=client_address(request, config),
                browser_token=request.cookies.get(cookie_name(BROWSER, config)),
                application=self.system(form),
                lang=self.portal.lang(request),
            ),
            hashes=True,
            shown_again=lambda form: {
                "login_name": str(form.get("login_name", "")),
                "chosen": self.system(form),
                "systems": self.systems(request),
                "providers": self.portal.kit.federated_sign_in.providers,
            },
        )

    async def expired(self, request: Request) -> bool:
        """Return whether the sign-in in progress replaces an expired password (the old one too)."""
        try:
            progress = await self.portal.call(
                self.portal.kit.staff_sign_in.progress, self.transaction(request)
            )
        except ExamkitError:
            return False
        return progress.step is Step.CHANGE_EXPIRED_PASSWORD

    @public
    async def change_password_page(self, request: Request) -> Response:
        """The form for a password of one's own (a first or an expired one), with the rules."""
        return await self.portal.form_page(
            request,
            "change_password.html",
            "sign-in-password",
            expired=await self.expired(request),
            rules=password_rules(self.portal, request),
        )

    @public
    async def change_password(self, request: Request) -> Response:
        """Set the user's own password and go on with the sign-in (an expired one: the old too)."""
        kit, expired = self.portal.kit, await self.expired(request)
        return await self.step(
            request,
            "sign-in-password",
            "change_password.html",
            lambda form: (
                partial(
                    kit.staff_sign_in.change_expired_password,
                    self.transaction(request),
                    str(form.get("old_password", "")),
                    str(form.get("new_password", "")),
                    ip=client_address(request, self.portal.config),
                    lang=self.portal.lang(request),
                )
                if expired
                else partial(
                    kit.staff_sign_in.change_password,
                    self.transaction(request),
                    str(form.get("new_password", "")),
                    ip=client_address(request, self.portal.config),
                    lang=self.portal.lang(request),
                )
            ),
            hashes=True,
            shown_again=lambda form: {
                "expired": expired,
                "rules": password_rules(self.portal, request),
            },
        )

    @public
    async def code_page(self, request: Request) -> Response:
        """The form for the e-mailed one-time password."""
        return await self.portal.form_page(request, "code.html", "sign-in-code")

    @public
    async def submit_code(self, request: Request) -> Response:
        """Check the one-time password; trust the browser when asked."""
        return await self.step(
            request,
            "sign-in-code",
            "code.html",
            lambda form: partial(
                self.portal.kit.staff_sign_in.submit_code,
                self.transaction(request),
                str(form.get("code", "")),
                ip=client_address(request, self.portal.config),
                trust_browser=form.get("trust_browser") == "yes",
            ),
            hashes=False,
        )

    async def next_step(self, progress: SignInProgress) -> Response:
        """Go where the sign-in stands; signed in, start the web session (a new id)."""
        portal = self.portal
        config = portal.config
        if progress.step is Step.SIGNED_IN:
            token, _ = await portal.call(portal.kit.web_sessions.start, progress.account_id)
            response = portal.to("/")
            set_cookie(response, SESSION, token, config, max_age=None)
            clear_cookie(response, SIGN_IN, config)
            if progress.browser_token is not None:
                set_cookie(response, BROWSER, progress.browser_token, config, max_age=_BROWSER_AGE)
            return response
        response = portal.to(_NEXT.get(progress.step, "/sign-in"))
        set_cookie(response, SIGN_IN, progress.transaction, config, max_age=None)
        return response
