"""User administration per location: the users, adding one, their details and status.

For administrators of the exam system (Facet) and of the pupil-monitoring
system (Cito LVS): the users of a location they administer (a choice when
there are several), with their roles there; a new user told the system's
way (Facet e-mails the login name and an initial password, Cito an
invitation with an activation link); editing, a new password, deactivation
and reactivation, an invitation and "access to application". Roles are
granted and revoked on the pages of :mod:`portal._users_roles`. examkit's
use cases decide every exact scope; a page offers only what the viewer's
grants allow, in the system whose administrator the user is wholly in the
hands of.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.messages import Lang
from examkit.permissions import MATRIX, Grant, Onboarding, Operation, Role
from examkit.problems import http_status
from examkit.roles import UserAt
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_

SYSTEMS: Final = ("facet", "cito_lvs")
"""The systems whose users the portal administers."""
USERS: Final = (
    "facet.users.add",
    "facet.users.grant_roles",
    "facet.users.grant_locations",
    "facet.users.edit",
    "facet.users.revoke_roles",
    "facet.users.deactivate",
    "cito_lvs.users.add",
    "cito_lvs.users.edit",
    "cito_lvs.users.access",
    "cito_lvs.users.assign",
    "cito_lvs.users.invite",
    "cito_lvs.users.remove",
)
"""The matrix actions of user administration in those systems: who holds one sees the pages."""
ADD: Final = ("facet.users.add", "cito_lvs.users.add")
"""The actions that add users."""
EDIT: Final = ("facet.users.edit", "cito_lvs.users.edit")
"""The actions that edit a user's details."""
DONE: Final = frozenset(
    {"added", "edited", "password", "deactivated", "reactivated", "invited", "access"}
    | {"granted", "revoked"}
)
"""What a redirect after a change may report (``?done=``); the user's page words it."""
Call = Callable[[], object]


def administered(viewer: Viewer) -> list[LocationCode]:
    """Return the locations where *viewer* administers users, in order."""
    found = {
        key for code in USERS for key in viewer.actor.places(code) if isinstance(key, LocationCode)
    }
    return sorted(found, key=str)


def action_of(system: str, operation: Operation) -> str | None:
    """Return the code of *system*'s action for *operation*, or None (the system has none)."""
    action = MATRIX.operation_action(system, operation)
    return None if action is None else action.code


def system_for(
    viewer: Viewer,
    user: UserAt | None,
    location: LocationCode,
    operation: Operation,
    systems: Sequence[str] = SYSTEMS,
) -> str | None:
    """Return the system in which *viewer* may do *operation* on *user* at *location*, or None.

    The viewer must hold the system's action for it at *location* and, on an
    existing user (never the viewer), may grant every role the user holds
    wherever they hold it: the user is wholly within the viewer's
    administration (the use case checks it again).
    """
    if user is not None and user.account.id == viewer.id:
        return None
    for system in systems:
        code = action_of(system, operation)
        if code is None or not viewer.actor.may(code, location):
            continue
        if user is None or all(
            viewer.actor.may(code, place) and viewer.actor.may_grant(grant.role, place)
            for grant in user.grants
            for place in grant.places
        ):
            return system
    return None


def grantable(viewer: Viewer, location: LocationCode) -> list[Role]:
    """Return the roles *viewer* may grant at *location* (an administrator role never)."""
    return [
        role
        for role in MATRIX.roles.values()
        if role.application in SYSTEMS
        and not role.by_application
        and viewer.actor.may_grant(role.code, location)
    ]


def role_label(code: str, lang: Lang) -> str:
    """Return role *code*'s name in *lang*, from the matrix."""
    role = MATRIX.role(code)
    return role.label_en if lang == "en" else role.label_nl


def describe(grant: Grant, location: LocationCode, lang: Lang) -> dict[str, Any]:
    """Return what a page shows of *grant* at *location*: role, subject, classes, elsewhere."""
    return {
        "role": grant.role,
        "label": role_label(grant.role, lang),
        "system": MATRIX.system(MATRIX.role(grant.role).application).label(lang),
        "subject": grant.subject.value if grant.subject is not None else "",
        "subject_label": grant.subject.label(lang) if grant.subject is not None else "",
        "classes": sorted(c.key for c in grant.classes if c.location == location),
        "elsewhere": [str(place) for place in grant.places if place != location],
    }


