"""The forgotten password: the request, the mailed link, a new password (AUTH-8).

Both pages are public. The request takes a login name or an e-mail address
and always answers the same (examkit's ``auth.reset.requested``), whether
or not an account exists, so the page never tells who has one; it is
rate-limited per client address. The mailed link leads to
``/sign-in/reset?token=...`` (:data:`~portal._config.PATHS` tells examkit the
portal's paths); an unknown, used or expired link gets a page that says so
and offers a new one.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Final, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, ExamkitErrorGroup, NotFound
from examkit.messages import text
from examkit.problems import http_status
from examkit.websessions import RequestLimit
from portal._base import Area, Portal, public
from portal._limits import FormLimit
from portal._security import client_address


def password_rules(portal: Portal, request: Request) -> list[str]:
    """Return the password policy's rules, as stated to users, in the request's language."""
    lang = portal.lang(request)
    return [rule.help(lang) for rule in portal.kit.password_policy.all_rules]


def problems(portal: Portal, request: Request, error: ExamkitError) -> list[str]:
    """Return *error*'s messages in the request's language: each problem of a group."""
    lang = portal.lang(request)
    if isinstance(error, ExamkitErrorGroup):
        return [cast("ExamkitError", problem).message(lang) for problem in error.exceptions]
    return [error.message(lang)]


FORGOTTEN_LIMIT: Final = FormLimit(
    RequestLimit("portal.password.forgotten", 10, timedelta(minutes=15))
)
"""At most 10 requests for a reset link per client address in 15 minutes."""


class ForgottenPasswordPages(Area):
    """Asking for a reset link, and choosing a new password through it."""

    def routes(self) -> list[Route]:
        """Return the routes of the forgotten password."""
        return [
            Route("/sign-in/forgotten", self.forgotten_page, methods=["GET"]),
            Route("/sign-in/forgotten", self.forgotten, methods=["POST"]),
            Route("/sign-in/forgotten/sent", self.sent, methods=["GET"]),
            Route("/sign-in/reset", self.reset_page, methods=["GET"]),
            Route("/sign-in/reset", self.reset, methods=["POST"]),
            Route("/sign-in/reset/done", self.done, methods=["GET"]),
        ]

    @public
    async def forgotten_page(self, request: Request) -> Response:
        """The form: a login name or an e-mail address."""
        return await self.portal.form_page(request, "reset/forgotten.html", "forgotten-password")

    @public
    async def forgotten(self, request: Request) -> Response:
        """Ask examkit to mail a link; the same answer for every name (rate-limited)."""
        portal = self.portal
        data = await portal.accepted(request, "forgotten-password")
        if isinstance(data, Response):
            return data
        if (refusal := await FORGOTTEN_LIMIT.refusal(portal, request)) is not None:
            return refusal
        name = str(data.get("name", "")).strip()
        if not name:
            _ = portal.gettext(request)
            return await portal.form_page(
                request,
                "reset/forgotten.html",
                "forgotten-password",
                422,
                error=_("Fill in your login name or e-mail address."),
            )
        await portal.call(
            portal.kit.password_reset.request_reset,
            name,
            ip=client_address(request, portal.config),
            lang=portal.lang(request),
        )
        return portal.to("/sign-in/forgotten/sent")

    @public
    async def sent(self, request: Request) -> Response:
        """The one answer of examkit: if the name is known, a link is on its way."""
        portal = self.portal
        return portal.page(
            request,
            "reset/sent.html",
            answer=text("auth.reset.requested", portal.lang(request)),
        )

    @public
    async def reset_page(self, request: Request) -> Response:
        """The form for a new password, if the link's token still works; else a clear refusal."""
        portal = self.portal
        token = request.query_params.get("token", "")
        try:
            await portal.call(portal.kit.password_reset.check_reset_token, token)
        except NotFound as error:
            return self.unusable(request, error)
        return await portal.form_page(
            request,
            "reset/new_password.html",
            "reset-password",
            token=token,
            rules=password_rules(portal, request),
        )

    @public
    async def reset(self, request: Request) -> Response:
        """Set the new password (hashing: within the cores' limit); then sign in."""
        portal = self.portal
        data = await portal.accepted(request, "reset-password")
        if isinstance(data, Response):
            return data
        token = str(data.get("token", ""))
        try:
            await portal.hashing_call(
                partial(
                    portal.kit.password_reset.reset_password,
                    token,
                    str(data.get("new_password", "")),
                    ip=client_address(request, portal.config),
                    lang=portal.lang(request),
                )
            )
        except NotFound as error:
            return self.unusable(request, error)
        except ExamkitError as error:
            return await portal.form_page(
                request,
                "reset/new_password.html",
                "reset-password",
                http_status(error),
                token=token,
                rules=password_rules(portal, request),
                problems=problems(portal, request, error),
            )
        return portal.to("/sign-in/reset/done")

    @public
    async def done(self, request: Request) -> Response:
        """The password is set: sign in with it."""
        return self.portal.page(request, "reset/done.html")

    def unusable(self, request: Request, error: NotFound) -> Response:
        """The page of an unknown, used or expired link: it says so and offers a new one."""
        return self.portal.page(
            request,
            "reset/unusable.html",
            http_status(error),
            reason=error.message(self.portal.lang(request)),
        )
