"""Every other check of the SAML adapter, each refused with its own code."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest
from lxml import etree
from saml2.xmldsig import DIGEST_SHA1, SIG_RSA_SHA1
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import NS, KeyFiles, SamlIdentityProvider, SignedResponse

from examkit.errors import InvalidInput
from examkit.federation import SignInRequest
from examkit.federation.saml import SamlAdapter, SamlSettings
from examkit.testing import SequenceSecretSource


def _begin(adapter: SamlAdapter, idp: SamlIdentityProvider) -> tuple[SignInRequest, str]:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("refusals"))
    return request, idp.receive(request).request_id


def _refusal(
    adapter: SamlAdapter,
    request: SignInRequest,
    response: SignedResponse | bytes,
    *,
    now: timedelta = timedelta(0),
    issued: SignedResponse | None = None,
) -> str:
    """Return the code *adapter* refuses *response* with, checked *now* after its issue."""
    if isinstance(response, SignedResponse):
        fields, at = response.form("relay"), response.issued_at
    else:
        assert issued is not None
        fields = {"SAMLResponse": base64.b64encode(response).decode(), "RelayState": "relay"}
        at = issued.issued_at
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=fields, pending=request.pending, now=at + now)
    return refused.value.code


def _set(path: str, attribute: str | None, value: str) -> Callable[[etree._Element], None]:
    """Return an edit that sets *attribute* (or the text) of the element at *path*."""

    def edit(root: etree._Element) -> None:
        found = root if path == "." else root.find(path, NS)
        assert found is not None
        if attribute is None:
            found.text = value
        else:
            found.set(attribute, value)

    return edit


CONFIRMATION = "saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"


@pytest.mark.req("AUTH-13")
def test_an_unsigned_assertion_is_refused(adapter: SamlAdapter, idp: SamlIdentityProvider) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_assertion=False)
    assert "saml.signature.missing" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_a_signed_response_with_an_unsigned_assertion_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_assertion=False, sign_response=True)
    assert "saml.signature.missing" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_a_signature_over_another_element_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_assertion=False, sign_response=True)
    root = response.tree()
    signature = root.find("ds:Signature", NS)
    assertion = root.find("saml:Assertion", NS)
    assert signature is not None
    assert assertion is not None
    assertion.insert(1, signature)  # the response's signature, now inside the assertion
    code = _refusal(adapter, request, etree.tostring(root), issued=response)
    assert "saml.signature.reference" == code


@pytest.mark.req("AUTH-13")
def test_a_key_carried_in_keyinfo_but_absent_from_the_metadata_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider, attacker_key: KeyFiles
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, signer=attacker_key)
    assert "saml.signature.unknown_key" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_a_signature_by_another_key_without_keyinfo_does_not_verify(
    adapter: SamlAdapter, idp: SamlIdentityProvider, attacker_key: KeyFiles
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, signer=attacker_key, embed_certificate=False)
    assert "saml.signature.invalid" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_an_assertion_changed_after_signing_does_not_verify(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id)
    changed = response.xml.replace(b"Petteflat College", b"Evil College")
    assert changed != response.xml
    assert "saml.signature.invalid" == _refusal(adapter, request, changed, issued=response)


@pytest.mark.req("AUTH-13")
def test_a_sha1_signature_is_refused(adapter: SamlAdapter, idp: SamlIdentityProvider) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_alg=SIG_RSA_SHA1)
    assert "saml.signature.algorithm" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_a_sha1_digest_is_refused(adapter: SamlAdapter, idp: SamlIdentityProvider) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, digest_alg=DIGEST_SHA1)
    assert "saml.signature.digest" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (
            _set(
                "saml:Assertion/saml:Conditions/saml:AudienceRestriction/saml:Audience", None, "x"
            ),
            "saml.audience.mismatch",
        ),
        (_set(".", "Destination", "https://evil.example/acs"), "saml.destination.mismatch"),
        (_set(CONFIRMATION, "Recipient", "https://evil.example/acs"), "saml.recipient.mismatch"),
        (_set("saml:Assertion/saml:Issuer", None, "https://evil.example"), "saml.issuer.mismatch"),
        (_set(CONFIRMATION, "InResponseTo", "_another"), "saml.in_response_to.mismatch"),
    ],
    ids=["audience", "destination", "recipient", "issuer", "confirmation-in-response-to"],
)
def test_a_response_for_someone_else_is_refused(
    adapter: SamlAdapter,
    idp: SamlIdentityProvider,
    edit: Callable[[etree._Element], None],
    code: str,
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_response=True, edit=edit)
    assert code == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_an_expired_assertion_is_refused_after_the_slack(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id)  # NotOnOrAfter: five minutes after its issue
    late = timedelta(minutes=5, seconds=90)
    assert "saml.assertion.expired" == _refusal(adapter, request, response, now=late)
    identity = adapter.finish(
        response=response.form("relay"),
        pending=request.pending,
        now=response.issued_at + late - timedelta(seconds=1),
    )
    assert identity.subject


@pytest.mark.req("AUTH-13")
def test_a_not_yet_valid_assertion_is_refused_beyond_the_slack(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id)  # NotBefore: its issue
    early = -timedelta(seconds=91)
    assert "saml.assertion.not_yet_valid" == _refusal(adapter, request, response, now=early)
    identity = adapter.finish(
        response=response.form("relay"),
        pending=request.pending,
        now=response.issued_at - timedelta(seconds=90),
    )
    assert identity.subject


@pytest.mark.req("AUTH-13")
def test_an_expired_subject_confirmation_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(
        request_id, edit=_set(CONFIRMATION, "NotOnOrAfter", "2020-01-01T00:00:00Z")
    )
    assert "saml.subject_confirmation.expired" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_a_response_to_another_request_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, _ = _begin(adapter, idp)
    response = idp.respond("_a-request-of-another-browser")
    assert "saml.in_response_to.mismatch" == _refusal(adapter, request, response)


@pytest.mark.req("AUTH-13")
def test_an_unsolicited_response_is_refused_unless_configured(
    settings: SamlSettings, adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, _ = _begin(adapter, idp)
    response = idp.respond(None)
    assert "saml.response.unsolicited" == _refusal(adapter, request, response)
    allowing = SamlAdapter(attrs.evolve(settings, allow_unsolicited=True))
    identity = allowing.finish(response=response.form("x"), pending={}, now=response.issued_at)
    assert "qj7cks8qdz9ph54@petteflat" == identity.subject
    # Allowed unsolicited responses still do not pass for the answer to a request.
    with pytest.raises(InvalidInput) as refused:
        allowing.finish(
            response=idp.respond("_other").form("relay"),
            pending=request.pending,
            now=response.issued_at,
        )
    assert "saml.in_response_to.mismatch" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_relay_state_other_than_the_stored_one_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id)
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(
            response=response.form("another"), pending=request.pending, now=response.issued_at
        )
    assert "saml.relay_state.mismatch" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_failure_reported_by_the_provider_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    def fail(root: etree._Element) -> None:
        code = root.find("samlp:Status/samlp:StatusCode", NS)
        assertion = root.find("saml:Assertion", NS)
        assert code is not None
        assert assertion is not None
        code.set("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
        root.remove(assertion)

    request, request_id = _begin(adapter, idp)
    response = idp.respond(request_id, sign_assertion=False, edit=fail)
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=response.form("relay"), pending=request.pending, now=BEGIN_AT)
    assert "saml.status.failed" == refused.value.code
    assert "status:Responder" in refused.value.message("en")


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"RelayState": "relay"}, "saml.response.missing"),
        ({"SAMLResponse": "not base64!", "RelayState": "relay"}, "saml.response.encoding"),
        (
            {"SAMLResponse": base64.b64encode(b"<a>").decode(), "RelayState": "relay"},
            "saml.response.malformed",
        ),
        (
            {
                "SAMLResponse": base64.b64encode(
                    b'<!DOCTYPE r [<!ENTITY x "y">]><samlp:Response '
                    b'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0">&x;'
                    b"</samlp:Response>"
                ).decode(),
                "RelayState": "relay",
            },
            "saml.response.malformed",
        ),
        ({"SAMLResponse": "A" * 400_000, "RelayState": "relay"}, "saml.response.too_large"),
    ],
    ids=["missing", "not-base64", "not-xml", "doctype", "too-large"],
)
def test_unusable_input_is_refused(adapter: SamlAdapter, fields: dict[str, str], code: str) -> None:
    pending = {"request_id": "_r", "relay_state": "relay"}
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=fields, pending=pending, now=BEGIN_AT)
    assert code == refused.value.code
