"""The corrections as stored: declared once, for every backend."""

from __future__ import annotations

from functools import partial
from typing import Final

from examkit.correction._model import CorrectionGroup, CorrectionSheet
from examkit.storage import VERSION_FIELD, Index, NotPersonal, Personal, Records, RecordType

_of_results: Final = partial(
    Personal,
    basis="public_task",
    retention="results",
    audience=("administrator", "planner", "corrector"),
)
"""A correction's field about candidates, kept with the results: give it the purpose."""


_CORRECTORS: Final = Personal(
    purpose="who corrects, replaced or closed the correction (correctors' and planners' "
    "accounts, SCH-6)",
    basis="public_task",
    retention="results",
    audience=("administrator", "planner", "corrector"),
)
_SHEET: Final = Personal(
    purpose="the candidate's correction sheet: whose it is, the scores per item with the "
    "correctors' comments and every score given, by whom and when",
    basis="public_task",
    retention="exam_work",
    audience=("administrator", "planner", "corrector"),
)

CORRECTION_GROUPS: Final = RecordType(
    "correction_groups",
    CorrectionGroup,
    kind="correction_group",
    key=lambda item: item.group,
    privacy={
        "group": NotPersonal("the session group's id"),
        "location": NotPersonal("where the group was held"),
        "exam": NotPersonal("the test's code"),
        "items": NotPersonal("the test's open items"),
        "first": _CORRECTORS,
        "second": _CORRECTORS,
        "third": _CORRECTORS,
        "closed_at": NotPersonal("when correction closed"),
        "closed_by": _CORRECTORS,
        "replacements": _CORRECTORS,
        "reviews": _of_results(
            "the reviews granted: which candidate may see their work, when, and the "
            "planner who granted it"
        ),
        "nterm": NotPersonal("the N-term the results were graded with"),
        "published": _of_results(
            "the published results: per candidate their name, class, total and grade"
        ),
        "version": VERSION_FIELD,
    },
)
"""The session groups' corrections (correctors, closing, review grants), by group."""

CORRECTION_SHEETS: Final = RecordType(
    "correction_sheets",
    CorrectionSheet,
    kind="correction_sheet",
    key=lambda item: item.id,
    indexes=(Index("group", lambda item: item.group),),
    privacy={
        "group": NotPersonal("the session group's id"),
        "candidate": _SHEET,
        "items": _SHEET,
        "versions": _SHEET,
        "version": VERSION_FIELD,
    },
)
"""The candidates' correction sheets with every score version: by group."""


class CorrectionSheetRecords(Records[str, CorrectionSheet]):
    """The :class:`~examkit.correction.CorrectionSheetRepository` on any backend."""

    def list_for_group(self, group: str) -> tuple[CorrectionSheet, ...]:
        """Return the sheets of *group*, by candidate id."""
        return tuple(sorted(self._find({"group": group}), key=lambda item: item.candidate))
