"""``examkit privacy erase``: erase one person's data on request (PRIV-3).

``examkit privacy erase --db URL --actor ID account|candidate|pupil ID
[--location CODE] [--yes]`` erases, as the account *--actor*, everything the
database holds about the person that is not under retention
(:meth:`PrivacyErasure.erase <examkit.privacy.PrivacyErasure.erase>`), after
a confirmation on standard input unless ``--yes`` is given, and prints the
answer as JSON: what went, what stays and until when, with the legal reason.
The pseudonym key comes from the environment: ``EXAMKIT_PSEUDONYM_KEY`` (hex,
at least 32 bytes) and ``EXAMKIT_PSEUDONYM_KEY_ID`` (``1`` when not set).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from examkit.cli._common import EXIT_NEGATIVE, EXIT_OK, lang_of, print_json
from examkit.errors import ConfigurationError, InvalidInput
from examkit.messages import text
from examkit.ports import Message
from examkit.privacy import ErasureReport, PersonRef, PrivacySettings

KEY_VARIABLE = "EXAMKIT_PSEUDONYM_KEY"
"""The environment variable holding the pseudonym key (hex)."""
KEY_ID_VARIABLE = "EXAMKIT_PSEUDONYM_KEY_ID"
"""The environment variable holding the pseudonym key's id."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``examkit privacy erase``."""
    parser.description = (
        "Erase everything stored about one person that is not under retention; the audit "
        f"trail keeps its events under a pseudonym (key in ${KEY_VARIABLE}, hex)."
    )
    parser.add_argument("kind", choices=("account", "candidate", "pupil"), help="who")
    parser.add_argument("id", help="the account's or candidate's id, or the pupil's key")
    parser.add_argument("--location", help="the pupil's location (BRIN6)")
    parser.add_argument("--db", required=True, help="the database's SQLAlchemy URL")
    parser.add_argument("--actor", required=True, help="the acting account's id")
    parser.add_argument("--yes", action="store_true", help="erase without asking")
    parser.set_defaults(handler=erase_command)


def person_of(args: argparse.Namespace) -> PersonRef:
    """Return the person the arguments name.

    Raises:
        InvalidInput: ``privacy.erasure.person``: a pupil without a location or another
            kind with one, or an empty id.
    """
    try:
        if args.kind == "pupil":
            if not args.location:
                raise ValueError("a pupil needs its location")
            return PersonRef.pupil(str(args.location), str(args.id))
        if args.location is not None:
            raise ValueError("only a pupil has a location")
        return PersonRef(args.kind, str(args.id))
    except ValueError:
        raise InvalidInput("privacy.erasure.person", field="--location") from None


def settings_of(environ: dict[str, str] | os._Environ[str]) -> PrivacySettings:
    """Return the privacy settings with the pseudonym key of the environment.

    Raises:
        ConfigurationError: ``privacy.erasure.no_key`` (not set) or
            ``privacy.erasure.key`` (not hex, or shorter than 32 bytes).
    """
    value = environ.get(KEY_VARIABLE)
    if not value:
        raise ConfigurationError("privacy.erasure.no_key", field=KEY_VARIABLE)
    try:
        key = bytes.fromhex(value.strip())
        return PrivacySettings(
            pseudonym_key=key, pseudonym_key_id=environ.get(KEY_ID_VARIABLE, "1")
        )
    except ValueError:
        raise ConfigurationError(
            "privacy.erasure.key", field=KEY_VARIABLE, variable=KEY_VARIABLE
        ) from None


class _NoMail:
    """An erasure sends no e-mail."""

    def send(self, message: Message) -> None:
        sys.stderr.write(f"examkit: an erasure sends no e-mail ({message.kind})\n")


def report_json(report: ErasureReport) -> dict[str, Any]:
    """Return the erasure's answer as the command prints it."""
    return {
        "person": report.person.label,
        "pseudonym": report.pseudonym,
        "changed": report.changed,
        "erased": dict(report.erased),
        "stripped": dict(report.stripped),
        "audit_events_pseudonymised": report.audit_events,
        "tokens_revoked": report.tokens,
        "offline_entries": report.offline,
        "kept": [
            {
                "record": kept.record,
                "count": kept.count,
                "term": kept.term,
                "until": None if kept.until is None else kept.until.isoformat(),
                "what": kept.why,
                "source": kept.source,
            }
            for kept in report.kept
        ],
    }


def erase_command(args: argparse.Namespace) -> int:
    """Run ``examkit privacy erase``.

    Implements PRIV-3.
    """
    from examkit import Examkit, Settings
    from examkit.backends.sql import SQLBackend
    from examkit.randomness import SystemSecretSource

    person = person_of(args)
    privacy = settings_of(os.environ)
    if not args.yes:
        sys.stderr.write(f"Erase {person.label}? Type yes: ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in {"yes", "ja"}:
            message = text("privacy.erasure.unconfirmed", lang_of(args), person=person.label)
            sys.stderr.write(f"examkit: {message}\n")
            return EXIT_NEGATIVE
    backend = SQLBackend(args.db, migrate=False)
    try:
        kit = Examkit(
            backend=backend,
            mailer=_NoMail(),
            # an erasure issues no token: a key of this process alone
            settings=Settings(
                token_key=SystemSecretSource().token_bytes(32),
                base_url="http://127.0.0.1",
                privacy=privacy,
            ),
        )
        report = kit.privacy_erasure.erase(str(args.actor), person)
    finally:
        backend.close()
    print_json(report_json(report))
    return EXIT_OK
