"""QTI 3.0 results exchange: one candidate's result as an ``assessmentResult`` document.

:func:`results_to_qti` writes a :class:`ExchangedResult` (context: the
candidate and the session group; the test result's total, grade and
maximum; per item the response and the score, with the corrector's
comment); :func:`results_from_qti` reads one back, refusing a malformed or
invalid document with its line. Responses are examkit's stored response
data, carried as canonical JSON in a single string value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final, cast

import attrs
from lxml import etree

from examkit._fields import require_aware_utc
from examkit.correction._qti_schema import NAMESPACE, compiled_schema
from examkit.errors import InvalidInput

SOURCE: Final = "urn:examkit:session-group"
"""The ``sourceID`` of the session identifier: the id is examkit's session group."""

_NS: Final = "{" + NAMESPACE + "}"
_MAX_BYTES: Final = 5_000_000


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value, "datestamp")


@attrs.frozen
class ExchangedItem:
    """One item of an exchanged result: identifier, response, score, maximum, comment.

    Implements SCO-4.
    """

    identifier: str
    """The item's identifier."""
    response: Any
    """The stored response data (JSON data; ``None``: no response)."""
    score: Fraction = attrs.field(converter=Fraction)
    """The score."""
    max_score: Fraction = attrs.field(converter=Fraction)
    """The maximum."""
    comment: str = ""
    """The corrector's comment, if any."""


def _items(value: Iterable[ExchangedItem]) -> tuple[ExchangedItem, ...]:
    return tuple(value)


@attrs.frozen
class ExchangedResult:
    """One candidate's result in one group, as QTI results reporting carries it.

    Implements SCO-4.
    """

    candidate: str
    """The candidate's id (an XML name: ``c-...``)."""
    group: str
    """The session group's id."""
    exam: str
    """The test's code."""
    datestamp: datetime = attrs.field(converter=_aware)
    """When the result was fixed (correction closed)."""
    total: Fraction = attrs.field(converter=Fraction)
    """The total score."""
    maximum: Fraction = attrs.field(converter=Fraction)
    """The test's maximum."""
    grade: Decimal
    """The grade."""
    items: tuple[ExchangedItem, ...] = attrs.field(converter=_items)
    """Per item, in the test's order."""


def _number(value: Fraction) -> str:
    """Return *value* as a decimal when it has one, else as ``p/q``.

    >>> _number(Fraction(5, 2)), _number(Fraction(7)), _number(Fraction(1, 3))
    ('2.5', '7', '1/3')
    """
    if value.denominator == 1:
        return str(value.numerator)
    rest = value.denominator
    for factor in (2, 5):
        while rest % factor == 0:
            rest //= factor
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _line(element: etree._Element) -> int:
    """Return the line libxml2 gives for *element* (0: unknown)."""
    return int(cast("Any", element).sourceline or 0)


def _log(schema: etree.XMLSchema) -> tuple[int, str]:
    """Return the line and message of the first entry of *schema*'s error log."""
    entries = list(cast("Any", schema.error_log))
    return (int(entries[0].line), str(entries[0].message)) if entries else (0, "")


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _NS + tag, attributes)


def _outcome(
    parent: etree._Element, identifier: str, base: str, text: str, **extra: str
) -> etree._Element:
    variable = _sub(parent, "outcomeVariable", identifier=identifier, cardinality="single")
    variable.set("baseType", base)
    for key, value in extra.items():
        variable.set(key, value)
    _sub(variable, "value").text = text
    return variable


