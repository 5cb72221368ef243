"""Grants: grant and revoke roles, the administrator's grant, linking accounts, the first operator.

- **granting and revoking** a role at a place (a location, or a Flemish
  school) needs a role held at that place whose ``may_grant`` names it; an
  administrator role (``by_application``) is granted only by the operator,
  through :meth:`Grants.grant_administrator`, after a signed application
  (ACC-8). The account must be linked to the institution.
- **the operator role** is never revoked from the last active operator.
- **the first operator** of a deployment is made by
  :meth:`Grants.create_first_operator` (an account of its own, its sign-in
  details e-mailed) or given to an existing account by
  :meth:`Grants.install_operator`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

import attrs

from examkit.accounts import Account, LoginName
from examkit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from examkit.identifiers import Instellingsnummer
from examkit.notifications import language
from examkit.org import InstitutionCode
from examkit.permissions import (
    MATRIX,
    OPERATOR,
    Authorization,
    ClassRef,
    Grant,
    Place,
    ScopeKind,
    Subject,
)
from examkit.roles._common import (
    account_or_denied,
    account_subject,
    authorization_of,
    denied,
    grant_details,
    initial_credentials,
    place_institution,
    save,
)
from examkit.usecase import Ports, UseCase
from examkit.websessions import revoke_web_sessions

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

_OPERATOR_QUEUE = "roles.operator.revoke"
"""The attempt counter that revocations of the operator role queue behind."""


class Grants:
    """Grant and revoke roles, and link accounts (``kit.grants``), each audited.

    Every use case that acts for someone takes the acting account's id
    first and reads its grants inside its own transaction: a grant revoked
    a moment before cannot grant any more.

    Args:
        ports: The wired ports.

    Implements ROLE-1 to ROLE-4, ROLE-6, AUTH-11 and ACC-8.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

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
        details = grant_details(role, places, subject)
        with UseCase(
            self._ports,
            "roles.role.granted",
            account_subject(account),
            actor=actor,
            details=details,
        ) as unit:
            if role in MATRIX.roles and MATRIX.roles[role].by_application:
                raise NotPermitted("roles.grant.by_application", role=role)
            stored = _grant(unit, account=account, role=role, places=places, subject=subject)
            unit.audit()
            unit.commit()
        return stored

    def grant_administrator(
        self,
        actor: str,
        account: str,
        *,
        at: Iterable[Place],
        role: str = "facet.administrator",
    ) -> Authorization:
        """Grant an administrator role after an approved, signed application (ACC-8).

        Reserved to the operator (*actor*): the approval of an application
        does it (:meth:`~examkit.applications.ApplicationService.approve`).
        The account is linked to the institution of *at* (its locations, or
        the Flemish school).

        Raises:
            NotPermitted: *actor* is not the operator.
            InvalidInput: *role* is not an administrator role, or *at* does not fit it.
            NotFound: there is no such account.

        Implements ACC-8, ROLE-2 and AUTH-11.
        """
        places = tuple(at)
        details = grant_details(role, places, None)
        with UseCase(
            self._ports,
            "roles.administrator.granted",
            account_subject(account),
            actor=actor,
            details=details,
        ) as unit:
            stored = self.grant_administrator_in(unit, account, at=places, role=role)
            unit.commit()
        return stored

    def grant_administrator_in(
        self,
        unit: UseCase,
        account: str,
        *,
        at: Iterable[Place],
        role: str = "facet.administrator",
    ) -> Authorization:
        """Grant an administrator role as one step of *unit*, another use case's unit.

        What :meth:`grant_administrator` does, for a use case that grants the
        role with more (the approval of an application stores the account,
        the grant and the decision together): the unit's actor must be the
        operator, and the grant's audit event
        (``roles.administrator.granted``) is noted in *unit*, so it is kept
        with the rest or not at all.

        Raises:
            NotPermitted: the unit's actor is not the operator.
            InvalidInput: *role* is not an administrator role, or *at* does not fit it.
            NotFound: there is no such account.

        Implements ACC-8.
        """
        places = tuple(at)
        if role not in MATRIX.roles or not MATRIX.roles[role].by_application:
            raise InvalidInput("roles.grant.not_administrator", field="role", role=role)
        if not unit.actor.everywhere("examkit.administrators.grant"):
            raise denied()
        uow = unit.uow
        found = uow.accounts.get(account)
        institutions = {place_institution(place) for place in places}
        if not institutions <= found.institutions:
            uow.accounts.update(attrs.evolve(found, institutions=found.institutions | institutions))
        stored = _grant(unit, account=account, role=role, places=places, subject=None)
        unit.audit(
            "roles.administrator.granted",
            subject=account_subject(account),
            details=grant_details(role, places, None),
        )
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
        revoke it. Every web session of the account ends in the same
        transaction (:func:`~examkit.websessions.revoke_web_sessions`): the
        user signs in again with the privileges left.

        Raises:
            NotPermitted: the actor may not grant the role at every place concerned.
            NotFound: the user does not hold the role there.
            InvalidState: ``roles.operator.last``: the operator role of the last
                active operator (there must always be one to approve applications).

        Implements ROLE-2, ROLE-3 and WEB-2.
        """
        places = tuple(at) if at is not None else None
        details = grant_details(role, places or (), subject)
        if institution is not None:
            details["institution"] = str(institution)
        with UseCase(
            self._ports,
            "roles.role.revoked",
            account_subject(account),
            actor=actor,
            details=details,
        ) as unit:
            if role not in MATRIX.roles:
                raise InvalidInput("roles.role.unknown", field="role", role=role)
            uow, me, now = unit.uow, unit.actor, unit.now
            found = account_or_denied(uow, account)
            wanted = _revocation_institution(role, places, institution)
            if wanted is not None and wanted not in found.institutions:
                raise denied()
            authz = authorization_of(uow, account)
            grants = list(authz.grants)
            changed = False
            for grant in authz.active(role):
                if grant.institution != wanted or subject not in (None, grant.subject):
                    continue
                remainder, removed = _subtract(grant, places)
                if not removed:
                    continue
                if not all(me.may_grant(role, place) for place in removed):
                    raise denied()
                grants[grants.index(grant)] = attrs.evolve(grant, revoked_at=now, revoked_by=actor)
                if remainder is not None:
                    grants.append(remainder)
                changed = True
            if not changed:
                asked = _places_of(places) if places is not None else [wanted]
                if not all(me.may_grant(role, place) for place in asked):
                    raise denied()
                raise NotFound("roles.grant.not_held", field="role", role=role)
            if role == OPERATOR:
                _keep_an_operator(uow, account, now)
            stored = save(uow, attrs.evolve(authz, grants=grants))
            sessions = revoke_web_sessions(uow, account, now=now)
            unit.audit(details={"web_sessions_revoked": str(sessions)})
            unit.commit()
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
        with UseCase(
            self._ports,
            "roles.account.linked",
            account_subject(account),
            actor=actor,
            details=details,
        ) as unit:
            if not unit.actor.everywhere("examkit.accounts.link_institution"):
                raise denied()
            found = unit.uow.accounts.get(account)
            stored = unit.uow.accounts.update(
                attrs.evolve(found, institutions=found.institutions | {institution})
            )
            unit.audit()
            unit.commit()
        return stored

    def create_first_operator(
        self,
        *,
        login_name: str,
        first_name: str,
        last_name: str,
        email: str,
        phone: str | None = None,
        lang: Literal["nl", "en"] | None = None,
    ) -> Account:
        """Create a deployment's first operator: an account of its own, the operator role, its mail.

        A deployment's first step, by the system itself (no actor): the new
        account holds the operator role (the service desk, ``examkit.operator``)
        and is e-mailed its login name and an initial password, the exam
        system's way (:func:`~examkit.roles.credentials_message`). It signs in
        to the service desk (``application="examkit"`` for
        :meth:`~examkit.auth.StaffSignIn.submit_credentials`) like every user:
        login name and that password, a password of its own at once (the
        initial one must be changed), then the one-time code e-mailed to
        *email*. With *lang*, the account prefers
        that language (Dutch otherwise). Further operators are granted by an
        operator with :meth:`grant_role`.

        Raises:
            InvalidState: there is an operator already (``roles.operator.exists``).
            AlreadyExists: the login name is taken.
            InvalidInput: a field is unusable.

        Implements ROLE-1, AUTH-2 and NOTE-1.
        """
        subject = f"login_name:{login_name}"
        with UseCase(self._ports, "roles.operator.created", subject) as unit:
            uow = unit.uow
            if uow.authorizations.list(role=OPERATOR, limit=1).items:
                raise InvalidState("roles.operator.exists")
            account = Account(
                id=self._ports.secrets.token_urlsafe(12),
                login_name=LoginName(login_name),
                first_name=first_name,
                last_name=last_name,
                email=email,
                phone=phone,
                lang=language(None, lang),
            )
            account, message = initial_credentials(
                unit, account, MATRIX.systems[OPERATOR.split(".")[0]], lang
            )
            stored = uow.accounts.add(account)
            grant = Grant.of(OPERATOR, granted_at=unit.now)
            uow.authorizations.add(Authorization(account=stored.id, grants=[grant]))
            unit.send(message)
            unit.audit(subject=account_subject(stored.id))
            unit.commit()
        return stored

    def install_operator(self, account: str) -> Authorization:
        """Make *account* the first operator (the system's own service desk).

        A deployment's first step, by the system itself (no actor); once
        there is an operator, further ones are granted by an operator with
        :meth:`grant_role`.

        Raises:
            InvalidState: there is an operator already.
            NotFound: there is no such account.
        """
        with UseCase(self._ports, "roles.operator.installed", account_subject(account)) as unit:
            uow = unit.uow
            if uow.authorizations.list(role=OPERATOR, limit=1).items:
                raise InvalidState("roles.operator.exists")
            uow.accounts.get(account)
            authz = authorization_of(uow, account)
            grant = Grant.of(OPERATOR, granted_at=unit.now)
            stored = save(uow, attrs.evolve(authz, grants=[*authz.grants, grant]))
            unit.audit()
            unit.commit()
        return stored


# -- helpers ----------------------------------------------------------------------


def _grant(
    unit: UseCase,
    *,
    account: str,
    role: str,
    places: tuple[Place | ClassRef, ...],
    subject: Subject | None,
) -> Authorization:
    """Grant *role* at *places* to *account* in *unit*, if the unit's actor may grant it there."""
    if role not in MATRIX.roles:
        raise InvalidInput("roles.role.unknown", field="role", role=role)
    me = unit.actor
    grant = Grant.of(role, places, subject=subject, granted_at=unit.now, granted_by=unit.actor_id)
    for place in grant.places or (None,):
        if not me.may_grant(role, place):
            raise denied()
    found = account_or_denied(unit.uow, account)
    if grant.institution is not None and grant.institution not in found.institutions:
        raise denied()
    authz = authorization_of(unit.uow, account)
    if any(_covers(held, grant) for held in authz.active(role)):
        return authz
    return save(unit.uow, attrs.evolve(authz, grants=[*authz.grants, grant]))


def _keep_an_operator(uow: UnitOfWork, account: str, now: datetime) -> None:
    """Refuse to revoke the operator role of *account* unless another active operator stays.

    Revocations of the operator role first take one attempt counter (a row
    lock on SQL, held to the commit), so two operators revoking each other at
    once do not both pass: the second reads what the first committed.

    Raises:
        InvalidState: ``roles.operator.last``.
    """
    uow.counters.record(_OPERATOR_QUEUE, "*", now=now, window=timedelta(seconds=1), limit=1)
    uow.counters.reset(_OPERATOR_QUEUE, "*")
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
    found = {place_institution(place) for place in _places_of(places or ())}
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
