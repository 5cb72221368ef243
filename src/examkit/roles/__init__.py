"""Roles and permissions: the permission matrix as data, grants in scope, and the decision.

The matrix (:data:`MATRIX`) declares every application, action and role of
the exam system (Facet), the pupil-monitoring system (Cito), the
practical-exam app (CSPE), the end-test portal, the Flemish tests' school
desk and examkit's own operator, with who may grant which role. A
:class:`Grant` holds a role at locations (BRIN6), in classes, for a
subject, or at a Flemish school. :func:`may` decides over an
:class:`Actor` (an account's grants, loaded once per request). The use
cases, one class per group, each reached through the kit: :class:`Users`
(``kit.users``: add, edit, a new password, deactivate, reactivate, remove,
access), :class:`Grants` (``kit.grants``: grant and revoke roles, the
administrator's grant, linking accounts, the first operator),
:class:`Invitations` (``kit.invitations``: send and accept) and
:class:`Permissions` (``kit.permissions``: the actor of an account, its
grants, an audited refusal).

>>> from datetime import datetime, timezone
>>> from examkit.identifiers import LocationCode
>>> at = datetime(2026, 9, 1, tzinfo=timezone.utc)
>>> proctor = Actor("acc-1", grants=[Grant.of("facet.proctor", [LocationCode("22AB00")],
...                                           granted_at=at)])
>>> may(proctor, "facet.monitor.release", LocationCode("22AB00"))
True
>>> may(proctor, "facet.sessions.plan", LocationCode("22AB00"))
False

Implements ROLE-1 to ROLE-6, AUTH-11 and ACC-8.
"""

from examkit.roles._common import INVITATION
from examkit.roles._decide import Actor, On, as_target, load_actor, may, require
from examkit.roles._gate import MONITOR, RoleGate
from examkit.roles._grants import Grants
from examkit.roles._invitations import AcceptedInvitation, Invitations
from examkit.roles._mail import credentials_message, invitation_message
from examkit.roles._matrix import (
    ACTIONS,
    MATRIX,
    OPERATOR,
    ROLES,
    SYSTEMS,
    Action,
    MatrixError,
    Onboarding,
    Operation,
    PermissionMatrix,
    Role,
    ScopeKind,
    System,
)
from examkit.roles._model import (
    Access,
    Authorization,
    ClassRef,
    Grant,
    HasTarget,
    Place,
    Subject,
    Target,
)
from examkit.roles._permissions import Permissions
from examkit.roles._records import (
    AUTHORIZATIONS,
    AuthorizationRecords,
    grant_filter,
)
from examkit.roles._render import matrix_json, matrix_markdown
from examkit.roles._repository import AuthorizationRepository
from examkit.roles._users import Users

__all__ = [
    "ACTIONS",
    "AUTHORIZATIONS",
    "INVITATION",
    "MATRIX",
    "MONITOR",
    "OPERATOR",
    "ROLES",
    "SYSTEMS",
    "AcceptedInvitation",
    "Access",
    "Action",
    "Actor",
    "Authorization",
    "AuthorizationRecords",
    "AuthorizationRepository",
    "ClassRef",
    "Grant",
    "Grants",
    "HasTarget",
    "Invitations",
    "MatrixError",
    "On",
    "Onboarding",
    "Operation",
    "PermissionMatrix",
    "Permissions",
    "Place",
    "Role",
    "RoleGate",
    "ScopeKind",
    "Subject",
    "System",
    "Target",
    "Users",
    "as_target",
    "credentials_message",
    "grant_filter",
    "invitation_message",
    "load_actor",
    "matrix_json",
    "matrix_markdown",
    "may",
    "require",
]
