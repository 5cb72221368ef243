"""``examkit saml``: what the registration with Entree needs (the ``saml`` extra).

``examkit saml keygen`` makes the service provider's RSA key and its
self-signed SHA-256 certificate; ``examkit saml metadata`` writes the
service provider's metadata with that certificate, to send to Entree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from examkit.cli._common import EXIT_OK, add_input, add_output, read_input, write_output

_CERTIFICATE_LIMIT = 64 * 1024


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``saml`` command group: ``keygen`` and ``metadata``."""
    sub = group.add_subparsers(dest="saml_command", required=True, metavar="COMMAND")
    keygen = sub.add_parser(
        "keygen",
        help="make the service provider's key and self-signed SHA-256 certificate",
        description="Make a new RSA key (3072 bits) and a self-signed certificate signed with "
        "SHA-256, valid five years, for the SAML service provider. The key file is readable "
        "by its owner only. Exit 2 for a file that cannot be written.",
    )
    keygen.add_argument(
        "--common-name", required=True, help="the certificate's name (the portal's host name)"
    )
    add_output(keygen, "--key-out", required=True, metavar="KEY.pem", help="the key to write")
    add_output(
        keygen, "--cert-out", required=True, metavar="CERT.pem", help="the certificate to write"
    )
    keygen.set_defaults(handler=keygen_command)
    metadata = sub.add_parser(
        "metadata",
        help="write the service provider's SAML metadata for the registration with Entree",
        description="Write the service provider's metadata: its entity ID, its assertion "
        "consumer service (HTTP-POST) and its certificate, and that assertions must be signed. "
        "Exit 2 for a certificate that cannot be read or is signed with SHA-1, and for an "
        "output that cannot be written.",
    )
    metadata.add_argument("--entity-id", required=True, help="the service provider's entity ID")
    metadata.add_argument(
        "--acs-url", required=True, help="the assertion consumer service's URL (HTTPS)"
    )
    add_input(metadata, "--certificate", required=True, metavar="CERT.pem", help="its certificate")
    metadata.add_argument(
        "--sign-requests",
        action="store_true",
        help="state that the service provider signs its AuthnRequests",
    )
    add_output(
        metadata, "-o", "--output", required=True, metavar="OUT.xml", help="the metadata to write"
    )
    metadata.set_defaults(handler=metadata_command)


def keygen_command(args: argparse.Namespace) -> int:
    """Run ``examkit saml keygen --common-name NAME --key-out KEY.pem --cert-out CERT.pem``.

    Implements AUTH-13 (the registration with Entree).
    """
    from examkit.clocks import SystemClock
    from examkit.federation.saml import generate_sp_certificate
    from examkit.randomness import SystemSecretSource

    pair = generate_sp_certificate(
        common_name=args.common_name, now=SystemClock().now(), secrets=SystemSecretSource()
    )
    key_out: Path = args.key_out
    cert_out: Path = args.cert_out
    write_output(key_out, pair.key_pem, private=True)
    write_output(cert_out, pair.certificate_pem)
    sys.stdout.write(f"{key_out}\n{cert_out}\n")
    return EXIT_OK


def metadata_command(args: argparse.Namespace) -> int:
    """Run ``examkit saml metadata --entity-id ID --acs-url URL --certificate CERT.pem -o OUT``.

    Implements AUTH-13 (the registration with Entree).
    """
    from examkit.federation.saml import sp_metadata

    certificate = read_input(args.certificate, _CERTIFICATE_LIMIT)
    output: Path = args.output
    write_output(
        output,
        sp_metadata(
            entity_id=args.entity_id,
            acs_url=args.acs_url,
            certificate_pem=certificate,
            authn_requests_signed=args.sign_requests,
        ),
    )
    sys.stdout.write(f"{output}\n")
    return EXIT_OK
