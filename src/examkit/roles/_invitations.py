"""Invitations: send a single-use activation link, and accept it (the monitoring system's way)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import attrs

from examkit._digests import first_found
from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.passwords import change_password
from examkit.permissions import MATRIX, Operation, Place
from examkit.roles._common import (
    INVITATION,
    INVITATION_VALIDITY,
    account_or_denied,
    account_subject,
    denied,
    invite,
    place_institution,
    system_of,
    wholly_within,
)
from examkit.usecase import Ports, UseCase


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


class Invitations:
    """Invite users with an activation link, and activate their accounts (``kit.invitations``).

    Only the link's keyed digest is stored (under the portal's token key,
    bound to the purpose :data:`~examkit.roles.INVITATION`, like every token
    of the kit), never the link itself.

    Args:
        ports: The wired ports.
        invitation_validity: How long an activation link is valid.

    Implements ROLE-3 and NOTE-1.
    """

    def __init__(
        self, ports: Ports, *, invitation_validity: timedelta = INVITATION_VALIDITY
    ) -> None:
        self._ports = ports
        self._invitation_validity = invitation_validity

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
        with UseCase(
            self._ports,
            "roles.invitation.sent",
            account_subject(account),
            actor=actor,
            details=details,
        ) as unit:
            app = system_of(application)
            action = MATRIX.operation_action(app.code, Operation.INVITE)
            if action is None:
                raise InvalidInput(
                    "roles.onboarding.not_invitation",
                    field="application",
                    application=app.label_nl,
                )
            if actor == account:
                found = account_or_denied(unit.uow, account)
            else:
                found, _ = wholly_within(
                    unit.uow,
                    unit.actor,
                    account=account,
                    application=app.code,
                    operation=Operation.INVITE,
                    institution=place_institution(at),
                )
            if not unit.actor.may(action.code, at):
                raise denied()
            message = invite(
                unit,
                account=found,
                application=app.code,
                at=at,
                lang=lang,
                validity=self._invitation_validity,
            )
            unit.send(message)
            unit.audit()
            unit.commit()

    def accept_invitation(self, token: str, *, password: str | None = None) -> AcceptedInvitation:
        """Activate an account through its invitation link (once, in time).

        With *password*, it is checked against the policy and becomes the
        account's password; without, the link is only used up. To accept it
        through the federation (Entree), linking the user's federated
        identity, pass the token to :meth:`FederatedSignIn.finish
        <examkit.federation.FederatedSignIn.finish>` as ``invitation``
        instead (AUTH-13). A policy failure consumes nothing.

        Raises:
            NotFound: the link is unknown, already used or expired.
            InvalidState: ``federation.account.federation_only``: a password for an
                account that signs in only through the federation (nothing is consumed).
            ~examkit.errors.ExamkitError: the password fails the policy.

        Implements ROLE-3.
        """
        with UseCase(self._ports, "roles.invitation.accepted", "token:invitation") as unit:
            uow = unit.uow
            stored = first_found(
                self._ports.digester.digests(INVITATION, token),
                lambda digest: uow.tokens.consume(INVITATION, digest, now=unit.now),
            )
            try:
                found = uow.accounts.get(stored.subject)
            except NotFound:
                raise NotFound("storage.token.unusable") from None
            if password is not None:
                if found.federation_only:
                    raise InvalidState("federation.account.federation_only")
                uow.accounts.update(
                    change_password(
                        found,
                        password,
                        policy=self._ports.password_policy,
                        hasher=self._ports.hasher,
                        now=unit.now,
                    )
                )
            unit.audit(subject=account_subject(found.id))
            unit.commit()
        return AcceptedInvitation(
            account=found.id,
            application=stored.data["application"],
            institution=stored.data["institution"],
        )
