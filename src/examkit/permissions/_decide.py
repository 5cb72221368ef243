"""The decision: may this actor do this action on that target? Pure, over grants loaded once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from examkit.accounts import Account
from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.permissions._matrix import MATRIX, ScopeKind
from examkit.permissions._model import (
    Access,
    Authorization,
    ClassRef,
    Grant,
    HasTarget,
    Place,
    Target,
)

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

On = LocationCode | ClassRef | Instellingsnummer | Brin | Target | HasTarget | None
"""What :func:`may` decides about: a location, a class, a Flemish school, a target, or anything
that resolves to a target; ``None`` asks whether the action is allowed anywhere at all."""


class _Scopes:
    """Where one action (or one grantable role) is allowed: an index of scope keys."""

    __slots__ = ("everywhere", "keys")

    def __init__(self) -> None:
        self.everywhere = False
        self.keys: set[Any] = set()


def _roles_by(codes_of: Any) -> dict[str, frozenset[str]]:
    """Return, for each code a role lists (by *codes_of*), the roles that list it."""
    found: dict[str, set[str]] = {}
    for role in MATRIX.roles.values():
        for code in codes_of(role):
            found.setdefault(code, set()).add(role.code)
    return {code: frozenset(roles) for code, roles in found.items()}


_ROLES_WITH: Final = _roles_by(lambda role: role.actions)
"""The matrix read by action: the roles that give each action."""
_GRANTED_BY: Final = _roles_by(lambda role: role.may_grant)
"""The matrix read by role: the roles that may grant each role."""
_NO_ROLES: Final[frozenset[str]] = frozenset()

_Held = tuple[str, tuple[Any, ...], bool]
"""A grant that counts, as the index needs it: its role, its scope keys, whether system-wide."""


def _scopes_of(held: tuple[_Held, ...], roles: frozenset[str]) -> _Scopes:
    """Return where the grants *held* of any of *roles* reach."""
    scopes = _Scopes()
    for role, keys, system in held:
        if role in roles:
            if system:
                scopes.everywhere = True
            else:
                scopes.keys.update(keys)
    return scopes


class Actor:
    """The signed-in user, as permission decisions see them: loaded once per request, indexed.

    Built from the account and its :class:`~examkit.permissions.Authorization`;
    only active grants count, and only where the account is active and, for
    the roles of an application with an access switch (*Toegang tot
    applicatie*) other than its administrator, has access to it at the
    grant's institution. Every question is then a few set look-ups.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> planner = Actor("acc-1", grants=[
    ...     Grant.of("facet.planner", [LocationCode("22AB01")], granted_at=at)])
    >>> planner.may("facet.sessions.plan", LocationCode("22AB01"))
    True
    >>> planner.may("facet.sessions.plan", LocationCode("22AB02"))
    False

    Args:
        account: The account's id.
        active: Whether the account is active (a deactivated one may nothing).
        grants: Its grants (revoked ones are ignored).
        access: Its access to applications, per institution.

    Implements ROLE-3 and ROLE-5.
    """

    __slots__ = ("_grantable", "_held", "_index", "account", "active", "grants")

    def __init__(
        self,
        account: str,
        *,
        active: bool = True,
        grants: Iterable[Grant] = (),
        access: Iterable[Access] = (),
    ) -> None:
        self.account = account
        """The account's id."""
        self.active = active
        """Whether the account is active."""
        allowed = frozenset(access)
        self.grants: tuple[Grant, ...] = tuple(
            grant for grant in grants if active and grant.is_active and _has_access(grant, allowed)
        )
        """The grants that count: active, on an active account, with access where needed."""
        # indexed by action (and by role to grant) when first asked: a use case asks about
        # a few of the matrix's actions, a list of eligible correctors about one per account
        self._held: tuple[_Held, ...] = tuple(
            (
                grant.role,
                grant.scope_keys(),
                MATRIX.roles[grant.role].scope is ScopeKind.SYSTEM,
            )
            for grant in self.grants
        )
        self._index: dict[str, _Scopes] = {}
        self._grantable: dict[str, _Scopes] = {}

    def _scopes(self, action: str) -> _Scopes:
        """Return where this actor may do *action* (empty for an action of no role)."""
        found = self._index.get(action)
        if found is None:
            found = self._index[action] = _scopes_of(self._held, _ROLES_WITH.get(action, _NO_ROLES))
        return found

    @classmethod
    def of(cls, account: Account, authorization: Authorization | None) -> Actor:
        """Return the actor of *account* with its *authorization* (``None``: no grants)."""
        if authorization is None:
            return cls(account.id, active=account.is_active)
        return cls(
            account.id,
            active=account.is_active,
            grants=authorization.grants,
            access=authorization.access,
        )

    def may(self, action: str, on: On = None) -> bool:
        """Return whether this actor may do *action* on *on* (anywhere at all when ``None``).

        Raises:
            InvalidInput: *action* is not in the matrix (a programming error).
        """
        if action not in MATRIX.actions:
            raise InvalidInput("roles.action.unknown", field="action", action=action)
        scopes = self._scopes(action)
        if scopes.everywhere:
            return True
        keys = scopes.keys
        if on is None:
            return bool(keys)
        kind = type(on)
        if kind is LocationCode or kind is Instellingsnummer or kind is Brin:
            return on in keys
        if kind is ClassRef:
            return on in keys or on.location in keys  # type: ignore[union-attr]
        target = on if kind is Target else _as_target(on)
        return any(key in keys for key in target.keys)  # type: ignore[union-attr]

    def may_grant(self, role: str, at: Place | Brin | None) -> bool:
        """Return whether this actor may grant (and revoke) *role* at *at*.

        *at* is a location (BRIN6) or a Flemish school; ``None`` stands for a
        role held everywhere (the operator's), which only an actor holding
        its granting role everywhere may grant. A whole Dutch institution
        (a :class:`~examkit.identifiers.Brin`) is never a place of a grant:
        only the operator may grant there.

        Raises:
            InvalidInput: *role* is not in the matrix.
        """
        if role not in MATRIX.roles:
            raise InvalidInput("roles.role.unknown", field="role", role=role)
        scopes = self._grantable.get(role)
        if scopes is None:
            scopes = self._grantable[role] = _scopes_of(
                self._held, _GRANTED_BY.get(role, _NO_ROLES)
            )
        if scopes.everywhere:
            return True
        return at is not None and at in scopes.keys

    def places(self, action: str) -> frozenset[Any]:
        """Return the scope keys where this actor may do *action* (locations, classes, ...)."""
        return frozenset(self._scopes(action).keys)

    def everywhere(self, action: str) -> bool:
        """Return whether this actor may do *action* everywhere (the operator)."""
        return self._scopes(action).everywhere

    def roles(self) -> tuple[str, ...]:
        """Return the codes of the roles that count, in the matrix's order."""
        held = {grant.role for grant in self.grants}
        return tuple(code for code in MATRIX.roles if code in held)

    def role_for(self, action: str) -> str:
        """Return the first role (in the matrix's order) by which it may do *action*, or ``""``.

        For a transition log that says in which role someone acted.
        """
        for code in self.roles():
            if action in MATRIX.roles[code].actions:
                return code
        return ""

    def __repr__(self) -> str:
        return f"Actor({self.account!r}, roles={list(self.roles())!r})"


