"""Roles of a user, and the invitation's page: grant at locations, classes or a subject; revoke.

Granting asks first for the role (only the roles the viewer may grant at
the location), then for where: the locations (of those where the viewer
may grant it), or classes of the location, and the subject for a subject
teacher. Revoking takes a role from the user at the location; its other
locations keep it. An invited user (Cito's way) opens the e-mailed link
``/invitations/<token>``, a public page, and chooses a password there.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, InvalidInput
from examkit.identifiers import LocationCode
from examkit.permissions import MATRIX, ClassRef, Place, ScopeKind, Subject
from examkit.problems import http_status
from portal._base import Area, Viewer, allowed, public
from portal._users_base import Call, UserAdmin, administered, grantable

GRANT = ("facet.users.grant_roles", "cito_lvs.users.assign")
"""The actions that grant roles."""
REVOKE = ("facet.users.revoke_roles", "cito_lvs.users.assign")
"""The actions that revoke roles."""
SUBJECTS = frozenset(subject.value for subject in Subject)


def classes_in(text: str, location: LocationCode) -> list[ClassRef]:
    """Return the classes of *location* named in *text* (keys separated by commas or spaces)."""
    keys = dict.fromkeys(key for key in text.replace(",", " ").split() if key)
    return [ClassRef(location, key) for key in keys]


class RolesPages(UserAdmin):
    """Grant a user a role, and revoke one."""

    def routes(self) -> list[Route]:
        """Return the routes that grant and revoke roles."""
        return [
            Route("/users/{account}/grant", self.grant_page, methods=["GET"]),
            Route("/users/{account}/grant", self.grant, methods=["POST"]),
            Route("/users/{account}/revoke", self.revoke, methods=["POST"]),
        ]

    async def grant_form(
        self,
        request: Request,
        viewer: Viewer,
        role: str,
        shown: dict[str, Any],
        error: ExamkitError | None = None,
    ) -> Response:
        """Render the grant form for *role* (none chosen yet: the choice of role)."""
        portal = self.portal
        lang = portal.lang(request)
        found = await self.user_at(request, viewer)
        if isinstance(found, Response):
            return found
        location, user = found
        roles = grantable(viewer, location) if user.account.id != viewer.id else []
        if not roles:
            _ = portal.gettext(request)
            return portal.message(request, _("This page is not for you."), 403)
        chosen = next((item for item in roles if item.code == role), None)
        places = [
            str(place)
            for place in administered(viewer)
            if chosen is not None and viewer.actor.may_grant(chosen.code, place)
        ]
        in_classes = chosen is not None and chosen.scope is not ScopeKind.LOCATIONS
        return await portal.form_page(
            request,
            "users/grant.html",
            "user-grant",
            http_status(error) if error is not None else 200,
            user=user,
            location=str(location),
            roles=[{"code": item.code, "label": item.label(lang)} for item in roles],
            chosen=chosen.code if chosen is not None else "",
            chosen_label=chosen.label(lang) if chosen is not None else "",
            scope=chosen.scope.value if chosen is not None else "",
            places=places,
            classes=sorted(
                (await self.classes_of(viewer, location)).items() if in_classes else (),
                key=lambda item: item[1],
            ),
            subjects=[{"code": item.value, "label": item.label(lang)} for item in Subject],
            shown=shown
            or {"places": [str(location)], "classes": "", "class_keys": [], "subject": ""},
            error=error.message(lang) if error is not None else None,
        )

    @allowed(*GRANT)
    async def grant_page(self, request: Request, viewer: Viewer) -> Response:
        """Grant a role: first the role, then where (locations, classes, a subject)."""
        return await self.grant_form(request, viewer, request.query_params.get("role", ""), {})

    @allowed(*GRANT)
    async def grant(self, request: Request, viewer: Viewer) -> Response:
        """Grant the chosen role where the form says; examkit checks it may be granted there."""
        portal = self.portal
        data = await portal.accepted(request, "user-grant")
        if isinstance(data, Response):
            return data
        found = await self.user_at(request, viewer, data)
        if isinstance(found, Response):
            return found
        location, user = found
        role = str(data.get("role", ""))
        shown: dict[str, Any] = {
            "places": [str(value) for value in data.getlist("places")],
            "classes": str(data.get("classes", "")),
            "class_keys": [str(value) for value in data.getlist("class_keys")],
            "subject": str(data.get("subject", "")),
        }
        try:
            scope = MATRIX.roles[role].scope if role in MATRIX.roles else ScopeKind.LOCATIONS
            at: list[Place | ClassRef]
            if scope is ScopeKind.LOCATIONS:
                at = [LocationCode(place) for place in shown["places"]]
            else:
                keys = " ".join([*shown["class_keys"], shown["classes"]])
                at = list(classes_in(keys, location))
            subject = None
            if scope is ScopeKind.SUBJECT_CLASSES:
                if shown["subject"] not in SUBJECTS:
                    raise InvalidInput("input.required", field="subject")
                subject = Subject(shown["subject"])
            await portal.call(
                portal.kit.grants.grant_role,
                viewer.id,
                user.account.id,
                role,
                at=at,
                subject=subject,
            )
        except ExamkitError as error:
            return await self.grant_form(request, viewer, role, shown, error)
        return self.back(user.account.id, location, "granted")

    @allowed(*REVOKE)
    async def revoke(self, request: Request, viewer: Viewer) -> Response:
        """Revoke a role of the user at the location (its other locations keep it)."""

        def make(data: Any, location: LocationCode, user: Any) -> Call | None:
            subject = str(data.get("subject", ""))
            return partial(
                self.portal.kit.grants.revoke_role,
                viewer.id,
                user.account.id,
                str(data.get("role", "")),
                at=[location],
                subject=Subject(subject) if subject in SUBJECTS else None,
            )

        return await self.change(request, viewer, "user", make, "revoked")


class InvitationPages(Area):
    """The invited user's page: choose a password, and the account is active (public)."""

    def routes(self) -> list[Route]:
        """Return the invitation's routes."""
        return [
            Route("/invitations/{token}", self.invitation_page, methods=["GET"]),
            Route("/invitations/{token}", self.accept, methods=["POST"]),
        ]

    @public
    async def invitation_page(self, request: Request) -> Response:
        """The form for the invited user's password (after it: the account is active)."""
        portal = self.portal
        if request.query_params.get("done") == "1":
            _ = portal.gettext(request)
            return portal.message(request, _("Your account is active. You can sign in now."))
        return await portal.form_page(
            request,
            "users/invitation.html",
            "invitation",
            providers=portal.kit.federated_sign_in.providers,
        )

    @public
    async def accept(self, request: Request) -> Response:
        """Accept the invitation with the chosen password (hashing: within the cores' limit)."""
        portal = self.portal
        data = await portal.accepted(request, "invitation")
        if isinstance(data, Response):
            return data
        call = partial(
            portal.kit.invitations.accept_invitation,
            request.path_params["token"],
            password=str(data.get("new_password", "")),
        )
        try:
            await portal.hashing_call(call)
        except ExamkitError as error:
            return await portal.form_page(
                request,
                "users/invitation.html",
                "invitation",
                http_status(error),
                error=error.message(portal.lang(request)),
                providers=portal.kit.federated_sign_in.providers,
            )
        return portal.to(f"/invitations/{request.path_params['token']}?done=1")
