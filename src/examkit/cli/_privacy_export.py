"""``examkit privacy export``: everything stored about one person, as JSON and PDF (PRIV-2).

Acting as a named account (``--as``), which must be allowed to see the
person's data (the school's administrator, the person themself, the
operator); the export is audited and noted as a read in the database like
any other. The JSON document goes to ``--out`` (standard output by
default), the PDF to ``--pdf``.
"""

from __future__ import annotations

import argparse
import sys

from examkit.cli._common import EXIT_OK, add_output, write_output
from examkit.errors import InvalidInput
from examkit.privacy import PersonRef


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``examkit privacy export``."""
    parser.description = (
        "Export everything stored about one pupil, candidate or account: the JSON document "
        "(format examkit-person-export, version 1) and, with --pdf, the printed overview."
    )
    parser.add_argument(
        "person",
        help="whose data: account:<id>, candidate:<id> or pupil:<location>/<pupil key>",
    )
    parser.add_argument("--db", required=True, help="the database's SQLAlchemy URL")
    parser.add_argument("--as", dest="actor", required=True, help="the id of the account that asks")
    add_output(parser, "--out", help="write the JSON here (default: standard output)")
    add_output(parser, "--pdf", help="write the PDF here as well")
    parser.set_defaults(handler=export_command)


def person_of(text: str) -> PersonRef:
    """Return the person *text* names (``account:<id>``, ``candidate:<id>``, ``pupil:<l>/<k>``).

    >>> person_of("pupil:22AB00/LL-1").label
    'pupil:22AB00/LL-1'

    Raises:
        InvalidInput: ``privacy.export.person``.
    """
    kind, _, rest = text.partition(":")
    refused = InvalidInput("privacy.export.person", field="person", value=text[:80])
    if not rest or rest != rest.strip():
        raise refused
    if kind == "account":
        return PersonRef.account(rest)
    if kind == "candidate":
        return PersonRef.candidate(rest)
    location, _, key = rest.partition("/")
    if kind != "pupil" or not location or not key:
        raise refused
    return PersonRef.pupil(location, key)


def export_command(args: argparse.Namespace) -> int:
    """Export the person's data, acting as ``--as``; write the JSON and the PDF."""
    from examkit import Examkit, Settings
    from examkit.backends.sql import SQLBackend
    from examkit.randomness import SystemSecretSource

    person = person_of(args.person)
    backend = SQLBackend(args.db, migrate=False)
    try:
        kit = Examkit(
            backend=backend,
            mailer=_NoMail(),
            # an export issues no token and sends no e-mail: a key of this process alone
            settings=Settings(
                token_key=SystemSecretSource().token_bytes(32), base_url="http://127.0.0.1"
            ),
        )
        exported = kit.privacy_export.export(str(args.actor), person)
    finally:
        backend.close()
    text = exported.json()
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_output(args.out, text.encode("utf-8"), private=True)
    if args.pdf is not None:
        write_output(args.pdf, exported.pdf(), private=True)
    return EXIT_OK


class _NoMail:
    """An export sends no e-mail."""

    def send(self, message: object) -> None:  # pragma: no cover - never called
        raise AssertionError(f"an export sends no e-mail ({message!r})")
