"""Messages of user accounts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "accounts.login_name.invalid": (
        "'{value}' is geen geldige gebruikersnaam: 8 tot 20 tekens, alleen letters, cijfers "
        "en punten.",
        "'{value}' is not a valid login name: 8 to 20 characters, letters, digits and dots only.",
    ),
    "accounts.id.invalid": (
        "'{value}' is geen geldig account-id.",
        "'{value}' is not a valid account id.",
    ),
    "accounts.login_name.taken": (
        "De gebruikersnaam {login_name} is al in gebruik.",
        "The login name {login_name} is already taken.",
    ),
    "accounts.not_found": (
        "Account {account} bestaat niet.",
        "Account {account} does not exist.",
    ),
}
