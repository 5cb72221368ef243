"""DOC-5: a candidate's results and review report (*resultaten- en inzagerapport*).

The data is a small value of its own (:class:`ResultsReport`), so the
document does not depend on how correction stores results: an adapter
fills it from the correction package's results and review value.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from examkit._fields import clean_text, optional_text, require_aware_utc, required_text
from examkit.correction import ReviewView
from examkit.documents._pdf import (
    HEADING,
    SMALL,
    TITLE,
    WIDTH,
    build_pdf,
    data_digest,
    dutch_datetime,
    dutch_number,
    field_table,
    grid_table,
    para,
    space,
)
from examkit.errors import InvalidInput

RESULTS_TITLE = "Resultaten en inzage"
"""The document's title."""


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput("documents.results.number", value=str(value))
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        exponent = exact.as_tuple().exponent
        short = isinstance(exponent, int) and exponent >= -2
        return exact if short else exact.quantize(Decimal("0.01"))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput("documents.results.number", value=str(value)) from None
    if not number.is_finite():
        raise InvalidInput("documents.results.number", value=str(value))
    return number


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else _decimal(value)


def _positive(_: Any, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value <= 0:
        raise InvalidInput("documents.results.maximum", field=attribute.name)


def _response(value: object) -> str:
    return str(value).strip()


def _check_response(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if len(value) > 20_000:
        raise InvalidInput("input.too_long", field=attribute.name, maximum=20_000)


@attrs.frozen
class ItemResult:
    """One item's line on the results report (*vraag*): response, score, comment.

    >>> ItemResult("v1", "B", "2", "2").score
    Decimal('2')
    >>> from fractions import Fraction
    >>> ItemResult("v2", "", Fraction(3, 2), 2).score
    Decimal('1.5')

    Implements DOC-5.
    """

    identifier: str = attrs.field(converter=clean_text, validator=required_text(64))
    """The item's identifier (``v1``)."""
    response: str = attrs.field(converter=_response, validator=_check_response)
    """The candidate's response, as text (empty: no response)."""
    score: Decimal = attrs.field(converter=_decimal)
    """The score given."""
    maximum: Decimal = attrs.field(converter=_decimal, validator=_positive)
    """The item's maximum score."""
    comment: str = attrs.field(default="", converter=clean_text, validator=optional_text(2000))
    """The corrector's comment, if any."""

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.score <= self.maximum:
            raise InvalidInput(
                "documents.results.score_range",
                field="score",
                score=str(self.score),
                maximum=str(self.maximum),
            )


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


@attrs.frozen
class ReviewPeriod:
    """When the candidate may review the taken test (*inzageperiode*), from and to.

    Implements DOC-5.
    """

    opens: datetime = attrs.field(converter=_aware)
    """When the review opens."""
    closes: datetime = attrs.field(converter=_aware)
    """When it closes (after it opens)."""

    def __attrs_post_init__(self) -> None:
        if self.closes <= self.opens:
            raise InvalidInput("documents.results.review_order", field="closes")


def _items(value: Iterable[ItemResult]) -> tuple[ItemResult, ...]:
    return tuple(value)


@attrs.frozen
class ResultsReport:
    """A candidate's results and review report's data (*resultaten en inzage*).

    >>> report = ResultsReport(
    ...     candidate="Noëlle Çelik", test="Natuurkunde (demo)",
    ...     items=[ItemResult("v1", "B", 2, 2), ItemResult("v2", "A", 0, 2, "Zie bron 2.")],
    ...     total=2, maximum=4, grade="4,2")
    >>> report.total, report.grade
    (Decimal('2'), Decimal('4.2'))

    Raises:
        InvalidInput: a score outside 0 to its maximum, a maximum of 0 or less, a
            total outside 0 to the maximum, two items with one identifier, a
            review period that closes before it opens.

    Implements DOC-5 (SCO-4).
    """

    candidate: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The candidate's name."""
    test: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The test's title."""
    items: tuple[ItemResult, ...] = attrs.field(converter=_items)
    """Every item, in the test's order."""
    total: Decimal = attrs.field(converter=_decimal)
    """The total score."""
    maximum: Decimal = attrs.field(converter=_decimal, validator=_positive)
    """The test's maximum score."""
    grade: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    """The grade (*cijfer*), when the test has one."""
    review: ReviewPeriod | None = None
    """When the candidate may review the test (*inzage*), when granted."""
    login_name: str = attrs.field(default="", converter=clean_text, validator=optional_text(64))
    """The candidate's login name or number, when shown."""

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.total <= self.maximum:
            raise InvalidInput(
                "documents.results.total_range",
                field="total",
                total=str(self.total),
                maximum=str(self.maximum),
            )
        seen: set[str] = set()
        for item in self.items:
            if item.identifier in seen:
                raise InvalidInput(
                    "documents.results.duplicate_item", field="items", item=item.identifier
                )
            seen.add(item.identifier)


def results_report_of(
    view: ReviewView, *, review: ReviewPeriod | None = None, login_name: str = ""
) -> ResultsReport:
    """Return the results report of a candidate's review from correction (*inzage*).

    The maximum is the items' maxima together; the comments are those the
    review shows.

    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> from examkit.correction import ReviewItem, ReviewView
    >>> view = ReviewView("c-1", "Sanne de Vries", "NE-GL", "Nederlands",
    ...     [ReviewItem("q1", "B", Fraction(1), Fraction(1)),
    ...      ReviewItem("q3", "Een antwoord", Fraction(3, 2), Fraction(3), "half goed")],
    ...     total=Fraction(5, 2), grade=Decimal("5.8"))
    >>> report = results_report_of(view)
    >>> report.maximum, report.total, report.items[1].score, report.grade
    (Decimal('4'), Decimal('2.5'), Decimal('1.5'), Decimal('5.8'))

    Implements DOC-5 (SCO-4).
    """
    return ResultsReport(
        candidate=view.name,
        test=view.test,
        items=[
            ItemResult(
                identifier=item.identifier,
                response=item.response,
                score=item.score,
                maximum=item.max_score,
                comment=item.comment,
            )
            for item in view.items
        ],
        total=view.total,
        maximum=sum((item.max_score for item in view.items), Fraction(0)),
        grade=view.grade,
        review=review,
        login_name=login_name,
    )


def results_report_pdf(report: ResultsReport) -> bytes:
    """Return the PDF of a candidate's results and review report.

    Implements DOC-5 (SCO-4).
    """
    rows: list[tuple[str, object]] = [("Kandidaat", report.candidate)]
    if report.login_name:
        rows.append(("Inlognaam", report.login_name))
    rows += [
        ("Toets", report.test),
        ("Totaalscore", f"{dutch_number(report.total)} van {dutch_number(report.maximum)}"),
        ("Cijfer", dutch_number(report.grade) if report.grade is not None else "-"),
        (
            "Inzage",
            f"van {dutch_datetime(report.review.opens)} tot {dutch_datetime(report.review.closes)}"
            if report.review is not None
            else "geen inzage toegekend",
        ),
    ]
    story: list[Flowable] = [
        para(RESULTS_TITLE, TITLE),
        field_table(rows),
        para("Scores per vraag", HEADING),
        grid_table(
            ["Vraag", "Antwoord", "Score", "Max.", "Opmerking"],
            [
                [
                    item.identifier,
                    item.response or "(geen antwoord)",
                    dutch_number(item.score),
                    dutch_number(item.maximum),
                    item.comment or "-",
                ]
                for item in report.items
            ],
            [16 * mm, 60 * mm, 16 * mm, 16 * mm, WIDTH - 108 * mm],
        ),
        space(4),
        para(
            "Tijdens de inzage bekijkt de kandidaat het gemaakte werk onder toezicht van de "
            "examensecretaris; er wordt niets gewijzigd.",
            SMALL,
        ),
    ]
    return build_pdf(
        story,
        title=f"{RESULTS_TITLE} {report.test} - {report.candidate}",
        subject="Resultaten en inzage van een kandidaat",
        document_id=data_digest("results-report", report),
        footer=f"{report.test} - {report.candidate}",
    )
