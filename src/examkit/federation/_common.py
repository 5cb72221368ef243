"""What the federated sign-in's use cases share: purposes, lifetimes, events and the link step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from examkit.errors import AlreadyExists, InvalidState, NotFound
from examkit.federation._identity import ECK_ID, FederatedIdentity
from examkit.federation._model import (
    FederatedLink,
    LinkKind,
    LinkMethod,
    eck_key,
    subject_key,
)

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

REQUEST: Final = "federation.request"
"""Digest purpose of a pending request's state; the audit action of starting one."""
REPLAY: Final = "federation.replay"
"""Token purpose of the replay store: a message's key, kept until it could no longer be valid."""
LINK_TOKEN: Final = "federation.link"  # noqa: S105 - a purpose's name, not a secret
"""Token purpose of the single-use link tokens issued after a local sign-in."""
PROPOSAL: Final = "federation.proposal"
"""Token purpose of e-mail-match proposals waiting for the user's confirmation."""
SIGN_IN: Final = "auth.sign_in"
"""The audit action of a sign-in, federated or local (its ``factor`` tells them apart)."""
LINKED: Final = "federation.linked"
"""The audit action of a new link."""
FACTOR: Final = "federation"
"""The ``factor`` detail of a federated sign-in's events."""
TOKEN_BYTES: Final = 32
"""Random bytes of a state, a link token, a proposal token."""
LINK_TOKEN_LIFETIME: Final = timedelta(minutes=15)
"""How long a link token works: long enough to sign in at the identity provider."""
PROPOSAL_LIFETIME: Final = timedelta(minutes=10)
"""How long an e-mail-match proposal waits for the user's answer."""
REPLAY_MINIMUM: Final = timedelta(minutes=5)
"""The least time a replay key is kept, whatever the message's own validity says."""


def provider_subject(provider: str) -> str:
    """Return the audit subject of a request before its account is known."""
    return f"federation:{provider}"


@attrs.frozen
class Keys:
    """A verified identity's link keys, digests only."""

    issuer: str
    """The issuer."""
    subject: str
    """The key of the issuer and subject (:func:`subject_key`)."""
    eck: str | None
    """The key of the ECK iD, when one was released (:func:`eck_key`)."""

    @classmethod
    def of(cls, identity: FederatedIdentity) -> Keys:
        """Return *identity*'s keys."""
        eck = identity.first(ECK_ID)
        return cls(
            issuer=identity.issuer,
            subject=subject_key(identity.issuer, identity.subject),
            eck=eck_key(eck) if eck and eck.strip() else None,
        )

    def details(self) -> dict[str, str]:
        """Return the facts an event may carry: the issuer and the subject's digest."""
        return {"issuer": self.issuer[:200], "link": self.subject}


def linked_account(uow: UnitOfWork, key: str | None) -> str | None:
    """Return the account linked under *key*, or ``None``."""
    if key is None:
        return None
    try:
        return uow.federated_links.get(key).account_id
    except NotFound:
        return None


def add_links(
    uow: UnitOfWork, keys: Keys, account_id: str, method: LinkMethod, now: datetime
) -> bool:
    """Link *keys* to *account_id*; return whether a new subject link was made.

    The ECK iD's link is added (or left) only when it names no other account.

    Raises:
        InvalidState: ``federation.link.taken``: the identity is linked to
            another account; ``federation.account.issuer_linked``: the
            account is linked to another subject of the same issuer.
    """
    current = linked_account(uow, keys.subject)
    if current is not None and current != account_id:
        raise InvalidState("federation.link.taken")
    new: list[tuple[str, LinkKind]] = []
    if current is None:
        for link in uow.federated_links.list_for_account(account_id):
            if link.kind is LinkKind.SUBJECT and link.issuer == keys.issuer:
                raise InvalidState("federation.account.issuer_linked")
        new.append((keys.subject, LinkKind.SUBJECT))
    if keys.eck is not None and linked_account(uow, keys.eck) is None:
        new.append((keys.eck, LinkKind.ECK_ID))
    for key, kind in new:
        try:
            uow.federated_links.add(
                FederatedLink(
                    id=key,
                    account_id=account_id,
                    kind=kind,
                    issuer=keys.issuer,
                    method=method,
                    linked_at=now,
                )
            )
        except AlreadyExists:
            raise InvalidState("federation.link.taken") from None
    return current is None
