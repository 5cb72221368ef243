"""Conformance: any declared record, kept by any backend through the generic repository.

A record added the recipe's way (:ref:`storage-recipe`) is held to the same
promises as examkit's own: versions, unique values, bulk adds all or
nothing, every index findable, listings in order and paged, ranges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pytest

from examkit.errors import AlreadyExists, ConcurrentModification, InvalidState, NotFound
from examkit.records import Backend
from examkit.storage import Records, RecordType


def check_declared_record(
    backend: Backend,
    record: RecordType[Any, Any],
    items: Sequence[Any],
    changed: Callable[[Any], Any],
) -> None:
    """Hold *backend* to every promise for *record*, with *items* (at least four, distinct).

    *changed* returns an item with some field changed, its key and unique
    values kept. Every index of *record* must have a value in the items.
    """
    assert len(items) >= 4, "give at least four items"

    def repo(uow: Any) -> Records[Any, Any]:
        return uow.repository(record)  # type: ignore[no-any-return]

    with backend.begin() as uow:
        repo(uow).add_many(items)
        uow.commit()
    keys = [record.key_text(item) for item in items]
    with backend.begin(readonly=True) as uow:
        stored = [repo(uow).get(key) for key in keys]
        with pytest.raises(InvalidState):
            repo(uow).remove(keys[0])
    assert stored == list(items)
    assert {item.version for item in stored} == {1}
    expected = sorted(items, key=record.order_of)
    _check_listing(backend, record, expected)
    _check_indexes(backend, record, items, expected)
    _check_writes(backend, record, items, stored, changed)
    with backend.begin(readonly=True) as uow:
        assert [record.key_text(i) for i in repo(uow)._find()] == [
            record.key_text(i) for i in expected if record.key_text(i) not in {keys[0], keys[3]}
        ]


def _repo(uow: Any, record: RecordType[Any, Any]) -> Records[Any, Any]:
    return uow.repository(record)  # type: ignore[no-any-return]


def _check_listing(backend: Backend, record: RecordType[Any, Any], expected: list[Any]) -> None:
    """The listing is in order, and the same in pages of one."""

    def repo(uow: Any) -> Records[Any, Any]:
        return _repo(uow, record)

    with backend.begin(readonly=True) as uow:
        listed = list(repo(uow)._find())
        paged: list[Any] = []
        after = None
        while True:
            page = repo(uow)._page(after=after, limit=1)
            paged.extend(page.items)
            if page.next_after is None:
                break
            after = page.next_after
    assert [record.key_text(i) for i in listed] == [record.key_text(i) for i in expected]
    assert paged == listed


def _check_indexes(
    backend: Backend, record: RecordType[Any, Any], items: Sequence[Any], expected: list[Any]
) -> None:
    """Every index finds exactly the items that hold the value; ranges bound from above."""
    with backend.begin(readonly=True) as uow:
        repo = _repo(uow, record)
        for index in record.indexes:
            values = {value for item in items for value in index.values(item)}
            assert values, f"no item has a value for index {index.name}"
            for value in values:
                holders = [i for i in expected if value in index.values(i)]
                assert list(repo._find({index.name: value})) == holders
                if index.number:
                    bound = int(value)
                    within = [i for i in expected if any(int(v) <= bound for v in index.values(i))]
                    assert list(repo._find(at_most=(index.name, bound))) == within


def _check_writes(
    backend: Backend,
    record: RecordType[Any, Any],
    items: Sequence[Any],
    stored: list[Any],
    changed: Callable[[Any], Any],
) -> None:
    """Versions, unique values and keys; a refused bulk add stores nothing."""
    keys = [record.key_text(item) for item in items]

    def repo(uow: Any) -> Records[Any, Any]:
        return _repo(uow, record)

    with backend.begin() as uow:
        updated = repo(uow).update(changed(stored[0]))
        uow.commit()
    assert updated.version == 2
    with backend.begin() as uow, pytest.raises(ConcurrentModification):
        repo(uow).update(changed(stored[0]))
    with backend.begin() as uow, pytest.raises(ConcurrentModification):
        repo(uow).remove(keys[0], version=1)
    # Unique values and keys: refused, nothing of a refused bulk add stored.
    with backend.begin() as uow, pytest.raises(AlreadyExists):
        repo(uow).add(items[1])
    for index in record.indexes:
        if not index.unique:
            continue
        clash = attrs.evolve(items[2], **{_key_field(record, items[2]): "zz-clash"})
        with backend.begin() as uow, pytest.raises(AlreadyExists) as refused:
            repo(uow).add(clash)
        assert refused.value.code == "storage.unique"
    with backend.begin() as uow:
        repo(uow).remove(keys[3])
        with pytest.raises(AlreadyExists):
            repo(uow).add_many([items[3], items[1]])
        uow.commit()
    with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
        repo(uow).get(keys[3])
    with backend.begin() as uow:
        repo(uow).remove(keys[0], version=2)
        uow.commit()


def _key_field(record: RecordType[Any, Any], item: Any) -> str:
    """The name of the field that holds *item*'s key (to make a copy under another key)."""
    key = record.key(item)
    for field in attrs.fields(type(item)):
        if getattr(item, field.name) == key:
            return str(field.name)
    raise AssertionError(f"no field of {type(item).__name__} holds its key")
