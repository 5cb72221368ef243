"""Use cases of roles: administration of users and grants, invitations, decisions with audit.

Who may administer whom, in one place:

- **granting and revoking** a role at a place (a location, or a Flemish
  school) needs a role held at that place whose ``may_grant`` names it; an
  administrator role (``by_application``) is granted only by the operator,
  through :meth:`RoleService.grant_administrator`, after a signed
  application (ACC-8). The account must be linked to the institution.
- **the other operations** (add, edit, access, invite, deactivate,
  reactivate, remove) need the application's action for that operation
  (tagged in the matrix). On an existing user the actor must hold it, and
  be allowed to grant the user's role, at every place where the user holds
  a role; hold it at the place the user was added at
  (:attr:`~examkit.roles.Authorization.belongs_to`), roles or not; and
  hold it somewhere at every institution the user is linked to: an
  administrator acts only on users wholly within their administration,
  never on a fellow administrator or the operator.
- **the operator role** is never revoked from the last active operator.

A refused request raises :class:`~examkit.errors.NotPermitted` with one
message that says nothing about the user asked about (not whether they
exist, nor where), changes nothing, and is audited as ``denied``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs

from examkit.accounts import Account, AccountStatus, LoginName
from examkit.audit import AuditEvent, AuditOutcome, record_refusal
from examkit.auth import revoke_sign_ins
from examkit.errors import ExamkitError, InvalidInput, InvalidState, NotFound, NotPermitted
from examkit.identifiers import Instellingsnummer, LocationCode
from examkit.messages import Lang
from examkit.org import InstitutionCode
from examkit.passwords import PasswordPolicy, change_password, issue_initial_password
from examkit.ports import AuditLog, Clock, Mailer, Message, PasswordHasher, SecretSource
from examkit.roles._decide import Actor, On, as_target, load_actor
from examkit.roles._mail import credentials_message, invitation_message
from examkit.roles._matrix import (
    MATRIX,
    OPERATOR,
    Application,
    Onboarding,
    Operation,
    ScopeKind,
)
from examkit.roles._model import Access, Authorization, ClassRef, Grant, Place, Subject
from examkit.storage import StoredToken

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

INVITATION = "roles.invitation"
"""The purpose of invitation tokens in the token store."""


@attrs.frozen
class AcceptedInvitation:
    """What an accepted invitation was for: the account, application and institution.

    Implements ROLE-3.
    """

    account: str
    """The invited account's id."""
    application: str
    """The application it was invited to."""
    institution: str
    """The institution that invited it."""


def _denied() -> NotPermitted:
    return NotPermitted("permission.denied")


def _institution_of(key: Any) -> Any:
    if isinstance(key, LocationCode):
        return key.brin
    if isinstance(key, ClassRef):
        return key.location.brin
    if isinstance(key, tuple):
        return key[0].location.brin
    return key


def _place_institution(place: Place) -> InstitutionCode:
    return place.brin if isinstance(place, LocationCode) else place


