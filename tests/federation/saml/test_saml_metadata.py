"""Metadata: the service provider's for the registration with Entree, the provider's as read."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree
from tests.federation.saml_idp import IDP_ENTITY_ID, IDP_SSO_URL, KeyFiles, SamlIdentityProvider

from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main
from examkit.errors import ConfigurationError
from examkit.federation.saml import (
    IdentityProviderMetadata,
    generate_sp_certificate,
    sp_metadata,
)
from examkit.testing import SequenceSecretSource

MD = {"md": "urn:oasis:names:tc:SAML:2.0:metadata", "ds": "http://www.w3.org/2000/09/xmldsig#"}
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.mark.req("AUTH-13")
def test_the_sp_metadata_names_the_acs_and_the_sha256_certificate(sp_key: KeyFiles) -> None:
    xml = sp_metadata(
        entity_id="https://toets.example.nl/saml",
        acs_url="https://toets.example.nl/saml/acs",
        certificate_pem=sp_key.pair.certificate_pem,
        authn_requests_signed=True,
    )
    root = etree.fromstring(xml)
    assert "https://toets.example.nl/saml" == root.get("entityID")
    sp = root.find("md:SPSSODescriptor", MD)
    assert sp is not None
    assert ("true", "true") == (sp.get("WantAssertionsSigned"), sp.get("AuthnRequestsSigned"))
    acs = sp.find("md:AssertionConsumerService", MD)
    assert acs is not None
    assert (
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        "https://toets.example.nl/saml/acs",
    ) == (acs.get("Binding"), acs.get("Location"))
    encoded = sp.findtext(
        "md:KeyDescriptor[@use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=MD
    )
    certificate = x509.load_der_x509_certificate(base64.b64decode(encoded or ""))
    assert isinstance(certificate.signature_hash_algorithm, hashes.SHA256)
    assert sp_key.pair.certificate_pem == certificate.public_bytes(serialization.Encoding.PEM)


@pytest.mark.req("AUTH-13")
def test_a_generated_certificate_is_self_signed_rsa_sha256_for_five_years() -> None:
    pair = generate_sp_certificate(
        common_name="toets.example.nl", now=NOW, secrets=SequenceSecretSource("cert")
    )
    certificate = x509.load_pem_x509_certificate(pair.certificate_pem)
    key = serialization.load_pem_private_key(pair.key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert 3072 == key.key_size
    assert certificate.issuer == certificate.subject
    assert isinstance(certificate.signature_hash_algorithm, hashes.SHA256)
    certificate.verify_directly_issued_by(certificate)
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=5 * 365, minutes=5) == lifetime
    assert "key_pem" not in repr(pair)


def _sha1_certificate() -> x509.Certificate:
    """Return a self-signed certificate signed with SHA-1.

    cryptography no longer makes one (OpenSSL 3 refuses SHA-1 for certificates), so a
    SHA-256 certificate has its algorithm identifiers swapped (the OIDs have the same
    length) and its to-be-signed part signed again with SHA-1 by the raw key.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "old")])
    modern = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW)
        .not_valid_after(NOW + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    sha256_rsa = bytes.fromhex("06092a864886f70d01010b")
    sha1_rsa = bytes.fromhex("06092a864886f70d010105")
    der = modern.public_bytes(serialization.Encoding.DER).replace(sha256_rsa, sha1_rsa)
    tbs = modern.tbs_certificate_bytes.replace(sha256_rsa, sha1_rsa)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - under test
    return x509.load_der_x509_certificate(der[: -len(signature)] + signature)


@pytest.mark.req("AUTH-13")
def test_a_sha1_certificate_is_refused_for_the_metadata() -> None:
    old = _sha1_certificate()
    assert isinstance(old.signature_hash_algorithm, hashes.SHA1)
    with pytest.raises(ConfigurationError) as refused:
        sp_metadata(
            entity_id="e",
            acs_url="a",
            certificate_pem=old.public_bytes(serialization.Encoding.PEM),
        )
    assert "saml.certificate.weak" == refused.value.code
    with pytest.raises(ConfigurationError) as unreadable:
        sp_metadata(entity_id="e", acs_url="a", certificate_pem=b"not a certificate")
    assert "saml.certificate.invalid" == unreadable.value.code


@pytest.mark.req("AUTH-13")
def test_the_providers_metadata_gives_its_urls_and_certificate(
    idp: SamlIdentityProvider, idp_key: KeyFiles
) -> None:
    metadata = IdentityProviderMetadata.from_xml(idp.metadata())
    assert IDP_ENTITY_ID == metadata.entity_id
    assert (IDP_SSO_URL, IDP_SSO_URL) == (metadata.sso_redirect, metadata.sso_post)
    der = x509.load_pem_x509_certificate(idp_key.pair.certificate_pem).public_bytes(
        serialization.Encoding.DER
    )
    assert (der,) == metadata.certificates
    aggregate = (
        b'<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
        + idp.metadata().split(b"?>", 1)[-1]
        + b"</md:EntitiesDescriptor>"
    )
    assert metadata == IdentityProviderMetadata.from_xml(aggregate, entity_id=IDP_ENTITY_ID)


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<not-closed", "not well-formed XML"),
        (
            b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>',
            "no identity provider",
        ),
        (
            b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
            b'<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:'
            b'protocol"/>'
            b"</md:EntityDescriptor>",
            "no signing certificate",
        ),
    ],
    ids=["not-xml", "no-idp", "no-certificate"],
)
def test_unusable_provider_metadata_is_a_configuration_error(xml: bytes, reason: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        IdentityProviderMetadata.from_xml(xml)
    assert ("saml.metadata.invalid", reason) == (refused.value.code, refused.value.params["reason"])


@pytest.mark.req("AUTH-13")
def test_the_cli_makes_a_key_a_certificate_and_the_metadata(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key, cert, out = tmp_path / "sp.key", tmp_path / "sp.pem", tmp_path / "sp-metadata.xml"
    assert EXIT_OK == main(
        [
            "saml",
            "keygen",
            "--common-name",
            "toets.example.nl",
            "--key-out",
            str(key),
            "--cert-out",
            str(cert),
        ]
    )
    assert 0o600 == key.stat().st_mode & 0o777
    assert EXIT_OK == main(
        [
            "saml",
            "metadata",
            "--entity-id",
            "https://toets.example.nl/saml",
            "--acs-url",
            "https://toets.example.nl/saml/acs",
            "--certificate",
            str(cert),
            "-o",
            str(out),
        ]
    )
    assert f"{key}\n{cert}\n{out}\n" == capsys.readouterr().out
    root = etree.fromstring(out.read_bytes())
    assert "https://toets.example.nl/saml" == root.get("entityID")
    code = main(
        [
            "--lang",
            "en",
            "saml",
            "metadata",
            "--entity-id",
            "e",
            "--acs-url",
            "a",
            "--certificate",
            str(key),
            "-o",
            str(tmp_path / "x.xml"),
        ]
    )
    assert EXIT_UNUSABLE == code
    assert "not readable PEM" in capsys.readouterr().err
