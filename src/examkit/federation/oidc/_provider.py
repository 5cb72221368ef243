"""Talking to the OpenID provider over HTTP: discovery, keys, token and userinfo endpoints.

Every request goes through one :class:`httpx.Client` (injectable, so that
tests and the portal can hand in a transport) with the configured timeout;
a provider that cannot be reached, answers with a server error or with
something that is not JSON raises :class:`~examkit.errors.ServiceUnavailable`.
The discovery document and the key set are kept and read again after
:attr:`OidcSettings.metadata_max_age`; the key set also when an id_token
names a key it does not hold (the provider rotated its keys), once per
id_token.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx
from joserfc.jwk import Key, KeySet

from examkit.errors import ConfigurationError, InvalidInput, ServiceUnavailable
from examkit.federation.oidc import _protocol
from examkit.federation.oidc._settings import OidcSettings

DISCOVERY_PATH = "/.well-known/openid-configuration"
"""Where, below the issuer, the discovery document is (OpenID Connect Discovery 4)."""

_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@attrs.frozen
class Metadata:
    """What examkit uses of the discovery document, checked."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None


@attrs.frozen
class _Kept:
    metadata: Metadata
    keys: KeySet
    read_at: datetime


def _endpoint(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str):
        raise ConfigurationError("oidc.discovery.endpoint", name=name, value=str(value))
    parts = urlsplit(value)
    if not parts.hostname or not (
        parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
    ):
        raise ConfigurationError("oidc.discovery.endpoint", name=name, value=value)
    return value


def read_metadata(document: object, settings: OidcSettings, url: str) -> Metadata:
    """Return the endpoints of the discovery *document* read from *url*, after checking it.

    Raises:
        ServiceUnavailable: ``oidc.provider.answer``: it is no JSON object.
        ConfigurationError: it names another issuer (``oidc.discovery.issuer``),
            lacks an endpoint or has one that is not ``https``
            (``oidc.discovery.endpoint``), or does not offer PKCE with S256
            (``oidc.discovery.pkce``).
    """
    if not isinstance(document, dict):
        raise ServiceUnavailable("oidc.provider.answer", url=url)
    if document.get("issuer") != settings.issuer:
        raise ConfigurationError(
            "oidc.discovery.issuer", expected=settings.issuer, found=str(document.get("issuer"))
        )
    methods = document.get("code_challenge_methods_supported")
    if methods is not None and (not isinstance(methods, list) or "S256" not in methods):
        raise ConfigurationError("oidc.discovery.pkce", issuer=settings.issuer)
    authorization = _endpoint(document, "authorization_endpoint")
    token = _endpoint(document, "token_endpoint")
    jwks = _endpoint(document, "jwks_uri")
    userinfo = _endpoint(document, "userinfo_endpoint") if settings.userinfo else None
    return Metadata(authorization, token, jwks, userinfo)


class Provider:
    """The OpenID provider of *settings*, reached through *client*."""

    def __init__(self, settings: OidcSettings, client: httpx.Client) -> None:
        self._settings = settings
        self._client = client
        self._kept: _Kept | None = None
        self._lock = threading.Lock()

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._client.send(request)
        except httpx.HTTPError as error:
            raise ServiceUnavailable(
                "oidc.provider.unavailable", url=str(request.url), reason=type(error).__name__
            ) from error

    def _json(self, response: httpx.Response) -> object:
        url = str(response.request.url)
        if response.status_code >= 500 or response.status_code in (404, 429):
            raise ServiceUnavailable(
                "oidc.provider.unavailable", url=url, reason=f"HTTP {response.status_code}"
            )
        try:
            return response.json()
        except ValueError as error:
            raise ServiceUnavailable("oidc.provider.answer", url=url) from error

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> object:
        """Return the JSON document at *url*.

        Raises:
            ServiceUnavailable: unreachable, a server error, or no JSON.
        """
        request = self._client.build_request(
            "GET",
            url,
            headers={"Accept": "application/json", **(headers or {})},
            timeout=self._settings.timeout,
        )
        response = self._send(request)
        document = self._json(response)
        if response.status_code != 200:
            raise ServiceUnavailable(
                "oidc.provider.unavailable", url=url, reason=f"HTTP {response.status_code}"
            )
        return document

    def post_form(self, url: str, headers: Mapping[str, str], body: str) -> tuple[int, object]:
        """Post the form *body* to *url*; return the status and the JSON answer."""
        request = self._client.build_request(
            "POST",
            url,
            headers=dict(headers),
            content=body.encode("ascii"),
            timeout=self._settings.timeout,
        )
        response = self._send(request)
        return response.status_code, self._json(response)

    def _read(self, now: datetime, keys_only_of: Metadata | None = None) -> _Kept:
        """Read the discovery document (unless *keys_only_of* is given) and the key set."""
        if keys_only_of is None:
            url = self._settings.issuer.rstrip("/") + DISCOVERY_PATH
            metadata = read_metadata(self.get_json(url), self._settings, url)
        else:
            metadata = keys_only_of
        keys = _protocol.key_set(self.get_json(metadata.jwks_uri), metadata.jwks_uri)
        return _Kept(metadata, keys, now)

    def _current(self, now: datetime) -> tuple[_Kept, bool]:
        """Return what is kept, read first when missing or stale; and whether it was just read."""
        with self._lock:
            kept = self._kept
        if kept is not None and now - kept.read_at < self._settings.metadata_max_age:
            return kept, False
        kept = self._read(now)
        with self._lock:
            self._kept = kept
        return kept, True

    def metadata(self, now: datetime) -> Metadata:
        """Return the provider's endpoints, reading them (and its keys) when missing or stale."""
        return self._current(now)[0].metadata

    def key(self, kid: object, now: datetime) -> Key:
        """Return the provider's signing key *kid*, reading the key set again once if unknown.

        Raises:
            InvalidInput: ``oidc.id_token.key_unknown``: not in the key set read again either.
        """
        kept, just_read = self._current(now)
        key = _protocol.find_key(kept.keys, kid)
        if key is None and not just_read:
            kept = self._read(now, keys_only_of=kept.metadata)
            with self._lock:
                self._kept = kept
            key = _protocol.find_key(kept.keys, kid)
        if key is None:
            raise InvalidInput("oidc.id_token.key_unknown", kid=str(kid)[:100])
        return key
