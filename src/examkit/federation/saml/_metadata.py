"""Metadata: reading the identity provider's, writing examkit's own for the registration.

:class:`IdentityProviderMetadata` takes what the adapter needs from the
identity provider's metadata (Entree publishes it): the entity ID, the
single sign-on URLs per binding and the signing certificates, the only keys
a response is ever verified with. :func:`sp_metadata` writes the service
provider's metadata that Entree registers, and :func:`generate_sp_certificate`
makes the self-signed certificate (RSA, signed with SHA-256) it carries.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from examkit._fields import require_aware_utc
from examkit.errors import ConfigurationError
from examkit.federation.saml._xml import (
    BINDING_POST,
    BINDING_REDIRECT,
    DS,
    MD,
    NS,
    parse,
    qname,
    text_of,
)
from examkit.ports import SecretSource

CERTIFICATE_LIFETIME = timedelta(days=5 * 365)
"""How long a generated service-provider certificate is valid (a federation rolls it over)."""
KEY_SIZE = 3072
"""The RSA key size of a generated service-provider key, in bits."""


@attrs.frozen
class IdentityProviderMetadata:
    """What the adapter uses of the identity provider's metadata."""

    entity_id: str
    """The identity provider's entity ID: the issuer of its responses."""
    certificates: tuple[bytes, ...]
    """The DER of every certificate the provider signs with (``use="signing"`` or no use)."""
    sso_redirect: str | None = None
    """The single sign-on URL of the HTTP-Redirect binding, if offered."""
    sso_post: str | None = None
    """The single sign-on URL of the HTTP-POST binding, if offered."""

    @classmethod
    def from_xml(cls, data: bytes | str, entity_id: str | None = None) -> IdentityProviderMetadata:
        """Read the identity provider *entity_id* from metadata *data*.

        *data* holds one ``EntityDescriptor`` or an ``EntitiesDescriptor``
        (an aggregate: then *entity_id* chooses).

        Raises:
            ConfigurationError: ``saml.metadata.invalid``: the XML is unusable,
                the provider is missing, or has no certificate or no single
                sign-on URL.
        """
        raw = data.encode() if isinstance(data, str) else data
        tree = parse(raw)
        if tree is None:
            raise ConfigurationError("saml.metadata.invalid", reason="not well-formed XML")
        root = tree.getroot()
        descriptors = [
            node
            for node in root.iter(qname(MD, "EntityDescriptor"))
            if node.find("md:IDPSSODescriptor", NS) is not None
            and (entity_id is None or node.get("entityID") == entity_id)
        ]
        if len(descriptors) != 1:
            reason = "no identity provider" if not descriptors else "more than one provider"
            raise ConfigurationError("saml.metadata.invalid", reason=reason)
        return cls._from_descriptor(descriptors[0])

    @classmethod
    def _from_descriptor(cls, descriptor: etree._Element) -> IdentityProviderMetadata:
        idp = descriptor.find("md:IDPSSODescriptor", NS)
        if idp is None:  # pragma: no cover - chosen for having one
            raise ConfigurationError("saml.metadata.invalid", reason="no identity provider")
        certificates: list[bytes] = []
        for key in idp.findall("md:KeyDescriptor", NS):
            if key.get("use", "signing") != "signing":
                continue
            for cert in key.iterfind(".//ds:X509Certificate", NS):
                try:
                    certificates.append(
                        base64.b64decode("".join(text_of(cert).split()), validate=True)
                    )
                except binascii.Error:
                    raise ConfigurationError(
                        "saml.metadata.invalid", reason="a certificate is not base64"
                    ) from None
        if not certificates:
            raise ConfigurationError("saml.metadata.invalid", reason="no signing certificate")
        locations = {
            service.get("Binding"): service.get("Location")
            for service in idp.findall("md:SingleSignOnService", NS)
        }
        redirect, post = locations.get(BINDING_REDIRECT), locations.get(BINDING_POST)
        if redirect is None and post is None:
            raise ConfigurationError("saml.metadata.invalid", reason="no single sign-on URL")
        return cls(
            entity_id=str(descriptor.get("entityID") or ""),
            certificates=tuple(certificates),
            sso_redirect=redirect,
            sso_post=post,
        )


