"""The AuthnRequest: built with pysaml2's message classes, sent by HTTP-Redirect or HTTP-POST.

The request's ID comes from the injected :class:`~examkit.ports.SecretSource`
and its IssueInstant from the given moment, so a request is reproducible in
a test. Where the service provider signs its requests, the Redirect binding
signs the query string (RSA-SHA256, as the binding prescribes) and the POST
binding embeds an enveloped XML signature (xmlsec1, through pysaml2).
"""

from __future__ import annotations

import base64
import tempfile
import zlib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from saml2 import samlp
from saml2.saml import NAMEID_FORMAT_ENTITY, Issuer
from saml2.sigver import CryptoBackendXmlSec1, SignatureError, XmlsecError, pre_signature_part

from examkit.errors import ConfigurationError
from examkit.federation.saml._signature import DIGEST_SHA256, SIGNATURE_RSA_SHA256
from examkit.federation.saml._xml import BINDING_POST, SAMLP


def authn_request(
    *,
    request_id: str,
    now: datetime,
    destination: str,
    sp_entity_id: str,
    acs_url: str,
) -> samlp.AuthnRequest:
    """Return the AuthnRequest asking for an answer by HTTP-POST at *acs_url*."""
    return samlp.AuthnRequest(
        id=request_id,
        version="2.0",
        issue_instant=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        destination=destination,
        protocol_binding=BINDING_POST,
        assertion_consumer_service_url=acs_url,
        issuer=Issuer(text=sp_entity_id, format=NAMEID_FORMAT_ENTITY),
    )


def private_key(key_pem: bytes) -> rsa.RSAPrivateKey:
    """Return the service provider's RSA key from its unencrypted PEM.

    Raises:
        ConfigurationError: ``saml.certificate.invalid``: no unencrypted RSA key.
    """
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise ConfigurationError("saml.certificate.invalid") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigurationError("saml.certificate.invalid")
    return key


def redirect_url(
    request: samlp.AuthnRequest, location: str, relay_state: str, key_pem: bytes | None
) -> str:
    """Return the HTTP-Redirect URL: the deflated request, RelayState, signature (with a key)."""
    compressor = zlib.compressobj(wbits=-15)
    deflated = compressor.compress(str(request).encode()) + compressor.flush()
    fields = [
        ("SAMLRequest", base64.b64encode(deflated).decode()),
        ("RelayState", relay_state),
    ]
    if key_pem is not None:
        fields.append(("SigAlg", SIGNATURE_RSA_SHA256))
        signed = urlencode(fields).encode("ascii")
        signature = private_key(key_pem).sign(signed, padding.PKCS1v15(), hashes.SHA256())
        fields.append(("Signature", base64.b64encode(signature).decode()))
    glue = "&" if urlsplit(location).query else "?"
    return f"{location}{glue}{urlencode(fields)}"


def post_fields(
    request: samlp.AuthnRequest,
    relay_state: str,
    signing: tuple[bytes, bytes] | None,
    xmlsec_binary: str,
) -> dict[str, str]:
    """Return the HTTP-POST form's fields; with *signing* (key and certificate PEM), signed."""
    xml = str(request)
    if signing is not None:
        key_pem, certificate_pem = signing
        certificate = b"".join(
            line for line in certificate_pem.strip().splitlines() if not line.startswith(b"-----")
        ).decode()
        request.signature = pre_signature_part(
            request.id, certificate, digest_alg=DIGEST_SHA256, sign_alg=SIGNATURE_RSA_SHA256
        )
        backend = CryptoBackendXmlSec1(xmlsec_binary, delete_tmpfiles=True)
        with tempfile.TemporaryDirectory(prefix="examkit-saml-") as folder:
            key_file = Path(folder, "sp-key.pem")
            key_file.touch(mode=0o600)  # the owner's only before the key is in it
            key_file.write_bytes(key_pem)
            try:
                xml = backend.sign_statement(
                    str(request), f"{SAMLP}:AuthnRequest", str(key_file), request.id
                )
            except (SignatureError, XmlsecError):
                raise ConfigurationError("saml.certificate.invalid") from None
    return {
        "SAMLRequest": base64.b64encode(xml.encode()).decode(),
        "RelayState": relay_state,
    }
