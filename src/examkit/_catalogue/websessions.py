"""Messages of signed-in browser sessions (web sessions)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "websessions.form.used": (
        "Dit formulier is al verstuurd of verlopen; er is niets gewijzigd. Vul het opnieuw in.",
        "This form was sent already or has expired; nothing was changed. Fill it in again.",
    ),
    "websessions.form.name": (
        "Een formulier heeft een naam van 1 tot 64 tekens.",
        "A form has a name of 1 to 64 characters.",
    ),
    "websessions.session.invalid": (
        "Deze sessie is niet meer geldig; log opnieuw in.",
        "This session is no longer valid; please sign in again.",
    ),
    "websessions.session.renew_required": (
        "Uw rechten zijn gewijzigd sinds deze sessie begon: de sessie moet worden vernieuwd.",
        "Your privileges changed since this session began: the session must be renewed.",
    ),
    "websessions.session.scope": (
        "Een sessie opent het hele portaal of alleen de afnamemonitor.",
        "A session opens the whole portal or the proctor monitor only.",
    ),
    "websessions.account.inactive": (
        "Dit account is niet actief: er kan geen sessie voor beginnen.",
        "This account is not active: no session can begin for it.",
    ),
    "websessions.setting.invalid": (
        "De instelling {setting} moet een positieve tijdsduur zijn.",
        "The setting {setting} must be a positive period.",
    ),
    "websessions.setting.idle_too_short": (
        "De inactiviteitstermijn ({idle}) moet langer zijn dan {step}.",
        "The idle timeout ({idle}) must be longer than {step}.",
    ),
    "websessions.setting.idle_exceeds_absolute": (
        "De inactiviteitstermijn ({idle}) is langer dan de absolute termijn ({absolute}).",
        "The idle timeout ({idle}) is longer than the absolute timeout ({absolute}).",
    ),
    "websessions.limit.reached": (
        "Te veel verzoeken vanaf uw adres: probeer het vanaf {time} opnieuw.",
        "Too many requests from your address: try again from {time}.",
    ),
    "websessions.limit.purpose": (
        "'{value}' is geen naam voor een limiet: gebruik kleine letters, cijfers, _ en punten "
        "(hoogstens 64 tekens).",
        "'{value}' is not a name for a limit: use lower-case letters, digits, _ and dots "
        "(at most 64 characters).",
    ),
    "websessions.limit.requests": (
        "Een limiet van {value} verzoeken kan niet: kies 1 of meer.",
        "A limit of {value} requests is impossible: choose 1 or more.",
    ),
    "websessions.limit.window": (
        "De periode van een limiet ({value}) moet een positieve tijdsduur zijn.",
        "The window of a limit ({value}) must be a positive period.",
    ),
}
