"""The accounts repository protocol."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from examkit.accounts._model import Account, LoginName
from examkit.org import InstitutionCode
from examkit.storage import Page, Repository


class AccountRepository(Repository[str, Account], Protocol):
    """User accounts keyed by id; login names unique case-folded.

    The stable order is by case-folded login name.
    """

    def get_by_login_name(self, login_name: LoginName) -> Account:
        """Return the account with *login_name* (case ignored).

        Raises:
            NotFound: there is none.
        """
        ...

    def find_by_email(self, email: str) -> tuple[Account, ...]:
        """Return the accounts with *email* (the domain's case ignored), by login name."""
        ...

    def list(
        self,
        *,
        institution: InstitutionCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Account]:
        """Return accounts by login name, only those of *institution* when given."""
        ...

    def list_password_set_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[Account]:
        """Return the active accounts whose password was set at or before *cutoff*, by login name.

        The password-expiry reminders' query: no other account can be due.
        """
        ...
