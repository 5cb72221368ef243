"""What a protocol adapter hands the federated sign-in: a verified identity.

The adapters (:mod:`examkit.federation.oidc`, :mod:`examkit.federation.saml`)
check the signature, issuer, audience, time window and request binding of
what the identity provider sent; only then do they build a
:class:`FederatedIdentity`. The use case trusts nothing else: it maps the
identity to a local account by the link policy, refuses a replay by
:attr:`FederatedIdentity.replay_key`, and never stores the attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

import attrs

from examkit._fields import require_aware_utc, required_text

UID: Final = "uid"
"""Entree's pseudonym of the person, one per service provider."""
GIVEN_NAME: Final = "givenName"
"""The given name."""
SURNAME: Final = "sn"
"""The surname."""
AFFILIATION: Final = "eduPersonAffiliation"
"""The person's relations to the school: student, employee, staff, affiliate."""
HOME_ORGANIZATION_ID: Final = "nlEduPersonHomeOrganizationId"
"""The school's BRIN, of 4 or 6 characters."""
HOME_ORGANIZATION: Final = "nlEduPersonHomeOrganization"
"""The school's name."""
ECK_ID: Final = "eckId"
"""The chain pseudonym ``https://ketenid.nl/201703/<hex>``, with the school's consent."""
REAL_ID: Final = "nlEduPersonRealId"
"""The school's own identifier of the person, with the school's consent."""
MAIL: Final = "mail"
"""The e-mail address, with the school's consent."""

ENTREE_ATTRIBUTES: Final = (
    UID,
    GIVEN_NAME,
    SURNAME,
    AFFILIATION,
    HOME_ORGANIZATION_ID,
    HOME_ORGANIZATION,
    ECK_ID,
    REAL_ID,
    MAIL,
)
"""The attributes Entree releases, by their LDAP names (the standard set, then the consented)."""


def _attributes(value: Mapping[str, object]) -> Mapping[str, tuple[str, ...]]:
    """Return the attributes as a read-only mapping of names to tuples of strings."""
    frozen: dict[str, tuple[str, ...]] = {}
    for name, values in value.items():
        if isinstance(values, str) or not isinstance(values, (list, tuple)):
            msg = f"attribute {name!r} must be a sequence of strings"
            raise TypeError(msg)
        if not all(isinstance(item, str) for item in values):
            msg = f"attribute {name!r} must be a sequence of strings"
            raise TypeError(msg)
        frozen[name] = tuple(values)
    return frozen


@attrs.frozen
class FederatedIdentity:
    """A person as the identity provider vouched for them, after every check passed.

    >>> from datetime import UTC, datetime
    >>> identity = FederatedIdentity(
    ...     issuer="https://aselect.entree.kennisnet.nl",
    ...     subject="4f1c9e",
    ...     attributes={HOME_ORGANIZATION_ID: ["12AB"], AFFILIATION: ["employee"]},
    ...     authenticated_at=datetime(2026, 12, 4, 8, 30, tzinfo=UTC),
    ...     replay_key="saml:_a1b2c3",
    ...     valid_until=datetime(2026, 12, 4, 8, 35, tzinfo=UTC),
    ... )
    >>> identity.first(HOME_ORGANIZATION_ID)
    '12AB'
    >>> identity.values(ECK_ID)
    ()
    """

    issuer: str = attrs.field(validator=required_text(500))
    """Who vouched: the SAML IdP's entity ID or the OpenID provider's issuer URL."""
    subject: str = attrs.field(validator=required_text(500))
    """The person's stable identifier at the issuer (SAML NameID or ``uid``; OIDC ``sub``)."""
    attributes: Mapping[str, tuple[str, ...]] = attrs.field(converter=_attributes)
    """The released attributes by their LDAP names (:data:`ENTREE_ATTRIBUTES`), each a tuple."""
    authenticated_at: datetime = attrs.field(converter=require_aware_utc)
    """When the identity provider signed the person in (or issued the message)."""
    replay_key: str = attrs.field(validator=required_text(500))
    """What identifies this one message for the replay store: the assertion ID or the
    id_token's ``jti`` (or its digest), prefixed by the protocol."""
    valid_until: datetime = attrs.field(converter=require_aware_utc)
    """Until when the message could be accepted: the replay store keeps the key that long."""

    def values(self, name: str) -> tuple[str, ...]:
        """Return every value of attribute *name*, or ``()`` when it was not released."""
        return self.attributes.get(name, ())

    def first(self, name: str) -> str | None:
        """Return the first value of attribute *name*, or ``None`` when it was not released."""
        values = self.values(name)
        return values[0] if values else None
