# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The demo's correction chapter: agreement, refused close, grades, review, subject report, QTI."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.cli._demo_correction import run_correction_chapter
from examkit.correction import results_from_qti
from examkit.messages import text


@pytest.mark.req("SCO-3", "SCO-4", "SCO-6")
def test_the_chapter_walks_through_correction(tmp_path: Path) -> None:
    """Two correctors differ once, agree, close; grades, a review and a report follow."""
    said: list[str] = []

    def say(message: str, /, **params: object) -> None:
        said.append(text(message, "en", **params))

    written = run_correction_chapter(say, "en", tmp_path)
    out = "\n".join(said)
    for step in (
        "To agree on: Kandidaat0 de Vries, item o2: 1 against 3.",
        "Closing with an open difference is refused",
        "Agreed score: 2",
        "back with the planner (correction_closed)",
        "Kandidaat1 de Vries (4HA): score 7, grade 7.3 (N-term 1,0)",
        "o2: response '', 2 of 4 (Redenering deels juist)",
        "Subject report for the English teacher of 4HA: 2 row(s)",
    ):
        assert step in out
    assert "4HB" not in out.split("Subject report")[1]
    result = results_from_qti(written.read_bytes())
    assert ("EN-HA-2026", 4) == (result.exam, len(result.items))