@attrs.frozen
class ServiceProviderKeyPair:
    """The service provider's private key and self-signed certificate, both PEM."""

    key_pem: bytes = attrs.field(repr=False)
    """The private key (PKCS #8, unencrypted: keep the file readable by the portal only)."""
    certificate_pem: bytes
    """The self-signed X.509 certificate, signed with SHA-256."""


def generate_sp_certificate(
    *,
    common_name: str,
    now: datetime,
    secrets: SecretSource,
    lifetime: timedelta = CERTIFICATE_LIFETIME,
) -> ServiceProviderKeyPair:
    """Return a new RSA key and a self-signed SHA-256 certificate for the service provider.

    The key comes from the operating system's generator (through
    ``cryptography``); the serial number from *secrets*. A federation trusts
    the certificate because it is in the registered metadata, not for its
    issuer, so self-signed is what Entree expects.
    """
    start = require_aware_utc(now)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    serial = int.from_bytes(secrets.token_bytes(16), "big") >> 1 or 1
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start - timedelta(minutes=5))
        .not_valid_after(start + lifetime)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return ServiceProviderKeyPair(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )


def _certificate_base64(certificate_pem: bytes) -> str:
    """Return the base64 of the DER of *certificate_pem*, refusing one not signed with SHA-256+."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
    except ValueError:
        raise ConfigurationError("saml.certificate.invalid") from None
    algorithm = certificate.signature_hash_algorithm
    if not isinstance(algorithm, (hashes.SHA256, hashes.SHA384, hashes.SHA512)):
        raise ConfigurationError("saml.certificate.weak")
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def sp_metadata(
    *,
    entity_id: str,
    acs_url: str,
    certificate_pem: bytes,
    authn_requests_signed: bool = False,
    valid_until: datetime | None = None,
) -> bytes:
    """Return the service provider's metadata for the registration with Entree.

    It names the entity ID, the assertion consumer service (HTTP-POST, the
    binding Entree answers with), the certificate (``use="signing"``), and
    states that the assertions must be signed (``WantAssertionsSigned``).

    >>> from datetime import UTC, datetime
    >>> from examkit.testing import SequenceSecretSource
    >>> pair = generate_sp_certificate(
    ...     common_name="toets.example.nl",
    ...     now=datetime(2026, 12, 1, tzinfo=UTC),
    ...     secrets=SequenceSecretSource(),
    ... )
    >>> xml = sp_metadata(
    ...     entity_id="https://toets.example.nl/saml",
    ...     acs_url="https://toets.example.nl/saml/acs",
    ...     certificate_pem=pair.certificate_pem,
    ... )
    >>> b'WantAssertionsSigned="true"' in xml
    True

    Raises:
        ConfigurationError: the certificate is unreadable
            (``saml.certificate.invalid``) or signed with SHA-1 or weaker
            (``saml.certificate.weak``).
    """
    certificate = _certificate_base64(certificate_pem)
    root = etree.Element(qname(MD, "EntityDescriptor"), nsmap={"md": MD, "ds": DS})
    root.set("entityID", entity_id)
    if valid_until is not None:
        root.set("validUntil", require_aware_utc(valid_until).strftime("%Y-%m-%dT%H:%M:%SZ"))
    sp = etree.SubElement(root, qname(MD, "SPSSODescriptor"))
    sp.set("AuthnRequestsSigned", "true" if authn_requests_signed else "false")
    sp.set("WantAssertionsSigned", "true")
    sp.set("protocolSupportEnumeration", "urn:oasis:names:tc:SAML:2.0:protocol")
    key = etree.SubElement(sp, qname(MD, "KeyDescriptor"), use="signing")
    data = etree.SubElement(etree.SubElement(key, qname(DS, "KeyInfo")), qname(DS, "X509Data"))
    etree.SubElement(data, qname(DS, "X509Certificate")).text = certificate
    acs = etree.SubElement(sp, qname(MD, "AssertionConsumerService"))
    acs.set("Binding", BINDING_POST)
    acs.set("Location", acs_url)
    acs.set("index", "0")
    acs.set("isDefault", "true")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
