"""Messages of federated sign-in: linking a verified identity to an account (AUTH-13).

Entree is the Dutch education federation (*Entree Federatie*); the texts
name it, as the portal's button does ("Inloggen met Entree").
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "federation.provider.unknown": (
        "Deze manier van inloggen is hier niet ingesteld.",
        "This way of signing in is not configured here.",
    ),
    "federation.request.unknown": (
        "Deze inlogpoging via Entree is verlopen of al gebruikt; log opnieuw in.",
        "This sign-in through Entree has expired or was used already; please sign in again.",
    ),
    "federation.response.invalid": (
        "Het antwoord van de inlogdienst klopt niet; log opnieuw in.",
        "The identity provider's answer is not valid; please sign in again.",
    ),
    "federation.replayed": (
        "Dit inlogbewijs van Entree is al eerder gebruikt; log opnieuw in.",
        "This sign-in proof from Entree was used before; please sign in again.",
    ),
    "federation.account.unknown": (
        "Er is geen account gekoppeld aan uw Entree-account. Gebruik de uitnodiging van uw "
        "beheerder, of log eerst in met uw gebruikersnaam en wachtwoord en koppel Entree daarna.",
        "No account is linked to your Entree account. Use the invitation from your "
        "administrator, or sign in with your username and password first and then link Entree.",
    ),
    "federation.account.inactive": (
        "Uw account is gedeactiveerd; neem contact op met uw beheerder.",
        "Your account has been deactivated; please contact your administrator.",
    ),
    "federation.home_organisation.mismatch": (
        "Uw Entree-account hoort bij een andere school dan uw account hier.",
        "Your Entree account belongs to another school than your account here.",
    ),
    "federation.affiliation.not_allowed": (
        "Uw rol bij uw school (volgens Entree) past niet bij uw rollen hier.",
        "Your role at your school (according to Entree) does not allow your roles here.",
    ),
    "federation.invitation.unknown": (
        "Deze uitnodiging is onbekend, al gebruikt of verlopen; vraag uw beheerder om een nieuwe.",
        "This invitation is unknown, used already or expired; ask your administrator for a "
        "new one.",
    ),
    "federation.link_token.unknown": (
        "Het koppelen is verlopen of al gebruikt; log opnieuw in en koppel Entree opnieuw.",
        "The link has expired or was used already; sign in again and link Entree again.",
    ),
    "federation.link_token.no_password": (
        "Alleen een actief account met een eigen wachtwoord kan zelf Entree koppelen.",
        "Only an active account with its own password can link Entree itself.",
    ),
    "federation.proposal.unknown": (
        "Dit voorstel om te koppelen is verlopen of al gebruikt; log opnieuw in via Entree.",
        "This proposal to link has expired or was used already; sign in through Entree again.",
    ),
    "federation.link.taken": (
        "Uw Entree-account is al aan een ander account gekoppeld.",
        "Your Entree account is linked to another account already.",
    ),
    "federation.link.unknown": (
        "Dit account heeft deze koppeling niet.",
        "This account does not have this link.",
    ),
    "federation.account.issuer_linked": (
        "Dit account is al gekoppeld aan een ander account bij dezelfde inlogdienst.",
        "This account is linked to another account at the same identity provider already.",
    ),
    "federation.account.federation_only": (
        "Dit account logt alleen in via Entree en heeft geen wachtwoord.",
        "This account signs in through Entree only and has no password.",
    ),
}
