"""Federated sign-in by OpenID Connect (AUTH-13): Entree's OpenID provider, with Authlib.

:class:`OidcAdapter` is an :class:`~examkit.federation.IdentityProviderAdapter`:
:meth:`~OidcAdapter.begin` sends the browser to the provider with the
authorization code flow, PKCE (S256), ``state`` and ``nonce``;
:meth:`~OidcAdapter.finish` exchanges the code, checks the id_token
(signature by a key from the provider's JWKS, read again once when the
provider rotated its keys; issuer, audience, expiry, nonce) and returns the
:class:`~examkit.federation.FederatedIdentity`, its attributes named by
:attr:`OidcSettings.claims` (Entree's names, :data:`ENTREE_CLAIMS`, by default).

Install the extra ``examkit[oidc]`` (Authlib and httpx); only this package
imports them.
"""

from examkit.federation.oidc._adapter import CODE_VERIFIER, NONCE, STATE, OidcAdapter, replay_key
from examkit.federation.oidc._claims import ENTREE_CLAIMS, attributes_from, claim_values
from examkit.federation.oidc._provider import DISCOVERY_PATH
from examkit.federation.oidc._settings import MAX_CLOCK_SLACK, SIGNING_ALGORITHMS, OidcSettings

__all__ = [
    "CODE_VERIFIER",
    "DISCOVERY_PATH",
    "ENTREE_CLAIMS",
    "MAX_CLOCK_SLACK",
    "NONCE",
    "SIGNING_ALGORITHMS",
    "STATE",
    "OidcAdapter",
    "OidcSettings",
    "attributes_from",
    "claim_values",
    "replay_key",
]
