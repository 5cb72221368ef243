"""The administration of users: add, edit, a new password, (de)activate, remove, access."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from examkit._reading import note_reads
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.auth import revoke_sign_ins
from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.identifiers import LocationCode
from examkit.notifications import language
from examkit.org import InstitutionCode
from examkit.permissions import (
    MATRIX,
    Access,
    Authorization,
    Grant,
    Onboarding,
    Operation,
    Place,
)
from examkit.ports import Message
from examkit.roles._common import (
    INVITATION,
    INVITATION_VALIDITY,
    account_subject,
    authorization_of,
    denied,
    initial_credentials,
    invite,
    place_institution,
    save,
    system_of,
    wholly_within,
)
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase
from examkit.websessions import revoke_web_sessions

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

USER_ADMINISTRATION: Final = frozenset(
    {
        Operation.ADD_USER,
        Operation.EDIT_USER,
        Operation.GRANT_ROLE,
        Operation.GRANT_LOCATIONS,
        Operation.REVOKE_ROLE,
        Operation.SET_ACCESS,
        Operation.INVITE,
        Operation.DEACTIVATE,
        Operation.REACTIVATE,
        Operation.REMOVE_USER,
    }
)
"""The operations of user administration: an action tagged with one of them lets its holder
list the users of a location (:meth:`Users.list_at`)."""

_ADMINISTERING: Final = tuple(
    action.code for action in MATRIX.actions.values() if action.operations & USER_ADMINISTRATION
)


@attrs.frozen
class UserAt:
    """A user of a location, as its administrators see it: the account and its roles there.

    Implements ROLE-2 and ROLE-3.
    """

    account: Account
    """The account (its status says whether it is deactivated)."""
    grants: tuple[Grant, ...]
    """Its grants in force at the location's institution (at this location or another)."""
    belongs: bool
    """Whether it was added at this location as a user (with or without roles)."""
    access: frozenset[str]
    """The systems whose "access to application" is switched on for it at the institution."""

    def grants_at(self, location: LocationCode) -> tuple[Grant, ...]:
        """Return its grants that apply at *location* (at the location or in its classes)."""
        return tuple(grant for grant in self.grants if location in grant.locations)


