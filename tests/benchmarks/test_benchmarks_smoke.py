"""Every benchmark runs in ``--smoke`` mode and ends with a well-formed JSON verdict.

Only the shape is checked: no timing is asserted (``met`` may be either).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_there_are_benchmarks() -> None:
    assert SCRIPTS, f"no benchmarks/bench_*.py under {ROOT}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[script.stem for script in SCRIPTS])
def test_benchmark_smoke_run_ends_with_its_figures(script: Path) -> None:
    completed = subprocess.run(  # noqa: S603 - our own script, run by this interpreter
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr or completed.stdout
    lines = completed.stdout.strip().splitlines()
    assert lines, f"{script.name} printed nothing"
    verdict = json.loads(lines[-1])
    assert isinstance(verdict, dict), f"last line is not a JSON object: {lines[-1]}"
    assert _is_number(verdict.get("ratio")), verdict
    assert verdict["ratio"] > 0, verdict
    assert _is_number(verdict.get("target")), verdict
    assert isinstance(verdict.get("met"), bool), verdict
    for key, target in verdict.items():
        if key.endswith("_target"):
            figure = key.removesuffix("_target")
            assert _is_number(target), f"{key} is not a number: {target!r}"
            assert figure in verdict, f"{key} has no figure {figure!r}"
            assert _is_number(verdict[figure]), f"{figure} is not a number: {verdict[figure]!r}"
