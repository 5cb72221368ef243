"""Messages of institutions, locations, identifiers and school years."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "org.brin.invalid": (
        "'{value}' is geen BRIN-code: een BRIN-code bestaat uit 2 cijfers en 2 letters (22AB).",
        "'{value}' is not a BRIN code: a BRIN code is 2 digits followed by 2 letters (22AB).",
    ),
    "org.location.length": (
        "'{value}' is geen locatiecode: die heeft 6 tekens (BRIN-code van 2 cijfers en "
        "2 letters, dan een volgnummer van 2 cijfers: 22AB01), niet {length}.",
        "'{value}' is not a location code: one has 6 characters (a BRIN code of 2 digits "
        "and 2 letters, then a 2-digit sequence number: 22AB01), not {length}.",
    ),
    "org.location.invalid": (
        "'{value}' is geen locatiecode: die bestaat uit 2 cijfers, 2 letters en een "
        "volgnummer van 2 cijfers (22AB01).",
        "'{value}' is not a location code: one is 2 digits, 2 letters and a 2-digit "
        "sequence number (22AB01).",
    ),
    "org.onderwijslocatiecode.invalid": (
        "'{value}' is geen onderwijslocatiecode: die bestaat uit 3 cijfers, de letter X en "
        "3 cijfers (123X456).",
        "'{value}' is not an onderwijslocatiecode: one is 3 digits, the letter X and "
        "3 digits (123X456).",
    ),
    "org.instellingsnummer.invalid": (
        "'{value}' is geen instellingsnummer: dat bestaat uit 2 tot 6 cijfers.",
        "'{value}' is not an instellingsnummer: one is 2 to 6 digits.",
    ),
    "org.postcode.invalid": (
        "'{value}' is geen Nederlandse postcode: die bestaat uit 4 cijfers en 2 letters (8835 BA).",
        "'{value}' is not a Dutch postcode: one is 4 digits and 2 letters (8835 BA).",
    ),
    "org.postcode.leading_zero": (
        "'{value}' is geen Nederlandse postcode: een postcode begint niet met 0.",
        "'{value}' is not a Dutch postcode: a postcode does not start with 0.",
    ),
    "org.postcode.reserved_letters": (
        "'{value}' is geen Nederlandse postcode: de letters {letters} worden niet gebruikt.",
        "'{value}' is not a Dutch postcode: the letters {letters} are never used.",
    ),
    "org.school_year.invalid": (
        "'{value}' is geen schooljaar: schrijf het als 2020-2021.",
        "'{value}' is not a school year: write it as 2020-2021.",
    ),
    "org.school_year.not_consecutive": (
        "'{value}' is geen schooljaar: het tweede jaar moet {expected} zijn "
        "(het eerste jaar plus één).",
        "'{value}' is not a school year: the second year must be {expected} "
        "(the first year plus one).",
    ),
    "org.id.unrecognised": (
        "'{value}' is geen bekende code; verwacht werd een van: {kinds}.",
        "'{value}' is not a known code; expected one of: {kinds}.",
    ),
    "org.id.unknown_kind": (
        "Onbekende soort code: '{kind}'.",
        "Unknown kind of code: '{kind}'.",
    ),
    "org.id.ambiguous_problem": (
        "'{value}' is geen geldige code; zo zou het wel kunnen:",
        "'{value}' is not a valid code; here is what it could be:",
    ),
    "org.institution.name.required": (
        "De naam van de instelling is verplicht.",
        "The institution's name is required.",
    ),
    "org.location.other_institution": (
        "Locatie {location} hoort niet bij instelling {institution}.",
        "Location {location} does not belong to institution {institution}.",
    ),
    "org.location.main_as_secondary": (
        "Locatie {location} is de hoofdlocatie en kan geen nevenlocatie zijn.",
        "Location {location} is the main location and cannot be a secondary location.",
    ),
    "org.location.duplicate": (
        "Locatie {location} komt meer dan eens voor.",
        "Location {location} appears more than once.",
    ),
    "org.location.flemish": (
        "Een Vlaamse school heeft geen BRIN-locaties.",
        "A Flemish school has no BRIN locations.",
    ),
    "org.location.not_found": (
        "Locatie {location} bestaat niet.",
        "Location {location} does not exist.",
    ),
    "org.institution.not_found": (
        "Instelling {institution} bestaat niet.",
        "Institution {institution} does not exist.",
    ),
    "org.institution.exists": (
        "Instelling {institution} bestaat al.",
        "Institution {institution} already exists.",
    ),
    "org.address.postcode_country": (
        "Een Nederlandse instelling heeft een Nederlandse postcode; een Vlaamse school een "
        "Belgische.",
        "A Dutch institution has a Dutch postcode; a Flemish school a Belgian one.",
    ),
    "org.belgian_postcode.invalid": (
        "'{value}' is geen Belgische postcode: die bestaat uit 4 cijfers (1000 tot 9999).",
        "'{value}' is not a Belgian postcode: one is 4 digits (1000 to 9999).",
    ),
}
