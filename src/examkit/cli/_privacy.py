"""``examkit privacy``: the privacy operations' commands (PRIV-1 to PRIV-4).

The group dispatches its subcommands from :data:`SUBCOMMANDS`, each defined
by its own module (``configure(parser)``), imported only when it is chosen:
``examkit privacy register`` prints the processing register.
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
)
"""Every ``examkit privacy`` subcommand: its word, its module, its one-line help."""


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``privacy`` command group."""
    add_commands(group, dest="privacy_command", commands=SUBCOMMANDS)
