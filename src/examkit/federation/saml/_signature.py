"""Checking a SAML message's XML signature: its shape first, then xmlsec1 with the metadata's keys.

Before any cryptography the signature must have the one shape SAML's
signature profile allows (saml-core 5.4): one reference, to the ID of the
element that encloses the signature; the enveloped-signature transform and
exclusive canonicalisation only; no ``ds:Object``; a signature and digest
algorithm of SHA-256 or stronger. A key carried in the signature's
``KeyInfo`` must be one of the identity provider's metadata certificates;
xmlsec1 (through pysaml2's backend, which enables no key data but the
certificate it is given) then verifies with those certificates only.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from saml2.sigver import CryptoBackendXmlSec1, SignatureError, XmlsecError

from examkit.errors import InvalidInput
from examkit.federation.saml._xml import DS, NS, text_of

_C14N: Final = frozenset(
    {
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    }
)
_ENVELOPED: Final = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

SIGNATURE_ALGORITHMS: Final = frozenset(
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    }
)
"""The signature algorithms accepted: RSA or ECDSA with SHA-256 or stronger (no SHA-1)."""
DIGEST_ALGORITHMS: Final = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
)
"""The digest algorithms accepted: SHA-256 or stronger (no SHA-1)."""


def _algorithm(signature: etree._Element, path: str) -> str:
    found = signature.find(path, NS)
    return "" if found is None else str(found.get("Algorithm") or "")


def check_signature_shape(
    signature: etree._Element, signed: etree._Element, certificates: Sequence[bytes]
) -> None:
    """Check that *signature* signs exactly *signed* (its parent), the SAML way, with our keys.

    Raises:
        InvalidInput: ``saml.signature.reference`` (not one reference to
            *signed*'s ID), ``saml.signature.transform`` (a transform or
            canonicalisation SAML does not allow, or a ``ds:Object``),
            ``saml.signature.algorithm`` and ``saml.signature.digest`` (SHA-1
            or another algorithm not in :data:`SIGNATURE_ALGORITHMS` and
            :data:`DIGEST_ALGORITHMS`), ``saml.signature.unknown_key`` (a key in
            ``KeyInfo`` that is not in the metadata).
    """
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    identifier = signed.get("ID")
    if len(references) != 1 or not identifier or references[0].get("URI") != f"#{identifier}":
        raise InvalidInput("saml.signature.reference")
    transforms = [
        str(node.get("Algorithm") or "")
        for node in references[0].findall("ds:Transforms/ds:Transform", NS)
    ]
    if (
        _algorithm(signature, "ds:SignedInfo/ds:CanonicalizationMethod") not in _C14N
        or _ENVELOPED not in transforms
        or not set(transforms) <= _C14N | {_ENVELOPED}
        or len(transforms) > 2
        or signature.find("ds:Object", NS) is not None
    ):
        raise InvalidInput("saml.signature.transform")
    if _algorithm(signature, "ds:SignedInfo/ds:SignatureMethod") not in SIGNATURE_ALGORITHMS:
        raise InvalidInput("saml.signature.algorithm")
    if _algorithm(references[0], "ds:DigestMethod") not in DIGEST_ALGORITHMS:
        raise InvalidInput("saml.signature.digest")
    key_info = signature.find("ds:KeyInfo", NS)
    if key_info is not None:
        _check_key_info(key_info, certificates)


def _check_key_info(key_info: etree._Element, certificates: Sequence[bytes]) -> None:
    """Refuse a ``KeyInfo`` that carries anything but certificates from the metadata."""
    for child in key_info.iterchildren("*"):
        if child.tag != f"{{{DS}}}X509Data":
            raise InvalidInput("saml.signature.unknown_key")
        for item in child.iterchildren("*"):
            if item.tag != f"{{{DS}}}X509Certificate":
                raise InvalidInput("saml.signature.unknown_key")
            try:
                der = base64.b64decode("".join(text_of(item).split()), validate=True)
            except binascii.Error:
                raise InvalidInput("saml.signature.unknown_key") from None
            if der not in certificates:
                raise InvalidInput("saml.signature.unknown_key")


class Verifier:
    """Verifies a document's signature of one element with xmlsec1 and the metadata's keys."""

    def __init__(self, xmlsec_binary: str, certificates: Sequence[bytes]) -> None:
        self._backend = CryptoBackendXmlSec1(xmlsec_binary, delete_tmpfiles=True)
        self._pems = [
            x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
            for der in certificates
        ]

    def verify(self, document: bytes, node_name: str, node_id: str) -> None:
        """Verify the signature in the element *node_id* (of type *node_name*) of *document*.

        Raises:
            InvalidInput: ``saml.signature.invalid``: no metadata key verifies it.
        """
        with tempfile.TemporaryDirectory(prefix="examkit-saml-") as folder:
            for index, pem in enumerate(self._pems):
                cert_file = Path(folder, f"idp-{index}.pem")
                cert_file.write_bytes(pem)
                try:
                    if self._backend.validate_signature(
                        document, str(cert_file), "pem", node_name, node_id
                    ):
                        return
                except (SignatureError, XmlsecError):
                    continue
        raise InvalidInput("saml.signature.invalid")


SIGNATURE_RSA_SHA256: Final = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
"""RSA with SHA-256: the algorithm examkit signs its own requests with."""
DIGEST_SHA256: Final = "http://www.w3.org/2001/04/xmlenc#sha256"
"""SHA-256: the digest examkit's own signatures use."""
