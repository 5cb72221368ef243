"""The shared helper of every benchmark in this folder.

A benchmark times examkit and a baseline in the same process: both sides
are warmed up first, then timed *repeats* times each, the two sides
interleaved (examkit, baseline, baseline, examkit, ...) so that noise from a
shared machine falls on both alike. Each side's figure is the best (lowest)
of its samples, since noise only ever adds time; the median is printed too.
The ratio is examkit's best over the baseline's best: lower is better.

Every benchmark script takes ``--smoke`` (a few seconds, only proves it
runs), ``--quick`` (under a minute; the run whose ``met`` counts) or
neither (a fuller run), and prints as its last line of standard output one
JSON object: its figures, ``ratio``, ``target``, any ``<figure>_target``
and ``met`` (true only when every figure is at or below its target).

Run one as a script from the repository root::

    .venv/bin/python benchmarks/identifiers.py --quick

A benchmark imports this module as ``benchmarks._harness`` after putting the
repository root on ``sys.path`` (so it runs as a script, and mypy, which
names this folder's modules ``benchmarks.*``, checks the same import)::

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

    from benchmarks._harness import by_mode, compare, parse_mode, report

Its module docstring says what both sides do, whether the baseline is the
same work or a floor, what was measured and why the target is what it is.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeAlias, TypeVar

Mode: TypeAlias = Literal["smoke", "quick", "full"]
Figure: TypeAlias = float | int | str | bool | None

A = TypeVar("A")
B = TypeVar("B")


@dataclass(frozen=True)
class Measurement:
    """The timed samples of one side, in seconds per run."""

    label: str
    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        """The lowest sample: the cost with the least noise added."""
        return min(self.samples)

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    def per_op(self, ops: int) -> float:
        """The best sample divided by *ops*, in seconds per operation."""
        return self.best / ops


@dataclass(frozen=True)
class Comparison(Generic[A, B]):
    """Both sides' measurements and the results of their last runs."""

    examkit: Measurement
    baseline: Measurement
    examkit_result: A
    baseline_result: B

    @property
    def ratio(self) -> float:
        """Examkit's best over the baseline's best (lower is better)."""
        return self.examkit.best / self.baseline.best

    @property
    def median_ratio(self) -> float:
        """Examkit's median over the baseline's median (printed for reference)."""
        return self.examkit.median / self.baseline.median


def parse_mode(description: str | None = None, argv: Sequence[str] | None = None) -> Mode:
    """Parse ``--smoke`` / ``--quick`` from the command line; neither means ``"full"``."""
    parser = argparse.ArgumentParser(description=description)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--smoke", action="store_true", help="a few seconds; proves it runs")
    group.add_argument("--quick", action="store_true", help="under a minute; judged run")
    args = parser.parse_args(argv)
    if args.smoke:
        return "smoke"
    if args.quick:
        return "quick"
    return "full"


def by_mode(mode: Mode, *, smoke: int, quick: int, full: int) -> int:
    """Return the size (or count) chosen for *mode*."""
    return {"smoke": smoke, "quick": quick, "full": full}[mode]


def _time_once(fn: Callable[[], A], setup: Callable[[], object] | None) -> tuple[float, A]:
    if setup is not None:
        setup()
    gc.collect()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    return elapsed, result


def _chained(
    first: Callable[[], object] | None, second: Callable[[], object] | None
) -> Callable[[], object] | None:
    """Return one setup that runs *first*, then *second* (either may be absent)."""
    if first is None or second is None:
        return first if second is None else second

    def both() -> None:
        first()
        second()

    return both


