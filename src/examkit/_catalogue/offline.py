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
}