def _has_access(grant: Grant, allowed: frozenset[Access]) -> bool:
    """Return whether *grant* counts as far as "access to application" goes.

    Only an application with an access switch asks, and only of the roles its
    administrator grants: the administrator reaches the administration module
    through the account the application was approved for.
    """
    role = MATRIX.roles[grant.role]
    switched = MATRIX.systems[role.application].access_switch
    if not switched or role.by_application or grant.institution is None:
        return True
    return Access(role.application, grant.institution) in allowed


def _as_target(on: object) -> Target:
    # What isinstance(on, HasTarget) asks, without the runtime protocol's slow check
    # (each decision about a group or a correction passes here).
    target = getattr(on, "permission_target", None)
    if isinstance(target, Target):
        return target
    raise InvalidInput("roles.target.unsupported", field="on", kind=type(on).__name__)


def as_target(on: On) -> Target | None:
    """Return *on* as a :class:`~examkit.permissions.Target` (``None`` stays ``None``).

    >>> str(as_target(ClassRef(LocationCode("99ZX10"), "1HA")))
    '99ZX10/1HA'
    """
    if on is None or isinstance(on, Target):
        return on
    if isinstance(on, LocationCode | ClassRef | Instellingsnummer):
        return Target.of(on)
    if isinstance(on, Brin):
        return Target(institution=on)
    return _as_target(on)


def may(actor: Actor, action: str, on: On = None) -> bool:
    """Return whether *actor* may do *action* on *on*: a pure decision over loaded grants.

    *on* is a location (BRIN6), a class, a Flemish school, a
    :class:`~examkit.permissions.Target`, or anything with a ``permission_target``
    (a session group, a pupil, a report); ``None`` asks whether *actor* may
    do *action* anywhere at all (for a menu, or an action on the actor's
    own account such as editing their own profile).

    >>> from datetime import datetime, timezone
    >>> from examkit.permissions import Subject
    >>> at = datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> teacher = Actor("t", grants=[Grant.of(
    ...     "cito_lvs.subject_teacher", [ClassRef(LocationCode("99ZX10"), "1HA")],
    ...     subject=Subject.DUTCH, granted_at=at)],
    ...     access=[Access("cito_lvs", Brin("99ZX"))])
    >>> dutch = Target(location=LocationCode("99ZX10"), class_key="1HA", subject=Subject.DUTCH)
    >>> maths = Target(location=LocationCode("99ZX10"), class_key="1HA", subject=Subject.MATHS)
    >>> may(teacher, "cito_lvs.reports.view", dutch), may(teacher, "cito_lvs.reports.view", maths)
    (True, False)

    Raises:
        InvalidInput: *action* is not in the matrix (a programming error).

    Implements ROLE-5 (and the scopes of ROLE-1 to ROLE-4, ROLE-6).
    """
    return actor.may(action, on)


def require(actor: Actor, action: str, on: On = None) -> None:
    """Raise :class:`~examkit.errors.NotPermitted` unless *actor* may do *action* on *on*.

    The error's message is the same whatever the reason and says nothing
    about the target (whether it exists, where it is, whose it is).

    Raises:
        NotPermitted: the actor may not.

    Implements ROLE-5.
    """
    if not actor.may(action, on):
        raise NotPermitted("permission.denied")


def load_actor(uow: UnitOfWork, account: str, *, strict: bool = False) -> Actor:
    """Return the actor of *account* read in *uow* (an inactive one when it does not exist).

    For a use case that must decide about another account than the one
    acting (is the corrector to be assigned a corrector there?).

    Raises:
        NotFound: there is no such account and *strict* is set.

    Implements ROLE-5.
    """
    try:
        found = uow.accounts.get(account)
    except NotFound:
        if strict:
            raise
        return Actor(account, active=False)
    try:
        authz: Authorization | None = uow.authorizations.get(account)
    except NotFound:
        authz = None
    return Actor.of(found, authz)
