# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19 point 14: QTI results outside examkit's subset are told what examkit reads.

The documents are examkit's own fixtures (``tests/fixtures/qti``, see its
README); the known-answer tests check that the QTI 3.0 ones are valid against
the official schema.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from examkit.correction import ExchangedItem, ExchangedResult, results_from_qti, results_to_qti
from examkit.errors import InvalidInput

pytestmark = pytest.mark.req("SCO-4")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qti"
V3 = "http://www.imsglobal.org/xsd/imsqti_result_v3p0"

# What examkit reads, as its messages must say it, written out here on its own.
SUBSET_NL = "examkit leest QTI 3.0-resultaten (assessmentResult in de namespace " + V3
SUBSET_EN = "examkit reads QTI 3.0 results (assessmentResult in the namespace " + V3

# libxml2's schema texts and examkit's former English details: never in a message.
LIBXML2 = ("No matching global declaration", "This element is not expected", "Element '{")

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


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def line_of(data: bytes, needle: str, occurrence: int = 1) -> int:
    lines = data.decode().splitlines()
    found = [n for n, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence - 1]


def refused(data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        results_from_qti(data)
    return caught.value


def assert_says_what_examkit_reads(error: InvalidInput) -> None:
    dutch, english = error.message("nl"), error.message("en")
    assert SUBSET_NL in dutch
    assert SUBSET_EN in english
    for text in LIBXML2:
        assert text not in dutch
        assert text not in english


@pytest.mark.parametrize(
    ("name", "version"), [("qti21-result.xml", "2.1"), ("qti22-result.xml", "2.2")]
)
def test_point_14_qti_2_results_reports_are_told_what_examkit_reads(
    name: str, version: str
) -> None:
    """A QTI 2.1 or 2.2 report: its version named, with the root's line and examkit's subset."""
    data = fixture(name)
    error = refused(data)
    assert ("correction.qti.version", line_of(data, "<assessmentResult")) == (
        error.code,
        error.line,
    )
    assert f"QTI {version}" in error.message("nl")
    assert f"QTI {version}" in error.message("en")
    assert_says_what_examkit_reads(error)


def test_point_14_another_root_is_no_results_report() -> None:
    """A document of another kind is named by its root element."""
    error = refused(b'<?xml version="1.0"?>\n<assessmentItem xmlns="urn:x" identifier="i"/>\n')
    assert ("correction.qti.not_results", 2) == (error.code, error.line)
    assert "{urn:x}assessmentItem" in error.message("nl")
    assert_says_what_examkit_reads(error)


OUTSIDE = [
    ("qti30-no-test-result.xml", "correction.qti.missing", "assessmentResult/testResult", "<item"),
    (
        "qti30-two-sessions.xml",
        "correction.qti.unsupported",
        "assessmentResult/context/sessionIdentifier[2]",
        'identifier="a-7"',
    ),
    (
        "qti30-no-sourced-id.xml",
        "correction.qti.missing",
        "assessmentResult/context/@sourcedId",
        "<context",
    ),
    (
        "qti30-template-variable.xml",
        "correction.qti.unsupported",
        "assessmentResult/itemResult/templateVariable",
        "<templateVariable",
    ),
    (
        "qti30-candidate-comment.xml",
        "correction.qti.unsupported",
        "assessmentResult/itemResult/candidateComment",
        "<candidateComment",
    ),
    (
        "qti30-correct-response.xml",
        "correction.qti.unsupported",
        "assessmentResult/itemResult/responseVariable/correctResponse",
        "<correctResponse",
    ),
    (
        "qti30-outcome-view.xml",
        "correction.qti.unsupported",
        "assessmentResult/testResult/outcomeVariable[3]/@view",
        'view="candidate"',
    ),
]


@pytest.mark.parametrize(("name", "code", "construct", "at"), OUTSIDE)
def test_point_14_valid_qti_3_documents_outside_the_subset_say_what_examkit_reads(
    name: str, code: str, construct: str, at: str
) -> None:
    """Each names the element or attribute at fault, its line, and what examkit reads."""
    data = fixture(name)
    error = refused(data)
    assert (code, construct, line_of(data, at)) == (
        error.code,
        error.params["construct"],
        error.line,
    )
    assert construct in error.message("nl")
    assert_says_what_examkit_reads(error)


def test_point_14_a_datestamp_without_time_zone_is_refused_with_its_line() -> None:
    """As in 1EdTech's samples: refused on the test result's line, unless a zone is given."""
    data = fixture("qti30-naive-datestamp.xml")
    error = refused(data)
    assert ("correction.qti.datestamp.naive", line_of(data, "<testResult")) == (
        error.code,
        error.line,
    )
    assert "2026-06-01T10:00:00" in error.message("nl")
    amsterdam = results_from_qti(data, local_zone=ZoneInfo("Europe/Amsterdam"))
    assert datetime(2026, 6, 1, 8, 0, tzinfo=UTC) == amsterdam.datestamp  # summer time, +2
    plus_one = results_from_qti(data, local_zone=timezone(timedelta(hours=1)))
    assert datetime(2026, 6, 1, 9, 0, tzinfo=UTC) == plus_one.datestamp
    written = results_to_qti(SAMPLE)  # a datestamp with its zone needs none
    assert SAMPLE == results_from_qti(written, local_zone=ZoneInfo("Asia/Tokyo"))


@pytest.mark.parametrize(
    "stamp",
    ["2026-06-01T24:00:00+00:00", "12026-06-01T10:00:00+00:00"],
)
def test_point_14_a_datestamp_python_cannot_read_is_refused_with_its_line(stamp: str) -> None:
    """Valid xs:dateTime values beyond what examkit keeps: refused, never a raw ValueError."""
    text = results_to_qti(SAMPLE).decode()
    data = text.replace('datestamp="2026-06-01T10:00:00+00:00"', f'datestamp="{stamp}"', 1)
    error = refused(data.encode())
    assert "correction.qti.datestamp.invalid" == error.code
    assert line_of(data.encode(), "<testResult") == error.line


@pytest.mark.parametrize("variable", ["SCORE", "MAXSCORE", "GRADE"])
def test_point_14_a_missing_grade_is_reported_as_missing_like_a_missing_score(
    variable: str,
) -> None:
    """Absent, or present without a value: the same "no value" refusal for every outcome."""
    text = results_to_qti(SAMPLE).decode()
    start = text.index(f'<outcomeVariable identifier="{variable}"')
    end = text.index("</outcomeVariable>", start) + len("</outcomeVariable>")
    absent = (text[:start] + text[end:]).encode()
    empty = (
        text[:start]
        + f'<outcomeVariable identifier="{variable}" cardinality="single" baseType="float"/>'
        + text[end:]
    ).encode()
    for data in (absent, empty):
        error = refused(data)
        assert ("correction.qti.outcome.missing", variable, "testResult") == (
            error.code,
            error.params["variable"],
            error.params["element"],
        )
        assert error.line is not None
        assert f"testResult heeft geen waarde voor de uitkomst {variable}." == error.message("nl")
        assert f"testResult has no value for the outcome {variable}." == error.message("en")
    assert "correction.qti.outcome.missing" == refused(fixture("qti30-no-grade.xml")).code


def _refusals() -> list[bytes]:
    text = results_to_qti(SAMPLE).decode()
    return [
        text.replace("</value>", "</valu>", 1).encode(),  # malformed
        text.replace("?>\n", '?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n', 1).encode(),
        b"<a>" + b" " * 5_000_001 + b"</a>",  # too large
        text.replace('sessionStatus="final"', 'sessionStatus="done"').encode(),
        text.replace("<value>2</value>", "<value>twee</value>").encode(),
        text.replace("<value>7.8</value>", "<value>acht</value>").encode(),
        text.replace('{"text":"zie"}', "{niet: json}").encode(),
        text.replace("+00:00", "", 1).encode(),
        *(fixture(path.name) for path in sorted(FIXTURES.glob("*.xml"))),
    ]


ENGLISH = {"the", "not", "missing", "expected", "element", "attribute", "value", "has"}
DUTCH = {"de", "het", "een", "is", "niet", "ontbreekt", "geen", "heeft", "waarde", "van"} - {"is"}


def _words(message: str, params: dict[str, object]) -> set[str]:
    for value in params.values():
        message = message.replace(str(value), " ")
    return set(re.findall(r"[a-z]+", message.lower()))


def test_point_14_every_refusal_gives_its_detail_in_the_language_of_the_message() -> None:
    """No English in the Dutch message, no Dutch in the English one, values aside."""
    codes = set()
    for data in _refusals():
        error = refused(data)
        codes.add(error.code)
        params = dict(error.params)
        assert not _words(error.message("nl"), params) & ENGLISH, error.message("nl")
        assert not _words(error.message("en"), params) & DUTCH, error.message("en")
    assert {
        "correction.qti.malformed",
        "correction.qti.doctype",
        "correction.qti.too_large",
        "correction.qti.invalid",
        "correction.qti.outcome.number",
        "correction.qti.response.json",
        "correction.qti.datestamp.naive",
        "correction.qti.version",
        "correction.qti.missing",
        "correction.qti.unsupported",
        "correction.qti.outcome.missing",
    } <= codes


def test_point_14_an_item_twice_is_named() -> None:
    """The schema's uniqueness rule, told in examkit's words with the item and its line."""
    text = results_to_qti(SAMPLE).decode()
    start = text.index("  <itemResult")
    end = text.index("</itemResult>") + len("</itemResult>\n")
    data = (text[:end] + text[start:end] + text[end:]).encode()
    error = refused(data)
    assert ("correction.qti.duplicate_item", "o1", line_of(data, "<itemResult", 2)) == (
        error.code,
        error.params["item"],
        error.line,
    )
