"""``examkit privacy``: the privacy operations' commands (PRIV-1 to PRIV-4).

The group dispatches its subcommands from :data:`SUBCOMMANDS`, each defined
by its own module (``configure(parser)``), imported only when it is chosen:
``examkit privacy register`` prints the processing register,
``examkit privacy erase`` erases one person's data.
"""

from __future__ import annotations

import argparse
from typing import Final

from examkit.cli._common import Command, add_commands

SUBCOMMANDS: Final[tuple[Command, ...]] = (
    Command(
        "register",
        "examkit.cli._privacy_register",
        "print the processing register: every stored field, personal or not, and why",
    ),
    Command(
        "erase",
        "examkit.cli._privacy_erase",
        "erase one person's data that is not under retention; the audit trail pseudonymised",
    ),
    Command(
        "export",
        "examkit.cli._privacy_export",
        "export everything stored about one person as JSON (and PDF), acting as an account",
    ),
)
"""Every ``examkit privacy`` subcommand: its word, its module, its one-line help."""


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``privacy`` command group."""
    add_commands(group, dest="privacy_command", commands=SUBCOMMANDS)
