"""Messages shared by every area: generic input problems and the error group."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "input.invalid": (
        "De invoer is ongeldig.",
        "The input is invalid.",
    ),
    "input.required": (
        "Dit veld is verplicht.",
        "This field is required.",
    ),
    "input.too_long": (
        "De invoer is te lang: ten hoogste {maximum} tekens.",
        "The input is too long: at most {maximum} characters.",
    ),
    "input.not_text": (
        "Verwacht werd tekst, niet {actual}.",
        "Text was expected, not {actual}.",
    ),
    "input.text.character": (
        "Het teken {character} is niet toegestaan: stuurtekens, tekens die de schrijfrichting "
        "sturen en losse surrogaten worden geweigerd.",
        "The character {character} is not allowed: control characters, characters that steer "
        "the writing direction and lone surrogates are refused.",
    ),
    "input.problems": (
        "De invoer bevat {count} probleem/problemen.",
        "The input has {count} problem(s).",
    ),
    "input.email.invalid": (
        "'{value}' is geen geldig e-mailadres.",
        "'{value}' is not a valid e-mail address.",
    ),
    "input.lang.unknown": (
        "De taal '{value}' wordt niet ondersteund: kies uit {languages}.",
        "The language '{value}' is not supported: choose from {languages}.",
    ),
    "state.not_allowed": (
        "Deze handeling is in de huidige toestand niet toegestaan.",
        "This action is not allowed in the current state.",
    ),
    "permission.denied": (
        "U heeft geen toestemming voor deze handeling.",
        "You are not permitted to do this.",
    ),
    "config.invalid": (
        "De configuratie is ongeldig: {reason}",
        "The configuration is invalid: {reason}",
    ),
    "audit.request.invalid": (
        "Een request-id is 1 tot 64 letters, cijfers of ._:- tekens.",
        "A request id is 1 to 64 letters, digits or ._:- characters.",
    ),
    "config.outbox.key": (
        "Een wachtende e-mail is verzegeld met een tokensleutel die niet meer is ingesteld.",
        "A waiting e-mail is sealed under a token key that is no longer configured.",
    ),
    "config.token_key_id.invalid": (
        "De id van een tokensleutel moet 1 tot 40 tekens zijn.",
        "A token key's id must be 1 to 40 characters.",
    ),
    "config.token_key_id.reused": (
        "Een afgeloste tokensleutel kan niet de id van de huidige sleutel hebben.",
        "A retired token key cannot have the current key's id.",
    ),
    "config.token_key.too_short": (
        "De sleutel voor opgeslagen tokens moet ten minste 32 bytes lang zijn.",
        "The key for stored tokens must be at least 32 bytes long.",
    ),
    "config.smtp.sender": (
        "Het afzenderadres van de mailserver is geen bruikbaar e-mailadres.",
        "The mail server's sender address is not a usable e-mail address.",
    ),
    "config.smtp.security": (
        "'{value}' is geen beveiliging van de mailverbinding: kies starttls, tls of none.",
        "'{value}' is not a mail connection security: choose starttls, tls or none.",
    ),
    "config.smtp.port": (
        "'{value}' is geen poortnummer van de mailserver.",
        "'{value}' is not a mail server port number.",
    ),
    "config.smtp.starttls": (
        "De mailserver biedt geen STARTTLS aan; er is niets verstuurd.",
        "The mail server offers no STARTTLS; nothing was sent.",
    ),
    "config.smtp.login": (
        "De mailserver weigert de inloggegevens; er is niets verstuurd.",
        "The mail server refuses the credentials; nothing was sent.",
    ),
    "config.systems.unknown": (
        "'{value}' is geen lijst van bekende applicaties (bijvoorbeeld facet,cito_lvs,examkit).",
        "'{value}' is not a list of known systems (for example facet,cito_lvs,examkit).",
    ),
    "config.path.invalid": (
        "'{value}' is geen bruikbaar pad van een pagina van de portal (begin met één /).",
        "'{value}' is not a usable path of a portal page (start with one /).",
    ),
    "config.interval.invalid": (
        "'{value}' is geen aantal seconden van 0 tot 86400.",
        "'{value}' is not a number of seconds from 0 to 86400.",
    ),
    "config.base_url.invalid": (
        "'{value}' is geen bruikbaar adres van de portal: gebruik http(s)://host[/pad], "
        "zonder ? of #.",
        "'{value}' is not a usable portal address: use http(s)://host[/path], without ? or #.",
    ),
    "input.time.naive": (
        "Het tijdstip {value} heeft geen tijdzone; examkit rekent alleen met tijden in UTC.",
        "The time {value} has no time zone; examkit only works with times in UTC.",
    ),
    "input.time.invalid": (
        "'{value}' is geen tijdstip (ISO 8601, bijvoorbeeld 2026-09-01T08:00:00+00:00).",
        "'{value}' is not a time (ISO 8601, for example 2026-09-01T08:00:00+00:00).",
    ),
    "input.structure": (
        "De gegevens hebben niet de verwachte vorm: {detail}",
        "The data does not have the expected shape: {detail}",
    ),
    "audit.details.secret": (
        "Een auditgebeurtenis bevat nooit een geheim; het gegeven '{key}' lijkt er een.",
        "An audit event never holds a secret; the detail '{key}' looks like one.",
    ),
}
