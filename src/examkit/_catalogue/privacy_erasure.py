"""Messages of the privacy operations: erasing one person's data (PRIV-3)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.erasure.no_key": (
        "Er is geen pseudoniemsleutel ingesteld (privacy.pseudonym_key): zonder die sleutel kan "
        "het auditspoor de gewiste persoon niet onder een pseudoniem bewaren, dus wordt er niets "
        "gewist.",
        "No pseudonym key is set (privacy.pseudonym_key): without it the audit trail cannot keep "
        "the erased person under a pseudonym, so nothing is erased.",
    ),
    "privacy.erasure.person": (
        "Geef de persoon als account, candidate of pupil met een id (een leerling ook met "
        "--location).",
        "Name the person as account, candidate or pupil with an id (a pupil also with --location).",
    ),
    "privacy.erasure.key": (
        "De pseudoniemsleutel in {variable} moet hexadecimaal zijn, minstens 32 bytes.",
        "The pseudonym key in {variable} must be hexadecimal, at least 32 bytes.",
    ),
    "privacy.erasure.unconfirmed": (
        "Niets gewist: de wissing van {person} is niet bevestigd (bevestig met yes, of geef "
        "--yes).",
        "Nothing erased: the erasure of {person} was not confirmed (answer yes, or give --yes).",
    ),
}
