"""Checking a SAML response, in a fixed order, and reading the identity from the signed assertion.

The order matters for signature wrapping (Somorovsky et al., 2012): the
document's shape is settled before any signature is looked at (one
``Response`` at the root, one ``Assertion`` directly below it, no
duplicate IDs, signatures only directly below those two), so the element
xmlsec1 verifies by its ID is the one element everything is read from
afterwards. Only then come the issuer, status, signatures, destination,
request binding, time window, audience and recipient.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import attrs
from lxml import etree

from examkit.errors import InvalidInput
from examkit.federation import UID, FederatedIdentity
from examkit.federation.saml._attributes import LDAP_NAME_OF
from examkit.federation.saml._metadata import IdentityProviderMetadata
from examkit.federation.saml._signature import Verifier, check_signature_shape
from examkit.federation.saml._xml import DS, NS, SAML, SAMLP, XENC, qname, text_of

_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
_ASSERTION_NODE = f"{SAML}:Assertion"
_RESPONSE_NODE = f"{SAMLP}:Response"
_MAX_VALUE = 500


@attrs.frozen
class Expectation:
    """What a response must match: the parties, the request it answers, the moment."""

    idp: IdentityProviderMetadata
    """The identity provider, with its entity ID and signing certificates."""
    sp_entity_id: str
    """Our entity ID: the audience the assertion must name."""
    acs_url: str
    """Our assertion consumer service: the Destination and the Recipient."""
    request_id: str | None
    """The ID of the AuthnRequest this answers, or ``None`` where none was sent."""
    allow_unsolicited: bool
    """Whether a response that answers no request (no InResponseTo) is accepted."""
    now: datetime
    """The moment of the check."""
    slack: timedelta
    """The clock slack allowed either way on every time limit."""


def _instant(value: str | None, name: str) -> datetime:
    """Return the xs:dateTime *value* as an aware UTC moment."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput("saml.time.invalid", field=name) from None
    if moment.tzinfo is None:
        raise InvalidInput("saml.time.invalid", field=name)
    return moment.astimezone(UTC)


def check_document(root: etree._Element) -> etree._Element:
    """Check the document's shape and return its one assertion.

    Raises:
        InvalidInput: ``saml.response.malformed`` (no SAML 2.0 Response at
            the root), ``saml.response.nested`` (another Response inside),
            ``saml.xml.duplicate_id``, ``saml.assertion.encrypted``,
            ``saml.assertion.count`` (not exactly one Assertion, directly
            below the Response), ``saml.signature.misplaced`` (a signature
            anywhere but directly below the Response or the Assertion, or two
            of them there).
    """
    if root.tag != qname(SAMLP, "Response") or root.get("Version") != "2.0":
        raise InvalidInput("saml.response.malformed")
    if any(True for _ in root.iterdescendants(qname(SAMLP, "Response"))):
        raise InvalidInput("saml.response.nested")
    identifiers = Counter(
        value
        for node in root.iter()
        if isinstance(node.tag, str)
        for name, value in node.attrib.items()
        if name in {"ID", "Id", "id"}
    )
    if any(count > 1 for count in identifiers.values()):
        raise InvalidInput("saml.xml.duplicate_id")
    if any(
        True for _ in root.iter(qname(SAML, "EncryptedAssertion"), qname(XENC, "EncryptedData"))
    ):
        raise InvalidInput("saml.assertion.encrypted")
    assertions = list(root.iter(qname(SAML, "Assertion")))
    if not assertions:
        check_status(root)  # a refusal by the provider carries no assertion: say so
    if len(assertions) != 1 or assertions[0].getparent() is not root:
        raise InvalidInput("saml.assertion.count")
    assertion = assertions[0]
    holders = Counter(id(signature.getparent()) for signature in root.iter(qname(DS, "Signature")))
    if set(holders) - {id(root), id(assertion)} or any(count > 1 for count in holders.values()):
        raise InvalidInput("saml.signature.misplaced")
    return assertion


