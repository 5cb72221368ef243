"""``examkit forms``: print forms as PDF from their JSON data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from examkit.applications import MailDomainRule, application_from_json, check_institution_addresses
from examkit.cli._common import EXIT_OK, add_lang_option, fail_unusable, lang_of
from examkit.documents import account_application_pdf
from examkit.errors import InvalidInput


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``forms`` command and its ``account-application`` subcommand."""
    forms = commands.add_parser("forms", help="print a form as PDF from its JSON data")
    kinds = forms.add_subparsers(dest="form", required=True, metavar="FORM")
    application = kinds.add_parser(
        "account-application",
        help="the account application form to print, sign and send back (ACC-5)",
        description="Read an account application in its JSON form and write the PDF form. "
        "Exit 2 for a file that cannot be read, is no JSON, or holds an application with "
        "problems (every problem is listed).",
    )
    add_lang_option(application)
    application.add_argument("application", type=Path, metavar="APPLICATION.json")
    application.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="the PDF to write"
    )
    application.set_defaults(handler=account_application_command)


def account_application_command(args: argparse.Namespace) -> int:
    """Run ``examkit forms account-application APPLICATION.json -o OUT.pdf``.

    Implements DOC-1 (ACC-5).
    """
    path: Path = args.application
    lang = lang_of(args)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return fail_unusable(
            InvalidInput("cli.file.unreadable", path=str(path), reason=error.strerror or ""), lang
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return fail_unusable(InvalidInput("cli.input.not_utf8", position=error.start), lang)
    except json.JSONDecodeError as error:
        return fail_unusable(
            InvalidInput(
                "cli.json.invalid", line=error.lineno, column=error.colno, reason=error.msg
            ),
            lang,
        )
    application = application_from_json(data)  # problems: exit 2 via the command line's main
    check_institution_addresses(application, MailDomainRule.default())
    pdf = account_application_pdf(application)
    args.output.write_bytes(pdf)
    sys.stdout.write(f"{args.output}\n")
    return EXIT_OK
