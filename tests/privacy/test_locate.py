"""PERSON_LINKS covers every stored record kind and names fields that exist (PRIV-2)."""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest

from examkit.privacy import PersonRef
from examkit.privacy._locate import PERSON_LINKS, NotListed, PersonLink, RefersToNobody, walk
from examkit.records import RECORDS


@pytest.mark.req("PRIV-2")
def test_every_declared_record_says_how_it_refers_to_a_person() -> None:
    """A record kind added to RECORDS without an entry in PERSON_LINKS fails here."""
    declared = [record.name for record in RECORDS]
    missing = [name for name in declared if name not in PERSON_LINKS]
    assert missing == []
    assert sorted(set(PERSON_LINKS) - set(declared)) == []


@pytest.mark.req("PRIV-2")
def test_a_record_naming_nobody_says_why() -> None:
    for name, links in PERSON_LINKS.items():
        if isinstance(links, RefersToNobody | NotListed):
            assert len(links.why) > 20, name


def _field_type(cls: Any, name: str) -> Any:
    assert attrs.has(cls), f"{cls} is not a record value class"
    names = {field.name for field in attrs.fields(cls)}
    assert name in names, f"{cls.__name__} has no field {name}"
    return typing.get_type_hints(cls)[name]


def _element(kind: Any) -> Any:
    """The one attrs class inside an annotation (Optional, tuple[...], frozenset[...])."""
    for arg in typing.get_args(kind):
        if arg is not Ellipsis and attrs.has(arg):
            return arg
        inner = _element(arg)
        if inner is not None:
            return inner
    return None


def _check_path(cls: Any, path: str) -> None:
    kind: Any = cls
    for step in path.split("."):
        name = step.removesuffix("[]")
        if not attrs.has(kind):
            kind = _element(kind)
        kind = _field_type(kind, name)


@pytest.mark.req("PRIV-2")
def test_every_link_names_fields_the_record_has() -> None:
    """A renamed field leaves no dead path in the table (each step checked on the types)."""
    by_name = {record.name: record for record in RECORDS}
    for name, links in PERSON_LINKS.items():
        found = links.links if isinstance(links, NotListed) else links
        if isinstance(found, RefersToNobody):
            continue
        for link in found:
            _check_path(by_name[name].cls, link.path)
            if link.place is not None:
                _check_path(by_name[name].cls, link.place)
            if link.index is not None:
                by_name[name].index(link.index)


@pytest.mark.req("PRIV-2")
def test_a_pupil_link_names_its_location_and_only_a_pupil_link_does() -> None:
    for links in PERSON_LINKS.values():
        if isinstance(links, tuple):
            for link in links:
                assert (link.place is not None) == (link.kind == "pupil") or (
                    link.path == "event.subject"
                ), link


def test_walk_follows_fields_and_sequences() -> None:
    @attrs.frozen
    class Inner:
        who: str | None

    @attrs.frozen
    class Outer:
        items: tuple[Inner, ...]
        one: Inner | None

    outer = Outer((Inner("a"), Inner(None), Inner("b")), None)
    assert list(walk(outer, "items[].who")) == ["a", "b"]
    assert list(walk(outer, "one.who")) == []
    assert list(walk(PersonRef.account("x"), "id")) == ["x"]


def test_a_link_reads_one_part_of_a_sync_key_only_for_its_kinds() -> None:
    @attrs.frozen
    class Entry:
        kind: str
        key: str

    link = PersonLink("candidate", "key", kinds=("attempt",), part=1)
    from examkit.privacy._locate import _Wanted, refers

    wanted = _Wanted(PersonRef.candidate("c-1"), frozenset({"c-1"}))
    assert refers(link, Entry("attempt", "g-1:c-1"), wanted)
    assert not refers(link, Entry("attempt", "c-1:g-1"), wanted)
    assert not refers(link, Entry("group", "g-1:c-1"), wanted)
    assert not refers(link, Entry("attempt", "g-1"), wanted)
