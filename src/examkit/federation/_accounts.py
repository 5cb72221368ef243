"""Accounts and the federation: link tokens, federation-only accounts, links (AUTH-13)."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from examkit.accounts import Account
from examkit.auth import client_ip, revoke_sign_ins
from examkit.errors import InvalidState, NotFound
from examkit.federation._common import LINK_TOKEN, LINK_TOKEN_LIFETIME, TOKEN_BYTES
from examkit.federation._model import FederatedLink
from examkit.permissions import Operation
from examkit.roles import wholly_within
from examkit.storage import StoredToken
from examkit.usecase import Ports, UseCase

_RESET = "auth.reset"
"""The token purpose of reset links (a federation-only account has no password to reset)."""


@attrs.frozen
class LinkToken:
    """A single-use token that links the next federated sign-in to an account."""

    token: str = attrs.field(repr=False)
    """Pass it to :meth:`FederatedSignIn.finish <examkit.federation.FederatedSignIn.finish>`
    as ``link_token``; keep it in the server-side session, never in a URL."""
    expires_at: datetime
    """When it stops working."""


def _subject(account_id: str) -> str:
    return f"account:{account_id}"


class FederatedAccounts:
    """Accounts' federated links and the federation-only setting (``kit.federated_accounts``).

    A user with a local password links their federated identity themselves:
    signed in locally, they ask for a link token (:meth:`issue_link_token`)
    and sign in through the federation with it. A user invited by e-mail
    links by accepting the invitation through the federation
    (:meth:`FederatedSignIn.finish <examkit.federation.FederatedSignIn.finish>`
    with ``invitation``). An administrator who may edit a user may make the
    account federation-only, list its links and remove them.

    Args:
        ports: The kit's wired ports.
        link_token_lifetime: How long a link token works.

    Implements AUTH-13.
    """

    def __init__(self, ports: Ports, *, link_token_lifetime: timedelta = LINK_TOKEN_LIFETIME):
        self._ports = ports
        self._lifetime = link_token_lifetime

    def issue_link_token(self, account_id: str, *, ip: str) -> LinkToken:
        """Issue the signed-in *account_id* a single-use link token; earlier ones stop working.

        Only for an active account with a local password (one that just
        signed in with it): a federation-only account is linked by an
        invitation or by its administrator's support.

        Raises:
            NotFound: the account does not exist.
            InvalidState: ``federation.link_token.no_password`` (no local
                password, federation-only, or not active).

        Implements AUTH-13.
        """
        address = client_ip(ip)
        ports = self._ports
        token = ports.secrets.token_urlsafe(TOKEN_BYTES)
        with UseCase(
            ports, "federation.link_token.issued", _subject(account_id), actor=account_id
        ) as unit:
            uow = unit.uow
            account = uow.accounts.get(account_id)
            if account.password is None or account.federation_only or not account.is_active:
                raise InvalidState("federation.link_token.no_password")
            expires_at = unit.now + self._lifetime
            uow.tokens.revoke(LINK_TOKEN, account_id)
            uow.tokens.put(
                StoredToken(
                    purpose=LINK_TOKEN,
                    digest=ports.digester.digest(LINK_TOKEN, token),
                    subject=account_id,
                    expires_at=expires_at,
                )
            )
            unit.audit(details={"ip": address})
            unit.commit()
        return LinkToken(token=token, expires_at=expires_at)

    def set_federation_only(
        self, actor: str, account: str, *, application: str, federation_only: bool = True
    ) -> Account:
        """Make *account* sign in only through the federation (or, with ``False``, not only).

        Federation-only, the account's password is removed (its history
        kept), its reset links and sign-ins in progress end, and it gets no
        password-expiry reminders; it can neither sign in with a password nor
        reset one, and no new password is sent to it. Its web sessions and
        roles stay; deactivation applies as to any account. Back off, the
        account has no password until its administrator sends one
        (:meth:`Users.send_new_password <examkit.roles.Users.send_new_password>`).
        Whoever may edit the user's details may do this.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.

        Implements AUTH-13 and ROLE-2.
        """
        details = {"application": application, "federation_only": str(federation_only).lower()}
        with UseCase(
            self._ports,
            "federation.account.federation_only",
            _subject(account),
            actor=actor,
            details=details,
        ) as unit:
            uow = unit.uow
            found, _ = wholly_within(
                uow,
                unit.actor,
                account=account,
                application=application,
                operation=Operation.EDIT_USER,
            )
            changed = attrs.evolve(found, federation_only=federation_only)
            if federation_only:
                changed = attrs.evolve(changed, password=None)
                uow.tokens.revoke(_RESET, account)
                uow.signins.remove_for_account(account)
            stored = uow.accounts.update(changed)
            unit.audit()
            unit.commit()
        return stored

    def links(self, actor: str, account: str, *, application: str) -> tuple[FederatedLink, ...]:
        """Return *account*'s federated links, oldest first (digests and issuers only).

        The account itself, or whoever may edit the user, may read them.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.

        Implements AUTH-13.
        """
        with UseCase(
            self._ports, "federation.links", _subject(account), actor=actor, readonly=True
        ) as unit:
            if actor != account:
                wholly_within(
                    unit.uow,
                    unit.actor,
                    account=account,
                    application=application,
                    operation=Operation.EDIT_USER,
                )
            return unit.uow.federated_links.list_for_account(account)

    def unlink(self, actor: str, account: str, link: str, *, application: str) -> None:
        """Remove one of *account*'s federated links (by its key); the user links again.

        Also signs the account out everywhere (its web sessions end), so
        that a session opened through the removed link does not go on.

        Raises:
            NotPermitted: the user is not wholly within the actor's administration.
            NotFound: ``federation.link.unknown``: the account has no such link.

        Implements AUTH-13 and ROLE-2.
        """
        with UseCase(
            self._ports,
            "federation.unlinked",
            _subject(account),
            actor=actor,
            details={"application": application},
        ) as unit:
            uow = unit.uow
            wholly_within(
                uow,
                unit.actor,
                account=account,
                application=application,
                operation=Operation.EDIT_USER,
            )
            try:
                found = uow.federated_links.get(link)
            except NotFound:
                found = None
            if found is None or found.account_id != account:
                raise NotFound("federation.link.unknown", field="link")
            uow.federated_links.remove(found.id, version=found.version)
            revoke_sign_ins(uow, account, now=unit.now)
            unit.audit(details={"issuer": found.issuer[:200], "kind": found.kind.value})
            unit.commit()
