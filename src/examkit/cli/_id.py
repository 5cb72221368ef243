"""``examkit id check VALUE``: recognise and validate an identifier."""

from __future__ import annotations

import argparse

from examkit.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    fail_unusable,
    lang_of,
    print_json,
    problems_of,
)
from examkit.errors import InvalidInput
from examkit.identifiers import KINDS, identify


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``id`` command group."""
    sub = group.add_subparsers(dest="id_command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="say which kind of identifier VALUE is and print it normalised",
        description="Exit 0 and print the identifier when VALUE is valid; exit 1 and say "
        "why when it is not; exit 2 when no value is given.",
    )
    check.add_argument("value", metavar="VALUE", help='the text to check, e.g. "22ab 01"')
    check.add_argument(
        "--kind", choices=sorted(KINDS), help="check only as this kind of identifier"
    )
    check.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace) -> int:
    """Run ``examkit id check``.

    Implements ORG-1, ORG-2 and ORG-4.
    """
    lang = lang_of(args)
    value: str = args.value
    try:
        identifier = identify(value, (args.kind,) if args.kind else None)
    except InvalidInput as error:
        if error.code in {"input.required", "input.not_text"}:
            return fail_unusable(error, lang)
        print_json({"valid": False, "value": value, "problems": problems_of(error, lang)})
        return EXIT_NEGATIVE
    print_json(
        {
            "valid": True,
            "kind": identifier.kind,
            "normalized": str(identifier),
            **identifier.parts(),
        }
    )
    return EXIT_OK
