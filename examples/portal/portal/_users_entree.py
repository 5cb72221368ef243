"""An account's links to Entree on the user's page (AUTH-13): remove one, federation only.

Whoever may edit the user's details sees the account's links (the issuer,
how and when it was linked; never the subject), removes one (the account is
signed out everywhere) and may make a teacher's account sign in only through
Entree (its password is removed).
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


class EntreeLinkPages(UserAdmin):
    """The user's Entree links and the federation-only switch, posted from the user's page."""

    def routes(self) -> list[Route]:
        """Return the routes of the changes to a user's Entree links."""
        return [
            Route("/users/{account}/unlink", self.unlink, methods=["POST"]),
            Route("/users/{account}/federation-only", self.federation_only, methods=["POST"]),
        ]

    @allowed(*EDIT)
    async def unlink(self, request: Request, viewer: Viewer) -> Response:
        """Remove one of the user's Entree links (the user is signed out everywhere)."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            system = system_for(viewer, user, location, Operation.EDIT_USER)
            if system is None:
                return None
            return partial(
                self.portal.kit.federated_accounts.unlink,
                viewer.id,
                user.account.id,
                str(data.get("link", "")),
                application=system,
            )

        return await self.change(request, viewer, "user", make, "unlinked")

    @allowed(*EDIT)
    async def federation_only(self, request: Request, viewer: Viewer) -> Response:
        """Make the user's account sign in through Entree only (or, back off, not only)."""

        def make(data: FormData, location: LocationCode, user: UserAt) -> Call | None:
            system = system_for(viewer, user, location, Operation.EDIT_USER)
            if system is None:
                return None
            return partial(
                self.portal.kit.federated_accounts.set_federation_only,
                viewer.id,
                user.account.id,
                application=system,
                federation_only=data.get("federation_only") == "yes",
            )

        return await self.change(request, viewer, "user", make, "federation")