class Users:
    """Add users, list and keep them (``kit.users``): each audited, a refusal changes nothing.

    Every use case takes the acting account's id first and reads its grants
    inside its own transaction. On an existing user the actor must
    administer the user wholly (see :mod:`examkit.roles`): every place where
    the user holds a role or was added, at every institution the user is
    linked to.

    Args:
        ports: The wired ports; the password policy's initial lifetime says
            how long an e-mailed initial password is valid.
        invitation_validity: How long an activation link is valid.
        onboarding: Per application, how a new user is told (overrides the matrix).

    Implements ROLE-2, ROLE-3, AUTH-2 and NOTE-1.
    """

    def __init__(
        self,
        ports: Ports,
        *,
        invitation_validity: timedelta = INVITATION_VALIDITY,
        onboarding: Mapping[str, Onboarding] | None = None,
    ) -> None:
        self._ports = ports
        self._invitation_validity = invitation_validity
        self._onboarding = {code: app.onboarding for code, app in MATRIX.systems.items()} | dict(
            onboarding or {}
        )

    def add_user(
        self,
        actor: str,
        *,
        application: str,
        at: Place,
        login_name: str,
        first_name: str,
        last_name: str,
        email: str,
        phone: str | None = None,
        tell: bool = True,
        lang: Literal["nl", "en"] | None = None,
    ) -> Account:
        """Add a user at *at* (*opvoeren nieuwe gebruiker*) and tell them the application's way.

        The exam system's way (:attr:`~examkit.permissions.Onboarding.CREDENTIALS`)
        e-mails the login name and an initial password, valid
        the password policy's initial lifetime and to be changed at the first sign-in;
        the monitoring system's way (:attr:`~examkit.permissions.Onboarding.INVITATION`)
        e-mails a single-use activation link. With *tell* false nobody is
        told yet (an invitation can follow with
        :meth:`Invitations.send_invitation <examkit.roles.Invitations.send_invitation>`).
        With *lang*, the new account prefers that language (Dutch otherwise),
        and every e-mail to it follows it.

        Raises:
            NotPermitted: the actor may not add users there.
            AlreadyExists: the login name is taken.
            InvalidInput: a field is unusable.

        Implements ROLE-2, ROLE-3, AUTH-2 and NOTE-1.
        """
        details = {"application": application, "at": str(at)}
        subject = f"login_name:{login_name}"
        with UseCase(
            self._ports, "roles.user.added", subject, actor=actor, details=details
        ) as unit:
            app = system_of(application)
            action = MATRIX.operation_action(app.code, Operation.ADD_USER)
            if action is None or not unit.actor.may(action.code, at):
                raise denied()
            account = Account(
                id=self._ports.secrets.token_urlsafe(12),
                login_name=LoginName(login_name),
                first_name=first_name,
                last_name=last_name,
                email=email,
                phone=phone,
                institutions=frozenset({place_institution(at)}),
                lang=language(None, lang),
            )
            way = self._onboarding[app.code]
            message: Message | None = None
            if tell and way is Onboarding.CREDENTIALS:
                account, message = initial_credentials(unit, account, app, lang)
            stored = unit.uow.accounts.add(account)
            unit.uow.authorizations.add(Authorization(account=stored.id, belongs_to={at}))
            if tell and way is Onboarding.INVITATION:
                message = invite(
                    unit,
                    account=stored,
                    application=app.code,
                    at=at,
                    lang=lang,
                    validity=self._invitation_validity,
                )
            if message is not None:
                unit.send(message)
            unit.audit(subject=account_subject(stored.id))
            unit.commit()
        return stored

    def edit_user(
        self,
        actor: str,
        account: str,
        *,
        application: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
    ) -> Account:
        """Change a user's names, e-mail or phone (``None`` keeps; an empty phone clears).

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.
            InvalidInput: a field is unusable.

        Implements ROLE-2.
        """
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("first_name", first_name),
                ("last_name", last_name),
                ("email", email),
                ("phone", phone),
            )
            if value is not None
        }
        details = {"application": application, "fields": ",".join(sorted(changes))}
        subject = account_subject(account)
        with UseCase(
            self._ports, "roles.user.edited", subject, actor=actor, details=details
        ) as unit:
            found, _ = wholly_within(
                unit.uow,
                unit.actor,
                account=account,
                application=application,
                operation=Operation.EDIT_USER,
            )
            stored = unit.uow.accounts.update(attrs.evolve(found, **changes))
            unit.audit()
            unit.commit()
        return stored

    def send_new_password(
        self,
        actor: str,
        account: str,
        *,
        application: str,
        lang: Literal["nl", "en"] | None = None,
    ) -> Account:
        """Mail *account* a new initial password in place of its current one (AUTH-2).

        For a user whose e-mailed initial password lapsed before it was used
        (the sign-in then refuses it like a wrong one), or who lost it: a new
        random password, valid for the policy's initial lifetime and to be
        changed at the first sign-in, is mailed with the login name, as when
        the user was added. The old password stops working at once. Whoever
        may edit the user's details may do this.

        Raises:
            InvalidInput: the application invites its users instead
                (``roles.onboarding.not_credentials``).
            NotPermitted: the user is not wholly within the actor's administration.
            InvalidState: ``federation.account.federation_only``: the account signs in
                only through the federation (AUTH-13) and gets no password.

        Implements AUTH-2, AUTH-13 and ROLE-2.
        """
        details = {"application": application}
        subject = account_subject(account)
        with UseCase(
            self._ports, "roles.password.sent", subject, actor=actor, details=details
        ) as unit:
            app = system_of(application)
            if self._onboarding[app.code] is not Onboarding.CREDENTIALS:
                raise InvalidInput(
                    "roles.onboarding.not_credentials",
                    field="application",
                    application=app.label_nl,
                )
            found, _ = wholly_within(
                unit.uow,
                unit.actor,
                account=account,
                application=app.code,
                operation=Operation.EDIT_USER,
            )
            if found.federation_only:
                raise InvalidState("federation.account.federation_only")
            renewed, message = initial_credentials(unit, found, app, lang)
            stored = unit.uow.accounts.update(renewed)
            unit.send(message)
            unit.audit()
            unit.commit()
        return stored

    def deactivate(self, actor: str, account: str, *, application: str) -> Account:
        """Deactivate a user (*deactiveren gebruiker*): they may nothing until reactivated.

        The account is signed out: its web sessions end, its trusted browsers
        are revoked, its sign-ins in progress end and its reset and e-mail-change links stop
        working (:func:`~examkit.auth.revoke_sign_ins`), so a reactivation
        asks for the second factor again.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.

        Implements ROLE-2.
        """
        return self._set_status(
            actor, account, application, Operation.DEACTIVATE, AccountStatus.DEACTIVATED
        )

    def reactivate(self, actor: str, account: str, *, application: str) -> Account:
        """Reactivate a deactivated user.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.

        Implements ROLE-2.
        """
        return self._set_status(
            actor, account, application, Operation.REACTIVATE, AccountStatus.ACTIVE
        )

    def remove_user(
        self, actor: str, account: str, *, application: str, institution: InstitutionCode
    ) -> None:
        """Remove a user who left *institution*: their grants and access there go.

        The account is unlinked from the institution; an account linked to no
        institution any more is removed altogether, its pending invitations
        with it. Either way its web sessions end
        (:func:`~examkit.websessions.revoke_web_sessions`). The audit trail stays.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration there.

        Implements ROLE-3 and WEB-2.
        """
        details = {"application": application, "institution": str(institution)}
        subject = account_subject(account)
        with UseCase(
            self._ports, "roles.user.removed", subject, actor=actor, details=details
        ) as unit:
            uow = unit.uow
            found, authz = wholly_within(
                uow,
                unit.actor,
                account=account,
                application=application,
                operation=Operation.REMOVE_USER,
                institution=institution,
            )
            remaining = found.institutions - {institution}
            revoke_web_sessions(uow, account, now=unit.now)
            kept = attrs.evolve(
                authz,
                grants=[g for g in authz.grants if g.institution != institution],
                access=[a for a in authz.access if a.institution != institution],
                belongs_to={p for p in authz.belongs_to if place_institution(p) != institution},
            )
            if remaining:
                uow.accounts.update(attrs.evolve(found, institutions=remaining))
                save(uow, kept)
            else:
                if authz.version:
                    uow.authorizations.remove(account)
                uow.tokens.revoke(INVITATION, account)
                uow.accounts.remove(account)
            unit.audit()
            unit.commit()

    def set_access(
        self,
        actor: str,
        account: str,
        *,
        application: str,
        institution: InstitutionCode,
        allowed: bool = True,
    ) -> Authorization:
        """Switch "access to application" (*Toegang tot applicatie*) on or off at *institution*.

        Raises:
            InvalidInput: the application has no such switch (access follows from roles).
            NotPermitted: the user is not wholly within the actor's administration there.

        Implements ROLE-3.
        """
        details = {
            "application": application,
            "institution": str(institution),
            "allowed": str(allowed).lower(),
        }
        subject = account_subject(account)
        with UseCase(
            self._ports, "roles.access.set", subject, actor=actor, details=details
        ) as unit:
            app = system_of(application)
            if not app.access_switch:
                raise InvalidInput(
                    "roles.access.no_switch", field="application", application=app.label_nl
                )
            _, authz = wholly_within(
                unit.uow,
                unit.actor,
                account=account,
                application=application,
                operation=Operation.SET_ACCESS,
                institution=institution,
            )
            wanted = Access(app.code, institution)
            access = authz.access | {wanted} if allowed else authz.access - {wanted}
            stored = save(unit.uow, attrs.evolve(authz, access=access))
            unit.audit()
            unit.commit()
        return stored

    def list_at(self, actor: str, location: LocationCode) -> tuple[UserAt, ...]:
        """Return the users of *location*, by login name: who holds a role there or was added there.

        Each with its grants in force at the location's institution (never
        those at another institution the account is linked to), whether it
        was added at this location, and its access to applications there.
        Deactivated users are listed too (their status says so). For whoever
        administers users at *location*: an action of the matrix tagged with
        an operation of :data:`USER_ADMINISTRATION` held there (a Facet or
        Cito administrator of the location; the operator everywhere). The
        actor is among the users listed when it holds a role there.

        Raises:
            NotPermitted: the actor administers no users at *location* (one
                message, whatever the location; audited as ``denied``).

        Implements ROLE-2 and ROLE-3.
        """
        subject = f"location:{location}"
        with UseCase(
            self._ports, "roles.users.listed", subject, actor=actor, readonly=True
        ) as unit:
            me = unit.actor
            if not any(me.may(code, location) for code in _ADMINISTERING):
                raise denied()
            uow = unit.uow
            institution = location.brin
            held = _authorizations_at(uow, institution)
            found: list[UserAt] = []
            after: str | None = None
            while True:
                page = uow.accounts.list(institution=institution, after=after, limit=MAX_PAGE_SIZE)
                for account in page.items:
                    authz = held.get(account.id) or authorization_of(uow, account.id)
                    user = _user_at(account, authz, location)
                    if user is not None:
                        found.append(user)
                if page.next_after is None:
                    break
                after = page.next_after
            _read(unit, (user.account.id for user in found), "users", location)
        return tuple(found)

    def user_at(self, actor: str, location: LocationCode, account: str) -> UserAt:
        """Return *account* as a user of *location*: one entry of :meth:`list_at`, read alone.

        For a page about one user: the same permission as :meth:`list_at` and
        the same view, without reading the location's other users.

        Raises:
            NotPermitted: the actor administers no users at *location* (as
                :meth:`list_at`).
            NotFound: ``roles.user.not_at_location``: the account does not
                exist, or holds no role at *location* and was not added there.

        Implements ROLE-2 and ROLE-3.
        """
        subject = account_subject(account)
        with UseCase(
            self._ports, "roles.users.listed", subject, actor=actor, readonly=True
        ) as unit:
            if not any(unit.actor.may(code, location) for code in _ADMINISTERING):
                raise denied()
            uow = unit.uow
            try:
                found = uow.accounts.get(account)
            except NotFound:
                found = None
            user = (
                None
                if found is None or location.brin not in found.institutions
                else _user_at(found, authorization_of(uow, account), location)
            )
            if user is None:
                raise NotFound(
                    "roles.user.not_at_location", field="account", location=str(location)
                )
            _read(unit, [account], "user", location)
        return user

    # -- internals ---------------------------------------------------------------

    def _set_status(
        self,
        actor: str,
        account: str,
        application: str,
        operation: Operation,
        status: AccountStatus,
    ) -> Account:
        details = {"application": application}
        action = f"roles.user.{operation.value}d"
        subject = account_subject(account)
        with UseCase(self._ports, action, subject, actor=actor, details=details) as unit:
            found, _ = wholly_within(
                unit.uow, unit.actor, account=account, application=application, operation=operation
            )
            stored = unit.uow.accounts.update(attrs.evolve(found, status=status))
            extra: dict[str, str] = {}
            if status is AccountStatus.DEACTIVATED:
                extra["browsers_revoked"] = str(revoke_sign_ins(unit.uow, account, now=unit.now))
            unit.audit(details=extra)
            unit.commit()
        return stored


