"""Messages of the command line."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.grade.table_too_large": (
        "Een omzettingstabel heeft hier hoogstens {limit} scorepunten; vraag met --score het "
        "cijfer van één score.",
        "A conversion table here has at most {limit} score points; ask for one score's grade "
        "with --score.",
    ),
    "cli.file.unreadable": (
        "Het bestand {path} kan niet worden gelezen: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
    "cli.file.too_large": (
        "Het bestand {path} is groter dan {limit} MiB.",
        "The file {path} is larger than {limit} MiB.",
    ),
    "cli.file.unwritable": (
        "Het bestand {path} kan niet worden geschreven: {reason}",
        "The file {path} cannot be written: {reason}",
    ),
    "cli.file.failed": (
        "Het bestand {path} kan niet worden gebruikt: {reason}",
        "The file {path} cannot be used: {reason}",
    ),
    "cli.output.is_input": (
        "Het uitvoerbestand {path} is ook een invoerbestand; kies een ander bestand, "
        "dan blijft de invoer staan.",
        "The output file {path} is also an input file; choose another file, so that the "
        "input is kept.",
    ),
    "cli.json.invalid": (
        "Het bestand is geen geldige JSON (kolom {column}): {reason}.",
        "The file is not valid JSON (column {column}): {reason}.",
    ),
    "cli.json.too_deep": (
        "Het bestand is te diep genest om te lezen.",
        "The file is nested too deeply to be read.",
    ),
    "cli.json.number_too_long": (
        "Het bestand bevat een getal van meer dan {limit} cijfers.",
        "The file holds a number of more than {limit} digits.",
    ),
    "cli.json.not_finite": (
        "Het bestand bevat een getal dat niet eindig is: {value}.",
        "The file holds a number that is not finite: {value}.",
    ),
    "cli.json.not_unicode": (
        "Het bestand bevat een tekst die geen Unicode is (een losse surrogaat, teken {position}).",
        "The file holds a text that is not Unicode (a lone surrogate, character {position}).",
    ),
    "cli.input.not_utf8": (
        "De invoer is geen UTF-8-tekst (byte {position} is ongeldig).",
        "The input is not UTF-8 text (byte {position} is invalid).",
    ),
    "cli.input.too_deep": (
        "De invoer is te diep genest om te verwerken.",
        "The input is nested too deeply to be processed.",
    ),
    "cli.input.too_large": (
        "De invoer is te groot om te verwerken (het geheugen is op).",
        "The input is too large to be processed (out of memory).",
    ),
    "cli.failed": (
        "De opdracht is mislukt ({kind}): {reason}",
        "The command failed ({kind}): {reason}",
    ),
}
