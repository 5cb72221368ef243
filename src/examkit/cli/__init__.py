"""The ``examkit`` command line (also ``python -m examkit``).

Conventions for every command: ``--version``; ``--lang nl|en`` for messages
(Dutch by default); machine-readable output is JSON with English snake_case
keys; exit 0 when done or for a positive verdict, 1 for a negative verdict
of a command that judges its input, 2 for unusable input or arguments (the
message on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from examkit._version import __version__
from examkit.cli import _common, _demo, _edexml, _forms, _grade, _id, _password, _roles
from examkit.cli._common import EXIT_NEGATIVE, EXIT_OK, EXIT_UNUSABLE
from examkit.errors import ExamkitError

__all__ = ["EXIT_NEGATIVE", "EXIT_OK", "EXIT_UNUSABLE", "build_parser", "main"]

_COMMANDS = (_id, _password, _roles, _edexml, _grade, _forms, _demo)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``examkit`` command with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="examkit",
        description="examkit: running Dutch and Flemish school tests and central exams.",
    )
    parser.add_argument("--version", action="version", version=f"examkit {__version__}")
    _common.add_lang_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``examkit`` command with *argv* (the process's arguments by default)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else EXIT_UNUSABLE
    try:
        return int(args.handler(args))
    except ExamkitError as error:
        return _common.fail_unusable(error, _common.lang_of(args))
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.stderr.write("examkit: interrupted\n")
        return 130
