"""The corrections as stored: declared once, for every backend."""

from __future__ import annotations

from typing import Final

from examkit.correction._model import CorrectionGroup, CorrectionSheet
from examkit.storage import Index, Records, RecordType

CORRECTION_GROUPS: Final = RecordType(
    "correction_groups", CorrectionGroup, kind="correction_group", key=lambda item: item.group
)
"""The session groups' corrections (correctors, closing, review grants), by group."""

CORRECTION_SHEETS: Final = RecordType(
    "correction_sheets",
    CorrectionSheet,
    kind="correction_sheet",
    key=lambda item: item.id,
    indexes=(Index("group", lambda item: item.group),),
)
"""The candidates' correction sheets with every score version: by group."""


class CorrectionSheetRecords(Records[str, CorrectionSheet]):
    """The :class:`~examkit.correction.CorrectionSheetRepository` on any backend."""

    def list_for_group(self, group: str) -> tuple[CorrectionSheet, ...]:
        """Return the sheets of *group*, by candidate id."""
        return tuple(sorted(self._find({"group": group}), key=lambda item: item.candidate))
