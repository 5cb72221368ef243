"""Signing in through Entree (AUTH-13): the begin, the OpenID Connect callback, the SAML ACS.

The pending request lives server-side under its state (examkit keeps it);
the portal keeps nothing of a sign-in in a cookie, since a browser drops a
``SameSite=Lax`` cookie on the identity provider's cross-site POST. That
POST, to the assertion consumer service, is the one request the portal takes
from another site (:func:`~portal._base.cross_site_post`): the adapter's
checks (the signature, the stored request ID, the replay store) protect it
instead of the Origin check. A refusal is a page with examkit's message;
nothing is signed in. Signed in, the browser gets the same web session as
after a local sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.auth import SignInProgress
from examkit.errors import ExamkitError
from examkit.federation import LinkProposal
from portal._base import Area, cross_site_post, public
from portal._entree_config import acs_path, callback_path
from portal._security import HEADERS, client_address
from portal._signin import SignInPages


class EntreePages(Area):
    """Signing in with Entree: the way there, the two ways back, an e-mail match's question."""

    def routes(self) -> list[Route]:
        """Return the federated sign-in's routes."""
        return [
            Route("/sign-in/entree/{provider}", self.begin, methods=["GET"]),
            Route(callback_path("{provider}"), self.callback, methods=["GET"]),
            Route(acs_path("{provider}"), self.assertion_consumer, methods=["POST"]),
            Route("/sign-in/entree-confirm", self.confirm, methods=["POST"]),
        ]

    @property
    def application(self) -> str:
        """The system a federated sign-in enters: the portal's first (its default)."""
        return self.portal.config.applications[0]

    @public
    async def begin(self, request: Request) -> Response:
        """Send the browser to the identity provider: a redirect, or SAML's posting form."""
        portal = self.portal
        try:
            sign_in = await portal.call(
                portal.kit.federated_sign_in.begin,
                request.path_params["provider"],
                ip=client_address(request, portal.config),
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        if sign_in.redirect_url is not None:
            return portal.to(sign_in.redirect_url)
        post_url = str(sign_in.post_url)
        response = portal.page(
            request,
            "entree/post.html",
            post_url=post_url,
            post_fields=sorted(sign_in.post_fields.items()),
        )
        parts = urlsplit(post_url)
        response.headers["Content-Security-Policy"] = HEADERS["Content-Security-Policy"].replace(
            "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
        )
        return response

    @public
    async def callback(self, request: Request) -> Response:
        """OpenID Connect's way back (a GET with ``code`` and ``state``, or ``error``)."""
        answer = dict(request.query_params)
        answer.pop("lang", None)
        return await self.finish(request, str(answer.get("state", "")), answer)

    @cross_site_post
    @public
    async def assertion_consumer(self, request: Request) -> Response:
        """SAML's way back: the identity provider's cross-site POST of the signed response."""
        form = await request.form()
        answer = {name: str(value) for name, value in form.items() if isinstance(value, str)}
        return await self.finish(request, answer.get("RelayState", ""), answer)

    async def finish(self, request: Request, state: str, answer: Mapping[str, str]) -> Response:
        """Finish the sign-in of *state* with the provider's *answer*; go on where it leads."""
        portal = self.portal
        try:
            result = await portal.call(
                partial(
                    portal.kit.federated_sign_in.finish,
                    request.path_params["provider"],
                    state,
                    answer,
                    ip=client_address(request, portal.config),
                    application=self.application,
                )
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        if isinstance(result, LinkProposal):
            return await portal.form_page(
                request, "entree/confirm.html", "entree-confirm", proposal=result
            )
        return await self.signed_in(result)

    @public
    async def confirm(self, request: Request) -> Response:
        """The user's yes to an e-mail match: link the account and sign in."""
        portal = self.portal
        data = await portal.accepted(request, "entree-confirm")
        if isinstance(data, Response):
            return data
        try:
            progress = await portal.call(
                partial(
                    portal.kit.federated_sign_in.confirm_email_match,
                    str(data.get("token", "")),
                    ip=client_address(request, portal.config),
                    application=self.application,
                )
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        return await self.signed_in(progress)

    async def signed_in(self, progress: SignInProgress) -> Response:
        """Start the web session, as a local sign-in ends."""
        return await SignInPages(self.portal).next_step(progress)
