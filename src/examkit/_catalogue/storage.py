"""Messages of the storage port and the backends."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "storage.not_found": (
        "{kind} {key} bestaat niet.",
        "{kind} {key} does not exist.",
    ),
    "storage.already_exists": (
        "{kind} {key} bestaat al.",
        "{kind} {key} already exists.",
    ),
    "storage.unique": (
        "{kind}: de waarde {value} voor {index} is al in gebruik.",
        "{kind}: the value {value} for {index} is already taken.",
    ),
    "storage.concurrent_modification": (
        "{kind} {key} is intussen door iemand anders gewijzigd; haal het opnieuw op en "
        "probeer het nog eens.",
        "{kind} {key} was changed by someone else meanwhile; fetch it again and retry.",
    ),
    "storage.unit_closed": (
        "Deze transactie is al afgesloten.",
        "This unit of work is already closed.",
    ),
    "storage.readonly": (
        "Deze transactie mag alleen lezen.",
        "This unit of work may only read.",
    ),
    "storage.busy": (
        "De opslag is te lang bezet; probeer het zo nog eens.",
        "The storage is busy for too long; try again shortly.",
    ),
    "storage.failed": (
        "De opslag gaf een fout; er is niets gewijzigd.",
        "The storage failed; nothing was changed.",
    ),
    "storage.page_size": (
        "Een pagina bevat 1 tot {maximum} items.",
        "A page holds 1 to {maximum} items.",
    ),
    "storage.limit_reached": (
        "Te veel pogingen; probeer het later opnieuw.",
        "Too many attempts; try again later.",
    ),
    "storage.token.unusable": (
        "Deze code of link is onbekend, al gebruikt of verlopen.",
        "This code or link is unknown, already used or expired.",
    ),
    "storage.invalid_argument": (
        "Ongeldige waarde voor {argument}.",
        "Invalid value for {argument}.",
    ),
    "sql.sqlite.memory": (
        "Een SQLite-database in het geheugen wordt niet ondersteund: gebruik een bestand, of "
        "MemoryBackend.",
        "An in-memory SQLite database is not supported: use a file, or MemoryBackend.",
    ),
    "sql.dialect.unsupported": (
        "Database '{dialect}' wordt niet ondersteund; kies SQLite of PostgreSQL.",
        "Database '{dialect}' is not supported; choose SQLite or PostgreSQL.",
    ),
}
