"""Messages of the privacy operations: a person's data exported and corrected, who read what."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.export.person": (
        "Geef de persoon als account:<id>, candidate:<id> of pupil:<locatie>/<leerlingsleutel>, "
        "niet '{value}'.",
        "Give the person as account:<id>, candidate:<id> or pupil:<location>/<pupil key>, "
        "not '{value}'.",
    ),
    "privacy.export.not_correctable": (
        "Het veld '{name}' van {kind} kan hier niet worden verbeterd; wel: {fields}.",
        "The field '{name}' of {kind} cannot be corrected here; these can: {fields}.",
    ),
    "privacy.export.correct_at_source": (
        "De gegevens van {person} komen uit de leerlingadministratie van de school (EDEXML): "
        "verbeter ze daar en importeer het bestand opnieuw.",
        "The data of {person} come from the school's pupil administration (EDEXML): "
        "correct them there and import the file again.",
    ),
    "privacy.export.own_email": (
        "Wijzig uw eigen e-mailadres op uw profielpagina: daar wordt om uw wachtwoord gevraagd "
        "en wordt het nieuwe adres bevestigd.",
        "Change your own e-mail address on your profile page: it asks for your password and "
        "confirms the new address.",
    ),
    "privacy.export.application_needed": (
        "Geef de applicatie waarin u deze gebruiker beheert (bijvoorbeeld facet).",
        "Give the application in which you administer this user (for example facet).",
    ),
    "privacy.export.address_needed": (
        "Uw eigen gegevens verbeteren gaat via uw profiel; daarvoor is het adres van uw "
        "verbinding nodig.",
        "Correcting your own details goes through your profile, which needs the address of "
        "your connection.",
    ),
    "privacy.export.value_type": (
        "De nieuwe waarde van '{name}' moet tekst zijn.",
        "The new value of '{name}' must be text.",
    ),
}
