"""Scoring and grades: items, QTI response processing, totals, grades, batch scoring.

Items are scored by the IMS QTI response-processing templates; totals count
neutralised items as the board sets; grades follow the exam board's
score-to-grade rule in exact arithmetic; a national cohort's choice items
are scored vectorised with numpy.

>>> from examkit.scoring import grade
>>> grade(45, 90, "1,0")
Decimal('5.5')

Implements SCO-1, SCO-2 and SCO-5.
"""

from examkit.scoring._batch import BatchScorer, Codes
from examkit.scoring._grades import (
    HIGHEST_GRADE,
    LOWEST_GRADE,
    PASS_MARK,
    ConversionTable,
    Number,
    exact_grade,
    grade,
    parse_nterm,
    round_half_up_tenths,
)
from examkit.scoring._items import (
    ChoiceItem,
    ChoiceResponse,
    Item,
    ItemBase,
    NumericItem,
    NumericResponse,
    OpenItem,
    OrderItem,
    OrderResponse,
    PointItem,
    PointResponse,
    Response,
    Rounding,
    TextItem,
    TextResponse,
    Tolerance,
    response_data,
    response_from_data,
    score_item,
)
from examkit.scoring._templates import Area, MapResponse, MapResponsePoint, MatchCorrect, Shape
from examkit.scoring._totals import (
    CandidateScores,
    GradeChange,
    Neutralisation,
    Result,
    TestDefinition,
    conversion_table,
    regrade_dry_run,
    results,
    score_candidate,
    total,
)

__all__ = [
    "HIGHEST_GRADE",
    "LOWEST_GRADE",
    "PASS_MARK",
    "Area",
    "BatchScorer",
    "CandidateScores",
    "ChoiceItem",
    "ChoiceResponse",
    "Codes",
    "ConversionTable",
    "GradeChange",
    "Item",
    "ItemBase",
    "MapResponse",
    "MapResponsePoint",
    "MatchCorrect",
    "Neutralisation",
    "Number",
    "NumericItem",
    "NumericResponse",
    "OpenItem",
    "OrderItem",
    "OrderResponse",
    "PointItem",
    "PointResponse",
    "Response",
    "Result",
    "Rounding",
    "Shape",
    "TestDefinition",
    "TextItem",
    "TextResponse",
    "Tolerance",
    "conversion_table",
    "exact_grade",
    "grade",
    "parse_nterm",
    "regrade_dry_run",
    "response_data",
    "response_from_data",
    "results",
    "round_half_up_tenths",
    "score_candidate",
    "score_item",
    "total",
]
