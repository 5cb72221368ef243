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
    "storage.outcome_unknown": (
        "Onbekend of de opslag de wijziging heeft vastgelegd (geen antwoord na herhaalde "
        "pogingen); lees de gegevens opnieuw voordat u het nog eens probeert.",
        "Unknown whether the storage committed the change (no answer after repeated tries); "
        "read the data again before trying once more.",
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
    "storage.value.sequence": (
        "Een volgnummer is een geheel getal van 1 tot en met {maximum}.",
        "A sequence number is a whole number from 1 to {maximum}.",
    ),
    "storage.value.type": (
        "Op {path} staat een {kind}; opgeslagen wordt alleen JSON: null, ja/nee, tekst, "
        "getallen, lijsten en objecten met tekst als sleutel.",
        "At {path} is a {kind}; only JSON is stored: null, booleans, text, numbers, lists "
        "and objects with text keys.",
    ),
    "storage.value.number": (
        "Het getal op {path} is oneindig, geen getal (NaN) of groter dan {maximum} "
        "(positief of negatief).",
        "The number at {path} is infinite, not a number (NaN) or beyond {maximum} "
        "(positive or negative).",
    ),
    "storage.value.text": (
        "De tekst op {path} bevat een NUL-teken of een ongeldig Unicode-teken (een losse "
        "surrogaat).",
        "The text at {path} holds a NUL character or invalid Unicode (a lone surrogate).",
    ),
    "storage.value.depth": (
        "De waarde is op {path} dieper genest dan {maximum} niveaus.",
        "The value is nested deeper than {maximum} levels at {path}.",
    ),
    "storage.value.too_long": (
        "De waarde voor {index} is te lang om op te zoeken: ten hoogste {maximum} tekens.",
        "The value for {index} is too long to look up by: at most {maximum} characters.",
    ),
    "sql.migration.irreversible": (
        "De databasemigratie {revision} kan niet worden teruggedraaid: zet een reservekopie "
        "van voor de upgrade terug.",
        "The database migration {revision} cannot be reversed: restore a backup made before "
        "the upgrade.",
    ),
    "sql.record.taken": (
        "Het record {record} bestaat al in examkit: geef een eigen record een andere naam.",
        "The record {record} exists in examkit already: give a record of your own another name.",
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
