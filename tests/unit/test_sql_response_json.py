"""The hand-written stored form of a saved response equals the converter's."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.backends.sql._repositories import _dumps, _response_json
from examkit.converter import unstructure
from examkit.sessions import SavedResponse

json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.req("SCH-4")
@given(value=json_data, sequence=st.integers(min_value=1, max_value=10**9))
def test_a_plain_json_response_is_stored_as_the_converter_stores_it(
    value: Any, sequence: int
) -> None:
    response = SavedResponse(
        value=value, sequence=sequence, saved_at=datetime(2026, 5, 12, tzinfo=UTC)
    )
    assert _dumps(unstructure(response)) == _response_json(response)


@pytest.mark.req("SCH-4")
@pytest.mark.parametrize(
    "value",
    [
        ("a", "b"),
        {"choice": ("A",)},
        {"at": datetime(2026, 5, 12, 9, tzinfo=UTC)},
        [Decimal("3.5")],
        {1: "numeric key"},
    ],
)
def test_other_values_go_through_the_converter(value: Any) -> None:
    response = SavedResponse(value=value, sequence=1, saved_at=datetime(2026, 5, 12, tzinfo=UTC))
    assert _dumps(unstructure(response)) == _response_json(response)
