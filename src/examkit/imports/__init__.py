"""Importing EDEXML into storage: pupils and classes per location and school year.

An administrator's EDEXML file becomes, after confirmation, the
:class:`EnrolledPupil` values and the :class:`ClassList` of one location
(BRIN6), or of one Flemish school (*instellingsnummer*, from the standard's
Flemish variant; :data:`ImportPlace`), and school year, kept by the storage port (``uow.pupils``,
``uow.class_lists``). Before confirmation the parsed values wait as a
:class:`PendingImport` (``uow.pending_imports``), erased when confirmed,
cancelled or expired. The use cases are :class:`EdexmlImports`
(``kit.edexml_imports``: preview, confirm, cancel, remove a year),
:class:`ImportHousekeeping` (``kit.import_housekeeping``: the jobs) and
:class:`Rosters` (``kit.rosters``: school years, classes, pupils, counts, and what a
user may see of them);
:class:`ImportSettings` (``Settings.imports``) holds their numbers.

Implements EDX-2 to EDX-6, and SCH-9 (a Flemish school's pupils).
"""

from examkit.imports._common import (
    DEFAULT_ARCHIVE_RETENTION,
    DEFAULT_PREVIEW_LIFETIME,
    DEFAULT_YEARS_AHEAD,
    FLEMISH_IMPORT_ACTION,
    FLEMISH_ROSTER_ACTIONS,
    IMPORT_ACTION,
    ROSTER_ACTIONS,
    SCHOOL_YEAR_ZONE,
    ImportSettings,
    calendar_year,
)
from examkit.imports._diff import Change, Changes, FieldChange, ImportDiff
from examkit.imports._edexml_imports import EdexmlImports, ImportPreview, ImportResult
from examkit.imports._housekeeping import ImportHousekeeping
from examkit.imports._model import (
    ClassList,
    EnrolledPupil,
    ImportPlace,
    ImportWarning,
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
from examkit.imports._rosters import Rosters

__all__ = [
    "CLASS_LISTS",
    "DEFAULT_ARCHIVE_RETENTION",
    "DEFAULT_PREVIEW_LIFETIME",
    "DEFAULT_YEARS_AHEAD",
    "FLEMISH_IMPORT_ACTION",
    "FLEMISH_ROSTER_ACTIONS",
    "IMPORT_ACTION",
    "PENDING_IMPORTS",
    "PUPILS",
    "ROSTER_ACTIONS",
    "SCHOOL_YEAR_ZONE",
    "Change",
    "Changes",
    "ClassList",
    "ClassListRepository",
    "EdexmlImports",
    "EnrolledPupil",
    "FieldChange",
    "ImportDiff",
    "ImportHousekeeping",
    "ImportPlace",
    "ImportPreview",
    "ImportResult",
    "ImportSettings",
    "ImportWarning",
    "PendingImport",
    "PendingImportRecords",
    "PendingImportRepository",
    "PupilRecords",
    "PupilRepository",
    "Rosters",
    "calendar_year",
    "pupil_key",
    "roster_key",
]
