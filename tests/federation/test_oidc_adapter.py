"""The OpenID Connect adapter against a real OpenID provider on loopback (AUTH-13).

Every sign-in runs the whole code flow: the adapter's authorization URL, the
provider's sign-in form, the redirect back, the token request, the JWKS.
The attacks have the provider hand out a forged id_token (or the browser
return a tampered answer), and each is refused with its own code.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest
from joserfc.jwk import RSAKey
from tests.federation.oidc_provider import (
    CLIENT_ID,
    DEFAULT_REDIRECT_URI,
    OidcProvider,
    serve_provider,
    signed_by,
    unsigned,
)

from examkit.clocks import SystemClock
from examkit.errors import ConfigurationError, InvalidInput, ServiceUnavailable
from examkit.federation import FederatedIdentity, IdentityProviderAdapter, SignInRequest
from examkit.federation.oidc import DISCOVERY_PATH, OidcAdapter
from examkit.testing import SequenceSecretSource

pytestmark = pytest.mark.req("AUTH-13")


@pytest.fixture(scope="session")
def provider() -> Iterator[OidcProvider]:
    """One provider for the session (each xdist worker has its own)."""
    with serve_provider() as served:
        yield served


@pytest.fixture
def made() -> Iterator[list[OidcAdapter]]:
    """The adapters a test makes, closed after it."""
    adapters: list[OidcAdapter] = []
    yield adapters
    for adapter in adapters:
        adapter.close()


@pytest.fixture
def make(provider: OidcProvider, made: list[OidcAdapter]) -> Callable[..., OidcAdapter]:
    """Make an adapter for *provider* with settings *overrides* (and a transport)."""

    def make_adapter(transport: httpx.BaseTransport | None = None, **overrides: Any) -> OidcAdapter:
        settings = attrs.evolve(provider.settings(DEFAULT_REDIRECT_URI), **overrides)
        made.append(OidcAdapter(settings, transport=transport))
        return made[-1]

    return make_adapter


@pytest.fixture
def adapter(make: Callable[..., OidcAdapter]) -> OidcAdapter:
    """A new adapter (nothing read from the provider yet) with the default settings."""
    return make()


@pytest.fixture
def secrets(request: pytest.FixtureRequest) -> SequenceSecretSource:
    """Draws of the test's own (the provider refuses a nonce it saw already)."""
    return SequenceSecretSource(seed=request.node.nodeid)


def now() -> datetime:
    """The wall clock: the provider stamps its id_tokens by it."""
    return SystemClock().now()


def begin(adapter: OidcAdapter, secrets: SequenceSecretSource) -> SignInRequest:
    return adapter.begin(state=secrets.token_urlsafe(16), now=now(), secrets=secrets)


def answer(
    provider: OidcProvider,
    adapter: OidcAdapter,
    secrets: SequenceSecretSource,
    person: str = "docent",
) -> tuple[SignInRequest, dict[str, str]]:
    """Begin a sign-in, sign *person* in at the provider; return the request and the answer."""
    request = begin(adapter, secrets)
    assert request.redirect_url is not None
    return request, provider.sign_in(request.redirect_url, person)


def sign_in(
    provider: OidcProvider,
    adapter: OidcAdapter,
    secrets: SequenceSecretSource,
    person: str = "docent",
    at: datetime | None = None,
) -> FederatedIdentity:
    request, response = answer(provider, adapter, secrets, person)
    return adapter.finish(response=response, pending=request.pending, now=at or now())


def refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource, **when: datetime
) -> str:
    """Return the code of the refusal of a whole sign-in (failing when it is accepted)."""
    with pytest.raises(InvalidInput) as caught:
        sign_in(provider, adapter, secrets, at=when.get("at"))
    return caught.value.code