def check_issuer(root: etree._Element, assertion: etree._Element, expected: Expectation) -> None:
    """Check that the assertion (and the response, where it names one) come from the provider.

    Raises:
        InvalidInput: ``saml.issuer.mismatch``.
    """
    issuer = expected.idp.entity_id
    response_issuer = root.find("saml:Issuer", NS)
    if response_issuer is not None and text_of(response_issuer) != issuer:
        raise InvalidInput("saml.issuer.mismatch")
    if text_of(assertion.find("saml:Issuer", NS)) != issuer:
        raise InvalidInput("saml.issuer.mismatch")


def check_status(root: etree._Element) -> None:
    """Check that the provider reports success.

    Raises:
        InvalidInput: ``saml.status.failed``, with the provider's status code.
    """
    code = root.find("samlp:Status/samlp:StatusCode", NS)
    value = "" if code is None else str(code.get("Value") or "")
    if value != _SUCCESS:
        inner = None if code is None else code.find("samlp:StatusCode", NS)
        detail = value if inner is None else f"{value} ({inner.get('Value')})"
        raise InvalidInput("saml.status.failed", status=detail[:200])


def check_signatures(
    document: bytes,
    root: etree._Element,
    assertion: etree._Element,
    expected: Expectation,
    verifier: Verifier,
) -> None:
    """Check the assertion's signature (required) and the response's (when present).

    Raises:
        InvalidInput: ``saml.signature.missing`` (the assertion is not
            signed), the codes of the signature's shape and
            ``saml.signature.invalid``.
    """
    signature = assertion.find("ds:Signature", NS)
    if signature is None:
        raise InvalidInput("saml.signature.missing")
    check_signature_shape(signature, assertion, expected.idp.certificates)
    verifier.verify(document, _ASSERTION_NODE, str(assertion.get("ID")))
    response_signature = root.find("ds:Signature", NS)
    if response_signature is not None:
        check_signature_shape(response_signature, root, expected.idp.certificates)
        verifier.verify(document, _RESPONSE_NODE, str(root.get("ID")))


def check_binding(root: etree._Element, expected: Expectation) -> None:
    """Check the Destination and that the response answers our request (or may answer none).

    Raises:
        InvalidInput: ``saml.destination.mismatch``,
            ``saml.in_response_to.mismatch``, ``saml.response.unsolicited``.
    """
    if root.get("Destination") != expected.acs_url:
        raise InvalidInput("saml.destination.mismatch")
    answers = root.get("InResponseTo")
    if answers is None:
        if not expected.allow_unsolicited:
            raise InvalidInput("saml.response.unsolicited")
    elif answers != expected.request_id:
        raise InvalidInput("saml.in_response_to.mismatch")


def check_conditions(assertion: etree._Element, expected: Expectation) -> datetime:
    """Check the assertion's time window and audience; return its NotOnOrAfter.

    Raises:
        InvalidInput: ``saml.assertion.incomplete`` (no Conditions or no
            NotOnOrAfter), ``saml.assertion.not_yet_valid``,
            ``saml.assertion.expired``, ``saml.audience.mismatch``.
    """
    conditions = assertion.find("saml:Conditions", NS)
    if conditions is None or conditions.get("NotOnOrAfter") is None:
        raise InvalidInput("saml.assertion.incomplete", part="Conditions")
    now, slack = expected.now, expected.slack
    not_before = conditions.get("NotBefore")
    if not_before is not None and now + slack < _instant(not_before, "NotBefore"):
        raise InvalidInput("saml.assertion.not_yet_valid")
    not_on_or_after = _instant(conditions.get("NotOnOrAfter"), "NotOnOrAfter")
    if now - slack >= not_on_or_after:
        raise InvalidInput("saml.assertion.expired")
    restrictions = conditions.findall("saml:AudienceRestriction", NS)
    if not restrictions or not all(
        expected.sp_entity_id
        in {text_of(audience) for audience in restriction.findall("saml:Audience", NS)}
        for restriction in restrictions
    ):
        raise InvalidInput("saml.audience.mismatch")
    return not_on_or_after


