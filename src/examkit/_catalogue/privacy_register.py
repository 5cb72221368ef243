"""Messages of the privacy operations: the processing register and the retention terms (PRIV-1)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.register.unknown_term": (
        "De privacyinstellingen geven een bewaartermijn voor {names}, maar die termijn bestaat "
        "niet; gebruik een van: {known}.",
        "The privacy settings give a retention period for {names}, but there is no such term; "
        "use one of: {known}.",
    ),
    "privacy.register.unclassified": (
        "Het veld {name} van het record {record} zegt niet of het persoonsgegevens bevat; geef "
        "het een Personal(...) of NotPersonal(...) in de privacy van de RecordType.",
        "The field {name} of the record {record} does not say whether it holds personal data; "
        "give it a Personal(...) or NotPersonal(...) in the RecordType's privacy.",
    ),
    "privacy.register.not_a_field": (
        "De privacy van het record {record} beschrijft het veld {name}, maar dat veld heeft het "
        "record niet.",
        "The privacy of the record {record} describes the field {name}, which the record does "
        "not have.",
    ),
    "privacy.register.unknown_retention": (
        "De bewaartermijn {term} bestaat niet; kies een van de termijnen in RETENTION_TERMS.",
        "There is no retention term {term}; choose one of the terms in RETENTION_TERMS.",
    ),
    "privacy.register.unknown_basis": (
        "{basis} is geen grondslag van de AVG (art. 6, lid 1); kies een van: {known}.",
        "{basis} is no lawful basis of the GDPR (art. 6(1)); choose one of: {known}.",
    ),
    "privacy.register.unknown_reader": (
        "{reader} is niemand die persoonsgegevens mag zien; kies een van: {known}.",
        "{reader} is no one who may see personal data; choose one of: {known}.",
    ),
}
