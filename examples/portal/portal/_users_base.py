"""What the pages of user administration share: who administers where, a location's users.

The systems whose users the portal administers (Facet and Cito LVS), the
matrix actions that show the pages, and :class:`UserAdmin`: the location
asked for, its users as examkit lists them for the viewer
(:meth:`kit.users.list_at <examkit.roles.Users.list_at>`), one user's page,
and a change posted from it. A page offers only what the viewer's grants
allow, in the system whose administrator the user is wholly in the hands
of; examkit's use cases decide every exact scope again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from examkit.errors import ExamkitError
from examkit.federation import FederatedLink
from examkit.identifiers import LocationCode
from examkit.messages import Lang
from examkit.permissions import MATRIX, Grant, Operation, Role
from examkit.problems import http_status
from examkit.roles import UserAt
from portal._base import Area, Viewer

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
    {
        "added",
        "edited",
        "password",
        "deactivated",
        "reactivated",
        "invited",
        "access",
        "granted",
        "revoked",
        "removed",
        "unlinked",
        "federation",
    }
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


def in_system(user: UserAt, system: str) -> bool:
    """Return whether *user* is one of *system*'s: holds a role of it, or none at all yet.

    A page offers a system's own ways (Facet's new password, Cito's
    invitation, access and removal) only to its users; a user just added
    holds no role yet and may be either's.
    """
    return not user.grants or any(
        MATRIX.role(grant.role).application == system for grant in user.grants
    )


def grantable(viewer: Viewer, location: LocationCode) -> list[Role]:
    """Return the roles *viewer* may grant at *location* (an administrator role never)."""
    return [
        role
        for role in MATRIX.roles.values()
        if role.application in SYSTEMS
        and not role.by_application
        and viewer.actor.may_grant(role.code, location)
    ]


def describe(
    grant: Grant, location: LocationCode, lang: Lang, names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return what a page shows of *grant* at *location*: role, subject, classes, elsewhere.

    A class shows by its name in *names* (the imported class list), else by its key.
    """
    names = names or {}
    return {
        "role": grant.role,
        "label": MATRIX.role(grant.role).label(lang),
        "system": MATRIX.system(MATRIX.role(grant.role).application).label(lang),
        "subject": grant.subject.value if grant.subject is not None else "",
        "subject_label": grant.subject.label(lang) if grant.subject is not None else "",
        "classes": sorted(names.get(c.key, c.key) for c in grant.classes if c.location == location),
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
        account = request.path_params["account"]
        try:
            location = LocationCode(self.location(request, viewer, data))
            user = await portal.call(portal.kit.users.user_at, viewer.id, location, account)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return location, user

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
        cito = in_system(user, "cito_lvs")
        may = {
            "edit_user": system_for(viewer, user, location, Operation.EDIT_USER) is not None,
            "deactivate": system_for(viewer, user, location, Operation.DEACTIVATE) is not None,
            "reactivate": system_for(viewer, user, location, Operation.REACTIVATE) is not None,
            "password": in_system(user, "facet")
            and system_for(viewer, user, location, Operation.EDIT_USER, ("facet",)) is not None,
        }
        for operation in (Operation.INVITE, Operation.SET_ACCESS, Operation.REMOVE_USER):
            may[operation.value] = (
                cito and system_for(viewer, user, location, operation, ("cito_lvs",)) is not None
            )
        mine = user.account.id == viewer.id
        may["grant"] = bool(grantable(viewer, location)) and not mine
        names = await self.names_for(viewer, location, [user])
        grants = [
            describe(grant, location, lang, names)
            | {"revocable": not mine and viewer.actor.may_grant(grant.role, location)}
            for grant in user.grants_at(location)
        ]
        links = await self.links_of(viewer, location, user) if may["edit_user"] else ()
        return await portal.form_page(
            request,
            "users/user.html",
            "user",
            http_status(error) if error is not None else 200,
            user=user,
            location=str(location),
            grants=grants,
            may=may,
            links=links,
            federation=bool(portal.kit.federated_sign_in.providers) or bool(links),
            cito_access="cito_lvs" in user.access,
            done=done if done in DONE else "",
            invited=done == "invited" or request.query_params.get("system") == "cito_lvs",
            error=error.message(lang) if error is not None else None,
        )

    async def links_of(
        self, viewer: Viewer, location: LocationCode, user: UserAt
    ) -> tuple[FederatedLink, ...]:
        """Return *user*'s Entree links where *viewer* may edit the user (else none)."""
        system = system_for(viewer, user, location, Operation.EDIT_USER)
        if system is None:
            return ()
        portal = self.portal
        try:
            return await portal.call(
                partial(
                    portal.kit.federated_accounts.links,
                    viewer.id,
                    user.account.id,
                    application=system,
                )
            )
        except ExamkitError:
            return ()

    async def classes_of(self, viewer: Viewer, location: LocationCode) -> dict[str, str]:
        """Return the location's imported classes (key: name) the viewer may see, else none.

        Without an imported class list (or one the viewer may see) a page
        shows the classes' keys, and the grant form asks for keys.
        """
        try:
            found = await self.portal.call(self.portal.kit.rosters.classes_for, viewer.id, location)
        except ExamkitError:
            return {}
        names = {group.key: group.name for group in found.groups}
        names.update((group.key, group.name) for group in found.combination_groups)
        return names

    async def names_for(
        self, viewer: Viewer, location: LocationCode, users: Sequence[UserAt]
    ) -> dict[str, str]:
        """Return the class names the pages of *users* need (none when no grant is in classes)."""
        if any(grant.classes for user in users for grant in user.grants_at(location)):
            return await self.classes_of(viewer, location)
        return {}

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
        if done == "removed":
            return self.portal.to(f"/users?location={location}&done=removed")
        return self.back(user.account.id, location, done)
