"""Federated sign-in (AUTH-13): teachers through Entree, by OpenID Connect or SAML 2.0.

The protocol adapters, each an optional extra, verify what the identity
provider sent and hand a :class:`FederatedIdentity` to the federated
sign-in use case, which links it to a local account by the configured link
policy. Entree's attributes have the names in :data:`ENTREE_ATTRIBUTES`.
"""

from examkit.federation._adapter import IdentityProviderAdapter, SignInRequest
from examkit.federation._identity import (
    AFFILIATION,
    ECK_ID,
    ENTREE_ATTRIBUTES,
    GIVEN_NAME,
    HOME_ORGANIZATION,
    HOME_ORGANIZATION_ID,
    MAIL,
    REAL_ID,
    SURNAME,
    UID,
    FederatedIdentity,
)

__all__ = [
    "AFFILIATION",
    "ECK_ID",
    "ENTREE_ATTRIBUTES",
    "GIVEN_NAME",
    "HOME_ORGANIZATION",
    "HOME_ORGANIZATION_ID",
    "MAIL",
    "REAL_ID",
    "SURNAME",
    "UID",
    "FederatedIdentity",
    "IdentityProviderAdapter",
    "SignInRequest",
]
