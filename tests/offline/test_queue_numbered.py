# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Reading a stream's entries by their numbers: what a sender that knows its counters asks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from examkit.offline import QueuedEntry, entry_digest
from examkit.records import Backend

AT = datetime(2026, 5, 12, 7, 0, tzinfo=UTC)


def entry(stream: str, seq: int) -> QueuedEntry:
    body = {"n": seq}
    key = f"g-1:c-{seq}"
    return QueuedEntry(
        stream, seq, "attempt", key, 1, body, entry_digest("attempt", key, 1, body), AT
    )


def stored(store: Backend, *entries: QueuedEntry) -> None:
    with store.begin() as uow:
        uow.sync_queue.add_many(entries)
        uow.commit()


@pytest.mark.req("SCH-8")
def test_the_numbers_asked_come_back_in_order_and_no_other_stream_s(store: Backend) -> None:
    stored(store, *(entry("up", n) for n in range(1, 8)), *(entry("upx", n) for n in (3, 4)))
    with store.begin(readonly=True) as uow:
        found = uow.sync_queue.numbered("up", 3, 5)
        everything = uow.sync_queue.numbered("up", 1, 100)
    assert [3, 4, 5] == [item.seq for item in found]
    assert {"up"} == {item.stream for item in found}
    assert list(range(1, 8)) == [item.seq for item in everything]


@pytest.mark.req("SCH-8")
def test_nothing_is_read_when_nothing_is_asked_and_a_gap_stops_the_batch(store: Backend) -> None:
    stored(store, entry("up", 1), entry("up", 2), entry("up", 4))
    with store.begin(readonly=True) as uow:
        assert () == uow.sync_queue.numbered("up", 3, 2)
        assert [1, 2] == [item.seq for item in uow.sync_queue.numbered("up", 1, 4)]
        assert () == uow.sync_queue.numbered("up", 3, 4)
