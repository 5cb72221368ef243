"""The AuthnRequest: what it asks, how it travels, and its signature where the SP signs."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import attrs
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree
from saml2.sigver import CryptoBackendXmlSec1
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import ACS_URL, IDP_SSO_URL, SP_ENTITY_ID, KeyFiles, inflate_request

from examkit.errors import ConfigurationError, InvalidInput
from examkit.federation.saml import SamlAdapter, SamlSettings
from examkit.testing import SequenceSecretSource

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


@pytest.mark.req("AUTH-13")
def test_the_request_asks_for_a_post_to_the_acs_at_the_given_moment(adapter: SamlAdapter) -> None:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("req"))
    assert request.redirect_url is not None
    query = dict(parse_qsl(urlsplit(request.redirect_url).query))
    assert {"SAMLRequest", "RelayState"} == set(query)
    assert "relay" == query["RelayState"]
    xml = etree.fromstring(inflate_request(query["SAMLRequest"]))
    assert f"{{{SAMLP}}}AuthnRequest" == xml.tag
    assert {
        "ID": request.pending["request_id"],
        "Version": "2.0",
        "IssueInstant": "2026-12-05T09:00:00Z",
        "Destination": IDP_SSO_URL,
        "ProtocolBinding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        "AssertionConsumerServiceURL": ACS_URL,
    } == {str(name): str(value) for name, value in xml.attrib.items()}
    assert SP_ENTITY_ID == xml.findtext("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
    assert {"request_id": request.pending["request_id"], "relay_state": "relay"} == dict(
        request.pending
    )
    assert BEGIN_AT + timedelta(minutes=10) == request.expires_at
    again = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("other"))
    assert again.pending["request_id"] != request.pending["request_id"]


@pytest.mark.req("AUTH-13")
def test_a_redirect_request_is_signed_over_its_query_with_rsa_sha256(
    settings: SamlSettings, sp_key: KeyFiles
) -> None:
    adapter = SamlAdapter(attrs.evolve(settings, signing_key_pem=sp_key.pair.key_pem))
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource())
    assert request.redirect_url is not None
    fields = parse_qsl(urlsplit(request.redirect_url).query)
    assert ["SAMLRequest", "RelayState", "SigAlg", "Signature"] == [name for name, _ in fields]
    values = dict(fields)
    assert "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" == values["SigAlg"]
    # The HTTP-Redirect binding signs the query string of the fields before Signature.
    signed = urlencode(fields[:3]).encode()
    key = x509.load_pem_x509_certificate(sp_key.pair.certificate_pem).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(base64.b64decode(values["Signature"]), signed, padding.PKCS1v15(), hashes.SHA256())


@pytest.mark.req("AUTH-13")
def test_a_post_request_carries_an_enveloped_signature(
    settings: SamlSettings, sp_key: KeyFiles, xmlsec1: str
) -> None:
    adapter = SamlAdapter(
        attrs.evolve(
            settings,
            binding="post",
            signing_key_pem=sp_key.pair.key_pem,
            signing_certificate_pem=sp_key.pair.certificate_pem,
        )
    )
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource())
    xml = base64.b64decode(request.post_fields["SAMLRequest"])
    backend = CryptoBackendXmlSec1(xmlsec1, delete_tmpfiles=True)
    assert backend.validate_signature(
        xml, str(sp_key.cert_file), "pem", f"{SAMLP}:AuthnRequest", request.pending["request_id"]
    )
    method = etree.fromstring(xml).find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureMethod")
    assert method is not None
    assert "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" == method.get("Algorithm")


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize("state", ["", "x" * 81])
def test_a_relay_state_the_bindings_cannot_carry_is_refused(
    adapter: SamlAdapter, state: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        adapter.begin(state=state, now=BEGIN_AT, secrets=SequenceSecretSource())
    assert "saml.relay_state.invalid" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_binding_the_provider_does_not_offer_is_a_configuration_error(
    settings: SamlSettings,
) -> None:
    idp = attrs.evolve(settings.idp, sso_post=None)
    adapter = SamlAdapter(attrs.evolve(settings, idp=idp, binding="post"))
    with pytest.raises(ConfigurationError) as refused:
        adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource())
    assert "saml.metadata.invalid" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_the_clock_slack_is_at_most_five_minutes(settings: SamlSettings) -> None:
    assert timedelta(seconds=90) == settings.clock_slack
    attrs.evolve(settings, clock_slack=timedelta(minutes=5))
    for wrong in (timedelta(minutes=5, seconds=1), timedelta(seconds=-1)):
        with pytest.raises(ConfigurationError) as refused:
            attrs.evolve(settings, clock_slack=wrong)
        assert "saml.settings.slack" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_without_xmlsec1_the_adapter_is_a_configuration_error(
    settings: SamlSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ConfigurationError) as refused:
        SamlAdapter(attrs.evolve(settings, xmlsec_binary=None))
    assert "saml.xmlsec.missing" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_an_unusable_signing_key_is_a_configuration_error(
    settings: SamlSettings, sp_key: KeyFiles
) -> None:
    for wrong in (
        attrs.evolve(settings, signing_key_pem=b"not a key"),
        attrs.evolve(settings, signing_key_pem=sp_key.pair.certificate_pem),
        attrs.evolve(settings, binding="post", signing_key_pem=sp_key.pair.key_pem),
    ):
        with pytest.raises(ConfigurationError) as refused:
            SamlAdapter(wrong)
        assert "saml.certificate.invalid" == refused.value.code
