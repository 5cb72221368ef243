"""What the administration use cases of roles share: who administers whom, stored grants, links.

Who may administer whom, in one place (:func:`wholly_within`):

- **the operations on an existing user** (edit, access, invite,
  deactivate, reactivate, remove) need the application's action for that
  operation (tagged in the matrix). The actor must hold it, and be allowed
  to grant the user's role, at every place where the user holds a role;
  hold it at the place the user was added at
  (:attr:`~examkit.permissions.Authorization.belongs_to`), roles or not; and hold
  it somewhere at every institution the user is linked to: an
  administrator acts only on users wholly within their administration,
  never on a fellow administrator or the operator.

A refused request raises :class:`~examkit.errors.NotPermitted` with one
message that says nothing about the user asked about (not whether they
exist, nor where); the use-case unit rolls it back and audits it as
``denied``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, Literal

from examkit.accounts import Account
from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.org import InstitutionCode
from examkit.passwords import issue_initial_password
from examkit.permissions import (
    MATRIX,
    Actor,
    Authorization,
    ClassRef,
    Operation,
    Place,
    Subject,
    System,
)
from examkit.ports import Message
from examkit.roles._mail import credentials_message, invitation_message
from examkit.storage import StoredToken

if TYPE_CHECKING:
    from examkit.records import UnitOfWork
    from examkit.usecase import Ports, UseCase

INVITATION: Final = "roles.invitation"
"""The purpose of invitation tokens in the token store (and of their keyed digests)."""
INVITATION_VALIDITY: Final = timedelta(days=14)
"""How long an activation link is valid unless the use cases are told otherwise."""
_TOKEN_BYTES: Final = 32


def denied() -> NotPermitted:
    """Return the one refusal of roles: ``permission.denied``, saying nothing about the target."""
    return NotPermitted("permission.denied")


def account_subject(account_id: str) -> str:
    """Return the audit subject of an account."""
    return f"account:{account_id}"


def system_of(code: str) -> System:
    """Return the matrix's application *code*.

    Raises:
        InvalidInput: ``roles.application.unknown``.
    """
    application = MATRIX.systems.get(code)
    if application is None:
        raise InvalidInput("roles.application.unknown", field="application", application=code)
    return application


def place_institution(place: Place) -> InstitutionCode:
    """Return the institution of *place* (a location's BRIN, or the Flemish school itself)."""
    return place.brin if isinstance(place, LocationCode) else place


def institution_of(key: Any) -> Any:
    """Return the institution of one of an actor's scope keys (location, class, ...)."""
    if isinstance(key, LocationCode):
        return key.brin
    if isinstance(key, ClassRef):
        return key.location.brin
    if isinstance(key, tuple):
        return key[0].location.brin
    return key


def authorization_of(uow: UnitOfWork, account: str) -> Authorization:
    """Return the stored authorization of *account*, or an empty one (not stored yet)."""
    try:
        return uow.authorizations.get(account)
    except NotFound:
        return Authorization(account=account)


def save(uow: UnitOfWork, authz: Authorization) -> Authorization:
    """Store *authz*: added when it is new (version 0), updated otherwise."""
    if authz.version == 0:
        return uow.authorizations.add(authz)
    return uow.authorizations.update(authz)


def account_or_denied(uow: UnitOfWork, account: str) -> Account:
    """Return *account*; refuse as for any other user when there is none.

    Raises:
        NotPermitted: there is no such account.
    """
    try:
        return uow.accounts.get(account)
    except NotFound:
        raise denied() from None


def grant_details(
    role: str, places: Iterable[Place | ClassRef], subject: Subject | None
) -> dict[str, str]:
    """Return the audit details of granting or revoking *role* at *places* (for *subject*)."""
    details = {"role": role, "at": ",".join(sorted(str(place) for place in places)) or "*"}
    if subject is not None:
        details["subject"] = subject.value
    return details


def wholly_within(
    uow: UnitOfWork,
    me: Actor,
    *,
    account: str,
    application: str,
    operation: Operation,
    institution: InstitutionCode | None = None,
) -> tuple[Account, Authorization]:
    """Load *account* and its grants; refuse unless it is wholly within *me*'s administration.

    With *institution*, only the user's grants and places there count (and
    the user must be linked to it).

    Raises:
        NotPermitted: the user is not (or does not exist; one message either way).
        InvalidInput: the application is unknown.
    """
    app = system_of(application)
    action = MATRIX.operation_action(app.code, operation)
    found = account_or_denied(uow, account)
    authz = authorization_of(uow, account)
    if action is None or account == me.account:
        raise denied()
    code = action.code
    for grant in authz.active_grants:
        if institution is not None and grant.institution != institution:
            continue
        if not grant.places:
            raise denied()
        for place in grant.places:
            if not (me.may(code, place) and me.may_grant(grant.role, place)):
                raise denied()
    for place in authz.belongs_to:
        if institution in (None, place_institution(place)) and not me.may(code, place):
            raise denied()
    institutions = {institution} if institution is not None else set(found.institutions)
    if not institutions or not institutions <= found.institutions:
        raise denied()
    held = {institution_of(key) for key in me.places(code)}
    if not institutions <= held:
        raise denied()
    return found, authz


def initial_credentials(
    unit: UseCase, account: Account, system: System, lang: Literal["nl", "en"] | None
) -> tuple[Account, Message]:
    """Return *account* with a new initial password, and the e-mail that tells it.

    The password is valid for the policy's initial lifetime and must be
    changed at the first sign-in; the e-mail is written in *lang*, else in
    the account's language (AUTH-2, NOTE-1). The caller stores the account
    and sends the message through the unit.
    """
    ports = unit.ports
    policy = ports.password_policy
    renewed, password = issue_initial_password(
        account, policy=policy, hasher=ports.hasher, secrets=ports.secrets, now=unit.now
    )
    message = credentials_message(
        renewed,
        application=system,
        password=password,
        expires=(unit.now + policy.lifetime.initial).date(),
        url=ports.link(ports.paths.sign_in),
        lang=lang,
    )
    return renewed, message


def invitation_digest(ports: Ports, token: str) -> str:
    """Return the keyed digest an invitation *token* is stored under (never the token)."""
    return ports.digester.digest(INVITATION, token)


def invite(
    unit: UseCase,
    *,
    account: Account,
    application: str,
    at: Place,
    lang: Literal["nl", "en"] | None,
    validity: timedelta,
) -> Message:
    """Store a fresh single-use activation link for *account* and return its invitation.

    An earlier link of the account stops working. The caller sends the
    message through the unit (after the commit).
    """
    ports, uow = unit.ports, unit.uow
    token = ports.secrets.token_urlsafe(_TOKEN_BYTES)
    expires = unit.now + validity
    institution = place_institution(at)
    uow.tokens.revoke(INVITATION, account.id)
    uow.tokens.put(
        StoredToken(
            purpose=INVITATION,
            digest=invitation_digest(ports, token),
            subject=account.id,
            expires_at=expires,
            data={"application": application, "institution": str(institution)},
        )
    )
    inviter_id = unit.actor.account
    try:
        inviter = uow.accounts.get(inviter_id).full_name
    except NotFound:
        inviter = inviter_id
    try:
        school = uow.institutions.get(institution).name
    except NotFound:
        school = str(institution)
    return invitation_message(
        account,
        application=MATRIX.systems[application],
        institution=school,
        inviter=inviter,
        url=ports.link(ports.paths.invitation, token),
        expires=expires,
        lang=lang,
    )
