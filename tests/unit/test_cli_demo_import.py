# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The demo's import chapter: preview, confirm, a changed file and its synchronisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.cli import main
from examkit.cli._demo_import import changed_file
from examkit.edexml import parse
from examkit.identifiers import SchoolYear
from examkit.testing import demo_edexml


def test_the_changed_file_is_valid_and_differs_as_told() -> None:
    """Jesse moves to 4A, Elif leaves, Daan arrives."""
    year = SchoolYear("2026-2027")
    before, after = parse(demo_edexml(year)), parse(changed_file(demo_edexml(year)))
    assert ["L001", "L002", "L003", "L005"] == [pupil.key for pupil in after.pupils]
    assert ("G5B", "G4A") == (before.pupils[2].group, after.pupils[2].group)


@pytest.mark.req("EDX-2", "EDX-3", "EDX-4")
def test_the_demo_imports_confirms_and_synchronises(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The demo shows the preview, the classes after confirming, the changes and the archive."""
    assert 0 == main(["--lang", "en", "demo", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    for line in (
        "Preview of the import for 22AB00, school year 2026-2027: 4 pupils in 2 groups",
        "  pupils: 4 new, 0 changed, 0 gone.",
        "  Class 4A: 2 pupils (Sem de Vries, Noor Bakker).",
        "  pupils: 1 new, 1 changed, 1 gone.",
        "    L003, group: G5B -> G4A",
        "  Class 4A: 3 pupils (Sem de Vries, Noor Bakker, Jesse van 't Hof).",
        "Archived (no longer scheduled, erased later): Elif Yılmaz.",
    ):
        assert line in out
