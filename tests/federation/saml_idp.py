"""A SAML 2.0 identity provider in-process, for the SAML adapter's tests and the portal's.

:class:`SamlIdentityProvider` is pysaml2's own identity provider (its
``Server``) configured like Entree: it reads the service provider's
metadata, parses an AuthnRequest as the browser brings it (redirect URL or
posted form), and answers with a Response whose assertion carries Entree's
attributes, signed with SHA-256 by its own test key. Its metadata (with the
test certificate) is what the adapter under test trusts.

:meth:`SamlIdentityProvider.respond` can be told to misbehave: not sign,
sign with SHA-1 or with another key, and edit the XML before signing (a
wrong audience, recipient or time); the attack tests then rewrap genuinely
signed responses with lxml. Keys are made at fixture time; nothing is read
from the network. The attribute names below are written out here, apart
from the adapter's table, so a test of the mapping does not check the table
against itself.
"""

from __future__ import annotations

import base64
import warnings
import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import attrs
from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.sigver import CryptoBackendXmlSec1, pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from examkit.federation import SignInRequest
from examkit.federation.saml import (
    ServiceProviderKeyPair,
    generate_sp_certificate,
    sp_metadata,
)
from examkit.testing import SequenceSecretSource

with warnings.catch_warnings():
    # pysaml2 7.5's server imports its AES helper, which names cryptography's CFB mode
    # where cryptography 46 deprecates it; examkit's adapter never imports that module.
    from cryptography.utils import CryptographyDeprecationWarning

    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    from saml2.server import Server

IDP_ENTITY_ID: Final = "https://idp.entree.test/saml2/idp"
"""The test identity provider's entity ID (the issuer of its responses)."""
IDP_SSO_URL: Final = "https://idp.entree.test/saml2/sso"
"""Its single sign-on URL, for both the Redirect and the POST binding."""
SP_ENTITY_ID: Final = "https://toets.example.nl/saml"
"""The service provider's entity ID the tests register."""
ACS_URL: Final = "https://toets.example.nl/saml/acs"
"""The service provider's assertion consumer service."""
KEY_MOMENT: Final = datetime(2026, 1, 1, tzinfo=UTC)
"""When the test keys' certificates begin (they last five years)."""

SAMLP: Final = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML: Final = "urn:oasis:names:tc:SAML:2.0:assertion"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
NS: Final = {"samlp": SAMLP, "saml": SAML, "ds": DS}
URI_FORMAT: Final = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"

TEACHER: Final[Mapping[str, Sequence[str]]] = {
    "urn:mace:dir:attribute-def:uid": ["qj7cks8qdz9ph54@petteflat"],
    "urn:mace:dir:attribute-def:givenName": ["Pietje"],
    "urn:mace:dir:attribute-def:sn": ["Pukkelen"],
    "urn:mace:dir:attribute-def:eduPersonAffiliation": ["employee", "staff"],
    "urn:mace:terena.org:attribute-def:nlEduPersonHomeOrganizationId": ["11ZZ"],
    "urn:mace:terena.org:attribute-def:nlEduPersonHomeOrganization": ["Petteflat College"],
    "urn:mace:terena.org:attribute-def:eckId": [
        "https://ketenid.nl/201703/5ad3b2a0c5e0c4a6f0e1d2c3b4a59687"
    ],
    "urn:mace:terena.org:attribute-def:nlEduPersonRealId": ["pietjepukkelen@petteflatcollege"],
    "urn:mace:dir:attribute-def:mail": ["p.pukkelen@petteflat.example.nl"],
    "urn:mace:dir:attribute-def:employeeNumber": ["140136"],
}
"""A teacher as Entree releases them: every attribute by its SAML name (one not in the table)."""

Edit = Callable[[etree._Element], None]
"""A change to the unsigned response (its root) before it is signed."""


