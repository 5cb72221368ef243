"""Messages of the central side of offline servers: credentials, hand-over, packages (SCH-8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offline.group.held": (
        "Afnamegroep '{group}' wordt afgenomen op de FAO '{server}'; centraal kan er niets aan "
        "veranderen tot de afgesloten groep is teruggesynchroniseerd.",
        "The group '{group}' is held by the offline server '{server}'; nothing can change it "
        "centrally until its closed state has synchronised back.",
    ),
}
