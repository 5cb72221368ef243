"""The SAML 2.0 adapter: :class:`SamlSettings` and :class:`SamlAdapter`, one provider each."""

from __future__ import annotations

import base64
import binascii
import shutil
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final, Literal

import attrs

from examkit._fields import require_aware_utc
from examkit.errors import ConfigurationError, InvalidInput
from examkit.federation import FederatedIdentity, SignInRequest
from examkit.federation.saml._metadata import IdentityProviderMetadata
from examkit.federation.saml._request import (
    authn_request,
    post_fields,
    private_key,
    redirect_url,
)
from examkit.federation.saml._response import Expectation, check_response
from examkit.federation.saml._signature import Verifier
from examkit.federation.saml._xml import parse
from examkit.ports import SecretSource

CLOCK_SLACK: Final = timedelta(seconds=90)
"""The default slack on every time limit of a response, either way (NotBefore, NotOnOrAfter)."""
MAX_CLOCK_SLACK: Final = timedelta(minutes=5)
"""The largest slack :class:`SamlSettings` accepts."""
REQUEST_LIFETIME: Final = timedelta(minutes=10)
"""How long a sign-in request waits for its response by default."""
RESPONSE_LIMIT: Final = 256 * 1024
"""The largest decoded response read, in bytes (an Entree response is a few KiB)."""
RELAY_STATE_LIMIT: Final = 80
"""The longest RelayState the SAML bindings allow, in bytes."""


