"""The ``examkit`` command line (also ``python -m examkit``).

Conventions for every command: ``--version``; ``--lang nl|en`` for messages
(Dutch by default), before or after any command word; machine-readable
output is JSON with English snake_case keys; exit 0 when done or for a
positive verdict, 1 for a negative verdict of a command that judges its
input, 2 for unusable input or arguments (the message on stderr, never a
traceback).

Each command lives in its own module, imported only when that command runs,
so ``examkit id check`` loads the identifiers and not numpy, lxml or
reportlab.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from examkit._version import __version__
from examkit.cli import _common
from examkit.cli._common import EXIT_NEGATIVE, EXIT_OK, EXIT_UNUSABLE

__all__ = ["EXIT_NEGATIVE", "EXIT_OK", "EXIT_UNUSABLE", "build_parser", "main"]

_COMMANDS = (
    _common.Command("id", "examkit.cli._id", "check identifiers (BRIN, location, postcode, ...)"),
    _common.Command(
        "password",
        "examkit.cli._password",
        "check passwords against a policy; show a policy and its compliance",
    ),
    _common.Command("roles", "examkit.cli._roles", "roles and permissions"),
    _common.Command(
        "edexml", "examkit.cli._edexml", "check EDEXML files (pupils, groups, teachers)"
    ),
    _common.Command(
        "grade",
        "examkit.cli._grade",
        "convert a central-exam score to a grade (or print the conversion table)",
    ),
    _common.Command(
        "storage",
        "examkit.cli._storage",
        "serve the storage over HTTP; make the server's service tokens",
    ),
    _common.Command("forms", "examkit.cli._forms", "print a form as PDF from its JSON data"),
    _common.Command(
        "saml",
        "examkit.cli._saml",
        "make the SAML service provider's certificate and metadata (federated sign-in)",
    ),
    _common.Command(
        "offline",
        "examkit.cli._offline",
        "run an offline server: make its store, synchronise once or periodically",
    ),
    _common.Command(
        "privacy",
        "examkit.cli._privacy",
        "privacy operations: the processing register (and a person's data, erasure, retention)",
    ),
    _common.Command(
        "demo",
        "examkit.cli._demo",
        "walk through a school year's flow and write the documents it produces",
    ),
)
"""Every command: its word, the module that defines it, its one-line help."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``examkit`` command with every subcommand.

    A subcommand's options are added when it is chosen (its module imported
    then); the listing of ``examkit --help`` needs none of them.
    """
    return _common.top_parser(
        prog="examkit",
        description="examkit: running Dutch and Flemish school tests and central exams.",
        version=f"examkit {__version__}",
        commands=_COMMANDS,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``examkit`` command with *argv* (the process's arguments by default).

    Every failure ends here as a message on standard error and exit status
    :data:`EXIT_UNUSABLE`, never a traceback.
    """
    return _common.run(build_parser(), argv)