def results_to_qti(result: ExchangedResult) -> bytes:
    """Return *result* as a QTI 3.0 ``assessmentResult`` document (UTF-8).

    Raises:
        InvalidInput: an identifier is not an XML name (the schema's ``NCName``).

    Implements SCO-4.
    """
    stamp = result.datestamp.isoformat()
    root = etree.Element(_NS + "assessmentResult", nsmap=cast("Any", {None: NAMESPACE}))
    context = _sub(root, "context", sourcedId=result.candidate)
    _sub(context, "sessionIdentifier", sourceID=SOURCE, identifier=result.group)
    test = _sub(root, "testResult", identifier=result.exam, datestamp=stamp)
    _outcome(test, "SCORE", "float", _number(result.total))
    _outcome(test, "MAXSCORE", "float", _number(result.maximum))
    _outcome(test, "GRADE", "float", str(result.grade))
    for n, item in enumerate(result.items, start=1):
        element = _sub(
            root,
            "itemResult",
            identifier=item.identifier,
            sequenceIndex=str(n),
            datestamp=stamp,
            sessionStatus="final",
        )
        if item.response is not None:
            variable = _sub(
                element, "responseVariable", identifier="RESPONSE", cardinality="single"
            )
            variable.set("baseType", "string")
            answer = _sub(variable, "candidateResponse")
            _sub(answer, "value").text = json.dumps(
                item.response, ensure_ascii=False, separators=(",", ":"), sort_keys=True
            )
        _outcome(element, "SCORE", "float", _number(item.score))
        _outcome(element, "MAXSCORE", "float", _number(item.max_score))
        if item.comment:
            _outcome(element, "COMMENT", "string", " ".join(item.comment.split()))
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema = compiled_schema()
    if not schema.validate(etree.fromstring(data)):
        raise InvalidInput("correction.qti.value", field="identifier", detail=_log(schema)[1])
    return data


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


def _fail(code: str, line: int | None, detail: str) -> InvalidInput:
    return InvalidInput(code, line=line if line is not None and line > 0 else None, detail=detail)


def _parse(data: bytes) -> etree._Element:
    if len(data) > _MAX_BYTES:
        raise InvalidInput("correction.qti.malformed", line=None, detail="document too large")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise _fail("correction.qti.malformed", error.lineno, str(error.msg)) from None
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise _fail("correction.qti.malformed", 1, "a document type declaration is not allowed")
    schema = compiled_schema()
    if not schema.validate(root):
        at, message = _log(schema)
        raise _fail("correction.qti.invalid", at, message)
    return root


def _outcomes(element: etree._Element) -> dict[str, tuple[str, int]]:
    found = {}
    for variable in element.iterfind(_NS + "outcomeVariable"):
        value = variable.find(_NS + "value")
        text = value.text if value is not None and value.text is not None else ""
        found[str(variable.get("identifier"))] = (text, _line(variable))
    return found


def _fraction(outcomes: dict[str, tuple[str, int]], name: str, line: int) -> Fraction:
    if name not in outcomes:
        raise _fail("correction.qti.value", line, f"outcome variable {name} is missing")
    text, at = outcomes[name]
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise _fail("correction.qti.value", at, f"{name} is not a number: {text!r}") from None


def results_from_qti(data: bytes) -> ExchangedResult:
    """Read one candidate's result from a QTI 3.0 ``assessmentResult`` document.

    Raises:
        InvalidInput: the document is not well-formed XML, not valid against
            examkit's schema of the subset it reads, or holds an unusable value;
            the error carries its line.

    Implements SCO-4.
    """
    root = _parse(data)
    context = root.find(_NS + "context")
    test = root.find(_NS + "testResult")
    assert context is not None and test is not None  # the schema requires them  # noqa: S101, PT018
    session = context.find(_NS + "sessionIdentifier")
    assert session is not None  # noqa: S101
    line = _line(test)
    outcomes = _outcomes(test)
    grade_text, grade_line = outcomes.get("GRADE", ("", line))
    try:
        grade = Decimal(grade_text.strip())
    except InvalidOperation:
        raise _fail(
            "correction.qti.value", grade_line, f"GRADE is not a number: {grade_text!r}"
        ) from None
    items = []
    for element in root.iterfind(_NS + "itemResult"):
        at = _line(element)
        item_outcomes = _outcomes(element)
        response: Any = None
        value = element.find(f"{_NS}responseVariable/{_NS}candidateResponse/{_NS}value")
        if value is not None:
            try:
                response = json.loads(value.text or "")
            except ValueError:
                raise _fail(
                    "correction.qti.value", _line(value) or at, "the response is not JSON"
                ) from None
        items.append(
            ExchangedItem(
                identifier=str(element.get("identifier")),
                response=response,
                score=_fraction(item_outcomes, "SCORE", at),
                max_score=_fraction(item_outcomes, "MAXSCORE", at),
                comment=item_outcomes.get("COMMENT", ("", at))[0],
            )
        )
    return ExchangedResult(
        candidate=str(context.get("sourcedId")),
        group=str(session.get("identifier")),
        exam=str(test.get("identifier")),
        datestamp=datetime.fromisoformat(str(test.get("datestamp"))),
        total=_fraction(outcomes, "SCORE", line),
        maximum=_fraction(outcomes, "MAXSCORE", line),
        grade=grade,
        items=items,
    )