def _user_at(account: Account, authz: Authorization, location: LocationCode) -> UserAt | None:
    """Return *account* as a user of *location* (``None``: no role there, not added there)."""
    institution = location.brin
    grants = tuple(g for g in authz.active_grants if g.institution == institution)
    belongs = location in authz.belongs_to
    if not belongs and not any(location in grant.locations for grant in grants):
        return None
    access = frozenset(item.application for item in authz.access if item.institution == institution)
    return UserAt(account, grants, belongs, access)


def _authorizations_at(uow: UnitOfWork, institution: InstitutionCode) -> dict[str, Authorization]:
    """Return the authorizations with a grant in force at *institution*, by account (paged)."""
    found: dict[str, Authorization] = {}
    after: str | None = None
    while True:
        page = uow.authorizations.list(institution=institution, after=after, limit=MAX_PAGE_SIZE)
        found.update((authz.account, authz) for authz in page.items)
        if page.next_after is None:
            return found
        after = page.next_after


def _read(unit: UseCase, accounts: Iterable[str], what: str, location: LocationCode) -> None:
    """Note the read of *what* of *accounts* (not the actor's own) (PRIV-2)."""
    others = (account_subject(a) for a in accounts if a != unit.actor_id)
    note_reads(unit, others, what, str(location))
