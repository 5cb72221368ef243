"""Messages of the HTTP problem details (:mod:`examkit.problems`): the titles of the error kinds."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "problem.title.invalid_input": (
        "Ongeldige invoer",
        "Invalid input",
    ),
    "problem.title.not_found": (
        "Niet gevonden",
        "Not found",
    ),
    "problem.title.already_exists": (
        "Bestaat al",
        "Already exists",
    ),
    "problem.title.not_permitted": (
        "Niet toegestaan",
        "Not permitted",
    ),
    "problem.title.invalid_state": (
        "Niet mogelijk in deze toestand",
        "Not possible in this state",
    ),
    "problem.title.limit_reached": (
        "Te veel pogingen",
        "Too many attempts",
    ),
    "problem.title.concurrent_modification": (
        "Intussen gewijzigd",
        "Changed meanwhile",
    ),
    "problem.title.configuration": (
        "Fout in de configuratie",
        "Configuration error",
    ),
    "problem.title.service": (
        "Dienst niet beschikbaar",
        "Service unavailable",
    ),
    "problem.title.storage": (
        "Opslag niet beschikbaar",
        "Storage unavailable",
    ),
    "problem.title.internal": (
        "Interne fout",
        "Internal error",
    ),
    "problem.internal": (
        "Er ging aan de kant van de server iets mis. Probeer het later nog eens.",
        "Something went wrong on the server. Please try again later.",
    ),
}
