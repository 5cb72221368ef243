# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Property tests of reading QTI results: any damage is an examkit refusal in both languages."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examkit.correction import ExchangedResult, results_from_qti, results_to_qti
from examkit.errors import InvalidInput
from examkit.testing.strategies import exchanged_results

pytestmark = pytest.mark.req("SCO-4")

PIECES = st.sampled_from(
    [
        "",
        "<",
        ">",
        '"',
        "x",
        "<templateVariable/>",
        ' view="candidate"',
        "<value>1</value>",
        "+02:00",
        "2026-06-01T10:00:00",
        "</itemResult>",
        "<candidateComment>c</candidateComment>",
        "&#1;",
        "\u202e",
    ]
)


@given(
    result=exchanged_results(),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 12), PIECES), min_size=1, max_size=3),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_a_damaged_document_is_read_or_refused_with_examkit_words_only(
    result: ExchangedResult, cuts: list[tuple[float, int, str]]
) -> None:
    """Cut out and put in pieces anywhere: the result comes back, or an InvalidInput does."""
    text = results_to_qti(result).decode()
    for where, length, piece in cuts:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + length :]
    refusal: InvalidInput | None = None
    try:
        results_from_qti(text.encode())
    except InvalidInput as error:
        refusal = error
    if refusal is not None:
        for lang in ("nl", "en"):
            message = refusal.message(lang)
            assert "Element '{" not in message
            assert "not expected" not in message
        assert refusal.message("nl") != refusal.message("en")
