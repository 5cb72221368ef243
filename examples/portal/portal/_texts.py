"""The portal's own words, in Dutch and English; examkit's messages come from its catalogue."""

from __future__ import annotations

from typing import Final

from examkit.messages import Lang

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "title": ("Portaal", "Portal"),
    "sign_in": ("Inloggen", "Sign in"),
    "login_name": ("Gebruikersnaam", "Login name"),
    "password": ("Wachtwoord", "Password"),
    "new_password": ("Nieuw wachtwoord", "New password"),
    "change_password": ("Kies een eigen wachtwoord", "Choose a password of your own"),
    "code": ("Eenmalig wachtwoord", "One-time password"),
    "code_sent": (
        "We hebben een eenmalig wachtwoord naar uw e-mailadres gestuurd.",
        "We sent a one-time password to your e-mail address.",
    ),
    "trust_browser": (
        "Vertrouw deze browser 24 uur",
        "Trust this browser for 24 hours",
    ),
    "continue": ("Verder", "Continue"),
    "sign_out": ("Uitloggen", "Sign out"),
    "welcome": ("Welkom, {name}", "Welcome, {name}"),
    "your_roles": ("Uw rollen", "Your roles"),
    "no_roles": ("U heeft nog geen rollen.", "You have no roles yet."),
    "forbidden": (
        "Deze pagina is er niet voor u.",
        "This page is not for you.",
    ),
    "cross_site": (
        "Dit verzoek kwam niet van deze portal en is geweigerd.",
        "This request did not come from this portal and was refused.",
    ),
    "signed_out": ("U bent uitgelogd.", "You are signed out."),
    "language": ("English", "Nederlands"),
}
"""Each key's Dutch and English text."""


def words(lang: Lang) -> dict[str, str]:
    """Return every text of the portal in *lang*."""
    index = 1 if lang == "en" else 0
    return {key: pair[index] for key, pair in TEXTS.items()}
