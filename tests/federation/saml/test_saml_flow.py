"""The SAML adapter against pysaml2's identity provider: a full sign-in, both bindings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import ACS_URL, IDP_SSO_URL, SP_ENTITY_ID, SamlIdentityProvider

from examkit.federation import (
    AFFILIATION,
    ECK_ID,
    GIVEN_NAME,
    HOME_ORGANIZATION,
    HOME_ORGANIZATION_ID,
    MAIL,
    REAL_ID,
    SURNAME,
    UID,
)
from examkit.federation.saml import IdentityProviderMetadata, SamlAdapter, SamlSettings
from examkit.testing import SequenceSecretSource


@pytest.mark.req("AUTH-13")
def test_a_redirect_sign_in_returns_the_teacher(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request = adapter.begin(state="relay-1", now=BEGIN_AT, secrets=SequenceSecretSource())
    assert request.redirect_url is not None
    assert request.redirect_url.startswith(IDP_SSO_URL + "?")
    received = idp.receive(request)
    assert received.request_id == request.pending["request_id"]
    assert (received.issuer, received.acs_url, received.relay_state) == (
        SP_ENTITY_ID,
        ACS_URL,
        "relay-1",
    )
    response = idp.respond(received.request_id)
    identity = adapter.finish(
        response=response.form("relay-1"), pending=request.pending, now=response.issued_at
    )
    assert identity.issuer == idp.entity_id
    assert identity.subject == "qj7cks8qdz9ph54@petteflat"
    assert dict(identity.attributes) == {
        UID: ("qj7cks8qdz9ph54@petteflat",),
        GIVEN_NAME: ("Pietje",),
        SURNAME: ("Pukkelen",),
        AFFILIATION: ("employee", "staff"),
        HOME_ORGANIZATION_ID: ("11ZZ",),
        HOME_ORGANIZATION: ("Petteflat College",),
        ECK_ID: ("https://ketenid.nl/201703/5ad3b2a0c5e0c4a6f0e1d2c3b4a59687",),
        REAL_ID: ("pietjepukkelen@petteflatcollege",),
        MAIL: ("p.pukkelen@petteflat.example.nl",),
    }
    assert identity.replay_key.startswith("saml:")
    # pysaml2's provider gives assertions five minutes; the replay store keeps the key
    # that long plus the slack.
    assert identity.valid_until == response.issued_at + timedelta(minutes=5, seconds=90)


@pytest.mark.req("AUTH-13")
def test_a_post_sign_in_returns_the_teacher(
    settings: SamlSettings, idp: SamlIdentityProvider
) -> None:
    adapter = SamlAdapter(attrs.evolve(settings, binding="post"))
    request = adapter.begin(state="relay-2", now=BEGIN_AT, secrets=SequenceSecretSource())
    assert request.post_url == IDP_SSO_URL
    assert set(request.post_fields) == {"SAMLRequest", "RelayState"}
    received = idp.receive(request)
    response = idp.respond(received.request_id, sign_response=True)  # both signed
    identity = adapter.finish(
        response=response.form("relay-2"), pending=request.pending, now=response.issued_at
    )
    assert identity.first(HOME_ORGANIZATION_ID) == "11ZZ"


@pytest.mark.req("AUTH-13")
def test_the_provider_serves_a_portal_at_its_own_acs(tmp_path: Path, xmlsec1: str) -> None:
    acs = "http://127.0.0.1:8123/saml/acs"
    idp = SamlIdentityProvider.for_service_provider(
        tmp_path, xmlsec_binary=xmlsec1, sp_entity_id="http://127.0.0.1:8123/saml", acs_url=acs
    )
    adapter = SamlAdapter(
        SamlSettings(
            sp_entity_id="http://127.0.0.1:8123/saml",
            acs_url=acs,
            idp=IdentityProviderMetadata.from_xml(idp.metadata()),
            xmlsec_binary=xmlsec1,
        )
    )
    request = adapter.begin(state="portal", now=BEGIN_AT, secrets=SequenceSecretSource())
    assert request.redirect_url is not None
    received = idp.receive_redirect(request.redirect_url)
    assert (acs, "portal") == (received.acs_url, received.relay_state)
    response = idp.respond(received.request_id)
    identity = adapter.finish(
        response=response.form("portal"), pending=request.pending, now=response.issued_at
    )
    assert "11ZZ" == identity.first(HOME_ORGANIZATION_ID)
