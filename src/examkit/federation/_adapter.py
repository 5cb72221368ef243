"""The port between the federated sign-in and a protocol adapter (OpenID Connect, SAML).

An adapter builds the request that sends the browser to the identity
provider, and checks the response that comes back; it keeps nothing itself.
What must survive between the two (the OIDC nonce and PKCE verifier, the
SAML request ID) is in :attr:`SignInRequest.pending`, which the federated
sign-in stores server-side under :attr:`SignInRequest.state` (the OIDC
``state``, the SAML ``RelayState``) and hands back, once, to
:meth:`IdentityProviderAdapter.finish`. A cookie would not do: a browser
drops a ``SameSite=Lax`` cookie on the identity provider's cross-site POST.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

import attrs

from examkit._fields import require_aware_utc
from examkit.federation._identity import FederatedIdentity
from examkit.ports import SecretSource


def _frozen_texts(value: Mapping[str, str]) -> Mapping[str, str]:
    """Return a copy of *value*, checking that it maps texts to texts."""
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        msg = "a sign-in request's fields and pending values are texts"
        raise TypeError(msg)
    return dict(value)


@attrs.frozen
class SignInRequest:
    """Where to send the browser to sign in at the identity provider, and what to keep.

    Exactly one of :attr:`redirect_url` (a GET redirect: OpenID Connect, or
    SAML's HTTP-Redirect binding) and :attr:`post_url` (a form the page posts
    with :attr:`post_fields`: SAML's HTTP-POST binding) is set.
    """

    state: str
    """The key the response comes back with (OIDC ``state``, SAML ``RelayState``)."""
    pending: Mapping[str, str] = attrs.field(converter=_frozen_texts)
    """What the server keeps until the response arrives; never sent to the browser."""
    expires_at: datetime = attrs.field(converter=require_aware_utc)
    """After this moment the response is refused (the pending request is gone)."""
    redirect_url: str | None = None
    """The identity provider's URL to redirect the browser to, or ``None``."""
    post_url: str | None = None
    """The identity provider's URL to post :attr:`post_fields` to, or ``None``."""
    post_fields: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_texts)
    """The hidden fields of the form posted to :attr:`post_url`."""

    def __attrs_post_init__(self) -> None:
        if (self.redirect_url is None) == (self.post_url is None):
            msg = "a sign-in request has either a redirect URL or a post URL"
            raise ValueError(msg)


class IdentityProviderAdapter(Protocol):
    """One identity provider, spoken to by one protocol; checks everything it receives."""

    name: str
    """The provider's name in the configuration and the audit log (``entree-oidc``)."""

    def begin(self, *, state: str, now: datetime, secrets: SecretSource) -> SignInRequest:
        """Return the request that sends the browser to the provider.

        *state* is drawn by the federated sign-in and comes back with the
        response; *secrets* draws the nonce, the PKCE verifier, the request ID.
        """
        ...

    def finish(
        self, *, response: Mapping[str, str], pending: Mapping[str, str], now: datetime
    ) -> FederatedIdentity:
        """Check the provider's *response* (query or form fields) and return who signed in.

        *pending* is :attr:`SignInRequest.pending` of the request this answers.

        Raises:
            InvalidInput: the response fails a check (signature, issuer,
                audience, time window, binding to the request), each with its
                own code (``oidc.*``, ``saml.*``); nothing is returned.
            ServiceUnavailable: the provider could not be reached (the OIDC
                token endpoint, the JWKS).
        """
        ...