class UserAdmin(Area):
    """What the pages of user administration share: the location, its users, a change."""

    def location(self, request: Request, viewer: Viewer, data: FormData | None = None) -> str:
        """Return the location asked for (the form's, the query's), else the viewer's first."""
        asked = str(data.get("location", "")) if data is not None else ""
        asked = asked or request.query_params.get("location", "")
        if asked:
            return asked.strip()
        mine = administered(viewer)
        return str(mine[0]) if mine else ""

    async def users_at(self, viewer: Viewer, text: str) -> tuple[LocationCode, tuple[UserAt, ...]]:
        """Return the location *text* and its users, as examkit lists them for *viewer*.

        Raises:
            ExamkitError: no location, or the viewer administers no users there.
        """
        location = LocationCode(text)
        users = await self.portal.call(self.portal.kit.users.list_at, viewer.id, location)
        return location, users

    async def user_at(
        self, request: Request, viewer: Viewer, data: FormData | None = None
    ) -> tuple[LocationCode, UserAt] | Response:
        """Return the location and the path's account as a user there, or the refusal's page."""
        portal = self.portal
        try:
            location, users = await self.users_at(viewer, self.location(request, viewer, data))
        except ExamkitError as error:
            return portal.refusal(request, error)
        account = request.path_params["account"]
        for user in users:
            if user.account.id == account:
                return location, user
        _ = portal.gettext(request)
        return portal.message(request, _("There is no such user at this location."), 404)

    async def user_view(
        self,
        request: Request,
        viewer: Viewer,
        location: LocationCode,
        user: UserAt,
        error: ExamkitError | None = None,
    ) -> Response:
        """Render *user*'s page at *location* (with examkit's *error* after a refused change)."""
        portal = self.portal
        lang = portal.lang(request)
        done = request.query_params.get("done", "") if error is None else ""
        may = {
            operation.value: system_for(viewer, user, location, operation) is not None
            for operation in (
                Operation.EDIT_USER,
                Operation.DEACTIVATE,
                Operation.REACTIVATE,
                Operation.INVITE,
                Operation.SET_ACCESS,
            )
        }
        may["password"] = (
            system_for(viewer, user, location, Operation.EDIT_USER, ("facet",)) is not None
        )
        mine = user.account.id == viewer.id
        may["grant"] = bool(grantable(viewer, location)) and not mine
        grants = [
            describe(grant, location, lang)
            | {"revocable": not mine and viewer.actor.may_grant(grant.role, location)}
            for grant in user.grants_at(location)
        ]
        return await portal.form_page(
            request,
            "users/user.html",
            "user",
            http_status(error) if error is not None else 200,
            user=user,
            location=str(location),
            grants=grants,
            may=may,
            cito_access="cito_lvs" in user.access,
            done=done if done in DONE else "",
            invited=done == "invited" or request.query_params.get("system") == "cito_lvs",
            error=error.message(lang) if error is not None else None,
        )

    def back(self, account: str, location: LocationCode, done: str, extra: str = "") -> Response:
        """Redirect to *account*'s page at *location*, saying what was *done*."""
        return self.portal.to(f"/users/{account}?location={location}&done={done}{extra}")

    async def change(
        self,
        request: Request,
        viewer: Viewer,
        form: str,
        make: Callable[[FormData, LocationCode, UserAt], Call | None],
        done: str,
        *,
        hashes: bool = False,
    ) -> Response:
        """Accept *form*; run the use case *make* returns for the user and location; go back.

        *make* returns ``None`` where the viewer may not do it (refused, 403).
        """
        portal = self.portal
        data = await portal.accepted(request, form)
        if isinstance(data, Response):
            return data
        found = await self.user_at(request, viewer, data)
        if isinstance(found, Response):
            return found
        location, user = found
        call = make(data, location, user)
        if call is None:
            _ = portal.gettext(request)
            return portal.message(request, _("This page is not for you."), 403)
        try:
            await (portal.hashing_call(call) if hashes else portal.call(call))
        except ExamkitError as error:
            return await self.user_view(request, viewer, location, user, error)
        return self.back(user.account.id, location, done)