def _check_slack(_: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not timedelta(0) <= value <= MAX_CLOCK_SLACK:
        raise ConfigurationError("saml.settings.slack", limit=int(MAX_CLOCK_SLACK.total_seconds()))


@attrs.frozen
class SamlSettings:
    """One identity provider spoken to by SAML 2.0, and this service provider's side of it."""

    sp_entity_id: str
    """This service provider's entity ID, as registered (the audience of every assertion)."""
    acs_url: str
    """The assertion consumer service: where the provider posts its response (HTTP-POST)."""
    idp: IdentityProviderMetadata
    """The identity provider, from its metadata; its certificates are the only keys trusted."""
    name: str = "entree-saml"
    """The provider's name in the configuration and the audit log."""
    binding: Literal["redirect", "post"] = "redirect"
    """How the request reaches the provider: a redirect (GET) or a form the page posts."""
    allow_unsolicited: bool = False
    """Accept a response that answers no request (IdP-initiated sign-in); refused by default."""
    clock_slack: timedelta = attrs.field(default=CLOCK_SLACK, validator=_check_slack)
    """The slack on every time limit, either way; at most :data:`MAX_CLOCK_SLACK`."""
    request_lifetime: timedelta = REQUEST_LIFETIME
    """How long a request waits for its response (the request's ``expires_at``)."""
    signing_key_pem: bytes | None = attrs.field(default=None, repr=False)
    """This service provider's private key (PEM) to sign requests with, or ``None``."""
    signing_certificate_pem: bytes | None = None
    """The certificate (PEM) of :attr:`signing_key_pem`, as in the registered metadata."""
    xmlsec_binary: str | None = None
    """The path of xmlsec1; ``None`` looks it up on the ``PATH``."""


class SamlAdapter:
    """The SAML 2.0 :class:`~examkit.federation.IdentityProviderAdapter` for one provider.

    :meth:`begin` makes the AuthnRequest; :meth:`finish` checks the
    response and returns the identity. The adapter keeps no state: the
    request's ID travels in :attr:`~examkit.federation.SignInRequest.pending`, which the
    federated sign-in keeps server-side under the RelayState.

    Raises:
        ConfigurationError: ``saml.xmlsec.missing`` (xmlsec1 is not
            installed), ``saml.certificate.invalid`` (the signing key is no
            unencrypted RSA key in PEM, or the POST binding lacks its
            certificate).
    """

    def __init__(self, settings: SamlSettings) -> None:
        self.settings = settings
        self.name = settings.name
        binary = settings.xmlsec_binary or shutil.which("xmlsec1")
        if binary is None:
            raise ConfigurationError("saml.xmlsec.missing")
        self._xmlsec = binary
        if settings.signing_key_pem is not None:
            private_key(settings.signing_key_pem)  # refused now, not at the first sign-in
            if settings.binding == "post" and settings.signing_certificate_pem is None:
                raise ConfigurationError("saml.certificate.invalid")
        self._verifier = Verifier(binary, settings.idp.certificates)

    def begin(self, *, state: str, now: datetime, secrets: SecretSource) -> SignInRequest:
        """Return the AuthnRequest for the browser, with *state* as its RelayState.

        The request's ID is drawn from *secrets* and kept in
        ``pending["request_id"]``.

        Raises:
            InvalidInput: ``saml.relay_state.invalid``: *state* is empty or
                longer than :data:`RELAY_STATE_LIMIT` bytes.
            ConfigurationError: ``saml.metadata.invalid``: the provider
                offers no single sign-on URL for the configured binding.
        """
        if not state or len(state.encode()) > RELAY_STATE_LIMIT:
            raise InvalidInput("saml.relay_state.invalid", limit=RELAY_STATE_LIMIT)
        settings = self.settings
        moment = require_aware_utc(now)
        location = (
            settings.idp.sso_redirect if settings.binding == "redirect" else settings.idp.sso_post
        )
        if location is None:
            raise ConfigurationError(
                "saml.metadata.invalid", reason=f"no {settings.binding} binding"
            )
        request_id = f"_{secrets.token_bytes(20).hex()}"
        request = authn_request(
            request_id=request_id,
            now=moment,
            destination=location,
            sp_entity_id=settings.sp_entity_id,
            acs_url=settings.acs_url,
        )
        pending = {"request_id": request_id, "relay_state": state}
        expires_at = moment + settings.request_lifetime
        if settings.binding == "redirect":
            url = redirect_url(request, location, state, settings.signing_key_pem)
            return SignInRequest(
                state=state, pending=pending, expires_at=expires_at, redirect_url=url
            )
        signing = None
        if settings.signing_key_pem is not None and settings.signing_certificate_pem is not None:
            signing = (settings.signing_key_pem, settings.signing_certificate_pem)
        fields = post_fields(request, state, signing, self._xmlsec)
        return SignInRequest(
            state=state,
            pending=pending,
            expires_at=expires_at,
            post_url=location,
            post_fields=fields,
        )

    def finish(
        self, *, response: Mapping[str, str], pending: Mapping[str, str], now: datetime
    ) -> FederatedIdentity:
        """Check the posted *response* (``SAMLResponse``, ``RelayState``) and return the identity.

        *pending* is the :attr:`~examkit.federation.SignInRequest.pending` kept under the
        RelayState (empty for an unsolicited response, which only
        :attr:`SamlSettings.allow_unsolicited` lets through).

        Raises:
            InvalidInput: the first check that fails, each with its own
                ``saml.*`` code (see the federated sign-in's SAML page).
        """
        raw = response.get("SAMLResponse")
        if not raw:
            raise InvalidInput("saml.response.missing")
        expected_state = pending.get("relay_state")
        if expected_state is not None and response.get("RelayState") != expected_state:
            raise InvalidInput("saml.relay_state.mismatch")
        if len(raw) > RESPONSE_LIMIT * 4 // 3 + 4:
            raise InvalidInput("saml.response.too_large", limit=RESPONSE_LIMIT)
        try:
            document = base64.b64decode("".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("saml.response.encoding") from None
        tree = parse(document)
        if tree is None:
            raise InvalidInput("saml.response.malformed")
        expectation = Expectation(
            idp=self.settings.idp,
            sp_entity_id=self.settings.sp_entity_id,
            acs_url=self.settings.acs_url,
            request_id=pending.get("request_id"),
            allow_unsolicited=self.settings.allow_unsolicited,
            now=require_aware_utc(now),
            slack=self.settings.clock_slack,
        )
        return check_response(document, tree.getroot(), expectation, self._verifier)
