"""The portal's core: one :class:`Portal` per process, the pages' plumbing and who may see what.

Every endpoint declares who may reach it, with one of three decorators:
:func:`public` (everyone), :func:`signed_in` (any signed-in user) or
:func:`allowed` (a signed-in user whose roles grant one of the named
actions of examkit's permission matrix, at any place; the use case then
decides about the exact location or class). A test fails for a route that
declares nothing. A signed-out visitor of a signed-in page is sent to the
sign-in page; a user without the action gets 403 and the page is not in
their navigation.

Each examkit call runs in a worker thread, never on the event loop; the
ones that hash a password wait for a slot of a limiter no larger than the
number of cores, so a burst of sign-ins queues instead of exhausting
memory.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

import anyio
import attrs
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from examkit import Examkit
from examkit.accounts import Account
from examkit.errors import ExamkitError, InvalidState, NotFound, NotPermitted
from examkit.messages import Lang
from examkit.offline import StationState
from examkit.permissions import Actor
from examkit.problems import http_status
from examkit.scheduling import Exam
from portal._config import PortalConfig
from portal._i18n import Words, read_catalogues
from portal._security import cookie_name, cross_site, set_cookie
from portal._test_content import ItemContent, content_of

T = TypeVar("T")
P = ParamSpec("P")
A = TypeVar("A", bound="Area")

SESSION, SIGN_IN, BROWSER, LANG = "session", "signin", "browser", "lang"
"""The portal's cookies: the web session, the sign-in in progress, the trusted browser, the
language."""
_LANG_AGE: Final = 365 * 24 * 3600


@attrs.frozen
class Viewer:
    """The signed-in user of one request: their account and what their roles allow."""

    account: Account
    """The account, read at this request."""
    actor: Actor
    """Its grants, for :meth:`may` and the use cases' ``actor`` argument."""
    renewed: str | None = None
    """A new session id when the session was renewed at this request (set as the cookie)."""

    @property
    def id(self) -> str:
        """The account id (what every use case takes as its actor)."""
        return self.account.id

    def may(self, *actions: str) -> bool:
        """Return whether one of *actions* is allowed to this user at some place."""
        return any(self.actor.may(action) for action in actions)


@attrs.frozen
class NavEntry:
    """A link in the navigation, shown to users allowed one of its :attr:`actions`."""

    path: str
    """Where it leads."""
    label: str
    """Its English text (a message id of the portal's catalogues)."""
    actions: tuple[str, ...] = ()
    """The matrix actions that show it; empty: every signed-in user."""

    def shown_to(self, viewer: Viewer) -> bool:
        """Return whether *viewer* sees this link."""
        return not self.actions or viewer.may(*self.actions)


class Portal:
    """The plumbing every area shares, over one kit and one configuration."""

    def __init__(self, kit: Examkit, config: PortalConfig) -> None:
        self.kit = kit
        self.config = config
        self.templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
        self.hashing = anyio.CapacityLimiter(os.cpu_count() or 1)
        self.words: dict[Lang, Words] = {"nl": read_catalogues("nl"), "en": Words("en", {})}
        self.navigation: list[NavEntry] = []
        self.contents: Callable[[Exam], tuple[ItemContent, ...]] = content_of
        """Where the player reads a test's wording: the shipped packages centrally; on an
        offline server the verified local exam package (:mod:`portal._offline_mode`)."""
        self.station: Callable[[], StationState | None] | None = None
        """On an offline server: its station state (last sync, backlog, clock offset) for
        the monitor; centrally ``None``."""

    # -- language and pages ------------------------------------------------------------------

    def lang(self, request: Request) -> Lang:
        """Return the request's language: ``?lang=`` or its cookie, else Dutch."""
        chosen = request.query_params.get("lang") or request.cookies.get(
            cookie_name(LANG, self.config)
        )
        return "en" if chosen == "en" else "nl"

    def gettext(self, request: Request) -> Callable[..., str]:
        """Return the request's ``_`` (a message in its language)."""
        return self.words[self.lang(request)].gettext

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """Render *template* in the request's language.

        The template gets ``lang``, ``_`` and ``ngettext`` (the portal's
        words), ``viewer`` (the signed-in user or ``None``) and ``nav`` (the
        links the viewer may follow), and *context*.
        """
        lang = self.lang(request)
        words = self.words[lang]
        viewer: Viewer | None = getattr(request.state, "viewer", None)
        nav = [entry for entry in self.navigation if viewer is not None and entry.shown_to(viewer)]
        response = self.templates.TemplateResponse(
            request,
            template,
            {
                "lang": lang,
                "_": words.gettext,
                "ngettext": words.ngettext,
                "viewer": viewer,
                "nav": nav,
                **context,
            },
            status_code=status,
        )
        if request.query_params.get("lang") in {"nl", "en"}:
            set_cookie(response, LANG, lang, self.config, max_age=_LANG_AGE)
        return response

    def message(self, request: Request, text: str, status: int = 200) -> Response:
        """Render a page that says *text* (already in the request's language)."""
        return self.page(request, "message.html", status, message=text)

    def refusal(self, request: Request, error: ExamkitError) -> Response:
        """Render examkit's *error* in the request's language with its HTTP status."""
        return self.message(request, error.message(self.lang(request)), http_status(error))

    async def form_page(
        self, request: Request, template: str, form: str, status: int = 200, **context: Any
    ) -> Response:
        """Render *template* with a fresh one-time token (``form_token``) for its *form*."""
        token = await run_in_threadpool(self.kit.form_tokens.issue, form)
        return self.page(request, template, status, form_token=token, **context)

    def to(self, path: str) -> RedirectResponse:
        """Return a 303 to *path* (after a POST: the browser GETs it)."""
        return RedirectResponse(path, status_code=303)

    # -- posted forms ------------------------------------------------------------------------

    def cross_site_refusal(self, request: Request) -> Response | None:
        """Return the 403 page for a request from another site, else ``None``.

        :meth:`accepted` checks this first; an endpoint that must look at its
        path before it knows its form's name checks it before anything else.
        """
        if not cross_site(request, self.config):
            return None
        _ = self.gettext(request)
        return self.message(
            request, _("This request did not come from this portal and was refused."), 403
        )

    async def accepted(self, request: Request, form: str) -> FormData | Response:
        """Return the posted form, or the refusal: a cross-site request, a spent form token.

        A second submission of the same form (a double click, a reload of the
        POST) is refused without changing anything: its token is spent.
        """
        if (refusal := self.cross_site_refusal(request)) is not None:
            return refusal
        data = await request.form()
        try:
            await run_in_threadpool(
                self.kit.form_tokens.take, form, str(data.get("form_token", ""))
            )
        except InvalidState as error:
            return self.refusal(request, error)
        return data

    # -- calls into examkit ------------------------------------------------------------------

    async def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run an examkit call in a worker thread (never on the event loop)."""
        return await run_in_threadpool(function, *args, **kwargs)

    async def hashing_call(self, call: Callable[[], T]) -> T:
        """Run *call*, which hashes a password, in a worker thread within the cores' limit."""
        return await anyio.to_thread.run_sync(call, limiter=self.hashing)

    # -- the signed-in user ------------------------------------------------------------------

    async def viewer(self, request: Request) -> Viewer | None:
        """Return the request's signed-in user (renewing the session when examkit asks), or None."""
        token = request.cookies.get(cookie_name(SESSION, self.config))
        if not token:
            return None
        renewed: str | None = None
        try:
            user = await self.call(self.kit.web_sessions.user, token)
        except InvalidState:
            try:
                renewed = await self.call(self.kit.web_sessions.renew, token)
                user = await self.call(self.kit.web_sessions.user, renewed)
            except (InvalidState, NotPermitted, NotFound):
                return None
        except (NotPermitted, NotFound):
            return None
        return Viewer(user.account, user.actor, renewed)


