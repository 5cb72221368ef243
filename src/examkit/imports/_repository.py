"""The repository protocols of imported pupils and classes."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from examkit.identifiers import SchoolYear
from examkit.imports._model import ClassList, EnrolledPupil, ImportPlace, PendingImport
from examkit.storage import Page, Repository


class PupilRepository(Repository[str, EnrolledPupil], Protocol):
    """Pupils of locations and school years, keyed by :attr:`EnrolledPupil.id`.

    The stable order is by key, which within a location and year is the
    order of the pupils' own keys. There are no unique values besides the key.
    """

    def list(
        self,
        location: ImportPlace,
        school_year: SchoolYear,
        *,
        group: str | None = None,
        year_group: str | None = None,
        archived: bool | None = False,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the pupils of *location* in *school_year* by key.

        Only current pupils by default; ``archived=True`` lists only archived
        ones, ``archived=None`` both. *group* keeps the pupils of one group
        (their own class, not a combination group); *year_group* those of one
        year group.
        """
        ...

    def school_years(self, location: ImportPlace) -> tuple[SchoolYear, ...]:
        """Return the school years with pupils stored for *location*, oldest first."""
        ...

    def list_archived_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[EnrolledPupil]:
        """Return pupils archived before *cutoff* by key."""
        ...


class ClassListRepository(Repository[str, ClassList], Protocol):
    """Class lists, one per location and school year, keyed by :attr:`ClassList.id`."""


class PendingImportRepository(Repository[str, PendingImport], Protocol):
    """Imports waiting for confirmation, keyed by :attr:`PendingImport.id`."""

    def purge_expired(self, now: datetime) -> int:
        """Erase every pending import expired at *now*; return how many."""
        ...
