"""XML signature wrapping (XSW1..XSW8, Somorovsky et al. 2012): every variant refused."""

from __future__ import annotations

import base64

import pytest
from lxml import etree
from saml2.sigver import CryptoBackendXmlSec1
from tests.federation.saml.attacks import WRAPPINGS, evil_copy
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import NS, SAML, SAMLP, KeyFiles, SamlIdentityProvider

from examkit.errors import InvalidInput
from examkit.federation import SignInRequest
from examkit.federation.saml import SamlAdapter
from examkit.testing import SequenceSecretSource

# The code each variant is refused with: the first rule of the document's shape it breaks.
EXPECTED = {
    "XSW1": "saml.response.nested",
    "XSW2": "saml.response.nested",
    "XSW3": "saml.assertion.count",
    "XSW4": "saml.assertion.count",
    "XSW5": "saml.assertion.count",
    "XSW6": "saml.assertion.count",
    "XSW7": "saml.assertion.count",
    "XSW8": "saml.assertion.count",
}


def _begin(adapter: SamlAdapter, idp: SamlIdentityProvider) -> tuple[SignInRequest, str]:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("xsw"))
    return request, idp.receive(request).request_id


def _verifies(xmlsec1: str, key: KeyFiles, document: bytes, node: str, node_id: str) -> bool:
    """Whether xmlsec1 alone, with the right key, still accepts the signature of *node_id*."""
    backend = CryptoBackendXmlSec1(xmlsec1, delete_tmpfiles=True)
    try:
        return bool(backend.validate_signature(document, str(key.cert_file), "pem", node, node_id))
    except Exception:  # pysaml2 raises its own errors for a failed check
        return False


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize("variant", sorted(WRAPPINGS))
def test_signature_wrapping_is_refused(
    variant: str,
    adapter: SamlAdapter,
    idp: SamlIdentityProvider,
    idp_key: KeyFiles,
    xmlsec1: str,
) -> None:
    request, request_id = _begin(adapter, idp)
    genuine = idp.respond(request_id, sign_response=variant in {"XSW1", "XSW2"})
    wrapped = etree.tostring(WRAPPINGS[variant](genuine.tree()))
    # The attack is real: the original signature still verifies inside the wrapped document.
    original_id = str(genuine.tree().find("saml:Assertion", NS).get("ID"))  # type: ignore[union-attr]
    if variant in {"XSW1", "XSW2"}:
        node, node_id = f"{SAMLP}:Response", str(genuine.tree().get("ID"))
    elif variant in {"XSW5", "XSW6", "XSW8"}:  # the signature now sits in the evil assertion
        node, node_id = f"{SAML}:Assertion", "_evil"
    else:
        node, node_id = f"{SAML}:Assertion", original_id
    # Where the original lies inside the signature (XSW6, XSW8), the enveloped-signature
    # transform drops it too, and xmlsec1 alone already refuses.
    assert _verifies(xmlsec1, idp_key, wrapped, node, node_id) == (variant not in {"XSW6", "XSW8"})
    fields = {"SAMLResponse": base64.b64encode(wrapped).decode(), "RelayState": "relay"}
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=fields, pending=request.pending, now=genuine.issued_at)
    assert EXPECTED[variant] == refused.value.code


@pytest.mark.req("AUTH-13")
def test_an_evil_assertion_with_the_signed_id_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    genuine = idp.respond(request_id)
    root = genuine.tree()
    original = root.find("saml:Assertion", NS)
    assert original is not None
    root.insert(root.index(original), evil_copy(original, str(original.get("ID"))))
    fields = {
        "SAMLResponse": base64.b64encode(etree.tostring(root)).decode(),
        "RelayState": "relay",
    }
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=fields, pending=request.pending, now=genuine.issued_at)
    assert "saml.xml.duplicate_id" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_second_signature_inside_the_assertion_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request, request_id = _begin(adapter, idp)
    genuine = idp.respond(request_id)
    root = genuine.tree()
    statement = root.find("saml:Assertion/saml:AttributeStatement", NS)
    signature = root.find("saml:Assertion/ds:Signature", NS)
    assert statement is not None
    assert signature is not None
    statement.append(etree.fromstring(etree.tostring(signature)))
    fields = {
        "SAMLResponse": base64.b64encode(etree.tostring(root)).decode(),
        "RelayState": "relay",
    }
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=fields, pending=request.pending, now=genuine.issued_at)
    assert "saml.signature.misplaced" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_comment_in_a_signed_value_does_not_cut_it_short(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    """Exclusive canonicalisation leaves comments unsigned: the value is read whole."""
    request, request_id = _begin(adapter, idp)
    genuine = idp.respond(request_id)
    uid = b">qj7cks8qdz9ph54@petteflat<"
    assert uid in genuine.xml
    commented = genuine.xml.replace(uid, b">qj7cks8qdz9ph54<!--x-->@petteflat<")
    fields = {"SAMLResponse": base64.b64encode(commented).decode(), "RelayState": "relay"}
    identity = adapter.finish(response=fields, pending=request.pending, now=genuine.issued_at)
    assert "qj7cks8qdz9ph54@petteflat" == identity.subject
    assert ("qj7cks8qdz9ph54@petteflat",) == identity.values("uid")
