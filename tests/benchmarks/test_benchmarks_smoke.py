"""Every benchmark runs in ``--smoke`` mode and ends with a well-formed JSON verdict.

Only the shape is checked: no timing is asserted (``met`` may be either).

Each script runs in this test's interpreter, as ``python benchmarks/NAME.py --smoke``
would run it (``runpy`` as ``__main__``, the same arguments, working folder and
``sys.path``, its ``benchmarks`` modules imported afresh, any ``SystemExit`` taken as
the exit status, the worker's own objects frozen out of the harness's garbage
collections): a fresh interpreter per script cost more than most smoke runs' work.
The database benchmarks borrow this worker's PostgreSQL cluster (benchmarks/_postgres.py)
instead of starting one each. A benchmark that loads a server with Debian's ``wrk``
(benchmarks/portal_pages.py, benchmarks/portal_exam_day.py) is skipped where wrk is not
installed, in CI too: CI does not install it, since it does not run the benchmarks.
"""

from __future__ import annotations

import gc
import json
import math
import runpy
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from examkit.testing.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
LENT_PORT = "EXAMKIT_BENCH_POSTGRES_PORT"  # benchmarks/_postgres.py: the cluster to borrow
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_there_are_benchmarks() -> None:
    assert SCRIPTS, f"no benchmark scripts under {ROOT}"


def _forget_benchmark_modules() -> None:
    """Drop the ``benchmarks`` modules, so each script imports its helpers afresh."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "benchmarks"]:
        del sys.modules[name]


def _run_as_a_script(
    script: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run *script* ``--smoke`` as its own interpreter would; return status, stdout, stderr."""
    fresh_path = [str(script.parent)] + [
        entry for entry in sys.path if entry and Path(entry).resolve() != ROOT
    ]
    monkeypatch.setattr(sys, "path", fresh_path)
    monkeypatch.setattr(sys, "argv", [str(script), "--smoke"])
    monkeypatch.chdir(ROOT)
    _forget_benchmark_modules()
    sigterm = signal.getsignal(signal.SIGTERM)
    status = 0
    gc.collect()
    gc.freeze()  # the harness collects before every timed run: leave the worker's heap out
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit_:  # as the interpreter turns it into an exit status
        if exit_.code is None or isinstance(exit_.code, int):
            status = exit_.code or 0
        else:
            status = 1
            print(exit_.code, file=sys.stderr)
    finally:
        gc.unfreeze()
        signal.signal(signal.SIGTERM, sigterm)
        _forget_benchmark_modules()
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("script", SCRIPTS, ids=[script.stem for script in SCRIPTS])
def test_benchmark_smoke_run_ends_with_its_figures(
    script: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = script.read_text(encoding="utf-8")
    if 'shutil.which("wrk")' in source and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (Debian: apt-get install -y wrk)")
    if "PostgresCluster" in source:
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        monkeypatch.setenv(LENT_PORT, str(cluster.port))
    status, stdout, stderr = _run_as_a_script(script, monkeypatch, capsys)
    assert status == 0, stderr or stdout
    lines = stdout.strip().splitlines()
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
