"""The imported pupils and class lists as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Final

from examkit.identifiers import SchoolYear
from examkit.imports._model import ClassList, EnrolledPupil, ImportPlace, PendingImport
from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Page,
    Personal,
    Records,
    RecordType,
    microseconds,
)

_pending: Final = partial(
    Personal, basis="public_task", retention="pending_import", audience=("administrator",)
)
"""A pending import's field: the previewed file's data, until confirmed or lapsed (EDX-6): give
it the purpose."""


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
    privacy={
        "location": NotPersonal("the location or Flemish school the pupil was imported for"),
        "school_year": NotPersonal("the school year of the import"),
        "pupil": Personal(
            purpose="the pupil as the school's administration exports them (EDX-6, the "
            "minimum kept): key, name, ECK iD, date of birth, gender, year group, classes, site",
            basis="public_task",
            retention="pupil",
            audience=("administrator", "planner"),
        ),
        "archived_at": Personal(
            purpose="when the pupil went missing from the imports (left the school): starts "
            "their retention",
            basis="public_task",
            retention="pupil",
            audience=("administrator",),
        ),
        "version": VERSION_FIELD,
    },
)
"""Pupils of locations and school years: by location, year, group, year group, archiving."""

CLASS_LISTS: Final = RecordType(
    "class_lists",
    ClassList,
    kind="class_list",
    key=lambda item: item.id,
    privacy={
        "location": NotPersonal("the location or Flemish school"),
        "school_year": NotPersonal("the school year"),
        "groups": NotPersonal("the classes: keys, names, year groups"),
        "combination_groups": NotPersonal("the combination groups: keys, names"),
        "teachers": Personal(
            purpose="the teachers as the school's administration exports them: key, name, "
            "ECK iD, e-mail address, roles, classes (to grant class-scoped roles)",
            basis="public_task",
            retention="pupil",
            audience=("administrator",),
        ),
        "version": VERSION_FIELD,
    },
)
"""Class lists, one per location and school year."""

PENDING_IMPORTS: Final = RecordType(
    "pending_imports",
    PendingImport,
    kind="pending_import",
    key=lambda item: item.id,
    indexes=(Index("expires_at", lambda item: microseconds(item.expires_at), number=True),),
    privacy={
        "id": NotPersonal("the pending import's random id"),
        "actor": _pending("the account that previewed the import (only it may confirm)"),
        "created_at": NotPersonal("when the import was previewed"),
        "expires_at": NotPersonal("when the preview lapses"),
        "file_hash": NotPersonal("the SHA-256 of the uploaded file"),
        "base": NotPersonal("the fingerprint of the stored pupils and classes"),
        "classes": _pending("the file's classes and teachers (names, e-mail addresses)"),
        "pupils": _pending("the file's pupils, waiting for confirmation"),
        "school": NotPersonal("the school identification the file gives"),
        "warnings": _pending("the file's warnings, which may quote a pupil's or teacher's key"),
        "diff": _pending("what the import changes: pupils', classes' and teachers' keys"),
        "version": VERSION_FIELD,
    },
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
