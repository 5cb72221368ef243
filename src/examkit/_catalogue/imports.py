"""Messages of importing EDEXML into storage: preview, confirm, cancel."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "imports.group.not_found": (
        "Er is geen groep '{group}' op deze locatie in dit schooljaar.",
        "There is no group '{group}' at this location in this school year.",
    ),
    "imports.actor.no_location": (
        "U mag voor geen enkele locatie EDEXML inlezen; het bestand is niet gelezen.",
        "You may import EDEXML for no location; the file was not read.",
    ),
    "imports.school_year.not_imported": (
        "Voor locatie {location} is voor het huidige schooljaar {school_year} nog niets ingelezen.",
        "Nothing has been imported for location {location} for the current school year "
        "{school_year} yet.",
    ),
    "imports.school_year.not_found": (
        "Voor locatie {location} is voor schooljaar {school_year} niets ingelezen.",
        "Nothing was imported for location {location} for school year {school_year}.",
    ),
    "imports.school_year.too_far_ahead": (
        "Het bestand is voor schooljaar {school_year}; het huidige schooljaar is {current}, en "
        "een bestand mag ten hoogste {years_ahead} schooljaar/schooljaren vooruit zijn.",
        "The file is for school year {school_year}; the current school year is {current}, and "
        "a file may be at most {years_ahead} school year(s) ahead.",
    ),
    "imports.location.no_import": (
        "Voor locatie {location} is nog niets ingelezen.",
        "Nothing has been imported for location {location} yet.",
    ),
    "imports.school.no_import": (
        "Voor school {school} is nog niets ingelezen.",
        "Nothing has been imported for school {school} yet.",
    ),
    "imports.school.year_not_imported": (
        "Voor school {location} is voor het huidige schooljaar {school_year} nog niets ingelezen.",
        "Nothing has been imported for school {location} for the current school year "
        "{school_year} yet.",
    ),
    "imports.location.not_administered": (
        "U beheert locatie {location} niet: dit bestand kan hier niet worden ingelezen.",
        "You do not administer location {location}: this file cannot be imported here.",
    ),
    "imports.school.not_permitted": (
        "Je mag voor school {school} geen leerlingen inlezen: dit bestand kan hier niet "
        "worden ingelezen.",
        "You may not import pupils for school {school}: this file cannot be imported here.",
    ),
    "imports.school.mismatch": (
        "Het bestand is van school {found} (instellingsnummer), niet van de gekozen {chosen}.",
        "The file is for school {found} (instellingsnummer), not for the chosen {chosen}.",
    ),
    "imports.school.instellingsnummer_unusable": (
        "Het instellingsnummer '{value}' is niet bruikbaar: schrijf 2 tot 6 cijfers 0-9. "
        "Het bestand is niet ingelezen.",
        "The instellingsnummer '{value}' cannot be used: write 2 to 6 digits 0-9. The file "
        "was not imported.",
    ),
    "imports.location.missing": (
        "Het bestand noemt geen BRIN-code of instellingsnummer; kies de locatie of school "
        "waarvoor u het inleest.",
        "The file names no BRIN code or instellingsnummer; choose the location or school you "
        "are importing it for.",
    ),
    "imports.location.mismatch": (
        "Het bestand is van locatie {found}, niet van de gekozen locatie {chosen}.",
        "The file is for location {found}, not for the chosen location {chosen}.",
    ),
    "imports.school_year.missing": (
        "Het bestand noemt geen schooljaar.",
        "The file names no school year.",
    ),
    "imports.pending.not_found": (
        "Deze import is onbekend, al bevestigd, geannuleerd of verlopen; "
        "lees het bestand opnieuw in.",
        "This import is unknown, already confirmed, cancelled or expired; upload the file again.",
    ),
    "imports.pending.other_actor": (
        "Deze import is door iemand anders voorbereid; alleen die persoon kan hem bevestigen.",
        "This import was previewed by someone else; only they can confirm it.",
    ),
    "imports.pending.stale": (
        "De gegevens van locatie {location} in {school_year} zijn sinds het voorbeeld gewijzigd; "
        "lees het bestand opnieuw in.",
        "The data of location {location} in {school_year} changed since the preview; "
        "upload the file again.",
    ),
    "imports.setting.not_a_count": (
        "De instelling {setting} moet een geheel getal van 0 of meer zijn.",
        "The setting {setting} must be a whole number of 0 or more.",
    ),
    "imports.setting.invalid": (
        "De instelling {setting} moet een positieve tijdsduur zijn.",
        "The setting {setting} must be a positive length of time.",
    ),
}
