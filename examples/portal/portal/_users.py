"""User administration per location: the users, a new user, one user's page.

For administrators of the exam system (Facet) and of the pupil-monitoring
system (Cito LVS): the users of a location they administer (a choice when
there are several), with their roles there; a new user told the system's
way (Facet e-mails the login name and an initial password, Cito an
invitation with an activation link); one user's details, status and roles.
What is done to a user is on the pages of :mod:`portal._users_account`
(details, password, status, invitation, access, removal) and
:mod:`portal._users_roles` (roles, and the invitation's public page): this
area serves their routes too, so the application registers one area.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.messages import Lang
from examkit.permissions import MATRIX, Onboarding, Operation
from examkit.problems import http_status
from portal._base import NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._users_account import AccountPages
from portal._users_base import (
    ADD,
    SYSTEMS,
    USERS,
    UserAdmin,
    administered,
    describe,
    system_for,
)
from portal._users_entree import EntreeLinkPages
from portal._users_roles import InvitationPages, RolesPages


class UsersPages(UserAdmin):
    """The users of a location, a new user, one user's page; and the routes of the changes."""

    navigation: Sequence[NavEntry] = (NavEntry("/users", N_("Users"), USERS),)

    def routes(self) -> list[Route]:
        """Return the user administration's routes."""
        return [
            Route("/users", self.users, methods=["GET"]),
            Route("/users/new", self.new_user_page, methods=["GET"]),
            Route("/users/new", self.add_user, methods=["POST"]),
            Route("/users/{account}", self.user_page, methods=["GET"]),
            *AccountPages(self.portal).routes(),
            *RolesPages(self.portal).routes(),
            *InvitationPages(self.portal).routes(),
            *EntreeLinkPages(self.portal).routes(),
        ]

    # -- the list and a new user -------------------------------------------------------------

    @allowed(*USERS)
    async def users(self, request: Request, viewer: Viewer) -> Response:
        """The users of one location the viewer administers (a choice of location when several)."""
        portal = self.portal
        lang = portal.lang(request)
        try:
            location, users = await self.users_at(viewer, self.location(request, viewer))
        except ExamkitError as error:
            return portal.refusal(request, error)
        names = await self.names_for(viewer, location, users)
        rows = [
            {
                "user": user,
                "grants": [
                    describe(grant, location, lang, names) for grant in user.grants_at(location)
                ],
            }
            for user in users
        ]
        return portal.page(
            request,
            "users/list.html",
            location=str(location),
            locations=[str(place) for place in administered(viewer)],
            rows=rows,
            may_add=system_for(viewer, None, location, Operation.ADD_USER) is not None,
            removed=request.query_params.get("done") == "removed",
        )

    def systems_adding(self, viewer: Viewer, location: LocationCode, lang: Lang) -> list[Any]:
        """Return the systems *viewer* may add users to at *location*: code, name, onboarding."""
        return [
            {
                "code": system,
                "label": MATRIX.system(system).label(lang),
                "invites": MATRIX.system(system).onboarding is Onboarding.INVITATION,
            }
            for system in SYSTEMS
            if system_for(viewer, None, location, Operation.ADD_USER, (system,)) is not None
        ]

    async def new_user_form(
        self,
        request: Request,
        viewer: Viewer,
        shown: dict[str, str],
        error: ExamkitError | None = None,
    ) -> Response:
        """Render the new-user form with *shown* filled in (and examkit's *error*, if any)."""
        portal = self.portal
        lang = portal.lang(request)
        try:
            location = LocationCode(self.location(request, viewer))
        except ExamkitError as failure:
            return portal.refusal(request, failure)
        systems = self.systems_adding(viewer, location, lang)
        if not systems:
            _ = portal.gettext(request)
            return portal.message(request, _("This page is not for you."), 403)
        return await portal.form_page(
            request,
            "users/new.html",
            "user-new",
            http_status(error) if error is not None else 200,
            location=str(location),
            systems=systems,
            shown=shown,
            error=error.message(lang) if error is not None else None,
        )

    @allowed(*ADD)
    async def new_user_page(self, request: Request, viewer: Viewer) -> Response:
        """The form for a new user at the location."""
        return await self.new_user_form(request, viewer, {})

    @allowed(*ADD)
    async def add_user(self, request: Request, viewer: Viewer) -> Response:
        """Add the user at the location; examkit tells them the system's way."""
        portal = self.portal
        data = await portal.accepted(request, "user-new")
        if isinstance(data, Response):
            return data
        fields = ("system", "login_name", "first_name", "last_name", "email", "phone", "lang")
        shown = {name: str(data.get(name, "")).strip() for name in fields}
        try:
            location = LocationCode(self.location(request, viewer))
            account = await portal.hashing_call(
                partial(
                    portal.kit.users.add_user,
                    viewer.id,
                    application=shown["system"],
                    at=location,
                    login_name=shown["login_name"],
                    first_name=shown["first_name"],
                    last_name=shown["last_name"],
                    email=shown["email"],
                    phone=shown["phone"] or None,
                    lang="en" if shown["lang"] == "en" else "nl",
                )
            )
        except ExamkitError as error:
            return await self.new_user_form(request, viewer, shown, error)
        return self.back(account.id, location, "added", f"&system={shown['system']}")

    # -- one user ----------------------------------------------------------------------------

    @allowed(*USERS)
    async def user_page(self, request: Request, viewer: Viewer) -> Response:
        """A user at the location: details, status, roles there, and what the viewer may do."""
        found = await self.user_at(request, viewer)
        if isinstance(found, Response):
            return found
        return await self.user_view(request, viewer, *found)
