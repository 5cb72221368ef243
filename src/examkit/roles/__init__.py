"""Roles' use cases: users, grants, invitations, the permissions of an account, the gate.

The permission model they act on (the matrix, grants in scope, the actor
and the decision) is :mod:`examkit.permissions`, a package below the
use-case unit. The use cases, one class per group, each reached through the
kit: :class:`Users` (``kit.users``: add, list a location's users, edit, a new
password, deactivate, reactivate, remove, access), :class:`Grants` (``kit.grants``: grant and
revoke roles, the administrator's grant, linking accounts, the first
operator), :class:`Invitations` (``kit.invitations``: send and accept) and
:class:`Permissions` (``kit.permissions``: the actor of an account, its
grants, an audited refusal). :class:`RoleGate` lets the sign-in ask
whether an account may use a system.

Implements ROLE-1 to ROLE-6, AUTH-11 and ACC-8.
"""

from examkit.roles._common import INVITATION, initial_credentials, wholly_within
from examkit.roles._gate import MONITOR, RoleGate
from examkit.roles._grants import Grants
from examkit.roles._invitations import AcceptedInvitation, Invitations
from examkit.roles._mail import credentials_message, invitation_message
from examkit.roles._permissions import Permissions
from examkit.roles._users import USER_ADMINISTRATION, UserAt, Users

__all__ = [
    "INVITATION",
    "MONITOR",
    "USER_ADMINISTRATION",
    "AcceptedInvitation",
    "Grants",
    "Invitations",
    "Permissions",
    "RoleGate",
    "UserAt",
    "Users",
    "credentials_message",
    "initial_credentials",
    "invitation_message",
    "wholly_within",
]
