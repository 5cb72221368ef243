"""Messages of the offline server's commands: ``examkit offline serve`` and ``sync`` (SCH-8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offline.cli.unreachable": (
        "Het centrale systeem op {url} is niet bereikbaar; de FAO werkt door en probeert het "
        "later opnieuw.",
        "The central system at {url} cannot be reached; the offline server carries on and "
        "tries again later.",
    ),
    "offline.cli.credential": (
        "Geef de sleutel van de FAO met --credential-file of in de omgevingsvariabele "
        "EXAMKIT_OFFLINE_CREDENTIAL (de sleutel die het centrale systeem één keer toonde).",
        "Give the offline server's credential with --credential-file or in the environment "
        "variable EXAMKIT_OFFLINE_CREDENTIAL (the credential the central system showed once).",
    ),
    "offline.cli.store": (
        "'{path}' is geen opslag van een FAO; maak hem eerst met 'examkit offline init'.",
        "'{path}' is no offline server's store; make it first with 'examkit offline init'.",
    ),
    "offline.cli.every": (
        "'{value}' is geen bruikbare tussentijd; geef bijvoorbeeld 30s, 2m of 1h (1 seconde tot "
        "1 dag).",
        "'{value}' is no usable period; give for example 30s, 2m or 1h (1 second to 1 day).",
    ),
    "offline.cli.server": (
        "'{value}' is geen FAO-id; gebruik het id uit het centrale register (zoals fao-Ab3x_9).",
        "'{value}' is no offline server id; use the id of the central registry (like fao-Ab3x_9).",
    ),
    "offline.cli.central": (
        "'{value}' is geen adres van het centrale systeem; geef de http(s)-URL van zijn "
        "synchronisatiepunt.",
        "'{value}' is no address of the central system; give the http(s) URL of its sync endpoint.",
    ),
    "offline.cli.app": (
        "'{value}' noemt geen app die te laden is; geef module:naam (zoals portal:offline_app).",
        "'{value}' names no app that can be loaded; give module:name (like portal:offline_app).",
    ),
}
