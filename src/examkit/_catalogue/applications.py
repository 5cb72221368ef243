"""Messages of account applications: the wizard's checks, the JSON form, processing, e-mails."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "applications.phone.required": (
        "Vul een telefoonnummer in: een Nederlands mobiel of vast nummer (0612345678).",
        "Enter a phone number: a Dutch mobile or landline number (0612345678).",
    ),
    "applications.phone.invalid": (
        "'{value}' is geen Nederlands mobiel of vast telefoonnummer: vul een 06-nummer of "
        "een nummer met netnummer in (0612345678, 050 599 77 99); 0800- en 0900-nummers "
        "en buitenlandse nummers kunnen niet.",
        "'{value}' is not a Dutch mobile or landline number: enter a 06 number or a number "
        "with its area code (0612345678, 050 599 77 99); 0800 and 0900 numbers and foreign "
        "numbers are not accepted.",
    ),
    "applications.email.private": (
        "'{value}' is een privé-e-mailadres ({domain}): gebruik een e-mailadres van de "
        "onderwijsinstelling, geen Gmail- of Hotmail-adres.",
        "'{value}' is a private e-mail address ({domain}): use an address of the "
        "institution, not a Gmail or Hotmail address.",
    ),
    "applications.location.other_brin": (
        "Nevenlocatie {value} hoort niet bij de school: vul een locatie van BRIN {brin} in.",
        "Secondary location {value} does not belong to the school: enter a location of "
        "BRIN {brin}.",
    ),
    "applications.location.duplicate": (
        "Locatie {value} staat er al: vul elke nevenlocatie één keer in, niet de hoofdlocatie.",
        "Location {value} is there already: enter each secondary location once, and not the "
        "main location.",
    ),
    "applications.school.not_main": (
        "{value} is een nevenlocatie: vul bij de school de hoofd- of inspectielocatie in "
        "(administratienummer 00) en de nevenlocaties daaronder.",
        "{value} is a secondary location: enter the main or inspection location "
        "(administration number 00) for the school and the secondary locations below it.",
    ),
    "applications.id.invalid": (
        "'{value}' is geen aanvraagnummer: gebruik letters, cijfers, - en _.",
        "'{value}' is not an application id: use letters, digits, - and _.",
    ),
    "applications.system.invalid": (
        "'{value}' is geen systeem: gebruik de code van een applicatie (ce_portal, facet).",
        "'{value}' is not a system: use the code of an application (ce_portal, facet).",
    ),
    "applications.system.unknown": (
        "Voor '{value}' kan geen beheerdersaccount worden aangevraagd: kies een van {allowed}.",
        "No administrator account can be applied for in '{value}': choose one of {allowed}.",
    ),
    "applications.decision.mismatch": (
        "Een aanvraag heeft een besluit als die is goedgekeurd of afgewezen, anders niet.",
        "An application has a decision when it is approved or rejected, and otherwise none.",
    ),
    "applications.json.not_object": (
        "Hier hoort een object (tussen accolades), geen {actual}.",
        "An object (in braces) belongs here, not {actual}.",
    ),
    "applications.json.not_list": (
        "Hier hoort een lijst ([...]), geen {actual}.",
        "A list ([...]) belongs here, not {actual}.",
    ),
    "applications.json.unknown_key": (
        "Dit veld kent het aanvraagformaat niet: haal het weg of controleer de spelling.",
        "The application format has no such field: remove it or check its spelling.",
    ),
    "applications.json.missing_key": (
        "Dit veld ontbreekt: vul het in.",
        "This field is missing: add it.",
    ),
    "applications.json.format": (
        "'{value}' is niet het aanvraagformaat: het veld format moet '{expected}' zijn.",
        "'{value}' is not the application format: the field format must be '{expected}'.",
    ),
    "applications.json.version": (
        "Versie {value} van het aanvraagformaat is onbekend: gebruik versie {supported}.",
        "Version {value} of the application format is unknown: use version {supported}.",
    ),
    "applications.json.status": (
        "'{value}' is geen status van een aanvraag: kies een van {allowed}.",
        "'{value}' is not an application status: choose one of {allowed}.",
    ),
    "applications.year.out_of_range": (
        "Jaar {value} valt buiten de kalender: kies een jaar van {first} tot en met {last}.",
        "Year {value} is outside the calendar: choose a year from {first} to {last}.",
    ),
    "applications.days.negative": (
        "Een termijn van {value} werkdagen kan niet: geef 0 of meer werkdagen.",
        "A term of {value} working days is impossible: give 0 or more working days.",
    ),
}
