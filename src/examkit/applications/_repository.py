"""The repository protocol of account applications."""

from __future__ import annotations

from typing import Protocol

from examkit.applications._model import AccountApplication, ApplicationStatus
from examkit.identifiers import Brin
from examkit.storage import Page, Repository


class ApplicationRepository(Repository[str, AccountApplication], Protocol):
    """Account applications, keyed by :attr:`AccountApplication.id`.

    The stable order is by id. There are no unique values besides the key:
    a school may apply again (a new administrator, a new school year).
    """

    def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        brin: Brin | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AccountApplication]:
        """Return the applications by id: of one *status* and/or one institution (*brin*)."""
        ...
