"""An entry's digest and its reading from the wire: the written-out ways equal the general ones."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.errors import InvalidInput
from examkit.offline import WireEntry, entry_digest

numbers = st.integers() | st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _canonical_digest(kind: Any, key: Any, revision: Any, body: Any) -> str:
    """The digest as the protocol defines it: SHA-256 of the content's canonical JSON."""
    content = {"kind": kind, "key": key, "revision": revision, "body": body}
    text = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.req("SCH-8")
@given(
    kind=st.text(),
    key=st.text(),
    revision=st.integers() | st.booleans(),
    body=json_values,
)
def test_an_entry_digest_is_the_sha256_of_its_canonical_json(
    kind: str, key: str, revision: int, body: Any
) -> None:
    assert entry_digest(kind, key, revision, body) == _canonical_digest(kind, key, revision, body)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("number", [float("nan"), float("inf")])
def test_an_entry_body_that_is_not_json_has_no_digest(number: float) -> None:
    with pytest.raises(ValueError, match="JSON"):
        entry_digest("answer", "g:c:v1", 1, {"value": number})


fields = {
    "seq": st.integers(-2, 2**54) | st.booleans() | st.text(max_size=2) | st.none(),
    "kind": st.text(max_size=3) | st.text(min_size=1000, max_size=1001) | st.integers(),
    "key": st.text(max_size=3) | st.integers(),
    "revision": st.integers(-2, 2**54) | st.booleans() | st.none(),
    "digest": st.text(max_size=3) | st.text(min_size=64, max_size=65) | st.none(),
    "body": json_values,
}


def _outcome(read: Any, data: object) -> object:
    try:
        return read(data, "entries[0].")
    except InvalidInput as error:
        return (error.code, error.field)


@pytest.mark.req("SCH-8")
@given(data=st.fixed_dictionaries({}, optional=fields) | json_values)
def test_a_wire_entry_is_read_as_checking_it_field_by_field_reads_it(data: object) -> None:
    """The common case read at once gives what the field-by-field reading gives, or its error."""
    assert _outcome(WireEntry.from_json, data) == _outcome(WireEntry.by_field, data)


@pytest.mark.req("SCH-8")
def test_a_wire_entry_is_refused_naming_its_first_wrong_field() -> None:
    good = {"seq": 1, "kind": "answer", "key": "g:c:v1", "revision": 1, "digest": "d" * 64}
    assert WireEntry.from_json(good) == WireEntry(1, "answer", "g:c:v1", 1, None, "d" * 64)
    for name, wrong in (("seq", 0), ("kind", ""), ("key", 3), ("revision", True), ("digest", "")):
        with pytest.raises(InvalidInput) as caught:
            WireEntry.from_json({**good, name: wrong}, "entries[4].")
        assert (caught.value.code, caught.value.field) == (
            "offline.wire.field",
            f"entries[4].{name}",
        )
