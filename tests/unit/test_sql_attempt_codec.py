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
    attempt_text,
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


def _encoded(attempt: Attempt) -> str:
    return json.dumps(converted(attempt), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


odd_values = st.sampled_from(
    [("a", "b"), {"choice": ("A",)}, [Decimal("3.5")], {"at": datetime(2026, 5, 12, tzinfo=UTC)}]
)
odd_responses = st.builds(
    SavedResponse,
    value=odd_values,
    sequence=st.integers(1, 10**6) | st.booleans(),
    saved_at=moments,
)


@pytest.mark.req("SCH-4")
@given(attempt=attempts, odd=st.dictionaries(texts, odd_responses, max_size=2))
def test_an_attempt_is_stored_as_the_text_its_data_encodes_to(
    attempt: Attempt, odd: dict[str, SavedResponse]
) -> None:
    """The written-out text is what encoding the converter's data gives, byte for byte,
    also with responses that are not plain JSON (then it does not read back as itself)."""
    for each in (attempt, attrs.evolve(attempt, responses={**attempt.responses, **odd})):
        text, _ = attempt_text(each)
        assert text == _encoded(each)
        assert text == attempt_text(each)[0]  # made again from the responses' texts kept


@pytest.mark.req("SCH-4")
@given(attempt=attempts)
def test_an_attempt_said_to_read_back_as_itself_does_in_every_value(attempt: Attempt) -> None:
    text, itself = attempt_text(attempt)
    assert itself
    read = attempt_from_data(json.loads(text), attempt.version)
    assert read == attempt
    for name in attrs.fields_dict(Attempt):
        mine, theirs = getattr(attempt, name), getattr(read, name)
        assert type(mine) is type(theirs), name
    for item, response in attempt.responses.items():
        back = read.responses[item]
        assert (type(back.value), type(back.sequence)) == (
            type(response.value),
            type(response.sequence),
        )
        assert back.saved_at.tzinfo is response.saved_at.tzinfo is UTC


class _Text(str):
    """A text of a subclass: read back as a plain one."""


@pytest.mark.req("SCH-4")
@pytest.mark.parametrize(
    "change",
    [
        {"responses": {"v1": SavedResponse(("A",), 1, datetime(2026, 5, 12, tzinfo=UTC))}},
        {"responses": {"v1": SavedResponse("A", True, datetime(2026, 5, 12, tzinfo=UTC))}},
        {"responses": {"v1": SavedResponse({"a": ("A",)}, 2, datetime(2026, 5, 12, tzinfo=UTC))}},
        {"group": _Text("g-1")},
        {"extra_time_minutes": True},
        {"offline_server": _Text("fao-1")},
        {"log": [AttemptEvent(_Text("start"), datetime(2026, 5, 12, tzinfo=UTC))]},
    ],
)
def test_an_attempt_that_would_read_back_otherwise_is_not_said_to_read_back_as_itself(
    change: dict[str, Any],
) -> None:
    attempt = attrs.evolve(Attempt("g-1", "c-1", "NE", "KAND0001"), **change)
    text, itself = attempt_text(attempt)
    assert not itself
    assert text == _encoded(attempt)


@pytest.mark.req("SCH-4")
def test_a_response_text_is_kept_while_its_response_lives() -> None:
    """The text made once per response goes with the response: nothing else is kept."""
    import gc

    from examkit.backends.sql._attempt_codec import _RESPONSE_TEXTS

    response = SavedResponse({"c": [1]}, 1, datetime(2026, 5, 12, tzinfo=UTC))
    attempt = Attempt("g-1", "c-1", "NE", "KAND0001", responses={"v1": response})
    first = attempt_text(attempt)
    assert id(response) in _RESPONSE_TEXTS._texts
    assert attempt_text(attempt) == first
    key = id(response)
    del attempt, response
    gc.collect()
    assert key not in _RESPONSE_TEXTS._texts