def check_subject(
    assertion: etree._Element, root: etree._Element, expected: Expectation
) -> datetime:
    """Check the bearer confirmation (recipient, time, request); return its NotOnOrAfter.

    Raises:
        InvalidInput: ``saml.subject.missing`` (no bearer confirmation),
            ``saml.recipient.mismatch``, ``saml.subject_confirmation.expired``,
            ``saml.in_response_to.mismatch``.
    """
    data = [
        node.find("saml:SubjectConfirmationData", NS)
        for node in assertion.findall("saml:Subject/saml:SubjectConfirmation", NS)
        if node.get("Method") == _BEARER
    ]
    confirmations = [node for node in data if node is not None]
    if not confirmations:
        raise InvalidInput("saml.subject.missing")
    confirmation = confirmations[0]
    if confirmation.get("Recipient") != expected.acs_url:
        raise InvalidInput("saml.recipient.mismatch")
    until = confirmation.get("NotOnOrAfter")
    if until is None:
        raise InvalidInput("saml.assertion.incomplete", part="SubjectConfirmationData")
    not_on_or_after = _instant(until, "NotOnOrAfter")
    if expected.now - expected.slack >= not_on_or_after:
        raise InvalidInput("saml.subject_confirmation.expired")
    if confirmation.get("InResponseTo") != root.get("InResponseTo"):
        raise InvalidInput("saml.in_response_to.mismatch")
    return not_on_or_after


def read_attributes(assertion: etree._Element) -> dict[str, list[str]]:
    """Return the attributes of the assertion that the table knows, by their LDAP names.

    Raises:
        InvalidInput: ``saml.attribute.invalid``: a value is too long or the
            attribute comes twice under different names.
    """
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.iterfind("saml:AttributeStatement/saml:Attribute", NS):
        name = LDAP_NAME_OF.get(str(attribute.get("Name") or ""))
        if name is None:
            continue
        values = [text_of(value) for value in attribute.findall("saml:AttributeValue", NS)]
        if name in attributes or any(len(value) > _MAX_VALUE for value in values):
            raise InvalidInput("saml.attribute.invalid", attribute=name)
        attributes[name] = [value for value in values if value]
    return attributes


def _subject(assertion: etree._Element, attributes: dict[str, list[str]]) -> str:
    """Return Entree's uid, or else a persistent NameID: the person's stable identifier."""
    uid = attributes.get(UID)
    if uid:
        return uid[0]
    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    if name_id is not None and name_id.get("Format") == _PERSISTENT and text_of(name_id):
        return text_of(name_id)
    raise InvalidInput("saml.subject.missing")


def identity_of(
    assertion: etree._Element, expected: Expectation, valid_until: datetime
) -> FederatedIdentity:
    """Return the identity the verified *assertion* vouches for.

    Raises:
        InvalidInput: ``saml.assertion.incomplete`` (no AuthnStatement),
            ``saml.subject.missing``, ``saml.attribute.invalid``.
    """
    statement = assertion.find("saml:AuthnStatement", NS)
    if statement is None:
        raise InvalidInput("saml.assertion.incomplete", part="AuthnStatement")
    attributes = read_attributes(assertion)
    subject = _subject(assertion, attributes)
    if len(subject) > _MAX_VALUE:
        raise InvalidInput("saml.attribute.invalid", attribute="NameID")
    identifier = str(assertion.get("ID"))
    if len(identifier) > 256:
        raise InvalidInput("saml.attribute.invalid", attribute="ID")
    return FederatedIdentity(
        issuer=expected.idp.entity_id,
        subject=subject,
        attributes=attributes,
        authenticated_at=_instant(statement.get("AuthnInstant"), "AuthnInstant"),
        replay_key=f"saml:{identifier}",
        valid_until=valid_until,
    )


def check_response(
    document: bytes, root: etree._Element, expected: Expectation, verifier: Verifier
) -> FederatedIdentity:
    """Run every check on the parsed response *root* of *document*, in order; return the identity.

    Raises:
        InvalidInput: the first check that fails, with its own ``saml.*`` code.
    """
    assertion = check_document(root)
    check_issuer(root, assertion, expected)
    check_status(root)
    check_signatures(document, root, assertion, expected, verifier)
    check_binding(root, expected)
    conditions_end = check_conditions(assertion, expected)
    confirmation_end = check_subject(assertion, root, expected)
    valid_until = min(conditions_end, confirmation_end) + expected.slack
    return identity_of(assertion, expected, valid_until)
