"""The imported pupils and class lists as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from examkit.identifiers import SchoolYear
from examkit.imports._model import ClassList, EnrolledPupil, ImportPlace, PendingImport
from examkit.storage import Index, Page, Records, RecordType, microseconds

PUPILS: Final = RecordType(
    "pupils",
    EnrolledPupil,
    kind="pupil",
    key=lambda item: item.id,
    indexes=(
        Index("location", lambda item: str(item.location)),
        Index("school_year", lambda item: str(item.school_year)),
        Index("group", lambda item: item.pupil.group),
        Index("year_group", lambda item: item.pupil.year_group),
        Index("archived", lambda item: "yes" if item.archived_at is not None else "no"),
        Index(
            "archived_at",
            lambda item: None if item.archived_at is None else microseconds(item.archived_at),
            number=True,
        ),
    ),
)
"""Pupils of locations and school years: by location, year, group, year group, archiving."""

CLASS_LISTS: Final = RecordType(
    "class_lists", ClassList, kind="class_list", key=lambda item: item.id
)
"""Class lists, one per location and school year."""

PENDING_IMPORTS: Final = RecordType(
    "pending_imports",
    PendingImport,
    kind="pending_import",
    key=lambda item: item.id,
    indexes=(Index("expires_at", lambda item: microseconds(item.expires_at), number=True),),
)
"""Imports waiting for confirmation: by expiry."""


class PupilRecords(Records[str, EnrolledPupil]):
    """The :class:`~examkit.imports.PupilRepository` on any backend."""

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
        """Return the pupils of *location* in *school_year* by key."""
        where = {
            "location": str(location),
            "school_year": str(school_year),
            "group": group,
            "year_group": year_group,
            "archived": None if archived is None else ("yes" if archived else "no"),
        }
        return self._page(where, after=after, limit=limit)

    def school_years(self, location: ImportPlace) -> tuple[SchoolYear, ...]:
        """Return the school years with pupils stored for *location*, oldest first."""
        years = {item.school_year for item in self._find({"location": str(location)})}
        return tuple(sorted(years, key=str))

    def list_archived_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[EnrolledPupil]:
        """Return pupils archived before *cutoff* by key."""
        bound = microseconds(cutoff) - 1
        return self._page(after=after, limit=limit, at_most=("archived_at", bound))


class PendingImportRecords(Records[str, PendingImport]):
    """The :class:`~examkit.imports.PendingImportRepository` on any backend."""

    def purge_expired(self, now: datetime) -> int:
        """Erase every pending import expired at *now*; return how many."""
        return self._remove_found(at_most=("expires_at", microseconds(now)))
