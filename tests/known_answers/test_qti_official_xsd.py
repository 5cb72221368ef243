# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Everything examkit writes as QTI 3.0 results validates against the official schema.

This test reads ``../shared/qti`` (1EdTech's results reporting schema, see
SOURCES.md there) at run time; ``EXAMKIT_SHARED`` points at another
``shared`` folder, and where it is absent the test skips (see
tests/conftest.py). The official schema
may not be shipped with examkit; examkit's own schema of the subset it
reads is checked here to accept no document the official one refuses
among mutations of examkit's exports.
"""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from examkit.correction import ExchangedItem, ExchangedResult, results_from_qti, results_to_qti
from examkit.correction._qti_schema import compiled_schema
from examkit.errors import InvalidInput
from examkit.testing import ManualClock
from examkit.testing.correction import (
    DEFINITION,
    NTERM,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import START
from examkit.testing.strategies import exchanged_results

pytestmark = [pytest.mark.req("SCO-4"), pytest.mark.shared("qti", "qtiv3p0")]

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("EXAMKIT_SHARED") or ROOT.parent / "shared")
OFFICIAL = SHARED / "qti" / "qtiv3p0" / "imsqti_resultv3p0_v1p0.xsd"


@cache
def official() -> etree.XMLSchema:
    """The official schema, compiled once (it imports ../w3/xml.xsd)."""
    return etree.XMLSchema(etree.parse(str(OFFICIAL)))


def _valid(data: bytes) -> bool:
    return bool(official().validate(etree.fromstring(data)))


@given(exchanged_results())
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])  # big documents
def test_every_exported_document_is_valid_against_the_official_schema(
    result: ExchangedResult,
) -> None:
    """Random results: the official schema accepts each export."""
    data = results_to_qti(result)
    assert _valid(data), official().error_log


def test_a_corrected_group_exports_valid_documents() -> None:
    """The results of a group corrected through the kit, one document per candidate."""
    kit = make_correction_kit(ManualClock(START))
    group, people = corrected_group(kit, 3)
    for account in ("corrector", "corrector2"):
        for person in people:
            kit.correction_work.score(account, group, person.id, {"o1": 1, "o2": 2})
    kit.correction_work.close("corrector", group)
    exported = kit.results.exchange("planner", group, DEFINITION, NTERM)
    assert 3 == len(exported)
    for result in exported:
        assert _valid(results_to_qti(result)), official().error_log


SAMPLE = ExchangedResult(
    candidate="c-1",
    group="g-1",
    exam="EN-HA-2026",
    datestamp=START,
    total=Fraction(15, 2),
    maximum=10,
    grade=Decimal("7.8"),
    items=[ExchangedItem("o1", {"text": "zie"}, 2, 3, "Goed")],
)

MUTATIONS = [
    (b'sessionStatus="final"', b'sessionStatus="done"'),
    (b'cardinality="single"', b'cardinality="one"'),
    (b'baseType="float"', b'baseType="decimal"'),
    (b'identifier="o1"', b'identifier="1o"'),
    (b'sourceID="urn:examkit:session-group" ', b""),
    (b"<value>7.5</value>", b"<value>7.5</value><extra/>"),
    (b'datestamp="2026', b'datestamp="26'),
]


@pytest.mark.parametrize(("old", "new"), MUTATIONS)
def test_examkit_refuses_what_the_official_schema_refuses(old: bytes, new: bytes) -> None:
    """On mutated exports, examkit's own schema refuses each document the official one refuses."""
    data = results_to_qti(SAMPLE).replace(old, new, 1)
    assert data != results_to_qti(SAMPLE)
    assert not _valid(data)
    assert not compiled_schema().validate(etree.fromstring(data))


FIXTURES = ROOT / "tests" / "fixtures" / "qti"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("qti30-*.xml")), ids=lambda path: path.name)
def test_point_14_the_fixtures_outside_the_subset_are_valid_qti_3(path: Path) -> None:
    """Each QTI 3.0 fixture is valid officially; examkit refuses it as outside its subset."""
    data = path.read_bytes()
    assert _valid(data), official().error_log
    with pytest.raises(InvalidInput) as caught:
        results_from_qti(data)
    assert caught.value.code in {
        "correction.qti.unsupported",
        "correction.qti.missing",
        "correction.qti.datestamp.naive",
        "correction.qti.outcome.missing",
    }
