"""Importing EDEXML into storage: pupils and classes per location and school year.

An administrator's EDEXML file becomes, after confirmation, the
:class:`EnrolledPupil` values and the :class:`ClassList` of one location
(BRIN6) and school year, kept by the storage port (``uow.pupils``,
``uow.class_lists``). Before confirmation the parsed values wait as a
:class:`PendingImport` (``uow.pending_imports``), erased when confirmed,
cancelled or expired.

Implements EDX-2 to EDX-6.
"""

from examkit.imports._diff import Change, Changes, FieldChange, ImportDiff
from examkit.imports._model import (
    ClassList,
    EnrolledPupil,
    PendingImport,
    pupil_key,
    roster_key,
)
from examkit.imports._records import (
    CLASS_LISTS,
    PENDING_IMPORTS,
    PUPILS,
    PendingImportRecords,
    PupilRecords,
)
from examkit.imports._repository import (
    ClassListRepository,
    PendingImportRepository,
    PupilRepository,
)
from examkit.imports._service import (
    DEFAULT_ARCHIVE_RETENTION,
    DEFAULT_PREVIEW_LIFETIME,
    DEFAULT_YEARS_AHEAD,
    IMPORT_ACTION,
    SCHOOL_YEAR_ZONE,
    ImportPreview,
    ImportResult,
    ImportService,
    calendar_year,
)

__all__ = [
    "CLASS_LISTS",
    "DEFAULT_ARCHIVE_RETENTION",
    "DEFAULT_PREVIEW_LIFETIME",
    "DEFAULT_YEARS_AHEAD",
    "IMPORT_ACTION",
    "PENDING_IMPORTS",
    "PUPILS",
    "SCHOOL_YEAR_ZONE",
    "Change",
    "Changes",
    "ClassList",
    "ClassListRepository",
    "EnrolledPupil",
    "FieldChange",
    "ImportDiff",
    "ImportPreview",
    "ImportResult",
    "ImportService",
    "PendingImport",
    "PendingImportRecords",
    "PendingImportRepository",
    "PupilRecords",
    "PupilRepository",
    "calendar_year",
    "pupil_key",
    "roster_key",
]
