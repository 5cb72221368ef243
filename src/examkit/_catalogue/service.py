"""Messages of outside services examkit talks to: the mail server."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "mail.unavailable": (
        "De mailserver {host} is niet bereikbaar of weigert het bericht ({reason}); "
        "probeer het later opnieuw.",
        "The mail server {host} cannot be reached or refuses the message ({reason}); "
        "try again later.",
    ),
    "service.unavailable": (
        "Een externe dienst is niet bereikbaar; probeer het later opnieuw.",
        "An outside service cannot be reached; try again later.",
    ),
}