class Area(ABC):
    """A part of the portal: its endpoints, their routes and its navigation links."""

    navigation: Sequence[NavEntry] = ()
    """The links this area adds to the navigation."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    @abstractmethod
    def routes(self) -> list[Route]:
        """Return this area's routes."""


Endpoint = Callable[[A, Request], Awaitable[Response]]
SignedInEndpoint = Callable[[A, Request, Viewer], Awaitable[Response]]


def public(endpoint: Endpoint[A]) -> Endpoint[A]:
    """Declare *endpoint* open to everyone (signed in or not)."""
    endpoint.access = "public"  # type: ignore[attr-defined]
    return endpoint


def cross_site_post(endpoint: Endpoint[A]) -> Endpoint[A]:
    """Declare *endpoint* a POST another site makes by design (SAML's assertion consumer service).

    It is not refused for its Origin: the endpoint protects itself (the
    adapter checks the signed message against the request stored server-side
    and spends it). Only the one route whose protocol needs it may say so; a
    test keeps that list.
    """
    endpoint.cross_site = True  # type: ignore[attr-defined]
    return endpoint


def _guarded(endpoint: SignedInEndpoint[A], actions: tuple[str, ...]) -> Endpoint[A]:
    @wraps(endpoint)
    async def guarded(self: A, request: Request) -> Response:
        portal = self.portal
        viewer = await portal.viewer(request)
        if viewer is None:
            return portal.to("/sign-in")
        request.state.viewer = viewer
        if actions and not viewer.may(*actions):
            _ = portal.gettext(request)
            response = portal.message(request, _("This page is not for you."), 403)
        else:
            response = await endpoint(self, request, viewer)
        if viewer.renewed is not None and not _sets_cookie(response, SESSION, portal.config):
            # The renewed id, unless the endpoint gave the browser a session of its own (a
            # password change ends the renewed one too and starts another).
            set_cookie(response, SESSION, viewer.renewed, portal.config, max_age=None)
        return response

    guarded.access = ("allowed", actions) if actions else "signed_in"  # type: ignore[attr-defined]
    return guarded


def _sets_cookie(response: Response, name: str, config: PortalConfig) -> bool:
    prefix = f"{cookie_name(name, config)}=".encode()
    return any(
        key == b"set-cookie" and value.startswith(prefix) for key, value in response.raw_headers
    )


def signed_in(endpoint: SignedInEndpoint[A]) -> Endpoint[A]:
    """Declare *endpoint* for any signed-in user; it gets the :class:`Viewer` as third argument."""
    return _guarded(endpoint, ())


def allowed(*actions: str) -> Callable[[SignedInEndpoint[A]], Endpoint[A]]:
    """Declare *endpoint* for signed-in users allowed one of *actions* (matrix codes) somewhere."""

    def declare(endpoint: SignedInEndpoint[A]) -> Endpoint[A]:
        return _guarded(endpoint, actions)

    return declare
