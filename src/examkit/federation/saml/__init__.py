"""The SAML 2.0 adapter of the federated sign-in (AUTH-13): Entree by SAML, hardened.

Needs the ``saml`` extra (``pip install "examkit[saml]"``: pysaml2) and
Debian's ``xmlsec1``. :class:`SamlAdapter` is an
:class:`~examkit.federation.IdentityProviderAdapter`: :meth:`~SamlAdapter.begin`
sends the browser to the provider with an AuthnRequest (HTTP-Redirect, or
HTTP-POST through a form the portal's page posts), and
:meth:`~SamlAdapter.finish` checks what the provider posts back to the
assertion consumer service:

- the document's shape, against XML signature wrapping: one ``Response``,
  one ``Assertion`` directly below it, no duplicate IDs, signatures only
  directly below those two;
- the assertion's signature (required), and the response's where present:
  one reference to the enclosing element, SAML's transforms only,
  SHA-256 or stronger, verified by xmlsec1 with the metadata's certificates
  only (a key in ``KeyInfo`` that is not in the metadata is refused);
- the issuer, status, Destination, InResponseTo (the request ID kept
  server-side under the RelayState; unsolicited responses refused unless
  allowed), NotBefore and NotOnOrAfter with a stated slack
  (:data:`CLOCK_SLACK`), the Audience and the Recipient.

Every refusal is an :class:`~examkit.errors.InvalidInput` with its own
``saml.*`` code. The identity's attributes are read from the verified
assertion by :data:`ENTREE_SAML_ATTRIBUTES`; its replay key is the
assertion's ID, kept until its NotOnOrAfter (plus the slack).

:func:`sp_metadata` and :func:`generate_sp_certificate` produce what the
registration with Entree needs (also ``examkit saml metadata``).
"""

try:
    import saml2  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise ModuleNotFoundError(
        "examkit.federation.saml needs the 'saml' extra: pip install examkit[saml]"
        f" ({missing.name} is not installed)",
        name=missing.name,
    ) from missing

from examkit.federation.saml._adapter import (
    CLOCK_SLACK,
    MAX_CLOCK_SLACK,
    RELAY_STATE_LIMIT,
    REQUEST_LIFETIME,
    RESPONSE_LIMIT,
    SamlAdapter,
    SamlSettings,
)
from examkit.federation.saml._attributes import ENTREE_SAML_ATTRIBUTES
from examkit.federation.saml._metadata import (
    CERTIFICATE_LIFETIME,
    KEY_SIZE,
    IdentityProviderMetadata,
    ServiceProviderKeyPair,
    generate_sp_certificate,
    sp_metadata,
)
from examkit.federation.saml._signature import DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS

__all__ = [
    "CERTIFICATE_LIFETIME",
    "CLOCK_SLACK",
    "DIGEST_ALGORITHMS",
    "ENTREE_SAML_ATTRIBUTES",
    "KEY_SIZE",
    "MAX_CLOCK_SLACK",
    "RELAY_STATE_LIMIT",
    "REQUEST_LIFETIME",
    "RESPONSE_LIMIT",
    "SIGNATURE_ALGORITHMS",
    "IdentityProviderMetadata",
    "SamlAdapter",
    "SamlSettings",
    "ServiceProviderKeyPair",
    "generate_sp_certificate",
    "sp_metadata",
]