def test_a_teacher_signs_in_with_entree_attributes(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    before = now()
    identity = sign_in(provider, adapter, secrets)
    assert provider.issuer == identity.issuer
    assert "qj7cks8qdz9ph54@petteflat" == identity.subject
    assert {
        "uid": ("qj7cks8qdz9ph54@petteflat",),
        "givenName": ("Piet",),
        "sn": ("Pukkelen",),
        "eduPersonAffiliation": ("employee", "staff"),
        "nlEduPersonHomeOrganizationId": ("11ZZ03",),
        "nlEduPersonHomeOrganization": ("Petteflat College",),
        "eckId": ("https://ketenid.nl/201703/3d3b0b9bd8a3e0b1c5f2e1a4d6c7b8e9",),
        "nlEduPersonRealId": ("pietjepuk@petteflat",),
        "mail": ("p.pukkelen@petteflat.nl",),
    } == dict(identity.attributes)
    assert before - timedelta(seconds=1) <= identity.authenticated_at <= now()
    # Authlib's provider gives an id_token an hour; the replay store keeps its key that long.
    assert timedelta(minutes=59) < identity.valid_until - before <= timedelta(minutes=61)
    assert identity.replay_key.startswith("oidc:jti:")


def test_without_the_schools_consent_only_the_standard_attributes(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    identity = sign_in(provider, adapter, secrets, person="zonder-toestemming")
    assert "x81mf0a2kd7q@petteflat" == identity.subject
    assert ("11ZZ",) == identity.values("nlEduPersonHomeOrganizationId")
    assert () == identity.values("eckId")
    assert () == identity.values("mail")
    assert () == identity.values("nlEduPersonRealId")


def test_the_attributes_can_come_from_the_userinfo_endpoint(
    provider: OidcProvider, make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    adapter = make(claims_parameter=False, userinfo=True)
    identity = sign_in(provider, adapter, secrets)
    assert ("Petteflat College",) == identity.values("nlEduPersonHomeOrganization")
    assert ("employee", "staff") == identity.values("eduPersonAffiliation")


def test_a_claims_table_renames_the_attributes(
    provider: OidcProvider, make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    adapter = make(claims={"nlEduPersonHomeOrganizationId": "brin"})
    identity = sign_in(provider, adapter, secrets)
    assert {"brin": ("11ZZ03",)} == dict(identity.attributes)


def test_the_authorization_request_carries_pkce_state_and_nonce(
    adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    moment = now()
    request = adapter.begin(state="the-state", now=moment, secrets=secrets)
    assert request.redirect_url is not None
    query = {
        name: values[0] for name, values in parse_qs(urlsplit(request.redirect_url).query).items()
    }
    verifier = request.pending["code_verifier"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert "code" == query["response_type"]
    assert CLIENT_ID == query["client_id"]
    assert DEFAULT_REDIRECT_URI == query["redirect_uri"]
    assert "openid" == query["scope"]
    assert "the-state" == query["state"] == request.state == request.pending["state"]
    assert request.pending["nonce"] == query["nonce"]
    assert challenge.decode() == query["code_challenge"]
    assert "S256" == query["code_challenge_method"]
    assert 43 <= len(verifier) <= 128
    assert verifier not in request.redirect_url
    assert moment + timedelta(minutes=10) == request.expires_at


def test_a_forged_id_token_without_signature_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(unsigned):
        assert "oidc.id_token.algorithm" == refused(provider, adapter, secrets)


def test_an_id_token_signed_with_another_key_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    stranger = RSAKey.generate_key(2048)
    with provider.forging(signed_by(stranger)):
        assert "oidc.id_token.signature" == refused(provider, adapter, secrets)


def test_an_id_token_from_another_issuer_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, iss="https://idp.example.org")):
        assert "oidc.id_token.issuer" == refused(provider, adapter, secrets)


def test_an_id_token_for_another_service_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, aud=["another-service"])):
        assert "oidc.id_token.audience" == refused(provider, adapter, secrets)


def test_an_id_token_with_another_authorized_party_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    forgery = signed_by(provider.signing_key, aud=[CLIENT_ID, "other"], azp="other")
    with provider.forging(forgery):
        assert "oidc.id_token.audience" == refused(provider, adapter, secrets)


def test_an_expired_id_token_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    past = int(now().timestamp()) - 600
    with provider.forging(signed_by(provider.signing_key, iat=past - 300, exp=past)):
        assert "oidc.id_token.expired" == refused(provider, adapter, secrets)


def test_expiry_allows_the_stated_clock_slack_of_a_minute(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    in_an_hour = now() + timedelta(hours=1)
    identity = sign_in(provider, adapter, secrets, at=in_an_hour + timedelta(seconds=30))
    assert identity.valid_until < in_an_hour + timedelta(seconds=30)
    late = in_an_hour + timedelta(seconds=90)
    assert "oidc.id_token.expired" == refused(provider, adapter, secrets, at=late)


def test_an_id_token_from_the_future_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    # Our clock five minutes behind the provider's: the id_token was issued "later".
    behind = now() - timedelta(minutes=5)
    assert "oidc.id_token.not_yet_valid" == refused(provider, adapter, secrets, at=behind)


def test_an_id_token_with_another_nonce_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, nonce="an-earlier-nonce")):
        assert "oidc.id_token.nonce" == refused(provider, adapter, secrets)


def test_an_id_token_without_nonce_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, nonce=None)):
        assert "oidc.id_token.nonce" == refused(provider, adapter, secrets)


def test_an_id_token_without_subject_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, sub=None)):
        assert "oidc.id_token.missing" == refused(provider, adapter, secrets)


def test_an_expiry_beyond_any_calendar_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, exp=10**15)):
        assert "oidc.id_token.claim" == refused(provider, adapter, secrets)


