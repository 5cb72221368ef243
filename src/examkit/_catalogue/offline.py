"""Messages of offline synchronisation: the queues, the inbox, conflicts (SCH-8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offline.conflict.not_held": (
        "De FAO '{server}' stuurde gegevens van afnamegroep '{group}', die hij niet (meer) "
        "beheert; ze zijn niet verwerkt.",
        "The offline server '{server}' sent data of the group '{group}', which it does not "
        "hold (any more); it was not applied.",
    ),
    "offline.conflict.server_removed": (
        "De FAO '{server}' is gedeactiveerd of verwijderd; wat hij nog stuurde is niet verwerkt.",
        "The offline server '{server}' is deactivated or deleted; what it still sent was "
        "not applied.",
    ),
    "offline.conflict.digest": (
        "Bericht {seq} van de FAO '{server}' kwam eerder met een andere inhoud binnen; de "
        "eerste versie geldt.",
        "Entry {seq} of the offline server '{server}' arrived before with other content; "
        "the first one stands.",
    ),
    "offline.conflict.central_changed": (
        "'{key}' is centraal gewijzigd nadat de afnamegroep aan de FAO '{server}' was "
        "overgedragen; beide versies zijn bewaard.",
        "'{key}' was changed centrally after the group was handed to the offline server "
        "'{server}'; both versions are kept.",
    ),
    "offline.station.missing": (
        "Deze FAO is nog niet ingericht: leg eerst vast welke FAO hij is en waar het centrale "
        "systeem staat (examkit offline init).",
        "This offline server is not set up yet: first record which server it is and where the "
        "central system is (examkit offline init).",
    ),
    "offline.station.other": (
        "Deze opslag hoort bij de FAO '{stored}', niet bij '{server}'.",
        "This store belongs to the offline server '{stored}', not to '{server}'.",
    ),
    "offline.outbox.removal": (
        "Op de FAO wordt geen {kind} '{key}' verwijderd: wat in het lokaal gebeurde, gaat "
        "naar het centrale systeem.",
        "The offline server removes no {kind} '{key}': what happened in the room goes to the "
        "central system.",
    ),
    "offline.central.unreachable": (
        "Het centrale systeem is niet bereikbaar; de FAO werkt door en synchroniseert later.",
        "The central system cannot be reached; the offline server carries on and "
        "synchronises later.",
    ),
    "offline.central.invalid": (
        "Het centrale systeem gaf een antwoord dat de FAO niet begrijpt; er is niets van verwerkt.",
        "The central system gave an answer the offline server does not understand; none of "
        "it was applied.",
    ),
    "offline.package.incomplete": (
        "Het examenpakket '{package}' kwam onvolledig of te lang binnen; het wordt opnieuw "
        "opgehaald.",
        "The exam package '{package}' arrived incomplete or too long; it is fetched again.",
    ),
}
