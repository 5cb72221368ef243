"""Correction and results: correctors, agreement, escalation, closing, results, review, reports.

Once the planner releases a session group for correction, its first (and
second) corrector score the open items of every candidate independently;
where their scores differ the item goes to the list to agree on
(*overeen te komen correcties*), and an unresolved difference can be
escalated to the competent authority and then referred to an independent
third corrector. Each open item's correction follows the declared table
:data:`ITEM_LIFECYCLE`; every score change is a new :class:`ScoreVersion`.
Correction closes only when every open item has a final score, which hands
the group back to the planner (the sessions lifecycle's ``close_correction``).
Results, partial reports and reviews (*inzage*) follow; reports by role
(SCO-6) are rows that :func:`examkit.permissions.may` filters. The use cases are
:class:`Corrections` (``kit.corrections``: opening a group's correction,
reading it), :class:`CorrectionWork` (``kit.correction_work``: the
correctors' work and closing), :class:`CorrectorChanges`
(``kit.correctors``: the planner replaces and refers), :class:`GroupResults`
(``kit.results``) and :class:`Reviews` (``kit.reviews``); each takes the
acting account's id. QTI 3.0 results exchange is in :func:`results_to_qti`
and :func:`results_from_qti`.

>>> item_transition("score", ItemState.OPEN, Outcome.EQUAL).target
<ItemState.SETTLED: 'settled'>

Implements SCO-3, SCO-4 and SCO-6.
"""

from examkit.correction._common import MAX_REVIEW_PERIOD
from examkit.correction._corrections import CorrectionProgress, Corrections
from examkit.correction._correctors import CorrectorChanges, EligibleCorrector
from examkit.correction._group_results import GroupResults
from examkit.correction._lifecycle import (
    FINAL_STATES,
    ITEM_LIFECYCLE,
    ItemMoveNotAllowed,
    ItemState,
    ItemTransition,
    Outcome,
    action_of,
    events,
    item_transition,
)
from examkit.correction._model import (
    CorrectionGroup,
    CorrectionSheet,
    ItemCorrection,
    Mark,
    OpenItemSlot,
    Replacement,
    ReviewGrant,
    ScoreVersion,
    apply_move,
    new_sheet,
    sheet_id,
)
from examkit.correction._qti import (
    SOURCE,
    ExchangedItem,
    ExchangedResult,
    results_from_qti,
    results_to_qti,
)
from examkit.correction._qti_schema import NAMESPACE, SCHEMA_TEXT
from examkit.correction._records import (
    CORRECTION_GROUPS,
    CORRECTION_SHEETS,
    CorrectionSheetRecords,
)
from examkit.correction._reports import (
    CLASS_OVERVIEW_VIEW,
    REPORTS_VIEW,
    ClassRow,
    ResultRow,
    class_overview,
    class_report,
    report_subject,
    subject_report,
)
from examkit.correction._repository import CorrectionGroupRepository, CorrectionSheetRepository
from examkit.correction._results import (
    CandidateResult,
    PartialReport,
    ReviewItem,
    ReviewView,
    candidate_scores,
    check_definition,
    group_results,
    response_text,
    review_view,
)
from examkit.correction._reviews import ReviewPage, Reviews
from examkit.correction._views import (
    Difference,
    WorkItem,
    WorkList,
    differences,
    history,
    work_list,
)
from examkit.correction._work import CorrectionWork

__all__ = [
    "CLASS_OVERVIEW_VIEW",
    "CORRECTION_GROUPS",
    "CORRECTION_SHEETS",
    "FINAL_STATES",
    "ITEM_LIFECYCLE",
    "MAX_REVIEW_PERIOD",
    "NAMESPACE",
    "REPORTS_VIEW",
    "SCHEMA_TEXT",
    "SOURCE",
    "CandidateResult",
    "ClassRow",
    "CorrectionGroup",
    "CorrectionGroupRepository",
    "CorrectionProgress",
    "CorrectionSheet",
    "CorrectionSheetRecords",
    "CorrectionSheetRepository",
    "CorrectionWork",
    "Corrections",
    "CorrectorChanges",
    "Difference",
    "EligibleCorrector",
    "ExchangedItem",
    "ExchangedResult",
    "GroupResults",
    "ItemCorrection",
    "ItemMoveNotAllowed",
    "ItemState",
    "ItemTransition",
    "Mark",
    "OpenItemSlot",
    "Outcome",
    "PartialReport",
    "Replacement",
    "ResultRow",
    "ReviewGrant",
    "ReviewItem",
    "ReviewPage",
    "ReviewView",
    "Reviews",
    "ScoreVersion",
    "WorkItem",
    "WorkList",
    "action_of",
    "apply_move",
    "candidate_scores",
    "check_definition",
    "class_overview",
    "class_report",
    "differences",
    "events",
    "group_results",
    "history",
    "item_transition",
    "new_sheet",
    "report_subject",
    "response_text",
    "results_from_qti",
    "results_to_qti",
    "review_view",
    "sheet_id",
    "subject_report",
    "work_list",
]
