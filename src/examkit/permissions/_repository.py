"""The authorizations repository protocol."""

from __future__ import annotations

from typing import Protocol

from examkit.identifiers import LocationCode
from examkit.org import InstitutionCode
from examkit.permissions._model import Authorization
from examkit.storage import Page, Repository


class AuthorizationRepository(Repository[str, Authorization], Protocol):
    """Accounts' authorizations (grants and access), keyed by account id.

    The stable order is by account id. Filters look at active grants only:
    an authorization is listed when one of its active grants matches every
    filter given (role, institution, location).
    """

    def list(
        self,
        *,
        role: str | None = None,
        institution: InstitutionCode | None = None,
        location: LocationCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Authorization]:
        """Return authorizations by account id, filtered by an active grant's role and place."""
        ...
