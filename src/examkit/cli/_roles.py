"""``examkit roles matrix``: print the permission matrix as JSON or Markdown."""

from __future__ import annotations

import argparse
import sys

from examkit.cli._common import EXIT_OK, print_json
from examkit.permissions import matrix_json, matrix_markdown


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``roles`` command group."""
    sub = group.add_subparsers(dest="roles_command", required=True, metavar="COMMAND")
    matrix = sub.add_parser(
        "matrix",
        help="print the permission matrix: every role with its actions and the roles it grants",
        description="Print every role with its actions (the seeds' own Dutch labels and "
        "English ones) and the roles it may grant, as JSON (default) or Markdown tables.",
    )
    matrix.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="output format (default: json)",
    )
    matrix.set_defaults(handler=matrix_command)


def matrix_command(args: argparse.Namespace) -> int:
    """Run ``examkit roles matrix``.

    Implements ROLE-5.
    """
    if args.format == "markdown":
        sys.stdout.write(matrix_markdown())
    else:
        print_json(matrix_json())
    return EXIT_OK
