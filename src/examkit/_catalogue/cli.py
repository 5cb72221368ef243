"""Messages of the command line."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.file.unreadable": (
        "Het bestand {path} kan niet worden gelezen: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
}
