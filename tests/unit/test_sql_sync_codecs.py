"""The SQL backend's written-out sync queue and inbox JSON equals the converter's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.backends.sql._sync_codecs import (
    inbox_data,
    inbox_from_data,
    inbox_text,
    queued_data,
    queued_from_data,
)
from examkit.converter import structure, unstructure
from examkit.errors import ExamkitError
from examkit.offline import InboxEntry, QueuedEntry

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
)
texts = st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=30)
numbers = st.integers(min_value=0, max_value=2**40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**31), 2**31) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
queued = st.builds(
    QueuedEntry,
    stream=texts,
    seq=numbers,
    kind=texts,
    key=texts,
    revision=numbers,
    body=json_values,
    digest=texts,
    queued_at=moments,
    version=numbers,
)
received = st.builds(
    InboxEntry,
    server=texts,
    seq=numbers,
    kind=texts,
    key=texts,
    digest=texts,
    applied_at=moments,
    effect=st.sampled_from(["applied", "superseded", "conflict"]),
    version=numbers,
)


def same_both_ways(item: Any, write: Any, read: Any) -> None:
    data = write(item)
    assert {k: v for k, v in unstructure(item).items() if k != "version"} == data
    loaded = read(data, item.version)
    assert structure({**data, "version": item.version}, type(item)) == loaded
    assert loaded == item
    assert loaded.version == item.version


@pytest.mark.req("SCH-8")
@given(entry=queued)
def test_a_queued_entry_is_written_and_read_as_the_converter_does(entry: QueuedEntry) -> None:
    same_both_ways(entry, queued_data, queued_from_data)


@pytest.mark.req("SCH-8")
@given(entry=received)
def test_a_received_entry_is_written_and_read_as_the_converter_does(entry: InboxEntry) -> None:
    same_both_ways(entry, inbox_data, inbox_from_data)


class _Text(str):
    """A text of a subclass."""


all_texts = st.text(max_size=30)  # quotes, backslashes, controls and beyond ASCII too


@pytest.mark.req("SCH-8")
@given(
    entry=st.builds(
        InboxEntry,
        server=all_texts,
        seq=numbers | st.booleans(),
        kind=all_texts,
        key=all_texts | all_texts.map(_Text),
        digest=all_texts,
        applied_at=moments,
        effect=all_texts,
        version=numbers,
    ),
    again=st.booleans(),
)
def test_a_received_entry_is_stored_as_the_text_its_data_encodes_to(
    entry: InboxEntry, again: bool
) -> None:
    """Byte for byte what encoding the converter's data gives (a moment written once too)."""
    data = unstructure(entry)
    del data["version"]
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if again:
        inbox_text(entry)
    assert inbox_text(entry)[0] == expected


@pytest.mark.req("SCH-8")
def test_stored_data_of_another_shape_goes_through_the_converter_with_its_error() -> None:
    at = datetime(2026, 5, 12, 9, tzinfo=UTC)
    data = inbox_data(InboxEntry("fao-1", 3, "answer", "g:c:q1", "d" * 64, at))
    with pytest.raises(ExamkitError):
        inbox_from_data({**data, "applied_at": "2026-05-12T09:00:00"}, 1)  # naive: refused
    older = {key: value for key, value in data.items() if key != "effect"}
    assert inbox_from_data(older, 1).effect == "applied"  # the default, as the converter reads
    with pytest.raises(ExamkitError):
        queued_from_data({"stream": "up", "seq": "three"}, 1)
