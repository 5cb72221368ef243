"""Messages of the offline server's commands: ``examkit offline serve`` and ``sync`` (SCH-8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offline.cli.unreachable": (
        "Het centrale systeem op {url} is niet bereikbaar; de FAO werkt door en probeert het "
        "later opnieuw.",
        "The central system at {url} cannot be reached; the offline server carries on and "
        "tries again later.",
    ),
}
