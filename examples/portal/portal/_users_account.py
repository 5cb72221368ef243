"""What an administrator does to one user: details, a new password, status, invitation, access.

Each a form on the user's page (:mod:`portal._users`), posted here; the
page comes back saying what was done (and what e-mail went out), or with
examkit's refusal. Deactivation ends every web session of the user at
once; a user who left the school is removed from it (Cito's way), roles and all.
"""

from __future__ import annotations

from functools import partial

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.identifiers import LocationCode
from examkit.permissions import Operation
from examkit.roles import UserAt
from portal._base import Viewer, allowed
from portal._users_base import EDIT, Call, UserAdmin, system_for


class AccountPages(UserAdmin):
    """The changes to one user's account, posted from the user's page."""

    def routes(self) -> list[Route]:
        """Return the routes of the changes to a user's account."""
        return [
            Route("/users/{account}/edit", self.edit, methods=["POST"]),
            Route("/users/{account}/password", self.new_password, methods=["POST"]),
            Route("/users/{account}/deactivate", self.deactivate, methods=["POST"]),
            Route("/users/{account}/reactivate", self.reactivate, methods=["POST"]),
            Route("/users/{account}/invite", self.invite, methods=["POST"]),
            Route("/users/{account}/access", self.access, methods=["POST"]),
            Route("/users/{account}/remove", self.remove, methods=["POST"]),
        ]

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

    @allowed("cito_lvs.users.remove")
    async def remove(self, request: Request, viewer: Viewer) -> Response:
        """Remove a user who left the school: their roles and access there go, sessions end."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            system = system_for(viewer, user, location, Operation.REMOVE_USER)
            if system is None:
                return None
            return partial(
                self.portal.kit.users.remove_user,
                viewer.id,
                user.account.id,
                application=system,
                institution=location.brin,
            )

        return await self.change(request, viewer, "user", make, "removed")
