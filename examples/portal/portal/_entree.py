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
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.auth import SignInProgress
from examkit.errors import ExamkitError
from examkit.federation import LinkProposal, SignInRequest
from portal._base import Area, Viewer, cross_site_post, public, signed_in
from portal._entree_config import acs_path, callback_path
from portal._security import HEADERS, clear_cookie, client_address, cookie_name, set_cookie
from portal._signin import SignInPages

CARRIED: Final = "entree"
"""The cookie that keeps an invitation's or a link token's token with the request's state."""
_CARRIED_AGE: Final = 600
_KINDS: Final = frozenset({"invitation", "link_token"})


class EntreePages(Area):
    """Signing in with Entree: the way there, the two ways back, an e-mail match's question."""

    def routes(self) -> list[Route]:
        """Return the federated sign-in's routes."""
        return [
            Route("/sign-in/entree/{provider}", self.begin, methods=["GET"]),
            Route(callback_path("{provider}"), self.callback, methods=["GET"]),
            Route(acs_path("{provider}"), self.assertion_consumer, methods=["POST"]),
            Route("/sign-in/entree-confirm", self.confirm, methods=["POST"]),
            Route("/profile/entree/{provider}", self.link, methods=["POST"]),
            Route("/invitations/{token}/entree/{provider}", self.invited, methods=["POST"]),
        ]

    @property
    def application(self) -> str:
        """The system a federated sign-in enters: the portal's first (its default)."""
        return self.portal.config.applications[0]

    @public
    async def begin(self, request: Request) -> Response:
        """Send the browser to the identity provider: a redirect, or SAML's posting form."""
        return await self.start(request, None)

    @signed_in
    async def link(self, request: Request, viewer: Viewer) -> Response:
        """Link the account to Entree after a local sign-in: a link token, then the provider."""
        portal = self.portal
        data = await portal.accepted(request, "profile")
        if isinstance(data, Response):
            return data
        try:
            token = await portal.call(
                partial(
                    portal.kit.federated_accounts.issue_link_token,
                    viewer.id,
                    ip=client_address(request, portal.config),
                )
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        return await self.start(request, ("link_token", token.token))

    @public
    async def invited(self, request: Request) -> Response:
        """Accept an invitation through Entree: its token kept with the request, then Entree."""
        data = await self.portal.accepted(request, "invitation")
        if isinstance(data, Response):
            return data
        return await self.start(request, ("invitation", request.path_params["token"]))

    async def start(self, request: Request, carried: tuple[str, str] | None) -> Response:
        """Begin at the path's provider; keep *carried* (a kind and a token) bound to its state.

        The token goes in a cookie with the request's state, for ten minutes;
        :meth:`finish` uses it only for an answer with that state, so
        another's answer (posted by another site) never consumes it. The
        cookie is ``SameSite=None`` so that it comes back with the identity
        provider's cross-site POST.
        """
        portal = self.portal
        try:
            sign_in = await portal.call(
                portal.kit.federated_sign_in.begin,
                request.path_params["provider"],
                ip=client_address(request, portal.config),
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        response = self.to_provider(request, sign_in, posted=request.method == "POST")
        if carried is not None:
            kind, token = carried
            value = f"{kind}.{sign_in.state}.{token}"
            set_cookie(
                response, CARRIED, value, portal.config, max_age=_CARRIED_AGE, cross_site=True
            )
        return response

    def to_provider(self, request: Request, sign_in: SignInRequest, *, posted: bool) -> Response:
        """Return the way to the provider: a redirect, or the page that posts the request.

        After a form of the portal (*posted*: the invitation's, the profile's)
        the redirect is a link on a page instead: the pages' Content-Security-Policy
        (``form-action 'self'``) stops a form's redirect to another site.
        """
        portal = self.portal
        if sign_in.redirect_url is not None and not posted:
            return portal.to(sign_in.redirect_url)
        if sign_in.redirect_url is not None:
            return portal.page(request, "entree/post.html", redirect_url=sign_in.redirect_url)
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
        """Finish the sign-in of *state* with the provider's *answer*; go on where it leads.

        An invitation or a link token is passed on only when it was kept for
        this very *state* (:meth:`start`).
        """
        portal = self.portal
        kept = request.cookies.get(cookie_name(CARRIED, portal.config), "")
        kind, kept_state, token = [*kept.split(".", 2), "", ""][:3]
        carried = {kind: token} if kept_state == state and kind in _KINDS and token else {}
        response = await self.finished(request, state, answer, carried)
        if kept_state:
            clear_cookie(response, CARRIED, portal.config)
        return response

    async def finished(
        self, request: Request, state: str, answer: Mapping[str, str], carried: dict[str, str]
    ) -> Response:
        """Call examkit's ``finish``; show its refusal, its question, or start the session."""
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
                    **carried,
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
