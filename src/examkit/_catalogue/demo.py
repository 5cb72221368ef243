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
    "demo.passwords": (
        "Wachtwoorden, gecontroleerd met het beleid van Facet en met dat naar NIST:",
        "Passwords, checked against the Facet policy and against the NIST one:",
    ),
    "demo.password.valid": (
        "  '{password}' ({policy}): voldoet aan elke regel",
        "  '{password}' ({policy}): meets every rule",
    ),
    "demo.password.invalid": (
        "  '{password}' ({policy}): voldoet niet",
        "  '{password}' ({policy}): does not comply",
    ),
    "demo.problem": ("    - {message}", "    - {message}"),
    "demo.compliance": (
        "Waar het beleid {policy} afwijkt van {standard}, en waarom:",
        "Where the policy {policy} deviates from {standard}, and why:",
    ),
    "demo.deviation": ("  - {subject}: {reason}", "  - {subject}: {reason}"),
    "demo.written": (
        "Geschreven: {path}",
        "Written: {path}",
    ),
    "demo.done": (
        "Klaar. De documenten staan in {folder}.",
        "Done. The documents are in {folder}.",
    ),
}
