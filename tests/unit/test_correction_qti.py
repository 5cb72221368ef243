# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""QTI 3.0 results exchange: export then import round-trips; bad documents are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings

from examkit.correction import ExchangedItem, ExchangedResult, results_from_qti, results_to_qti
from examkit.errors import InvalidInput
from examkit.testing.strategies import exchanged_results

pytestmark = pytest.mark.req("SCO-4")


@given(exchanged_results())
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])  # big documents
def test_export_then_import_gives_the_same_result(result: ExchangedResult) -> None:
    """Every field comes back equal."""
    assert result == results_from_qti(results_to_qti(result))


SAMPLE = ExchangedResult(
    candidate="c-1",
    group="g-1",
    exam="EN-HA-2026",
    datestamp=datetime(2026, 6, 1, 10, 0, tzinfo=UTC),
    total=Fraction(15, 2),
    maximum=10,
    grade=Decimal("7.8"),
    items=[ExchangedItem("o1", {"text": "zie"}, 2, 3, "Goed")],
)


def _refused(data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        results_from_qti(data)
    return caught.value


def test_a_malformed_document_is_refused_with_its_line() -> None:
    """A mismatched end tag on line 8 is reported there."""
    lines = results_to_qti(SAMPLE).decode().splitlines()
    assert "<value>7.5</value>" == lines[7].strip()
    lines[7] = lines[7].replace("</value>", "</valu>")
    error = _refused("\n".join(lines).encode())
    assert ("correction.qti.malformed", 8) == (error.code, error.line)


def test_an_invalid_document_is_refused_with_its_line() -> None:
    """An unknown session status is invalid against the schema: its line is given."""
    text = results_to_qti(SAMPLE).decode()
    lines = text.splitlines()
    (at,) = [n for n, line in enumerate(lines, start=1) if "itemResult " in line]
    error = _refused(text.replace('sessionStatus="final"', 'sessionStatus="done"').encode())
    assert ("correction.qti.invalid", at) == (error.code, error.line)


def test_a_missing_context_and_a_wrong_namespace_are_refused() -> None:
    """The context is required; another root namespace is not a QTI 3.0 result."""
    text = results_to_qti(SAMPLE).decode()
    start = text.index("<context")
    end = text.index("</context>") + len("</context>")
    missing = _refused((text[:start] + text[end:]).encode())
    assert ("correction.qti.missing", "assessmentResult/context") == (
        missing.code,
        missing.params["construct"],
    )
    other = text.replace("imsqti_result_v3p0", "imsqti_result_v2p2")
    assert "correction.qti.version" == _refused(other.encode()).code
    unknown = text.replace("imsqti_result_v3p0", "example.org/results")
    assert "correction.qti.not_results" == _refused(unknown.encode()).code


def test_an_unusable_value_is_refused_with_its_line() -> None:
    """A score that is no number passes the schema but not examkit: its variable's line."""
    text = results_to_qti(SAMPLE).decode()
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines, start=1) if "<value>2</value>" in line)
    error = _refused(text.replace("<value>2</value>", "<value>twee</value>").encode())
    assert ("correction.qti.outcome.number", at - 1) == (error.code, error.line)


def test_a_document_type_declaration_is_refused() -> None:
    """No DTD, so no entity expansion."""
    data = results_to_qti(SAMPLE).replace(b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n', 1)
    assert "correction.qti.doctype" == _refused(data).code


def test_an_identifier_that_is_no_xml_name_cannot_be_written() -> None:
    """Item identifiers must be XML names (NCName) in QTI."""
    bad = ExchangedResult(
        candidate="c-1",
        group="g-1",
        exam="X",
        datestamp=SAMPLE.datestamp,
        total=0,
        maximum=1,
        grade=Decimal("1.0"),
        items=[ExchangedItem("1 a", None, 0, 1)],
    )
    with pytest.raises(InvalidInput) as caught:
        results_to_qti(bad)
    assert ("correction.qti.identifier", "items[0].identifier") == (
        caught.value.code,
        caught.value.field,
    )