class UsersPages(UserAdmin):
    """The users of a location, a new user, and one user's details and status."""

    navigation: Sequence[NavEntry] = (NavEntry("/users", N_("Users"), USERS),)

    def routes(self) -> list[Route]:
        """Return the user administration's routes."""
        return [
            Route("/users", self.users, methods=["GET"]),
            Route("/users/new", self.new_user_page, methods=["GET"]),
            Route("/users/new", self.add_user, methods=["POST"]),
            Route("/users/{account}", self.user_page, methods=["GET"]),
            Route("/users/{account}/edit", self.edit, methods=["POST"]),
            Route("/users/{account}/password", self.new_password, methods=["POST"]),
            Route("/users/{account}/deactivate", self.deactivate, methods=["POST"]),
            Route("/users/{account}/reactivate", self.reactivate, methods=["POST"]),
            Route("/users/{account}/invite", self.invite, methods=["POST"]),
            Route("/users/{account}/access", self.access, methods=["POST"]),
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
        rows = [
            {
                "user": user,
                "grants": [describe(grant, location, lang) for grant in user.grants_at(location)],
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

    @allowed(*EDIT)
    async def edit(self, request: Request, viewer: Viewer) -> Response:
        """Change the user's names, e-mail address or phone number."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            system = system_for(viewer, user, location, Operation.EDIT_USER)
            if system is None:
                return None
            return partial(
                self.portal.kit.users.edit_user,
                viewer.id,
                user.account.id,
                application=system,
                first_name=str(data.get("first_name", "")),
                last_name=str(data.get("last_name", "")),
                email=str(data.get("email", "")),
                phone=str(data.get("phone", "")),
            )

        return await self.change(request, viewer, "user", make, "edited")

    @allowed("facet.users.edit")
    async def new_password(self, request: Request, viewer: Viewer) -> Response:
        """Mail the user a new initial password with the login name (Facet's way)."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            if system_for(viewer, user, location, Operation.EDIT_USER, ("facet",)) is None:
                return None
            return partial(
                self.portal.kit.users.send_new_password,
                viewer.id,
                user.account.id,
                application="facet",
            )

        return await self.change(request, viewer, "user", make, "password", hashes=True)

    async def set_status(self, request: Request, viewer: Viewer, operation: Operation) -> Response:
        """Deactivate or reactivate the user."""
        kit = self.portal.kit
        use = kit.users.deactivate if operation is Operation.DEACTIVATE else kit.users.reactivate

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            system = system_for(viewer, user, location, operation)
            if system is None:
                return None
            return partial(use, viewer.id, user.account.id, application=system)

        done = "deactivated" if operation is Operation.DEACTIVATE else "reactivated"
        return await self.change(request, viewer, "user", make, done)

    @allowed("facet.users.deactivate")
    async def deactivate(self, request: Request, viewer: Viewer) -> Response:
        """Deactivate the user: every web session of theirs ends at once."""
        return await self.set_status(request, viewer, Operation.DEACTIVATE)

    @allowed("facet.users.deactivate")
    async def reactivate(self, request: Request, viewer: Viewer) -> Response:
        """Reactivate a deactivated user."""
        return await self.set_status(request, viewer, Operation.REACTIVATE)

    @allowed("cito_lvs.users.invite")
    async def invite(self, request: Request, viewer: Viewer) -> Response:
        """Send the user an invitation with a fresh activation link (Cito's way)."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            if system_for(viewer, user, location, Operation.INVITE) is None:
                return None
            return partial(
                self.portal.kit.invitations.send_invitation,
                viewer.id,
                user.account.id,
                application="cito_lvs",
                at=location,
            )

        return await self.change(request, viewer, "user", make, "invited")

    @allowed("cito_lvs.users.access")
    async def access(self, request: Request, viewer: Viewer) -> Response:
        """Switch the user's "access to application" (Cito) on or off at the institution."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            if system_for(viewer, user, location, Operation.SET_ACCESS) is None:
                return None
            return partial(
                self.portal.kit.users.set_access,
                viewer.id,
                user.account.id,
                application="cito_lvs",
                institution=location.brin,
                allowed=data.get("allowed") == "yes",
            )

        return await self.change(request, viewer, "user", make, "access")
