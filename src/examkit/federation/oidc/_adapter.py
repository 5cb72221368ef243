"""The OpenID Connect adapter: Entree's sign-in by the authorization code flow."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from examkit.errors import ConfigurationError, InvalidInput, ServiceUnavailable
from examkit.federation import FederatedIdentity, SignInRequest
from examkit.federation.oidc import _protocol
from examkit.federation.oidc._claims import attributes_from
from examkit.federation.oidc._provider import Provider
from examkit.federation.oidc._settings import OidcSettings
from examkit.ports import SecretSource

NONCE: str = "nonce"
"""The key of the nonce in :attr:`~examkit.federation.SignInRequest.pending`."""
CODE_VERIFIER: str = "code_verifier"
"""The key of the PKCE code verifier in :attr:`~examkit.federation.SignInRequest.pending`."""
STATE: str = "state"
"""The key of the state in :attr:`~examkit.federation.SignInRequest.pending` (checked)."""

_ERROR = re.compile(r"[a-z_]{1,64}")
_JTI = re.compile(r"[\x21-\x7e]{1,200}")


def _text(response: Mapping[str, str], name: str) -> str | None:
    value = response.get(name)
    return value if isinstance(value, str) and value else None


def _moment(claims: Mapping[str, Any], name: str) -> datetime:
    """Return the time claim *name* (checked to be a number) as a moment."""
    try:
        return datetime.fromtimestamp(int(claims[name]), UTC)
    except (OverflowError, ValueError, OSError) as error:
        raise InvalidInput("oidc.id_token.claim", claim=name) from error


def _same(one: str, other: str) -> bool:
    """Return whether the texts are equal, in a time that does not tell where they differ."""
    return hmac.compare_digest(one.encode("utf-8", "surrogatepass"), other.encode("utf-8"))


class OidcAdapter:
    """Signs a teacher in at an OpenID provider (Entree) and checks what comes back.

    It implements :class:`~examkit.federation.IdentityProviderAdapter`: the
    authorization code flow with PKCE (S256), ``state`` and ``nonce``; the
    code is exchanged at the token endpoint with the client secret, and the
    id_token's signature (a key from the provider's JWKS), issuer, audience,
    expiry and nonce are checked before a :class:`~examkit.federation.FederatedIdentity` is made.

    Args:
        settings: The provider and this service's registration there.
        client: The HTTP client for the provider's endpoints; by default a
            new :class:`httpx.Client` (over *transport*, when given).
        transport: The transport of the default client (tests hand in one).
    """

    def __init__(
        self,
        settings: OidcSettings,
        *,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        """The provider and this service's registration there."""
        self.name = settings.name
        """The provider's name in the configuration and the audit log."""
        self._owned = client is None
        if client is None:
            client = httpx.Client(transport=transport, timeout=settings.timeout)
        self._client = client
        self._provider = Provider(settings, client)

    def close(self) -> None:
        """Close the HTTP client the adapter made (one handed in stays open)."""
        if self._owned:
            self._client.close()

    def _claims_request(self) -> dict[str, object] | None:
        if not self.settings.claims_parameter:
            return None
        wanted: dict[str, object] = dict.fromkeys(sorted(self.settings.claims))
        request: dict[str, object] = {"id_token": wanted}
        if self.settings.userinfo:
            request["userinfo"] = wanted
        return request

    def begin(self, *, state: str, now: datetime, secrets: SecretSource) -> SignInRequest:
        """Return the request that sends the browser to the provider's authorization endpoint.

        Raises:
            ServiceUnavailable: the discovery document or the key set cannot be read.
            ConfigurationError: the discovery document does not fit the settings.
        """
        metadata = self._provider.metadata(now)
        nonce = secrets.token_urlsafe(32)
        code_verifier = secrets.token_urlsafe(48)
        url = _protocol.authorization_url(
            metadata.authorization_endpoint,
            client_id=self.settings.client_id,
            redirect_uri=self.settings.redirect_uri,
            scopes=self.settings.scopes,
            state=state,
            nonce=nonce,
            code_verifier=code_verifier,
            claims=self._claims_request(),
        )
        return SignInRequest(
            state=state,
            pending={STATE: state, NONCE: nonce, CODE_VERIFIER: code_verifier},
            expires_at=now + self.settings.request_lifetime,
            redirect_url=url,
        )

    def finish(
        self, *, response: Mapping[str, str], pending: Mapping[str, str], now: datetime
    ) -> FederatedIdentity:
        """Check the provider's answer (the redirect's query) and return who signed in.

        Raises:
            InvalidInput: a check failed; its code names which (``oidc.*``).
            ServiceUnavailable: the token, JWKS or userinfo endpoint cannot be reached.
            ConfigurationError: the provider does not know this client or its secret
                (``oidc.token.client``), or its discovery document does not fit the settings.
        """
        nonce, code_verifier, state = (pending.get(k) for k in (NONCE, CODE_VERIFIER, STATE))
        if not (nonce and code_verifier and state):
            raise InvalidInput("oidc.pending.incomplete")
        answered = _text(response, "state")
        if answered is None or not _same(answered, state):
            raise InvalidInput("oidc.response.state")
        error = _text(response, "error")
        if error is not None:
            shown = error if _ERROR.fullmatch(error) else "?"
            raise InvalidInput("oidc.response.error", error=shown)
        issuer = _text(response, "iss")
        if issuer is not None and issuer != self.settings.issuer:  # RFC 9207: mix-up
            raise InvalidInput("oidc.response.issuer")
        code = _text(response, "code")
        if code is None:
            raise InvalidInput("oidc.response.code")
        token = self._redeem(code, code_verifier, now)
        id_token = token["id_token"]
        claims = self._verified(id_token, token.get("access_token"), nonce, now)
        if self.settings.userinfo:
            claims = {**self._userinfo(token, claims, now), **claims}
        return FederatedIdentity(
            issuer=self.settings.issuer,
            subject=claims["sub"],
            attributes=attributes_from(claims, self.settings.claims),
            authenticated_at=_moment(claims, "auth_time" if "auth_time" in claims else "iat"),
            replay_key=replay_key(id_token, claims),
            valid_until=_moment(claims, "exp"),
        )

    def _redeem(self, code: str, code_verifier: str, now: datetime) -> dict[str, Any]:
        """Exchange *code* at the token endpoint; return the token response."""
        metadata = self._provider.metadata(now)
        headers, body = _protocol.token_request(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            auth_method=self.settings.token_endpoint_auth_method,
            token_endpoint=metadata.token_endpoint,
            code=code,
            redirect_uri=self.settings.redirect_uri,
            code_verifier=code_verifier,
        )
        status, answer = self._provider.post_form(metadata.token_endpoint, headers, body)
        if not isinstance(answer, dict):
            raise ServiceUnavailable("oidc.provider.answer", url=metadata.token_endpoint)
        if status != 200:
            error = answer.get("error")
            if error == "invalid_client":  # every sign-in would fail: the settings are wrong
                raise ConfigurationError("oidc.token.client", client_id=self.settings.client_id)
            shown = error if isinstance(error, str) and _ERROR.fullmatch(error) else "?"
            raise InvalidInput("oidc.token.refused", error=shown)
        if not isinstance(answer.get("id_token"), str):
            raise InvalidInput("oidc.token.id_token")
        return answer

    def _verified(
        self, id_token: str, access_token: object, nonce: str, now: datetime
    ) -> dict[str, Any]:
        """Return the id_token's claims after checking its signature and claims."""
        header = _protocol.header_of(id_token)
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self.settings.algorithms:
            raise InvalidInput(
                "oidc.id_token.algorithm",
                algorithm=str(algorithm)[:20],
                allowed=", ".join(self.settings.algorithms),
            )
        key = self._provider.key(header.get("kid"), now)
        claims = _protocol.verified_claims(id_token, key, algorithm)
        _protocol.check_claims(
            claims,
            header,
            issuer=self.settings.issuer,
            client_id=self.settings.client_id,
            nonce=nonce,
            access_token=access_token if isinstance(access_token, str) else None,
            now=int(now.timestamp()),
            slack=int(self.settings.clock_slack.total_seconds()),
        )
        if not isinstance(claims.get("sub"), str):
            raise InvalidInput("oidc.id_token.claim", claim="sub")
        return claims

    def _userinfo(
        self, token: Mapping[str, Any], claims: Mapping[str, Any], now: datetime
    ) -> dict[str, Any]:
        """Return the claims of the userinfo endpoint, whose ``sub`` must be the id_token's."""
        endpoint = self._provider.metadata(now).userinfo_endpoint
        access_token = token.get("access_token")
        if endpoint is None or not isinstance(access_token, str):
            raise InvalidInput("oidc.token.access_token")
        answer = self._provider.get_json(endpoint, {"Authorization": f"Bearer {access_token}"})
        if not isinstance(answer, dict) or answer.get("sub") != claims["sub"]:
            raise InvalidInput("oidc.userinfo.subject")
        return answer


def replay_key(id_token: str, claims: Mapping[str, Any]) -> str:
    """Return what identifies this id_token for the replay store.

    Its ``jti`` where it has a short printable one, else the SHA-256 digest of
    the whole id_token; both prefixed, so that they never meet a SAML key.

    >>> replay_key("eyJ...", {"jti": "a1b2"})
    'oidc:jti:a1b2'
    >>> replay_key("eyJ...", {})[:12]
    'oidc:sha256:'
    """
    jti = claims.get("jti")
    if isinstance(jti, str) and _JTI.fullmatch(jti):
        return f"oidc:jti:{jti}"
    return "oidc:sha256:" + hashlib.sha256(id_token.encode("ascii", "replace")).hexdigest()
