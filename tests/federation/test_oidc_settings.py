"""The OpenID Connect settings refuse what would weaken the sign-in (AUTH-13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from examkit.errors import ConfigurationError, InvalidInput
from examkit.federation.oidc import OidcSettings, attributes_from

pytestmark = pytest.mark.req("AUTH-13")

REQUIRED: dict[str, Any] = {
    "issuer": "https://oidc.entree.example",
    "client_id": "examkit-portal",
    "client_secret": "from-the-registration",
    "redirect_uri": "https://toetsen.example.nl/aanmelden/entree/oidc",
}


def refusal(**changes: Any) -> tuple[str, str | None]:
    with pytest.raises(ConfigurationError) as caught:
        OidcSettings(**{**REQUIRED, **changes})
    return caught.value.code, caught.value.field


def test_the_defaults() -> None:
    settings = OidcSettings(**REQUIRED)
    assert ("openid",) == settings.scopes
    assert timedelta(seconds=60) == settings.clock_slack
    assert ("RS256", "PS256", "ES256") == settings.algorithms
    assert "client_secret_basic" == settings.token_endpoint_auth_method
    assert "entree-oidc" == settings.name
    assert "from-the-registration" not in repr(settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://oidc.entree.example",
        "ftp://oidc.entree.example",
        "https://",
        "https://toetsen.example.nl/cb#fragment",
        "http://10.0.0.1/cb",
    ],
)
def test_addresses_are_https_except_on_loopback(url: str) -> None:
    assert ("oidc.config.url", "issuer") == refusal(issuer=url)
    assert ("oidc.config.url", "redirect_uri") == refusal(redirect_uri=url)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "[::1]:5000"])
def test_http_on_loopback_is_allowed_for_tests(host: str) -> None:
    settings = OidcSettings(**{**REQUIRED, "issuer": f"http://{host}"})
    assert settings.issuer.startswith("http://")


def test_the_scopes_include_openid() -> None:
    assert ("oidc.config.scopes", "scopes") == refusal(scopes=("profile",))
    assert ("oidc.config.scopes", "scopes") == refusal(scopes=("openid", "a b"))


@pytest.mark.parametrize("algorithm", ["none", "HS256", "RS1"])
def test_unsigned_and_shared_key_signatures_cannot_be_allowed(algorithm: str) -> None:
    assert ("oidc.config.algorithm", "algorithms") == refusal(algorithms=("RS256", algorithm))


def test_the_clock_slack_is_at_most_five_minutes() -> None:
    OidcSettings(**REQUIRED, clock_slack=timedelta(minutes=5))
    assert ("oidc.config.slack", "clock_slack") == refusal(clock_slack=timedelta(minutes=6))
    assert ("oidc.config.slack", "clock_slack") == refusal(clock_slack=timedelta(seconds=-1))


def test_the_other_settings() -> None:
    assert ("oidc.config.required", "client_id") == refusal(client_id=" ")
    assert ("oidc.config.required", "client_secret") == refusal(client_secret="")
    assert ("oidc.config.auth_method", "token_endpoint_auth_method") == refusal(
        token_endpoint_auth_method="private_key_jwt"
    )
    assert ("oidc.config.positive", "timeout") == refusal(timeout=0)
    assert ("oidc.config.positive", "request_lifetime") == refusal(request_lifetime=timedelta(0))
    assert ("oidc.config.claims", "claims") == refusal(claims={"uid": ""})


def test_claims_become_attributes_by_the_table() -> None:
    claims = {"uid": "abc@realm", "roles": ["employee", "staff"], "absent": None, "empty": []}
    table = {"uid": "uid", "roles": "eduPersonAffiliation", "absent": "mail", "empty": "sn"}
    assert {"uid": ("abc@realm",), "eduPersonAffiliation": ("employee", "staff")} == (
        attributes_from(claims, table)
    )


@pytest.mark.parametrize("value", [42, {"nested": "x"}, ["ok", 3], True])
def test_a_claim_of_another_type_is_refused(value: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        attributes_from({"givenName": value}, {"givenName": "givenName"})
    assert ("oidc.claim.type", "givenName") == (caught.value.code, caught.value.field)
