"""Importing EDEXML into storage: pupils and classes per location and school year.

An administrator's EDEXML file becomes, after confirmation, the
:class:`EnrolledPupil` values and the :class:`ClassList` of one location
(BRIN6) and school year, kept by the storage port (``uow.pupils``,
``uow.class_lists``). Before confirmation the parsed values wait as a
:class:`PendingImport` (``uow.pending_imports``), erased when confirmed,
cancelled or expired.

Implements EDX-2 to EDX-6.
"""

from examkit.imports._model import (
    ClassList,
    EnrolledPupil,
    PendingImport,
    pupil_key,
    roster_key,
)
from examkit.imports._repository import (
    ClassListRepository,
    PendingImportRepository,
    PupilRepository,
)

__all__ = [
    "ClassList",
    "ClassListRepository",
    "EnrolledPupil",
    "PendingImport",
    "PendingImportRepository",
    "PupilRepository",
    "pupil_key",
    "roster_key",
]
