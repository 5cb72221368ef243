"""The SQL backend's written-out attempt JSON equals the converter's, both ways."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.backends.sql._attempt_codec import (
    attempt_data,
    attempt_from_data,
    response_data,
    response_text,
)
from examkit.converter import structure, unstructure
from examkit.scheduling import Attempt, AttemptEvent, AttemptState, SavedResponse

json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
)
texts = st.text(min_size=1, max_size=12)
responses = st.builds(
    SavedResponse, value=json_data, sequence=st.integers(1, 10**6), saved_at=moments
)
events = st.builds(
    AttemptEvent,
    event=texts,
    at=moments,
    actor=st.none() | texts,
    reason=st.text(max_size=12),
)
attempts = st.builds(
    Attempt,
    group=texts,
    candidate=texts,
    exam=texts,
    login_name=texts,
    extra_time_minutes=st.integers(0, 240),
    state=st.sampled_from(AttemptState),
    started_at=st.none() | moments,
    deadline=st.none() | moments,
    ended_at=st.none() | moments,
    end_reason=st.text(max_size=12),
    reentry_allowed=st.booleans(),
    offline_server=st.none() | texts,
    last_sequence=st.integers(0, 10**6),
    responses=st.dictionaries(texts, responses, max_size=4),
    log=st.lists(events, max_size=3),
    late_saves=st.integers(0, 1000),
    last_contact=st.none() | moments,
    page_epoch=st.integers(0, 32767),
    version=st.integers(1, 100),
)


def converted(attempt: Attempt) -> dict[str, Any]:
    data = unstructure(attempt)
    data.pop("version")
    return data  # type: ignore[no-any-return]


@pytest.mark.req("SCH-4")
@given(attempt=attempts)
def test_an_attempt_is_written_and_read_as_the_converter_does(attempt: Attempt) -> None:
    data = attempt_data(attempt)
    assert converted(attempt) == data
    read = attempt_from_data(data, attempt.version)
    assert structure({**data, "version": attempt.version}, Attempt) == read
    assert attempt == read
    assert attempt.version == read.version


@pytest.mark.req("SCH-4")
@pytest.mark.parametrize(
    "value",
    [
        ("a", "b"),
        {"choice": ("A",)},
        {"at": datetime(2026, 5, 12, 9, tzinfo=UTC)},
        [Decimal("3.5")],
        {1: "x"},
    ],
)
def test_values_that_are_not_plain_json_go_through_the_converter(value: Any) -> None:
    response = SavedResponse(value=value, sequence=1, saved_at=datetime(2026, 5, 12, tzinfo=UTC))
    assert unstructure(response) == response_data(response)


@pytest.mark.req("SCH-4")
def test_data_of_another_shape_is_read_by_the_converter_with_its_checks() -> None:
    attempt = Attempt("g-1", "c-1", "NE", "KAND0001")
    data = attempt_data(attempt)
    del data["log"]  # an older form: the converter's default applies
    assert attempt == attempt_from_data(data, 1)


@pytest.mark.req("SCH-4", "SCH-7")
@given(attempt=attempts)
def test_an_attempt_stored_before_the_exam_day_counters_reads_with_their_defaults(
    attempt: Attempt,
) -> None:
    """Rows written before late saves, last contact and page epoch existed still read."""
    data = attempt_data(attempt)
    for added in ("late_saves", "last_contact", "page_epoch"):
        del data[added]
    read = attempt_from_data(data, attempt.version)
    assert (0, None, 0) == (read.late_saves, read.last_contact, read.page_epoch)
    assert attempt == attrs.evolve(
        read,
        late_saves=attempt.late_saves,
        last_contact=attempt.last_contact,
        page_epoch=attempt.page_epoch,
    )


@pytest.mark.req("SCH-4")
@given(response=responses)
def test_a_response_is_stored_as_the_text_its_data_encodes_to(response: SavedResponse) -> None:
    """The save's written-out text is what encoding the converter's data gives, byte for byte."""
    expected = json.dumps(
        unstructure(response), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    assert response_text(response, response.saved_at.isoformat()) == expected
    assert json.loads(expected) == response_data(response)


@pytest.mark.req("SCH-4")
@pytest.mark.parametrize("value", [("a", "b"), {"at": datetime(2026, 5, 12, 9, tzinfo=UTC)}])
@pytest.mark.parametrize("sequence", [7, True])
def test_a_response_that_is_not_plain_json_is_stored_as_the_converter_writes_it(
    value: Any, sequence: int
) -> None:
    """Tuples, moments in the value, or a sequence number that is a bool: the converter's text."""
    response = SavedResponse(
        value=value, sequence=sequence, saved_at=datetime(2026, 5, 12, tzinfo=UTC)
    )
    expected = json.dumps(
        unstructure(response), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    assert response_text(response, response.saved_at.isoformat()) == expected
