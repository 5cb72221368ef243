"""The up requests' texts: the entries' stored JSON passed through equals the entries encoded."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.converter import unstructure
from examkit.offline import (
    QueuedEntry,
    UpRequest,
    WireEntry,
    entry_digest,
    entry_text,
    entry_text_of_stored,
    up_request_text,
)
from examkit.records import Backend

AT = datetime(2026, 5, 12, 7, 0, tzinfo=UTC)

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-2, minutes=-30))]),
)
# every character a JSON text escapes or that needs more than one byte, and the field names
texts = st.text(min_size=1, max_size=12) | st.sampled_from(
    ['"', "\\", '","digest":"', ',"digest":"0a","key":"', "é\u2028\x00", "up", "body"]
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(texts | st.sampled_from(["digest", "seq", "stream"]), inner, max_size=3)
    ),
    max_leaves=10,
)
hex_digests = st.text("0123456789abcdef", min_size=1, max_size=64)


def converter_text(entry: QueuedEntry) -> str:
    """The entry's JSON as the converter writes it, without its version, keys sorted, compact."""
    data = {name: value for name, value in unstructure(entry).items() if name != "version"}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def travelling(entry: QueuedEntry) -> dict[str, Any]:
    """The entry as it travels, independently of the texts: the wire entry's JSON data."""
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "key": entry.key,
        "revision": entry.revision,
        "body": entry.body,
        "digest": entry.digest,
    }


queued = st.builds(
    QueuedEntry,
    stream=texts,
    seq=st.integers(1, 2**53 - 1),
    kind=texts,
    key=texts,
    revision=st.integers(0, 2**53 - 1),
    body=json_values,
    digest=hex_digests | texts,
    queued_at=moments,
)


@pytest.mark.req("SCH-8")
@given(entry=queued)
def test_a_stored_entry_passed_through_reads_as_the_entry_encoded(entry: QueuedEntry) -> None:
    passed = entry_text_of_stored(converter_text(entry), entry.stream, entry.seq)
    assert travelling(entry) == json.loads(entry_text(entry))
    if all(c in "0123456789abcdef" for c in entry.digest):
        assert passed is not None
    if passed is not None:
        assert travelling(entry) == json.loads(passed)
        assert WireEntry.from_json(json.loads(passed)) == WireEntry.of(entry)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    "changed",
    [
        lambda text: text.replace('{"body":', '{"bodies":'),
        lambda text: text.replace('"revision":3', '"revision":true'),
        lambda text: text.replace('"revision":3', '"revision":03'),
        lambda text: text.replace(',"stream":"up"}', ',"stream":"up","x":1}'),
        lambda text: text.replace(',"stream":"up"}', ',"stream":"down:fao"}'),
        lambda text: text.replace('"seq":7', '"seq":8'),
        lambda text: text.replace(',"digest":"', ',"digest":"X'),
        lambda text: text.replace(',"key":', ',"keys":'),
        lambda text: text[:-1],
    ],
)
def test_a_stored_entry_of_another_shape_is_not_passed_through(changed: Any) -> None:
    entry = QueuedEntry("up", 7, "answer", "g:c:v1", 3, {"value": 1}, "ab" * 32, AT)
    text = converter_text(entry)
    assert entry_text_of_stored(text, "up", 7) is not None
    assert changed(text) != text
    assert entry_text_of_stored(changed(text), "up", 7) is None


@pytest.mark.req("SCH-8")
@given(
    entries=st.lists(st.tuples(st.integers(1, 99), json_values), max_size=4),
    sent_at=moments,
    backlog=st.integers(0, 2**40),
    offset=st.none() | st.integers(-(2**40), 2**40),
    server=texts,
)
def test_an_up_request_text_reads_as_the_request_s_json(
    entries: list[tuple[int, Any]],
    sent_at: datetime,
    backlog: int,
    offset: int | None,
    server: str,
) -> None:
    queued = [QueuedEntry("up", n, "answer", "k", 1, body, "d", AT) for n, body in entries]
    wire = tuple(WireEntry.of(entry) for entry in queued)
    text = up_request_text(server, [entry_text(e) for e in queued], sent_at, backlog, offset)
    assert UpRequest(server, wire, sent_at, backlog, offset).to_json() == json.loads(text)


def entry(stream: str, seq: int, digest: str | None = None) -> QueuedEntry:
    body = {"value": {"choice": [seq % 4]}, "sequence": seq, "saved_at": AT.isoformat()}
    key = f"g-1:c-{seq}:v1"
    found = digest or entry_digest("answer", key, seq, body)
    return QueuedEntry(stream, seq, "answer", key, seq, body, found, AT)


@pytest.mark.req("SCH-8")
def test_the_wire_texts_are_the_numbered_entries_encoded(store: Backend) -> None:
    """In order, this stream's only, stopping at a gap; an entry of another shape encoded."""
    odd = hashlib.sha256(b"x").hexdigest().upper()  # not what the pass-through takes
    entries = [entry("up", n) for n in (1, 2, 4, 5)] + [entry("up", 3, odd), entry("up", 6, odd)]
    others = [entry("up:0", 1), entry("upx", 2), entry("down:up", 3)]
    with store.begin() as uow:
        uow.sync_queue.add_many(entries + others)
        uow.commit()
    with store.begin(readonly=True) as uow:
        for first, last in [(1, 6), (2, 4), (3, 3), (1, 500), (7, 9), (4, 3)]:
            numbered = uow.sync_queue.numbered("up", first, last)
            texts = uow.sync_queue.wire_texts("up", first, last)
            assert [travelling(item) for item in numbered] == [json.loads(t) for t in texts]
        assert 6 == len(uow.sync_queue.wire_texts("up", 1, 6))
    with store.begin() as uow:
        uow.sync_queue.remove("up:000000000004")
        assert [1, 2, 3] == [json.loads(t)["seq"] for t in uow.sync_queue.wire_texts("up", 1, 6)]


@pytest.mark.req("SCH-8")
def test_the_sql_store_passes_its_stored_text_through(sqlite_url: str) -> None:
    """On SQL the stored JSON is read in one statement and no entry is decoded."""
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(sqlite_url, migrate=False)
    try:
        with backend.begin() as uow:
            uow.sync_queue.add_many([entry("up", n) for n in range(1, 4)])
            uow.commit()
        with backend.begin(readonly=True) as uow:
            stored = uow.transaction.capability("stored_json")
            rows = stored.between(uow.sync_queue.record, "up:000000000001", "up:000000000003")
            texts = uow.sync_queue.wire_texts("up", 1, 3)
        assert [
            entry_text_of_stored(text, "up", n + 1) for n, (_, text) in enumerate(rows)
        ] == list(texts)
    finally:
        backend.close()
