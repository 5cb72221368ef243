"""The configuration of one OpenID provider: who we are there and how strict we are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import attrs

from examkit.errors import ConfigurationError
from examkit.federation.oidc._claims import ENTREE_CLAIMS

SIGNING_ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
"""The id_token signatures examkit can accept: public-key ones only (never ``none`` or HMAC)."""

MAX_CLOCK_SLACK: Final = timedelta(minutes=5)
"""The largest clock slack the settings accept."""

_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def _check_url(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a URL that is not ``https`` (``http`` only on this machine's loopback address)."""
    parts = urlsplit(value)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
    if not (secure and parts.hostname) or parts.fragment:
        raise ConfigurationError("oidc.config.url", field=attribute.name, value=value)


def _check_text(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError("oidc.config.required", field=attribute.name)


def _check_scopes(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if "openid" not in value or not all(scope and " " not in scope for scope in value):
        raise ConfigurationError("oidc.config.scopes", field=attribute.name, value=" ".join(value))


def _check_algorithms(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    refused = [name for name in value if name not in SIGNING_ALGORITHMS]
    if refused or not value:
        raise ConfigurationError(
            "oidc.config.algorithm",
            field=attribute.name,
            value=", ".join(refused),
            allowed=", ".join(SIGNING_ALGORITHMS),
        )


def _check_slack(_: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    if not timedelta(0) <= value <= MAX_CLOCK_SLACK:
        raise ConfigurationError(
            "oidc.config.slack", field=attribute.name, maximum=int(MAX_CLOCK_SLACK.total_seconds())
        )


def _check_positive(_: object, attribute: attrs.Attribute[Any], value: timedelta | float) -> None:
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if not seconds > 0:
        raise ConfigurationError("oidc.config.positive", field=attribute.name)


def _check_auth_method(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in ("client_secret_basic", "client_secret_post"):
        raise ConfigurationError("oidc.config.auth_method", field=attribute.name, value=str(value))


def _check_claims(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    if not all(isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()):
        raise ConfigurationError("oidc.config.claims", field=attribute.name)


def _table(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class OidcSettings:
    """One OpenID provider (Entree's, by default its claims) and this service's registration there.

    >>> settings = OidcSettings(
    ...     issuer="https://oidc.entree.example",
    ...     client_id="examkit-portal",
    ...     client_secret="s3cret-from-registration",
    ...     redirect_uri="https://toetsen.example.nl/aanmelden/entree/oidc",
    ... )
    >>> settings.scopes, settings.clock_slack.total_seconds()
    (('openid',), 60.0)
    >>> "s3cret" in repr(settings)
    False
    """

    issuer: str = attrs.field(validator=_check_url)
    """The issuer URL; discovery reads ``<issuer>/.well-known/openid-configuration``."""
    client_id: str = attrs.field(validator=_check_text)
    """The client ID the provider gave this service at registration."""
    client_secret: str = attrs.field(validator=_check_text, repr=False)
    """The client secret from the registration; it authenticates the token request."""
    redirect_uri: str = attrs.field(validator=_check_url)
    """Where the provider sends the browser back; registered there exactly as written here."""
    name: str = attrs.field(default="entree-oidc", validator=_check_text)
    """The provider's name in the configuration and the audit log."""
    scopes: tuple[str, ...] = attrs.field(
        default=("openid",), converter=tuple, validator=_check_scopes
    )
    """The scopes asked for; ``openid`` is required (Entree releases by agreement and consent)."""
    claims: Mapping[str, str] = attrs.field(
        default=ENTREE_CLAIMS,
        converter=_table,
        validator=_check_claims,
    )
    """Which claim (key) becomes which attribute (value); Entree's names by default."""
    claims_parameter: bool = True
    """Ask, with the ``claims`` request parameter, for the claims to come in the signed id_token."""
    userinfo: bool = False
    """Also read the claims from the userinfo endpoint (its ``sub`` must be the id_token's)."""
    token_endpoint_auth_method: Literal["client_secret_basic", "client_secret_post"] = attrs.field(
        default="client_secret_basic",
        validator=_check_auth_method,
    )
    """How the token request carries the client secret."""
    algorithms: tuple[str, ...] = attrs.field(
        default=("RS256", "PS256", "ES256"), converter=tuple, validator=_check_algorithms
    )
    """The id_token signature algorithms accepted (a subset of :data:`SIGNING_ALGORITHMS`)."""
    clock_slack: timedelta = attrs.field(default=timedelta(seconds=60), validator=_check_slack)
    """How far the provider's clock may differ from ours, for ``exp``, ``nbf`` and ``iat``."""
    request_lifetime: timedelta = attrs.field(
        default=timedelta(minutes=10), validator=_check_positive
    )
    """How long a sign-in request waits for the provider's answer."""
    timeout: float = attrs.field(default=5.0, validator=_check_positive)
    """Seconds each request to the provider (discovery, JWKS, token, userinfo) may take."""
    metadata_max_age: timedelta = attrs.field(
        default=timedelta(hours=24), validator=_check_positive
    )
    """After this long the discovery document and the JWKS are read again."""