@attrs.frozen
class KeyFiles:
    """A test key pair, in memory and as the files pysaml2 and xmlsec1 read."""

    pair: ServiceProviderKeyPair
    key_file: Path
    cert_file: Path

    @property
    def certificate_base64(self) -> str:
        """The certificate's DER in base64, as metadata and KeyInfo carry it."""
        lines = self.pair.certificate_pem.decode().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def make_key(folder: Path, name: str, seed: str) -> KeyFiles:
    """Return a new RSA key pair with a self-signed SHA-256 certificate, written to *folder*."""
    pair = generate_sp_certificate(
        common_name=name, now=KEY_MOMENT, secrets=SequenceSecretSource(seed=seed)
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
    key_file.write_bytes(pair.key_pem)
    cert_file.write_bytes(pair.certificate_pem)
    return KeyFiles(pair, key_file, cert_file)


@attrs.frozen
class ReceivedRequest:
    """An AuthnRequest as the identity provider read it."""

    request_id: str
    issuer: str
    acs_url: str
    relay_state: str


@attrs.frozen
class SignedResponse:
    """A Response as the identity provider would post it back."""

    xml: bytes
    """The response document, exactly as signed."""
    issued_at: datetime
    """Its IssueInstant: the tests' "now" is this (pysaml2 stamps the wall clock)."""

    def form(self, relay_state: str) -> dict[str, str]:
        """Return the fields the browser posts to the assertion consumer service."""
        return {"SAMLResponse": base64.b64encode(self.xml).decode(), "RelayState": relay_state}

    def tree(self) -> etree._Element:
        """Return a fresh parse of the document (to rewrap it)."""
        return etree.fromstring(self.xml)


@attrs.frozen
class _Signing:
    """With which key and algorithms to sign, and whether to embed the certificate."""

    key: KeyFiles
    sign_alg: str
    digest_alg: str
    embed_certificate: bool


def _insert_after_issuer(element: etree._Element, child: etree._Element) -> None:
    issuer = element.find("saml:Issuer", NS)
    element.insert(0 if issuer is None else element.index(issuer) + 1, child)


class SamlIdentityProvider:
    """pysaml2's identity provider, configured like Entree, with test keys."""

    def __init__(
        self,
        folder: Path,
        *,
        xmlsec_binary: str,
        key: KeyFiles,
        sp_metadata: bytes,
        sp_entity_id: str = SP_ENTITY_ID,
        acs_url: str = ACS_URL,
        entity_id: str = IDP_ENTITY_ID,
    ) -> None:
        self.key = key
        self.entity_id = entity_id
        self.sp_entity_id = sp_entity_id
        self.acs_url = acs_url
        self.xmlsec_binary = xmlsec_binary
        config = IdPConfig()
        config.load(
            {
                "entityid": entity_id,
                "xmlsec_binary": xmlsec_binary,
                "key_file": str(key.key_file),
                "cert_file": str(key.cert_file),
                "metadata": {"inline": [sp_metadata.decode()]},
                "accepted_time_diff": 20
                * 365
                * 24
                * 3600,  # requests are stamped with a fixed "now"
                "delete_tmpfiles": True,
                "service": {
                    "idp": {
                        "name": "Entree (test)",
                        "endpoints": {
                            "single_sign_on_service": [
                                (IDP_SSO_URL, BINDING_HTTP_REDIRECT),
                                (IDP_SSO_URL, BINDING_HTTP_POST),
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {
                            "default": {"lifetime": {"minutes": 5}, "name_form": URI_FORMAT}
                        },
                        "want_authn_requests_signed": False,
                    }
                },
            }
        )
        self.server = Server(config=config)
        self._folder = folder

    @classmethod
    def for_service_provider(
        cls,
        folder: Path,
        *,
        xmlsec_binary: str,
        sp_entity_id: str = SP_ENTITY_ID,
        acs_url: str = ACS_URL,
    ) -> SamlIdentityProvider:
        """Return a provider with fresh keys for the service provider at *acs_url* (a portal's).

        The service provider's metadata is made here, with a key of its own
        that nothing uses: the provider needs to know the ACS, not to verify
        requests. Give the adapter :meth:`metadata` to trust.
        """
        sp_key = make_key(folder, "sp", seed="sp")
        registered = sp_metadata(
            entity_id=sp_entity_id, acs_url=acs_url, certificate_pem=sp_key.pair.certificate_pem
        )
        return cls(
            folder,
            xmlsec_binary=xmlsec_binary,
            key=make_key(folder, "idp", seed="idp"),
            sp_metadata=registered,
            sp_entity_id=sp_entity_id,
            acs_url=acs_url,
        )

    def metadata(self) -> bytes:
        """Return the provider's metadata, with its signing certificate, as the SP trusts it."""
        return str(entity_descriptor(self.server.config)).encode()

    def receive(self, request: SignInRequest) -> ReceivedRequest:
        """Read the AuthnRequest of *request*, by redirect or by form."""
        if request.redirect_url is not None:
            return self.receive_redirect(request.redirect_url)
        return self.receive_post(request.post_fields)

    def receive_redirect(self, url: str) -> ReceivedRequest:
        """Read the AuthnRequest of the URL the browser was redirected to (a browser test)."""
        query = parse_qs(urlsplit(url).query)
        encoded, relay_state = query["SAMLRequest"][0], query["RelayState"][0]
        parsed = self.server.parse_authn_request(encoded, BINDING_HTTP_REDIRECT)
        return self._received(parsed.message, relay_state)

    def receive_post(self, fields: Mapping[str, str]) -> ReceivedRequest:
        """Read the AuthnRequest of the form the browser posted (a browser test)."""
        parsed = self.server.parse_authn_request(fields["SAMLRequest"], BINDING_HTTP_POST)
        return self._received(parsed.message, fields["RelayState"])

    @staticmethod
    def _received(message: Any, relay_state: str) -> ReceivedRequest:
        return ReceivedRequest(
            request_id=str(message.id),
            issuer=str(message.issuer.text),
            acs_url=str(message.assertion_consumer_service_url),
            relay_state=relay_state,
        )

    def respond(
        self,
        request_id: str | None,
        *,
        person: Mapping[str, Sequence[str]] = TEACHER,
        sign_assertion: bool = True,
        sign_response: bool = False,
        sign_alg: str = SIG_RSA_SHA256,
        digest_alg: str = DIGEST_SHA256,
        signer: KeyFiles | None = None,
        embed_certificate: bool = True,
        edit: Edit | None = None,
    ) -> SignedResponse:
        """Answer the request *request_id* (``None``: unsolicited) for *person*.

        The assertion is signed (or not), then the response (or not), with
        *signer*'s key (the provider's own by default), after *edit* changed
        the unsigned document; the signer's certificate goes in ``KeyInfo``
        unless *embed_certificate* is false.
        """
        uid = next(iter(person.get("urn:mace:dir:attribute-def:uid", ["nobody"])))
        unsigned = self.server.create_authn_response(
            identity={},
            in_response_to=request_id or "_unsolicited",
            destination=self.acs_url,
            sp_entity_id=self.sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=uid),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            },
            sign_response=False,
            sign_assertion=False,
        )
        root = etree.fromstring(str(unsigned).encode())
        if request_id is None:
            for node in root.iter():
                if "InResponseTo" in node.attrib:
                    del node.attrib["InResponseTo"]
        assertion = root.find("saml:Assertion", NS)
        assert assertion is not None
        statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
        for name, values in person.items():
            attribute = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name)
            attribute.set("NameFormat", URI_FORMAT)
            for value in values:
                etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value
        if edit is not None:
            edit(root)
        key = signer or self.key
        how = _Signing(key, sign_alg, digest_alg, embed_certificate)
        if sign_assertion:
            root = self._sign(root, root.find("saml:Assertion", NS), how)
        if sign_response:
            root = self._sign(root, root, how)
        issued = datetime.fromisoformat(str(root.get("IssueInstant"))).astimezone(UTC)
        return SignedResponse(etree.tostring(root), issued)

    def _sign(
        self,
        root: etree._Element,
        element: etree._Element | None,
        how: _Signing,
    ) -> etree._Element:
        """Sign *element* of *root* as *how* says: an enveloped signature."""
        assert element is not None
        identifier = str(element.get("ID"))
        key = how.key
        certificate = key.certificate_base64 if how.embed_certificate else None
        template = pre_signature_part(
            identifier, certificate, digest_alg=how.digest_alg, sign_alg=how.sign_alg
        )
        _insert_after_issuer(element, etree.fromstring(str(template).encode()))
        backend = CryptoBackendXmlSec1(self.xmlsec_binary, delete_tmpfiles=True)
        node = "Response" if element is root else "Assertion"
        namespace = SAMLP if element is root else SAML
        signed = backend.sign_statement(
            etree.tostring(root).decode(), f"{namespace}:{node}", str(key.key_file), identifier
        )
        return etree.fromstring(signed.encode())


def inflate_request(encoded: str) -> bytes:
    """Return the XML of an HTTP-Redirect ``SAMLRequest`` (base64 of raw DEFLATE)."""
    return zlib.decompress(base64.b64decode(encoded), -15)
