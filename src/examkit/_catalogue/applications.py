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
    "applications.field.required": (
        "Vul dit veld in: het is verplicht.",
        "Fill in this field: it is required.",
    ),
    "applications.email.invalid": (
        "'{value}' is geen e-mailadres: vul een adres in zoals naam@school.nl.",
        "'{value}' is not an e-mail address: enter one like name@school.nl.",
    ),
    "applications.wizard.wrong_step": (
        "Dit zijn niet de gegevens van de huidige stap ({step}): vul die stap in.",
        "These are not the details of the current step ({step}): fill in that step.",
    ),
    "applications.wizard.first_step": (
        "Dit is de eerste stap: er is geen vorige.",
        "This is the first step: there is no previous one.",
    ),
    "applications.wizard.last_step": (
        "Dit is de laatste stap: controleer de gegevens en bevestig de aanvraag.",
        "This is the last step: check the details and confirm the application.",
    ),
    "applications.wizard.not_reviewing": (
        "De aanvraag is nog niet compleet (stap {step}): vul eerst alle stappen in.",
        "The application is not complete yet (step {step}): fill in every step first.",
    ),
    "applications.label.school": ("School", "School"),
    "applications.label.location_code": (
        "Instellingscode + administratienummer",
        "Institution code + administration number",
    ),
    "applications.label.education_location_code": (
        "Onderwijslocatiecode",
        "Education location code",
    ),
    "applications.label.school_name": ("Naam school", "School name"),
    "applications.label.street": ("Straat en huisnummer", "Street and house number"),
    "applications.label.town": ("Postcode en woonplaats", "Postcode and town"),
    "applications.label.secondary_locations": ("Nevenlocaties", "Secondary locations"),
    "applications.label.administrator": ("Beheerder", "Administrator"),
    "applications.label.name": ("Naam", "Name"),
    "applications.label.phone_number": ("Telefoonnummer", "Phone number"),
    "applications.label.email_address": ("E-mailadres", "E-mail address"),
    "applications.label.login_name": ("Inlognaam", "Login name"),
    "applications.label.competent_authority": ("Bevoegd gezag", "Competent authority"),
    "applications.label.job_title": ("Functie", "Function"),
    "applications.mail.confirmation.subject": (
        "Registratie van de beheerder voor {application}",
        "Registration of the administrator for {application}",
    ),
    "applications.mail.confirmation.body": (
        "Geachte {name},\n"
        "\n"
        "De aanvraag van een schoolaccount voor {application} van {school} is verwerkt. "
        "{administrator} is geregistreerd als beheerder voor de locatie(s) {locations}.\n"
        "\n"
        "Inlognaam van de beheerder: {login_name}\n"
        "De inloggegevens zijn gestuurd naar {email}.\n"
        "\n"
        "De beheerder geeft andere gebruikers van de school toegang. Klopt dit niet, neem "
        "dan contact op met de helpdesk.\n",
        "Dear {name},\n"
        "\n"
        "The application for a school account for {application} of {school} has been "
        "processed. {administrator} is registered as administrator for the location(s) "
        "{locations}.\n"
        "\n"
        "The administrator's login name: {login_name}\n"
        "The sign-in details were sent to {email}.\n"
        "\n"
        "The administrator gives other users of the school access. If this is not right, "
        "please contact the help desk.\n",
    ),
    "applications.mail.kept.subject": (
        "Uw account voor {application} blijft werken",
        "Your account for {application} keeps working",
    ),
    "applications.mail.kept.body": (
        "Beste {name},\n"
        "\n"
        "U bent beheerder van {application} voor {school} (locatie(s) {locations}). U "
        "houdt uw account van vorig schooljaar: log in met uw inlognaam {login_name} en uw "
        "eigen wachtwoord.\n",
        "Dear {name},\n"
        "\n"
        "You are the administrator of {application} for {school} (location(s) {locations}). "
        "You keep your account from last school year: sign in with your login name "
        "{login_name} and your own password.\n",
    ),
    "applications.mail.rejected.subject": (
        "Aanvraag schoolaccount {application} afgewezen",
        "Application for a school account for {application} rejected",
    ),
    "applications.mail.rejected.body": (
        "Beste {name} en {authority},\n"
        "\n"
        "De aanvraag van een schoolaccount voor {application} van {school} is afgewezen. "
        "De reden:\n"
        "\n"
        "{reason}\n"
        "\n"
        "U kunt een nieuwe aanvraag doen. Heeft u vragen, neem dan contact op met de "
        "helpdesk.\n",
        "Dear {name} and {authority},\n"
        "\n"
        "The application for a school account for {application} of {school} has been "
        "rejected. The reason:\n"
        "\n"
        "{reason}\n"
        "\n"
        "You may apply again. If you have any questions, please contact the help desk.\n",
    ),
    "applications.receipt.unknown": (
        "Deze aanvraag is niet (meer) op te halen: de link is onbekend of verlopen.",
        "This application cannot be fetched (any more): the link is unknown or has expired.",
    ),
    "applications.not_submitted": (
        "Over aanvraag {id} is al besloten ({status}): er is niets gewijzigd.",
        "Application {id} has been decided already ({status}): nothing was changed.",
    ),
    "applications.reason.required": (
        "Geef een reden voor de afwijzing: de school krijgt die te zien.",
        "Give a reason for the rejection: the school will see it.",
    ),
    "applications.login_name.taken": (
        "Inlognaam {login_name} is al van iemand anders: wijs de aanvraag af met het verzoek "
        "een andere inlognaam te kiezen.",
        "Login name {login_name} belongs to someone else: reject the application asking for "
        "another login name.",
    ),
    "applications.settings.days": (
        "Een behandeltermijn van {value} werkdagen kan niet: kies 1 tot en met 60 werkdagen.",
        "A service time of {value} working days is impossible: choose 1 to 60 working days.",
    ),
    "applications.step.school": ("School", "School"),
    "applications.step.administrator": ("Beheerder", "Administrator"),
    "applications.step.competent_authority": ("Bevoegd gezag", "Competent authority"),
    "applications.step.review": ("Controleren en bevestigen", "Review and confirm"),
}
