"""The federated sign-in's stored records and what its steps return.

Stored (each with a ``version``, 0 when never stored): a
:class:`FederatedLink` ties an account to a federated identity, by the
digest of the issuer and subject or of the ECK iD, never the values
themselves; a :class:`PendingSignIn` keeps what an adapter needs back
between the browser's departure to the identity provider and its return.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Final

import attrs

from examkit._fields import require_aware_utc, required_text

LINK_PREFIX: Final = "sub:"
"""The prefix of a link's key made from the issuer and the subject."""
ECK_PREFIX: Final = "eck:"
"""The prefix of a link's key made from the ECK iD."""


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def subject_key(issuer: str, subject: str) -> str:
    """Return the key of the link of *subject* at *issuer*: a digest, never the subject itself.

    >>> subject_key("https://idp.example.nl", "4f1c9e")[:12]
    'sub:4e735d47'
    """
    return LINK_PREFIX + _sha256(issuer, subject)


def eck_key(eck_id: str) -> str:
    """Return the key of the link of an ECK iD (case and surrounding space ignored).

    >>> eck_key(" HTTPS://ketenid.nl/201703/AB12 ") == eck_key("https://ketenid.nl/201703/ab12")
    True
    """
    return ECK_PREFIX + _sha256(eck_id.strip().casefold())


def replay_digest(issuer: str, replay_key: str) -> str:
    """Return the replay store's key of a message: its issuer and its replay key, digested."""
    return _sha256("replay", issuer, replay_key)


class LinkMethod(enum.Enum):
    """How a federated identity came to be linked to an account."""

    INVITATION = "invitation"
    """The user accepted an invitation (ROLE-3) by signing in through the federation."""
    LINK_TOKEN = "link_token"  # noqa: S105 - a method's name, not a secret
    """The user signed in with the local password first and asked to link."""
    EMAIL = "email"
    """The user confirmed the account proposed by the released e-mail address."""
    ECK_ID = "eck_id"
    """Found by the ECK iD an earlier link recorded."""


class LinkKind(enum.Enum):
    """What a link's key is the digest of."""

    SUBJECT = "subject"
    """The issuer and the subject (an explicit link)."""
    ECK_ID = "eck_id"
    """The ECK iD, the chain pseudonym the same across the federation's issuers."""


_key = attrs.validators.and_(attrs.validators.instance_of(str), required_text(128))


@attrs.frozen
class FederatedLink:
    """An account's link to a federated identity (AUTH-13).

    Keyed by :func:`subject_key` (kind :attr:`LinkKind.SUBJECT`) or
    :func:`eck_key` (kind :attr:`LinkKind.ECK_ID`): the link holds digests, never
    the pseudonym or the ECK iD, and no released attribute.
    """

    id: str = attrs.field(validator=_key)
    """The link's key: the digest of the issuer and subject, or of the ECK iD."""
    account_id: str = attrs.field(validator=_key)
    """The linked account."""
    kind: LinkKind
    """What :attr:`id` is the digest of."""
    issuer: str = attrs.field(validator=required_text(500))
    """The identity provider that vouched when the link was made."""
    method: LinkMethod
    """How it was linked."""
    linked_at: datetime = attrs.field(converter=require_aware_utc)
    """When it was linked."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


def _texts(value: Mapping[str, str]) -> dict[str, str]:
    return {str(name): str(text) for name, text in value.items()}


@attrs.frozen
class PendingSignIn:
    """A sign-in request waiting for the identity provider's answer; taken once.

    Keyed by the keyed digest of the request's ``state``; the browser holds
    the state, the server the values here.
    """

    id: str = attrs.field(validator=_key)
    """The keyed digest of the request's state."""
    provider: str = attrs.field(validator=required_text(64))
    """The adapter's name (:attr:`~examkit.federation.IdentityProviderAdapter.name`)."""
    pending: dict[str, str] = attrs.field(converter=_texts)
    """The adapter's :attr:`~examkit.federation.SignInRequest.pending` values."""
    started_at: datetime = attrs.field(converter=require_aware_utc)
    """When the request was made."""
    expires_at: datetime = attrs.field(converter=require_aware_utc)
    """When it lapses (the adapter's :attr:`~examkit.federation.SignInRequest.expires_at`)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class LinkProposal:
    """What :meth:`~examkit.federation.FederatedSignIn.finish` returns for an e-mail match.

    The link policy found one account by the released e-mail address (only
    when :attr:`~examkit.federation.LinkPolicy.email_match` is on). Show
    the user :attr:`masked_email` and :attr:`login_name` and ask whether
    this is their account; on yes, pass :attr:`token` to
    :meth:`~examkit.federation.FederatedSignIn.confirm_email_match`. Keep the
    token in the server-side session, never in a URL.
    """

    token: str = attrs.field(repr=False)
    """The proposal's single-use token."""
    account_id: str
    """The account proposed."""
    login_name: str
    """The proposed account's login name, to show."""
    masked_email: str
    """The proposed account's e-mail address, partly hidden (``k…@school.nl``)."""
    expires_at: datetime
    """When the proposal lapses."""


def mask_email(email: str) -> str:
    """Return *email* with all but the first letter of its local part hidden.

    >>> mask_email("k.jansen@school.nl")
    'k…@school.nl'
    """
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}"
