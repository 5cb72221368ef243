"""The institutions repository protocol."""

from __future__ import annotations

from typing import Protocol

from examkit.identifiers import LocationCode
from examkit.org._model import Institution, InstitutionCode
from examkit.storage import Page, Repository


class InstitutionRepository(Repository[InstitutionCode, Institution], Protocol):
    """Institutions with their locations, keyed by BRIN or instellingsnummer.

    Location codes are unique across institutions (they start with the BRIN).
    The stable order is by code text.
    """

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*.

        Raises:
            NotFound: no institution has it.
        """
        ...

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return institutions ordered by code."""
        ...