def measure(
    fn: Callable[[], object],
    *,
    repeats: int,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
    label: str = "examkit",
) -> Measurement:
    """Time *fn* alone (*warmup* untimed runs, then *repeats* timed ones).

    For a figure of one side only, such as how examkit's cost grows with
    size; a ratio against a baseline always goes through :func:`compare`.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError("repeats must be >= 1 and warmup >= 0")
    for _ in range(warmup):
        _time_once(fn, setup)
    return Measurement(label, tuple(_time_once(fn, setup)[0] for _ in range(repeats)))


def compare(
    examkit_fn: Callable[[], A],
    baseline_fn: Callable[[], B],
    *,
    repeats: int,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
    label: str = "",
    ops: int | None = None,
    examkit_setup: Callable[[], object] | None = None,
    baseline_setup: Callable[[], object] | None = None,
) -> Comparison[A, B]:
    """Time *examkit_fn* against *baseline_fn*, interleaved, and print the figures.

    Each side runs *warmup* untimed times, then *repeats* timed times; the
    order alternates per round (examkit first, then baseline first) so drift
    on the machine is shared. *setup*, when given, runs untimed before every
    call of either side (to give each run a fresh, identical starting
    state). *examkit_setup* and *baseline_setup*, when given, run untimed
    (after *setup*) before every call of their own side only: for a fresh
    starting state that differs per side, such as each side's own empty
    database. With *ops*, the per-operation costs are printed too.

    The result of each side's last run is kept so the caller can assert that
    both computed the same thing.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError("repeats must be >= 1 and warmup >= 0")
    examkit_prepare = _chained(setup, examkit_setup)
    baseline_prepare = _chained(setup, baseline_setup)
    for _ in range(warmup):
        _time_once(examkit_fn, examkit_prepare)
        _time_once(baseline_fn, baseline_prepare)
    examkit_samples: list[float] = []
    baseline_samples: list[float] = []
    examkit_results: list[A] = []
    baseline_results: list[B] = []

    def run_examkit() -> None:
        elapsed, result = _time_once(examkit_fn, examkit_prepare)
        examkit_samples.append(elapsed)
        examkit_results[:] = [result]

    def run_baseline() -> None:
        elapsed, result = _time_once(baseline_fn, baseline_prepare)
        baseline_samples.append(elapsed)
        baseline_results[:] = [result]

    for round_ in range(repeats):
        first, second = (
            (run_examkit, run_baseline) if round_ % 2 == 0 else (run_baseline, run_examkit)
        )
        first()
        second()
    comparison = Comparison(
        examkit=Measurement("examkit", tuple(examkit_samples)),
        baseline=Measurement("baseline", tuple(baseline_samples)),
        examkit_result=examkit_results[0],
        baseline_result=baseline_results[0],
    )
    print_comparison(comparison, label=label, ops=ops)
    return comparison


def _duration(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.3f} µs"
    return f"{seconds * 1e9:.1f} ns"


def print_comparison(
    comparison: Comparison[A, B], *, label: str = "", ops: int | None = None
) -> None:
    """Print both sides' best and median (per operation too, with *ops*) and the ratio."""
    title = f"[{label}] " if label else ""
    for side in (comparison.examkit, comparison.baseline):
        line = (
            f"{title}{side.label:<8} best {_duration(side.best):>11}"
            f"  median {_duration(side.median):>11}  ({len(side.samples)} runs)"
        )
        if ops:
            line += f"  {_duration(side.per_op(ops))}/op over {ops} ops"
        print(line)
    print(
        f"{title}ratio {comparison.ratio:.2f} (best/best), "
        f"{comparison.median_ratio:.2f} (median/median)"
    )


def environment() -> dict[str, str]:
    """Return the interpreter and platform the figures were taken on."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
    }


def _meets(value: Figure, target: float) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value <= target
    )


def _shown(value: Figure) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def report(
    name: str,
    figures: Mapping[str, Figure],
    ratio: float,
    target: float,
    extra_targets: Mapping[str, float] | None = None,
) -> dict[str, Figure]:
    """Print the verdict and, as the last line of standard output, the figures as JSON.

    *extra_targets* maps the name of a figure in *figures* to its target
    (lower is better); it is printed as ``<name>_target``. ``met`` is true
    only when the ratio and every such figure are at or below their targets.
    Returns the printed object.
    """
    extra = dict(extra_targets or {})
    reserved = {"benchmark", "ratio", "target", "met"}
    clash = reserved & set(figures)
    if clash:
        raise ValueError(f"figures may not use the reserved keys {sorted(clash)}")
    stray = [key for key in figures if key.endswith("_target")]
    if stray:
        raise ValueError(f"pass targets as extra_targets, not as figures: {stray}")
    missing = [key for key in extra if key not in figures]
    if missing:
        raise ValueError(f"targets without a figure: {missing}")
    verdicts = {"ratio": _meets(ratio, target)}
    verdicts.update({key: _meets(figures[key], value) for key, value in extra.items()})
    out: dict[str, Figure] = {"benchmark": name, **figures}
    out["ratio"] = round(ratio, 4)
    out["target"] = target
    for key, value in extra.items():
        out[f"{key}_target"] = value
    out["met"] = all(verdicts.values())
    for key, ok in verdicts.items():
        shown = ratio if key == "ratio" else figures[key]
        limit = target if key == "ratio" else extra[key]
        print(f"{name}: {key} {_shown(shown)} <= {limit}: {'met' if ok else 'NOT MET'}")
    print(f"{name}: on " + ", ".join(f"{k} {v}" for k, v in environment().items()))
    sys.stdout.flush()
    print(json.dumps(out, sort_keys=False))
    sys.stdout.flush()
    return out
