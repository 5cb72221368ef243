"""``examkit forms``: print forms as PDF from their JSON data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from examkit.cli._common import EXIT_OK, add_input, add_output, read_json, write_output


def configure(forms: argparse.ArgumentParser) -> None:
    """Add the forms of the ``forms`` command: ``account-application``."""
    kinds = forms.add_subparsers(dest="form", required=True, metavar="FORM")
    application = kinds.add_parser(
        "account-application",
        help="the account application form to print, sign and send back (ACC-5)",
        description="Read an account application in its JSON form and write the PDF form. "
        "Exit 2 for a file that cannot be read, is no JSON, or holds an application with "
        "problems (every problem is listed), and for an output that cannot be written or "
        "is the input itself.",
    )
    add_input(application, "application", metavar="APPLICATION.json")
    add_output(
        application, "-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write"
    )
    application.set_defaults(handler=account_application_command)


def account_application_command(args: argparse.Namespace) -> int:
    """Run ``examkit forms account-application APPLICATION.json -o OUT.pdf``.

    Implements DOC-1 (ACC-5).
    """
    output: Path = args.output
    data = read_json(args.application)
    # Imported once the file is read: a file that cannot be does not wait for reportlab.
    from examkit.applications import (
        MailDomainRule,
        application_from_json,
        check_institution_addresses,
    )
    from examkit.documents import account_application_pdf

    application = application_from_json(data)
    check_institution_addresses(application, MailDomainRule.default())
    write_output(output, account_application_pdf(application))
    sys.stdout.write(f"{output}\n")
    return EXIT_OK
