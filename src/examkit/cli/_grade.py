"""``examkit grade``: the exam board's score-to-grade rule from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Final

from examkit.cli._common import EXIT_OK, print_json
from examkit.errors import InvalidInput
from examkit.scoring import ConversionTable, grade, parse_nterm

TABLE_ROWS: Final = 10_000
"""The largest maximum whose whole table is printed (one score's grade: any maximum)."""


def _whole(field: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise InvalidInput("scoring.whole_number", field=field, value=text) from None

    return parse


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of the ``grade`` command."""
    parser.description = (
        "With --score, print the grade as plain text (one decimal); without, print "
        "the conversion table as JSON. Exit 2 for a maximum of 0 or less, a score outside "
        "0..max, or a value that is no number."
    )
    parser.add_argument("--max", dest="maximum", required=True, metavar="L", help="maximum score L")
    parser.add_argument("--nterm", required=True, metavar="N", help="the N-term (1.2 or 1,2)")
    parser.add_argument("--score", metavar="S", help="the score S to convert")
    parser.set_defaults(handler=grade_command)


def grade_command(args: argparse.Namespace) -> int:
    """Run ``examkit grade``.

    Implements SCO-5.
    """
    maximum = _whole("max")(args.maximum)
    nterm = parse_nterm(args.nterm)
    if args.score is not None:
        sys.stdout.write(f"{grade(_whole('score')(args.score), maximum, nterm)}\n")
        return EXIT_OK
    if maximum > TABLE_ROWS:
        raise InvalidInput("cli.grade.table_too_large", field="max", limit=TABLE_ROWS)
    table = ConversionTable.build(maximum, nterm)
    print_json(
        {
            "max": maximum,
            "nterm": args.nterm.strip().replace(",", "."),
            "table": [[score, str(value)] for score, value in table.rows],
            "lowest_pass": table.lowest_pass,
        }
    )
    return EXIT_OK
