"""``examkit edexml inspect FILE [--lenient] [--xsd PATH]``: check an EDEXML file."""

from __future__ import annotations

import argparse
from typing import Any

from examkit.cli._common import EXIT_NEGATIVE, EXIT_OK, add_input, lang_of, print_json
from examkit.edexml import EdexmlProblem, Inspection, inspect
from examkit.messages import Lang


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``edexml`` command group."""
    sub = group.add_subparsers(dest="edexml_command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "inspect",
        help="check FILE against the EDEXML standard and print the verdict as JSON",
        description="Exit 0 when FILE is valid (warnings allowed), 1 when it is not (including "
        "XML that is not well-formed), 2 when it cannot be read or is refused as unsafe.",
    )
    add_input(check, "file", metavar="FILE", help="the EDEXML file")
    check.add_argument(
        "--lenient",
        action="store_true",
        help="leave out vendor additions (toevoegingen) and unknown xsi:type values, "
        "each reported as a warning",
    )
    add_input(
        check,
        "--xsd",
        metavar="PATH",
        help="an XML schema the file must satisfy as well (a supplier's extension)",
    )
    check.set_defaults(handler=inspect_command)


def problem_json(problem: EdexmlProblem, lang: Lang) -> dict[str, Any]:
    """Return *problem* as the JSON object the command prints."""
    return {
        "severity": problem.severity,
        "line": problem.line,
        "element": problem.element,
        "code": problem.code,
        "message": problem.message(lang),
    }


def inspection_json(verdict: Inspection, lang: Lang) -> dict[str, Any]:
    """Return *verdict* as the JSON object the command prints (absent values are null)."""
    school = verdict.school
    return {
        "valid": verdict.valid,
        "version": None if verdict.version is None else str(verdict.version),
        "school": {
            "brin": None if school.brin is None else str(school.brin),
            "location": None if school.location is None else str(school.location),
            "schoolkey": school.schoolkey,
            "instellingsnummer": (
                None if school.instellingsnummer is None else str(school.instellingsnummer)
            ),
            "school_year": None if school.school_year is None else str(school.school_year),
        },
        "counts": {
            "groups": verdict.counts.groups,
            "combination_groups": verdict.counts.combination_groups,
            "pupils": verdict.counts.pupils,
            "teachers": verdict.counts.teachers,
        },
        "problems": [problem_json(problem, lang) for problem in verdict.problems],
    }


def inspect_command(args: argparse.Namespace) -> int:
    """Run ``examkit edexml inspect``.

    Implements EDX-1.
    """
    verdict = inspect(args.file, lenient=args.lenient, schema=args.xsd)
    print_json(inspection_json(verdict, lang_of(args)))
    return EXIT_OK if verdict.valid else EXIT_NEGATIVE
