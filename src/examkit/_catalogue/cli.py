"""Messages of the command line."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.file.unreadable": (
        "Het bestand {path} kan niet worden gelezen: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
    "cli.json.invalid": (
        "Het bestand is geen geldige JSON (kolom {column}): {reason}.",
        "The file is not valid JSON (column {column}): {reason}.",
    ),
    "cli.input.not_utf8": (
        "De invoer is geen UTF-8-tekst (byte {position} is ongeldig).",
        "The input is not UTF-8 text (byte {position} is invalid).",
    ),
}