def test_a_claim_that_is_no_text_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    forgery = signed_by(provider.signing_key, nlEduPersonHomeOrganizationId=1234)
    with provider.forging(forgery), pytest.raises(InvalidInput) as caught:
        sign_in(provider, adapter, secrets)
    assert ("oidc.claim.type", "nlEduPersonHomeOrganizationId") == (
        caught.value.code,
        caught.value.field,
    )


def test_an_answer_with_another_state_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request, response = answer(provider, adapter, secrets)
    for tampered in (
        {**response, "state": "someone-elses"},
        {**response, "state": "\udcff"},
        {"code": response["code"]},
    ):
        with pytest.raises(InvalidInput) as caught:
            adapter.finish(response=tampered, pending=request.pending, now=now())
        assert "oidc.response.state" == caught.value.code


def test_a_request_without_its_pkce_verifier_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request, response = answer(provider, adapter, secrets)
    pending = {name: value for name, value in request.pending.items() if name != "code_verifier"}
    with pytest.raises(InvalidInput) as caught:
        adapter.finish(response=response, pending=pending, now=now())
    assert "oidc.pending.incomplete" == caught.value.code


def test_a_code_with_another_pkce_verifier_is_refused_by_the_provider(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request, response = answer(provider, adapter, secrets)
    pending = {**request.pending, "code_verifier": "x" * 64}
    with pytest.raises(InvalidInput) as caught:
        adapter.finish(response=response, pending=pending, now=now())
    assert ("oidc.token.refused", "invalid_grant") == (
        caught.value.code,
        caught.value.params["error"],
    )


def test_a_code_is_redeemed_once(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request, response = answer(provider, adapter, secrets)
    adapter.finish(response=response, pending=request.pending, now=now())
    with pytest.raises(InvalidInput) as caught:
        adapter.finish(response=response, pending=request.pending, now=now())
    assert "oidc.token.refused" == caught.value.code


def test_the_providers_refusal_is_reported(
    adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request = begin(adapter, secrets)
    response = {"state": request.state, "error": "access_denied", "error_description": "<b>"}
    with pytest.raises(InvalidInput) as caught:
        adapter.finish(response=response, pending=request.pending, now=now())
    assert ("oidc.response.error", "access_denied") == (
        caught.value.code,
        caught.value.params["error"],
    )


def test_an_answer_naming_another_issuer_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request, response = answer(provider, adapter, secrets)
    mixed_up = {**response, "iss": "https://idp.example.org"}
    with pytest.raises(InvalidInput) as caught:
        adapter.finish(response=mixed_up, pending=request.pending, now=now())
    assert "oidc.response.issuer" == caught.value.code


def test_a_replayed_id_token_has_the_same_replay_key(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request = begin(adapter, secrets)
    assert request.redirect_url is not None
    # An id_token without at_hash is bound to no access token: only the replay key catches it.
    with provider.forging(signed_by(provider.signing_key, at_hash=None)):
        response = provider.sign_in(request.redirect_url)
        first = adapter.finish(response=response, pending=request.pending, now=now())
    original = provider.issued[-1]
    # A second code for the same request; the provider (or a thief) hands back the first id_token.
    response = provider.sign_in(request.redirect_url)
    with provider.forging(lambda header, claims: original):
        again = adapter.finish(response=response, pending=request.pending, now=now())
    assert first.replay_key == again.replay_key
    assert first.replay_key != sign_in(provider, adapter, secrets).replay_key


def test_an_id_token_issued_with_another_access_token_is_refused(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    request = begin(adapter, secrets)
    assert request.redirect_url is not None
    adapter.finish(
        response=provider.sign_in(request.redirect_url), pending=request.pending, now=now()
    )
    original = provider.issued[-1]
    response = provider.sign_in(request.redirect_url)
    with provider.forging(lambda header, claims: original), pytest.raises(InvalidInput) as caught:
        adapter.finish(response=response, pending=request.pending, now=now())
    assert "oidc.id_token.at_hash" == caught.value.code


def test_without_jti_the_replay_key_is_the_id_tokens_digest(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    with provider.forging(signed_by(provider.signing_key, jti=None)):
        identity = sign_in(provider, adapter, secrets)
    digest = hashlib.sha256(provider.issued[-1].encode()).hexdigest()
    assert f"oidc:sha256:{digest}" == identity.replay_key


def test_rotated_keys_are_read_again_once(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    sign_in(provider, adapter, secrets)
    reads = provider.jwks_reads
    sign_in(provider, adapter, secrets)
    assert reads == provider.jwks_reads  # kept between sign-ins
    provider.rotate_keys()
    identity = sign_in(provider, adapter, secrets)
    assert reads + 1 == provider.jwks_reads
    assert "qj7cks8qdz9ph54@petteflat" == identity.subject


def test_the_discovery_document_and_keys_are_read_again_after_a_day(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    moment = now()
    adapter.begin(state="one", now=moment, secrets=secrets)
    reads = provider.jwks_reads
    adapter.begin(state="two", now=moment + timedelta(hours=23), secrets=secrets)
    assert reads == provider.jwks_reads
    adapter.begin(state="three", now=moment + timedelta(hours=24), secrets=secrets)
    assert reads + 1 == provider.jwks_reads


def test_a_key_the_provider_does_not_publish_is_refused_after_one_read(
    provider: OidcProvider, adapter: OidcAdapter, secrets: SequenceSecretSource
) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "not-published"})
    sign_in(provider, adapter, secrets)
    reads = provider.jwks_reads

    def forge(header: dict[str, object], claims: dict[str, object]) -> str:
        return signed_by(stranger)({**header, "kid": "not-published"}, claims)

    with provider.forging(forge):
        assert "oidc.id_token.key_unknown" == refused(provider, adapter, secrets)
    assert reads + 1 == provider.jwks_reads


def test_an_unreachable_provider_is_unavailable(
    make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    with serve_provider() as gone:
        issuer = gone.issuer
    with pytest.raises(ServiceUnavailable) as caught:
        begin(make(issuer=issuer), secrets)
    assert ("oidc.provider.unavailable", "ConnectError") == (
        caught.value.code,
        caught.value.params["reason"],
    )


def test_a_provider_that_times_out_is_unavailable(
    make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    def time_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(ServiceUnavailable) as caught:
        begin(make(transport=httpx.MockTransport(time_out)), secrets)
    assert ("oidc.provider.unavailable", "ReadTimeout") == (
        caught.value.code,
        caught.value.params["reason"],
    )


def breaking(path: str, broken: httpx.Response) -> httpx.MockTransport:
    """A transport to the real provider, except that *path* answers *broken*."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == path:
            return broken
        with httpx.Client() as client:
            response = client.send(request)
            response.read()
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    "case",
    [
        ("/token", httpx.Response(503), "oidc.provider.unavailable"),
        ("/token", httpx.Response(200, text="<html>busy</html>"), "oidc.provider.answer"),
        ("/jwks", httpx.Response(200, json={"keys": "none"}), "oidc.provider.answer"),
    ],
)
def test_a_provider_answering_nonsense_is_unavailable(
    provider: OidcProvider,
    make: Callable[..., OidcAdapter],
    secrets: SequenceSecretSource,
    case: tuple[str, httpx.Response, str],
) -> None:
    path, broken, code = case
    adapter = make(transport=breaking(path, broken))
    with pytest.raises(ServiceUnavailable) as caught:
        sign_in(provider, adapter, secrets)
    assert code == caught.value.code


def test_a_provider_calling_itself_otherwise_is_a_configuration_error(
    provider: OidcProvider, make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        begin(make(issuer=provider.issuer + "/"), secrets)
    assert "oidc.discovery.issuer" == caught.value.code


def test_a_wrong_client_secret_is_a_configuration_error(
    provider: OidcProvider, make: Callable[..., OidcAdapter], secrets: SequenceSecretSource
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        sign_in(provider, make(client_secret="not-the-registered-one"), secrets)
    assert "oidc.token.client" == caught.value.code


@pytest.mark.parametrize(
    "case",
    [
        ({"issuer": "https://idp.example.org"}, "oidc.discovery.issuer"),
        ({"code_challenge_methods_supported": ["plain"]}, "oidc.discovery.pkce"),
        ({"token_endpoint": "http://idp.example.org/token"}, "oidc.discovery.endpoint"),
        ({"jwks_uri": None}, "oidc.discovery.endpoint"),
    ],
)
def test_a_discovery_document_that_does_not_fit_is_a_configuration_error(
    provider: OidcProvider,
    make: Callable[..., OidcAdapter],
    secrets: SequenceSecretSource,
    case: tuple[dict[str, object], str],
) -> None:
    changes, code = case
    with httpx.Client() as client:
        document = client.get(provider.issuer + DISCOVERY_PATH).json()
    document.update(changes)
    adapter = make(transport=breaking(DISCOVERY_PATH, httpx.Response(200, json=document)))
    with pytest.raises(ConfigurationError) as caught:
        begin(adapter, secrets)
    assert code == caught.value.code


def test_the_adapter_is_an_identity_provider_adapter(adapter: OidcAdapter) -> None:
    port: IdentityProviderAdapter = adapter  # mypy checks the structure
    assert "entree-oidc" == port.name


def test_only_the_oidc_package_imports_authlib_and_httpx() -> None:
    probe = (
        "import sys, examkit, examkit.federation; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'authlib', 'joserfc', 'httpx'}))"
    )
    ran = subprocess.run(  # noqa: S603 - our own interpreter, a fixed program
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "[]" == ran.stdout.strip()
