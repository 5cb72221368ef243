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
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final, cast

import attrs
from lxml import etree

from examkit._fields import refuse_unprintable, require_aware_utc
from examkit.correction._qti_schema import NAMESPACE, check_root, compiled_schema, explain
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
        InvalidInput: an identifier is not an XML name without a colon (QTI's
            identifier, ``correction.qti.identifier``), or a comment holds a
            control character (``input.text.character``); each names its field
            (``items[0].identifier``).

    Implements SCO-4.
    """
    _check_identifiers(result)
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
    return data


def _check_identifiers(result: ExchangedResult) -> None:
    """Refuse what cannot be written: an identifier that is no NCName, a control character."""
    names = [("candidate", result.candidate), ("group", result.group), ("exam", result.exam)]
    names += [(f"items[{n}].identifier", item.identifier) for n, item in enumerate(result.items)]
    for field, value in names:
        try:
            etree.QName(value)
        except ValueError:
            raise InvalidInput("correction.qti.identifier", field=field, value=value) from None
    for n, item in enumerate(result.items):
        refuse_unprintable(item.comment, f"items[{n}].comment")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


def _at(line: int | None) -> int | None:
    return line if line is not None and line > 0 else None


def _parse(data: bytes) -> etree._Element:
    if len(data) > _MAX_BYTES:
        raise InvalidInput("correction.qti.too_large", maximum=_MAX_BYTES)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        column = error.position[1] if error.position else 0
        raise InvalidInput(
            "correction.qti.malformed", line=_at(error.lineno), column=column
        ) from None
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InvalidInput("correction.qti.doctype", line=1)
    check_root(root, _at(_line(root)))
    schema = compiled_schema()
    if not schema.validate(root):
        raise explain(schema, root)
    return root


def _outcomes(element: etree._Element) -> dict[str, tuple[str, int]]:
    found = {}
    for variable in element.iterfind(_NS + "outcomeVariable"):
        value = variable.find(_NS + "value")
        text = value.text if value is not None and value.text is not None else ""
        found[str(variable.get("identifier"))] = (text, _line(variable))
    return found


def _value(
    outcomes: dict[str, tuple[str, int]], name: str, element: etree._Element
) -> tuple[str, int]:
    """Return the text and line of outcome *name*; refuse it missing or without a value."""
    text, at = outcomes.get(name, ("", _line(element)))
    if not text.strip():
        raise InvalidInput(
            "correction.qti.outcome.missing",
            line=_at(at),
            element=etree.QName(element).localname,
            variable=name,
        )
    return text.strip(), at


def _fraction(outcomes: dict[str, tuple[str, int]], name: str, element: etree._Element) -> Fraction:
    text, at = _value(outcomes, name, element)
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(
            "correction.qti.outcome.number",
            line=_at(at),
            element=etree.QName(element).localname,
            variable=name,
            value=text,
        ) from None


def _grade(outcomes: dict[str, tuple[str, int]], element: etree._Element) -> Decimal:
    text, at = _value(outcomes, "GRADE", element)
    try:
        grade = Decimal(text)
    except InvalidOperation:
        grade = Decimal("NaN")
    if not grade.is_finite():
        raise InvalidInput(
            "correction.qti.outcome.number",
            line=_at(at),
            element=etree.QName(element).localname,
            variable="GRADE",
            value=text,
        )
    return grade


def _datestamp(element: etree._Element, local_zone: tzinfo | None) -> datetime:
    """Return the *element*'s datestamp; one without a time zone only with *local_zone*."""
    text = str(element.get("datestamp"))
    line = _at(_line(element))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput("correction.qti.datestamp.invalid", line=line, value=text) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        if local_zone is None:
            raise InvalidInput("correction.qti.datestamp.naive", line=line, value=text)
        moment = moment.replace(tzinfo=local_zone)
    return moment


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _response(element: etree._Element) -> Any:
    """Return the item's response (``None``: none); refuse one that is not finite JSON."""
    value = element.find(f"{_NS}responseVariable/{_NS}candidateResponse/{_NS}value")
    if value is None:
        return None
    try:
        return json.loads(value.text or "", parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise InvalidInput(
            "correction.qti.response.json",
            line=_at(_line(value)),
            item=str(element.get("identifier")),
        ) from None


def results_from_qti(data: bytes, *, local_zone: tzinfo | None = None) -> ExchangedResult:
    """Read one candidate's result from a QTI 3.0 ``assessmentResult`` document.

    examkit reads the subset of QTI 3.0 results reporting that it writes
    (see :data:`~examkit.correction.SCHEMA_TEXT`); a valid QTI document
    outside it, or a QTI 2.1 or 2.2 results report, is refused with a
    message that says what examkit reads and names the element or attribute
    at fault. A datestamp without a time zone (QTI allows it) is read in
    *local_zone*; without one it is refused.

    Args:
        data: the document's bytes.
        local_zone: the time zone of datestamps written without one
            (``ZoneInfo("Europe/Amsterdam")``); ``None``: refuse them.

    Raises:
        InvalidInput: the document is too large, not well-formed XML, holds a
            DOCTYPE, is no QTI 3.0 results document, lies outside examkit's
            subset or holds an unusable value (a missing or non-numeric
            outcome, a datestamp without time zone, a response that is not
            JSON); the error carries its line, and its message is in the
            language asked for throughout.

    Implements SCO-4.
    """
    root = _parse(data)
    context = root.find(_NS + "context")
    test = root.find(_NS + "testResult")
    assert context is not None and test is not None  # the schema requires them  # noqa: S101, PT018
    session = context.find(_NS + "sessionIdentifier")
    assert session is not None  # noqa: S101
    outcomes = _outcomes(test)
    total = _fraction(outcomes, "SCORE", test)
    maximum = _fraction(outcomes, "MAXSCORE", test)
    grade = _grade(outcomes, test)
    datestamp = _datestamp(test, local_zone)
    items = []
    for element in root.iterfind(_NS + "itemResult"):
        item_outcomes = _outcomes(element)
        items.append(
            ExchangedItem(
                identifier=str(element.get("identifier")),
                response=_response(element),
                score=_fraction(item_outcomes, "SCORE", element),
                max_score=_fraction(item_outcomes, "MAXSCORE", element),
                comment=item_outcomes.get("COMMENT", ("", 0))[0],
            )
        )
    return ExchangedResult(
        candidate=str(context.get("sourcedId")),
        group=str(session.get("identifier")),
        exam=str(test.get("identifier")),
        datestamp=datestamp,
        total=total,
        maximum=maximum,
        grade=grade,
        items=items,
    )
