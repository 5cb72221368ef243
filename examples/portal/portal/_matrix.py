"""The permission matrix as a page: per system, its actions against its roles, and who grants.

Documentation, so every signed-in user may read it (not only
administrators): what each role may do and who grants it, in the page's
language from the matrix's own labels (``label_nl``, ``label_en``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.messages import Lang
from examkit.permissions import MATRIX, Role
from portal._base import Area, NavEntry, Viewer, signed_in
from portal._i18n import N_


def matrix_tables(lang: Lang) -> list[dict[str, Any]]:
    """Return the matrix per system in *lang*: its roles, its actions with who holds them."""
    tables: list[dict[str, Any]] = []
    for system in MATRIX.systems.values():
        roles: Sequence[Role] = MATRIX.roles_of(system.code)
        actions = [a for a in MATRIX.actions.values() if a.application == system.code]
        tables.append(
            {
                "code": system.code,
                "label": system.label(lang),
                "roles": [
                    {
                        "code": role.code,
                        "label": role.label(lang),
                        "granted_by": [g.label(lang) for g in MATRIX.granted_by(role.code)],
                        "may_grant": [MATRIX.role(c).label(lang) for c in role.may_grant],
                    }
                    for role in roles
                ],
                "actions": [
                    {
                        "code": action.code,
                        "label": action.label(lang),
                        "held": [action.code in role.actions for role in roles],
                    }
                    for action in actions
                ],
            }
        )
    return tables


class PermissionsPages(Area):
    """The permission matrix page, for every signed-in user."""

    navigation: Sequence[NavEntry] = (NavEntry("/permissions", N_("Permissions")),)

    def routes(self) -> list[Route]:
        """Return the matrix page's route."""
        return [Route("/permissions", self.matrix, methods=["GET"])]

    @signed_in
    async def matrix(self, request: Request, viewer: Viewer) -> Response:
        """Every system's roles and actions, as a table per system."""
        lang = self.portal.lang(request)
        return self.portal.page(request, "users/permissions.html", systems=matrix_tables(lang))