class RoleService:
    """Administer users and their roles, and decide with an audit trail.

    Reached through :attr:`examkit.Examkit.roles`. Every method that
    changes something takes the acting account's id as *actor* and loads
    its grants itself, in the same unit of work.

    Args:
        backend: Where accounts and authorizations are kept.
        clock: The time source.
        secrets: The randomness source (account ids, initial passwords, links).
        mailer: Sends the e-mails to new users.
        audit: The audit log.
        token_key: The key of the stored tokens' keyed digests.
        base_url: The portal's address, for the links in e-mails.
        lang: The default language of e-mails.
        password_policy: The policy a chosen password must meet; its lifetime
            says how long an e-mailed initial password is valid.
        hasher: Hashes passwords for storage.
        invitation_validity: How long an activation link is valid.
        onboarding: Per application, how a new user is told (overrides the matrix).

    Implements ROLE-1 to ROLE-6, AUTH-11, NOTE-1 and ACC-8.
    """

    def __init__(
        self,
        *,
        backend: Backend,
        clock: Clock,
        secrets: SecretSource,
        mailer: Mailer,
        audit: AuditLog,
        token_key: bytes,
        base_url: str,
        lang: Lang,
        password_policy: PasswordPolicy,
        hasher: PasswordHasher,
        invitation_validity: timedelta = timedelta(days=14),
        onboarding: Mapping[str, Onboarding] | None = None,
    ) -> None:
        self._backend = backend
        self._clock = clock
        self._secrets = secrets
        self._mailer = mailer
        self._audit = audit
        self._token_key = token_key
        self._base_url = base_url.rstrip("/")
        self._lang = lang
        self._password_policy = password_policy
        self._hasher = hasher
        self._invitation_validity = invitation_validity
        self._onboarding = {
            code: app.onboarding for code, app in MATRIX.applications.items()
        } | dict(onboarding or {})

    # -- decisions ---------------------------------------------------------

    def actor(self, account: str) -> Actor:
        """Return the actor of *account*, its grants loaded and indexed (once per request).

        Raises:
            NotFound: there is no such account.
        """
        with self._backend.begin(readonly=True) as uow:
            return _load(uow, account, strict=True)

    def authorization(self, account: str) -> Authorization:
        """Return the grants and access of *account* (empty when it has none)."""
        with self._backend.begin(readonly=True) as uow:
            return _authorization(uow, account)

    def require(self, actor: Actor, action: str, on: On = None) -> None:
        """Raise :class:`~examkit.errors.NotPermitted` unless *actor* may; audit a refusal.

        Raises:
            NotPermitted: the actor may not (the message says nothing about *on*).
        """
        if actor.may(action, on):
            return
        target = as_target(on)
        subject = "target:*" if target is None else f"target:{target}"
        error = _denied()
        record_refusal(
            self._audit, error, self._event(actor.account, action, subject, "denied", {})
        )
        raise error

    # -- users ---------------------------------------------------------------

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

        The exam system's way (:attr:`~examkit.roles.Onboarding.CREDENTIALS`)
        e-mails the login name and an initial password, valid
        the password policy's initial lifetime and to be changed at the first sign-in;
        the monitoring system's way (:attr:`~examkit.roles.Onboarding.INVITATION`)
        e-mails a single-use activation link. With *tell* false nobody is
        told yet (an invitation can follow with :meth:`send_invitation`).

        Raises:
            NotPermitted: the actor may not add users there.
            AlreadyExists: the login name is taken.
            InvalidInput: a field is unusable.

        Implements ROLE-2, ROLE-3, AUTH-2 and NOTE-1.
        """
        details = {"application": application, "at": str(at)}
        with self._audited(actor, "roles.user.added", f"login_name:{login_name}", details) as extra:
            app = _application(application)
            action = MATRIX.operation_action(app.code, Operation.ADD_USER)
            now = self._clock.now()
            message: Message | None = None
            with self._backend.begin() as uow:
                me = _load(uow, actor)
                if action is None or not me.may(action.code, at):
                    raise _denied()
                account = Account(
                    id=self._secrets.token_urlsafe(12),
                    login_name=LoginName(login_name),
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    phone=phone,
                    institutions=frozenset({_place_institution(at)}),
                )
                way = self._onboarding[app.code]
                if tell and way is Onboarding.CREDENTIALS:
                    account, password = issue_initial_password(
                        account,
                        policy=self._password_policy,
                        hasher=self._hasher,
                        secrets=self._secrets,
                        now=now,
                    )
                    message = credentials_message(
                        account,
                        application=app,
                        password=password,
                        expires=(now + self._password_policy.lifetime.initial).date(),
                        url=f"{self._base_url}/login",
                        lang=lang or self._lang,
                    )
                stored = uow.accounts.add(account)
                uow.authorizations.add(Authorization(account=stored.id, belongs_to={at}))
                extra["subject"] = f"account:{stored.id}"
                if tell and way is Onboarding.INVITATION:
                    message = self._invite(
                        uow, me=me, account=stored, application=app.code, at=at, lang=lang
                    )
                uow.commit()
            if message is not None:
                self._mailer.send(message)
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
        with (
            self._audited(actor, "roles.user.edited", f"account:{account}", details),
            self._backend.begin() as uow,
        ):
            found, _, _ = self._over(
                uow,
                actor=actor,
                account=account,
                application=application,
                operation=Operation.EDIT_USER,
            )
            stored = uow.accounts.update(attrs.evolve(found, **changes))
            uow.commit()
        return stored

    def deactivate(self, actor: str, account: str, *, application: str) -> Account:
        """Deactivate a user (*deactiveren gebruiker*): they may nothing until reactivated.

        The account is signed out: its trusted browsers are revoked, its
        sign-ins in progress end and its reset and e-mail-change links stop
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

        Implements AUTH-2 and ROLE-2.
        """
        details = {"application": application}
        with self._audited(actor, "roles.password.sent", f"account:{account}", details):
            app = _application(application)
            if self._onboarding[app.code] is not Onboarding.CREDENTIALS:
                raise InvalidInput(
                    "roles.onboarding.not_credentials",
                    field="application",
                    application=app.label_nl,
                )
            now = self._clock.now()
            with self._backend.begin() as uow:
                found, _, _ = self._over(
                    uow,
                    actor=actor,
                    account=account,
                    application=app.code,
                    operation=Operation.EDIT_USER,
                )
                renewed, password = issue_initial_password(
                    found,
                    policy=self._password_policy,
                    hasher=self._hasher,
                    secrets=self._secrets,
                    now=now,
                )
                stored = uow.accounts.update(renewed)
                message = credentials_message(
                    stored,
                    application=app,
                    password=password,
                    expires=(now + self._password_policy.lifetime.initial).date(),
                    url=f"{self._base_url}/login",
                    lang=lang or self._lang,
                )
                uow.commit()
            self._mailer.send(message)
        return stored

    def _set_status(
        self,
        actor: str,
        account: str,
        application: str,
        operation: Operation,
        status: AccountStatus,
    ) -> Account:
        action = f"roles.user.{operation.value}d"
        details = {"application": application}
        with (
            self._audited(actor, action, f"account:{account}", details) as extra,
            self._backend.begin() as uow,
        ):
            found, _, _ = self._over(
                uow, actor=actor, account=account, application=application, operation=operation
            )
            stored = uow.accounts.update(attrs.evolve(found, status=status))
            if status is AccountStatus.DEACTIVATED:
                extra["browsers_revoked"] = str(revoke_sign_ins(uow, account))
            uow.commit()
        return stored

    def remove_user(
        self, actor: str, account: str, *, application: str, institution: InstitutionCode
    ) -> None:
        """Remove a user who left *institution*: their grants and access there go.

        The account is unlinked from the institution; an account linked to no
        institution any more is removed altogether, its pending invitations
        with it. The audit trail stays.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration there.

        Implements ROLE-3.
        """
        details = {"application": application, "institution": str(institution)}
        with (
            self._audited(actor, "roles.user.removed", f"account:{account}", details),
            self._backend.begin() as uow,
        ):
            found, authz, _ = self._over(
                uow,
                actor=actor,
                account=account,
                application=application,
                operation=Operation.REMOVE_USER,
                institution=institution,
            )
            remaining = found.institutions - {institution}
            kept = attrs.evolve(
                authz,
                grants=[g for g in authz.grants if g.institution != institution],
                access=[a for a in authz.access if a.institution != institution],
                belongs_to={p for p in authz.belongs_to if _place_institution(p) != institution},
            )
            if remaining:
                uow.accounts.update(attrs.evolve(found, institutions=remaining))
                _save(uow, kept)
            else:
                if authz.version:
                    uow.authorizations.remove(account)
                uow.tokens.revoke(INVITATION, account)
                uow.accounts.remove(account)
            uow.commit()

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
        with self._audited(actor, "roles.access.set", f"account:{account}", details):
            app = _application(application)
            if not app.access_switch:
                raise InvalidInput(
                    "roles.access.no_switch", field="application", application=app.label_nl
                )
            with self._backend.begin() as uow:
                _, authz, _ = self._over(
                    uow,
                    actor=actor,
                    account=account,
                    application=application,
                    operation=Operation.SET_ACCESS,
                    institution=institution,
                )
                wanted = Access(app.code, institution)
                access = authz.access | {wanted} if allowed else authz.access - {wanted}
                stored = _save(uow, attrs.evolve(authz, access=access))
                uow.commit()
        return stored

    # -- roles ----------------------------------------------------------------

    def grant_role(
        self,
        actor: str,
        account: str,
        role: str,
        *,
        at: Iterable[Place | ClassRef] = (),
        subject: Subject | None = None,
    ) -> Authorization:
        """Grant *role* to *account* at the locations, classes or school *at*.

        Only a role the actor may grant (the matrix's ``may_grant``), only
        where the actor holds the granting role, only to an account linked to
        the institution; never an administrator role (see
        :meth:`grant_administrator`). Granting what the user already holds
        there changes nothing.

        Raises:
            NotPermitted: any of that is not so.
            InvalidInput: the places do not fit the role's scope.

        Implements ROLE-1 to ROLE-4, ROLE-6 and ACC-8.
        """
        places = tuple(at)
        details = _grant_details(role, places, subject)
        with self._audited(actor, "roles.role.granted", f"account:{account}", details):
            if role in MATRIX.roles and MATRIX.roles[role].by_application:
                raise NotPermitted("roles.grant.by_application", role=role)
            with self._backend.begin() as uow:
                stored = self._grant(
                    uow, actor=actor, account=account, role=role, places=places, subject=subject
                )
                uow.commit()
        return stored

    def grant_administrator(
        self,
        account: str,
        *,
        at: Iterable[Place],
        approved_by: str,
        role: str = "facet.administrator",
    ) -> Authorization:
        """Grant an administrator role after an approved, signed application (ACC-8).

        Reserved to the operator (*approved_by*): the application issue calls
        it when an application is approved. The account is linked to the
        institution of *at* (its locations, or the Flemish school).

        Raises:
            NotPermitted: *approved_by* is not the operator.
            InvalidInput: *role* is not an administrator role, or *at* does not fit it.
            NotFound: there is no such account.

        Implements ACC-8, ROLE-2 and AUTH-11.
        """
        places = tuple(at)
        details = _grant_details(role, places, None)
        with self._audited(
            approved_by, "roles.administrator.granted", f"account:{account}", details
        ):
            if role not in MATRIX.roles or not MATRIX.roles[role].by_application:
                raise InvalidInput("roles.grant.not_administrator", field="role", role=role)
            with self._backend.begin() as uow:
                me = _load(uow, approved_by)
                if not me.everywhere("examkit.administrators.grant"):
                    raise _denied()
                found = uow.accounts.get(account)
                institutions = {_place_institution(place) for place in places}
                if not institutions <= found.institutions:
                    uow.accounts.update(
                        attrs.evolve(found, institutions=found.institutions | institutions)
                    )
                stored = self._grant(
                    uow,
                    actor=approved_by,
                    account=account,
                    role=role,
                    places=places,
                    subject=None,
                    me=me,
                )
                uow.commit()
        return stored

    def revoke_role(
        self,
        actor: str,
        account: str,
        role: str,
        *,
        at: Iterable[Place | ClassRef] | None = None,
        institution: InstitutionCode | None = None,
        subject: Subject | None = None,
    ) -> Authorization:
        """Revoke *role* from *account*: at *at* only, or everywhere at *institution*.

        A grant reduced to nothing is kept, revoked, for the record; the rest
        of a partly revoked grant stays in force. Who may grant a role may
        revoke it.

        Raises:
            NotPermitted: the actor may not grant the role at every place concerned.
            NotFound: the user does not hold the role there.
            InvalidState: ``roles.operator.last``: the operator role of the last
                active operator (there must always be one to approve applications).

        Implements ROLE-2 and ROLE-3.
        """
        places = tuple(at) if at is not None else None
        details = _grant_details(role, places or (), subject)
        if institution is not None:
            details["institution"] = str(institution)
        with self._audited(actor, "roles.role.revoked", f"account:{account}", details):
            if role not in MATRIX.roles:
                raise InvalidInput("roles.role.unknown", field="role", role=role)
            now = self._clock.now()
            with self._backend.begin() as uow:
                me = _load(uow, actor)
                found = _get_account(uow, account)
                wanted = _revocation_institution(role, places, institution)
                if wanted is not None and wanted not in found.institutions:
                    raise _denied()
                authz = _authorization(uow, account)
                grants = list(authz.grants)
                changed = False
                for grant in authz.active(role):
                    if grant.institution != wanted or subject not in (None, grant.subject):
                        continue
                    remainder, removed = _subtract(grant, places)
                    if not removed:
                        continue
                    if not all(me.may_grant(role, place) for place in removed):
                        raise _denied()
                    grants[grants.index(grant)] = attrs.evolve(
                        grant, revoked_at=now, revoked_by=actor
                    )
                    if remainder is not None:
                        grants.append(remainder)
                    changed = True
                if not changed:
                    asked = _places_of(places) if places is not None else [wanted]
                    if not all(me.may_grant(role, place) for place in asked):
                        raise _denied()
                    raise NotFound("roles.grant.not_held", field="role", role=role)
                if role == OPERATOR:
                    _keep_an_operator(uow, account, now)
                stored = _save(uow, attrs.evolve(authz, grants=grants))
                uow.commit()
        return stored

    def link_institution(self, actor: str, account: str, institution: InstitutionCode) -> Account:
        """Link *account* to another *institution*: one login for several schools (AUTH-11).

        The operator's act; the institution's administrator then grants roles there.

        Raises:
            NotPermitted: the actor is not the operator.
            NotFound: there is no such account.

        Implements AUTH-11 and ROLE-2.
        """
        details = {"institution": str(institution)}
        with (
            self._audited(actor, "roles.account.linked", f"account:{account}", details),
            self._backend.begin() as uow,
        ):
            me = _load(uow, actor)
            if not me.everywhere("examkit.accounts.link_institution"):
                raise _denied()
            found = uow.accounts.get(account)
            stored = uow.accounts.update(
                attrs.evolve(found, institutions=found.institutions | {institution})
            )
            uow.commit()
        return stored

    def install_operator(self, account: str) -> Authorization:
        """Make *account* the first operator (the system's own service desk).

        A deployment's first step; once there is an operator, further ones
        are granted by an operator with :meth:`grant_role`.

        Raises:
            InvalidState: there is an operator already.
            NotFound: there is no such account.
        """
        with self._audited(None, "roles.operator.installed", f"account:{account}", {}):
            now = self._clock.now()
            with self._backend.begin() as uow:
                if uow.authorizations.list(role=OPERATOR, limit=1).items:
                    raise InvalidState("roles.operator.exists")
                uow.accounts.get(account)
                authz = _authorization(uow, account)
                grant = Grant.of(OPERATOR, granted_at=now)
                stored = _save(uow, attrs.evolve(authz, grants=[*authz.grants, grant]))
                uow.commit()
        return stored

    # -- invitations -----------------------------------------------------------

    def send_invitation(
        self,
        actor: str,
        account: str,
        *,
        application: str,
        at: Place,
        lang: Literal["nl", "en"] | None = None,
    ) -> None:
        """Send *account* an invitation with a fresh single-use activation link.

        An earlier link of the account stops working. An administrator may
        invite themselves (the seed: "Stuur jezelf als beheerder ook een
        uitnodiging").

        Raises:
            InvalidInput: the application does not invite (it sends credentials).
            NotPermitted: the user is not wholly within the actor's administration.

        Implements ROLE-3 and NOTE-1.
        """
        details = {"application": application, "at": str(at)}
        with self._audited(actor, "roles.invitation.sent", f"account:{account}", details):
            app = _application(application)
            action = MATRIX.operation_action(app.code, Operation.INVITE)
            if action is None:
                raise InvalidInput(
                    "roles.onboarding.not_invitation",
                    field="application",
                    application=app.label_nl,
                )
            with self._backend.begin() as uow:
                if actor == account:
                    me = _load(uow, actor)
                    found = _get_account(uow, account)
                    if not me.may(action.code, at):
                        raise _denied()
                else:
                    found, _, me = self._over(
                        uow,
                        actor=actor,
                        account=account,
                        application=app.code,
                        operation=Operation.INVITE,
                        institution=_place_institution(at),
                    )
                    if not me.may(action.code, at):
                        raise _denied()
                message = self._invite(
                    uow, me=me, account=found, application=app.code, at=at, lang=lang
                )
                uow.commit()
            self._mailer.send(message)

    def accept_invitation(self, token: str, *, password: str | None = None) -> AcceptedInvitation:
        """Activate an account through its invitation link (once, in time).

        With *password*, it is checked against the policy and becomes the
        account's password; without, the user signs in with a federated
        identity, linked later (AUTH-13). A policy failure consumes nothing.

        Raises:
            NotFound: the link is unknown, already used or expired.
            ~examkit.errors.ExamkitError: the password fails the policy.

        Implements ROLE-3.
        """
        subject = "token:invitation"
        with self._audited(None, "roles.invitation.accepted", subject, {}) as extra:
            now = self._clock.now()
            with self._backend.begin() as uow:
                stored = uow.tokens.consume(INVITATION, self._digest(token), now=now)
                try:
                    found = uow.accounts.get(stored.subject)
                except NotFound:
                    raise NotFound("storage.token.unusable") from None
                if password is not None:
                    uow.accounts.update(
                        change_password(
                            found,
                            password,
                            policy=self._password_policy,
                            hasher=self._hasher,
                            now=now,
                        )
                    )
                uow.commit()
            extra["subject"] = f"account:{found.id}"
        return AcceptedInvitation(
            account=found.id,
            application=stored.data["application"],
            institution=stored.data["institution"],
        )

    # -- internals ---------------------------------------------------------------

    def _grant(
        self,
        uow: UnitOfWork,
        *,
        actor: str,
        account: str,
        role: str,
        places: tuple[Place | ClassRef, ...],
        subject: Subject | None,
        me: Actor | None = None,
    ) -> Authorization:
        if role not in MATRIX.roles:
            raise InvalidInput("roles.role.unknown", field="role", role=role)
        grant = Grant.of(
            role, places, subject=subject, granted_at=self._clock.now(), granted_by=actor
        )
        me = me if me is not None else _load(uow, actor)
        for place in grant.places or (None,):
            if not me.may_grant(role, place):
                raise _denied()
        try:
            found = uow.accounts.get(account)
        except NotFound:
            raise _denied() from None
        if grant.institution is not None and grant.institution not in found.institutions:
            raise _denied()
        authz = _authorization(uow, account)
        if any(_covers(held, grant) for held in authz.active(role)):
            return authz
        return _save(uow, attrs.evolve(authz, grants=[*authz.grants, grant]))

    def _over(
        self,
        uow: UnitOfWork,
        *,
        actor: str,
        account: str,
        application: str,
        operation: Operation,
        institution: InstitutionCode | None = None,
    ) -> tuple[Account, Authorization, Actor]:
        """Load *account*; refuse unless it is wholly within *actor*'s administration."""
        app = _application(application)
        action = MATRIX.operation_action(app.code, operation)
        me = _load(uow, actor)
        try:
            found = uow.accounts.get(account)
        except NotFound:
            raise _denied() from None
        authz = _authorization(uow, account)
        if action is None or account == actor:
            raise _denied()
        code = action.code
        for grant in authz.active_grants:
            if institution is not None and grant.institution != institution:
                continue
            if not grant.places:
                raise _denied()
            for place in grant.places:
                if not (me.may(code, place) and me.may_grant(grant.role, place)):
                    raise _denied()
        for place in authz.belongs_to:
            if institution in (None, _place_institution(place)) and not me.may(code, place):
                raise _denied()
        institutions = {institution} if institution is not None else set(found.institutions)
        if not institutions or not institutions <= found.institutions:
            raise _denied()
        held = {_institution_of(key) for key in me.places(code)}
        if not institutions <= held:
            raise _denied()
        return found, authz, me

    def _invite(
        self,
        uow: UnitOfWork,
        *,
        me: Actor,
        account: Account,
        application: str,
        at: Place,
        lang: Literal["nl", "en"] | None,
    ) -> Message:
        now = self._clock.now()
        token = self._secrets.token_urlsafe(32)
        expires = now + self._invitation_validity
        institution = _place_institution(at)
        uow.tokens.revoke(INVITATION, account.id)
        uow.tokens.put(
            StoredToken(
                purpose=INVITATION,
                digest=self._digest(token),
                subject=account.id,
                expires_at=expires,
                data={"application": application, "institution": str(institution)},
            )
        )
        try:
            inviter = uow.accounts.get(me.account).full_name
        except NotFound:
            inviter = me.account
        try:
            school = uow.institutions.get(institution).name
        except NotFound:
            school = str(institution)
        return invitation_message(
            account,
            application=MATRIX.applications[application],
            institution=school,
            inviter=inviter,
            url=f"{self._base_url}/activate?token={token}",
            expires=expires,
            lang=lang or self._lang,
        )

    def _digest(self, token: str) -> str:
        return hmac.new(self._token_key, token.encode(), hashlib.sha256).hexdigest()

    @contextmanager
    def _audited(
        self, actor: str | None, action: str, subject: str, details: Mapping[str, str]
    ) -> Iterator[dict[str, str]]:
        extra: dict[str, str] = {}
        try:
            yield extra
        except ExamkitError as error:
            outcome: AuditOutcome = "denied" if isinstance(error, NotPermitted) else "failure"
            event = self._event(actor, action, subject, outcome, details)
            record_refusal(self._audit, error, event)
            raise
        subject = extra.pop("subject", subject)
        self._audit.record(self._event(actor, action, subject, "success", {**details, **extra}))

    def _event(
        self,
        actor: str | None,
        action: str,
        subject: str,
        outcome: AuditOutcome,
        details: Mapping[str, str],
    ) -> AuditEvent:
        return AuditEvent(
            at=self._clock.now(),
            actor=actor,
            action=action,
            subject=subject,
            outcome=outcome,
            details=details,
        )


# -- helpers ----------------------------------------------------------------------


def _application(code: str) -> Application:
    application = MATRIX.applications.get(code)
    if application is None:
        raise InvalidInput("roles.application.unknown", field="application", application=code)
    return application


_load = load_actor


def _get_account(uow: UnitOfWork, account: str) -> Account:
    try:
        return uow.accounts.get(account)
    except NotFound:
        raise _denied() from None


def _authorization(uow: UnitOfWork, account: str) -> Authorization:
    try:
        return uow.authorizations.get(account)
    except NotFound:
        return Authorization(account=account)


def _save(uow: UnitOfWork, authz: Authorization) -> Authorization:
    if authz.version == 0:
        return uow.authorizations.add(authz)
    return uow.authorizations.update(authz)


_OPERATOR_QUEUE = "roles.operator.revoke"
"""The attempt counter that revocations of the operator role queue behind."""


def _keep_an_operator(uow: UnitOfWork, account: str, now: datetime) -> None:
    """Refuse to revoke the operator role of *account* unless another active operator stays.

    Revocations of the operator role first take one attempt counter (a row
    lock on SQL, held to the commit), so two operators revoking each other at
    once do not both pass: the second reads what the first committed.

    Raises:
        InvalidState: ``roles.operator.last``.
    """
    uow.attempts.record(_OPERATOR_QUEUE, "*", now=now, window=timedelta(seconds=1), limit=1)
    uow.attempts.reset(_OPERATOR_QUEUE, "*")
    after: str | None = None
    while True:
        page = uow.authorizations.list(role=OPERATOR, after=after, limit=100)
        for other in page.items:
            if other.account == account or not other.active(OPERATOR):
                continue
            try:
                if uow.accounts.get(other.account).is_active:
                    return
            except NotFound:
                continue
        if page.next_after is None:
            raise InvalidState("roles.operator.last")
        after = page.next_after


def _covers(held: Grant, wanted: Grant) -> bool:
    return (
        held.identity == wanted.identity
        and wanted.locations <= held.locations
        and wanted.classes <= held.classes
    )


def _places_of(places: Iterable[Place | ClassRef]) -> list[Place]:
    return [place.location if isinstance(place, ClassRef) else place for place in places]


def _revocation_institution(
    role: str, places: tuple[Place | ClassRef, ...] | None, institution: InstitutionCode | None
) -> InstitutionCode | None:
    if MATRIX.roles[role].scope is ScopeKind.SYSTEM:
        return None
    found = {_place_institution(place) for place in _places_of(places or ())}
    if institution is not None:
        found.add(institution)
    if len(found) != 1:
        raise InvalidInput("roles.grant.several_institutions", field="at")
    return found.pop()


def _subtract(  # noqa: PLR0911 - one return per kind of scope
    grant: Grant, places: tuple[Place | ClassRef, ...] | None
) -> tuple[Grant | None, list[Place | None]]:
    """Return what stays of *grant* after revoking *places* (all when ``None``), and where."""
    if places is None or not grant.places:
        return None, list(grant.places) or [None]
    classes = {place for place in places if isinstance(place, ClassRef)}
    whole = {place for place in places if not isinstance(place, ClassRef)}
    if isinstance(grant.institution, Instellingsnummer):
        return (None, [grant.institution]) if grant.institution in whole else (grant, [])
    if grant.classes:
        kept = {c for c in grant.classes if c not in classes and c.location not in whole}
        gone = grant.classes - kept
        removed: list[Place | None] = sorted({c.location for c in gone}, key=str)
        if not gone:
            return grant, []
        if not kept:
            return None, removed
        return attrs.evolve(grant, classes=kept, locations={c.location for c in kept}), removed
    kept_locations = grant.locations - whole
    removed = sorted(grant.locations & whole, key=str)
    if not removed:
        return grant, []
    if not kept_locations:
        return None, removed
    return attrs.evolve(grant, locations=kept_locations), removed


def _grant_details(
    role: str, places: Iterable[Place | ClassRef], subject: Subject | None
) -> dict[str, str]:
    details = {"role": role, "at": ",".join(sorted(str(place) for place in places)) or "*"}
    if subject is not None:
        details["subject"] = subject.value
    return details
