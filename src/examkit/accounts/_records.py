"""The accounts as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Final

from examkit.accounts._model import Account, LoginName
from examkit.errors import NotFound
from examkit.org import InstitutionCode
from examkit.storage import (
    VERSION_FIELD,
    Index,
    Page,
    Personal,
    Records,
    RecordType,
    microseconds,
)


def normal_email(email: str) -> str:
    """Return *email* as accounts are found by it: trimmed, its domain in lower case."""
    local, at, domain = email.strip().rpartition("@")
    return f"{local}{at}{domain.lower()}"


_kept: Final = partial(
    Personal,
    basis="public_task",
    retention="account",
    audience=("self", "administrator", "operator"),
)
"""An account's field, seen by its holder, their administrator and the service desk: give it the
purpose."""


_NAME: Final = Personal(
    purpose="address the account holder and show who did what",
    basis="public_task",
    retention="account",
    audience=("self", "administrator", "operator", "planner", "proctor", "corrector"),
)


def _password_set_at(account: Account) -> int | None:
    """When an active account's password was set (the reminders look accounts up by it).

    ``None`` for a federation-only account: it gets no password-expiry reminders.
    """
    if account.password is None or not account.is_active or account.federation_only:
        return None
    return microseconds(account.password.set_at)


ACCOUNTS: Final = RecordType(
    "accounts",
    Account,
    kind="account",
    key=lambda item: item.id,
    indexes=(
        Index("login_name", lambda item: item.login_name.folded, unique=True),
        Index("email", lambda item: item.email),
        Index("institution", lambda item: [str(code) for code in item.institutions], many=True),
        Index("password_set_at", _password_set_at, number=True),
    ),
    order=lambda item: item.login_name.folded,
    privacy={
        "id": _kept("identify the account holder in every record that refers to them"),
        "login_name": _kept("sign in (the name the seeds' systems give a staff member)"),
        "first_name": _NAME,
        "last_name": _NAME,
        "email": _kept("send sign-in codes, password resets, invitations and reminders"),
        "phone": _kept("let the service desk call the account holder back (optional)"),
        "status": _kept("whether the account holder may sign in (active or deactivated)"),
        "password": Personal(
            purpose="check the password at sign-in (an Argon2 hash, when it was set)",
            basis="public_task",
            retention="account",
            audience=("system",),
        ),
        "password_history": Personal(
            purpose="refuse a recent password again (hashes only)",
            basis="public_task",
            retention="account",
            audience=("system",),
        ),
        "institutions": _kept(
            "the institutions the account holder works for (who administers them)"
        ),
        "lang": _kept("the language the account holder reads messages in"),
        "federation_only": _kept("whether the account holder signs in only through the federation"),
        "version": VERSION_FIELD,
    },
)
"""User accounts: by id, by login name (case ignored, unique), e-mail and institution."""


class AccountRecords(Records[str, Account]):
    """The :class:`~examkit.accounts.AccountRepository` on any backend."""

    def get_by_login_name(self, login_name: LoginName) -> Account:
        """Return the account with *login_name* (case ignored).

        Raises:
            NotFound: there is none.
        """
        found = self._find_one("login_name", login_name.folded)
        if found is None:
            raise NotFound(kind="account", key=str(login_name))
        return found

    def find_by_email(self, email: str) -> tuple[Account, ...]:
        """Return the accounts with *email* (its domain's case ignored), by login name."""
        return self._find({"email": normal_email(email)})

    def list(
        self,
        *,
        institution: InstitutionCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Account]:
        """Return accounts by login name, only those of *institution* when given."""
        where = {"institution": None if institution is None else str(institution)}
        return self._page(where, after=after, limit=limit)

    def list_password_set_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[Account]:
        """Return the active accounts whose password was set at or before *cutoff*."""
        bound = ("password_set_at", microseconds(cutoff))
        return self._page(after=after, limit=limit, at_most=bound)
