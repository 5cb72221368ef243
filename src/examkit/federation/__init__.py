"""Federated sign-in (AUTH-13): teachers through Entree, by OpenID Connect or SAML 2.0.

The protocol adapters, each an optional extra, verify what the identity
provider sent and hand a :class:`FederatedIdentity` to the federated
sign-in use case (:class:`FederatedSignIn`, ``kit.federated_sign_in``),
which links it to a local account by the configured :class:`LinkPolicy`:
an explicit link of the issuer and subject, then the ECK iD, then (off by
default) an e-mail match the user confirms. The guards: the home
organisation must be one of the account's institutions or locations, the
affiliation must allow the account's roles. No account is ever created: an
account is linked by accepting its invitation through the federation, or
with a link token after a local sign-in (:class:`FederatedAccounts`,
``kit.federated_accounts``, which also makes an account federation-only).
Entree's attributes have the names in :data:`ENTREE_ATTRIBUTES`.
"""

from examkit.federation._accounts import FederatedAccounts, LinkToken
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
from examkit.federation._model import (
    FederatedLink,
    LinkKind,
    LinkMethod,
    LinkProposal,
    PendingSignIn,
    eck_key,
    subject_key,
)
from examkit.federation._policy import (
    STAFF_AFFILIATIONS,
    LinkPolicy,
    LinkRule,
    guard_refusal,
    home_organisation_matches,
)
from examkit.federation._records import (
    FEDERATED_LINKS,
    PENDING_SIGN_INS,
    FederatedLinkRepository,
    PendingSignInRepository,
)
from examkit.federation._service import FederatedSignIn

__all__ = [
    "AFFILIATION",
    "ECK_ID",
    "ENTREE_ATTRIBUTES",
    "FEDERATED_LINKS",
    "GIVEN_NAME",
    "HOME_ORGANIZATION",
    "HOME_ORGANIZATION_ID",
    "MAIL",
    "PENDING_SIGN_INS",
    "REAL_ID",
    "STAFF_AFFILIATIONS",
    "SURNAME",
    "UID",
    "FederatedAccounts",
    "FederatedIdentity",
    "FederatedLink",
    "FederatedLinkRepository",
    "FederatedSignIn",
    "IdentityProviderAdapter",
    "LinkKind",
    "LinkMethod",
    "LinkPolicy",
    "LinkProposal",
    "LinkRule",
    "LinkToken",
    "PendingSignIn",
    "PendingSignInRepository",
    "SignInRequest",
    "eck_key",
    "guard_refusal",
    "home_organisation_matches",
    "subject_key",
]
