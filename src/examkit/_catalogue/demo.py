"""Texts of ``examkit demo``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.start": (
        "Het is {date}: schooljaar {school_year}.",
        "It is {date}: school year {school_year}.",
    ),
    "demo.backend.sqlite": (
        "De gegevens staan in een SQLite-database: {path}",
        "The data is kept in an SQLite database: {path}",
    ),
    "demo.backend.memory": (
        "De gegevens staan in het geheugen (installeer examkit[sql] voor SQLite).",
        "The data is kept in memory (install examkit[sql] for SQLite).",
    ),
    "demo.institution": (
        "Instelling '{name}' met BRIN {brin} is geregistreerd.",
        "Institution '{name}' with BRIN {brin} is registered.",
    ),
    "demo.main": ("hoofdlocatie", "main location"),
    "demo.secondary": ("nevenlocatie", "secondary location"),
    "demo.location": (
        "  {code} ({kind}): {name}, {address}",
        "  {code} ({kind}): {name}, {address}",
    ),
    "demo.authority": (
        "Bevoegd gezag: {name}, {function}.",
        "Competent authority: {name}, {function}.",
    ),
    "demo.written": (
        "Geschreven: {path}",
        "Written: {path}",
    ),
    "demo.edexml.file": (
        "EDEXML-bestand {path}: {verdict}, versie {version}, {groups} groepen, "
        "{pupils} leerlingen, {teachers} leerkrachten.",
        "EDEXML file {path}: {verdict}, version {version}, {groups} groups, "
        "{pupils} pupils, {teachers} teachers.",
    ),
    "demo.edexml.valid": ("geldig", "valid"),
    "demo.edexml.invalid": ("ongeldig", "not valid"),
    "demo.edexml.error": ("fout", "error"),
    "demo.edexml.warning": ("waarschuwing", "warning"),
    "demo.edexml.problem": (
        "  {severity}, regel {line_number}, {element}: {message}",
        "  {severity}, line {line_number}, {element}: {message}",
    ),
    "demo.done": (
        "Klaar. De documenten staan in {folder}.",
        "Done. The documents are in {folder}.",
    ),
}
