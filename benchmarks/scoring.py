"""Batch scoring and grading of a national cohort vs. a hand-written numpy baseline.

Both sides start from the same prepared input: an integer array of
*n* candidates × 60 single-choice items (4 choices; code 0 is no response,
1..4 the choice), the key, L = 60 and N = 1.1, with one neutralised item.

examkit: :class:`~examkit.scoring.BatchScorer` built from the test
definition (its score tables come from the per-item rules) scores the
responses and converts every total to a grade by the exam board's rule
(exact conversion table, then a lookup). Building the scorer is inside the
timing.

Baseline (the same work, by hand): ``(codes == key)`` with the neutralised
column forced correct, summed per candidate, and the grade computed
per candidate with integer-only arithmetic of the rule, vectorised.

Both give the same total and the same grade (in tenths) for every
candidate: asserted. Target: ratio <= 2.

Run as ``python benchmarks/scoring.py [--quick | --smoke]``; the last line printed is
one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from benchmarks._harness import by_mode, compare, parse_mode, report

from examkit.scoring import BatchScorer, ChoiceItem, Neutralisation, TestDefinition

TARGET = 2.0
ITEMS = 60
N_TENTHS = 11  # N = 1.1
NEUTRALISED = 17


def prepared(n: int) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], TestDefinition]:
    """Return the responses, the key (codes 1..4) and the test definition."""
    rng = np.random.default_rng(2026)
    key = rng.integers(1, 5, size=ITEMS).astype(np.int8)
    right = rng.random((n, ITEMS)) < rng.uniform(0.3, 0.9, size=(n, 1))
    wrong = rng.integers(0, 5, size=(n, ITEMS)).astype(np.int8)
    codes = np.where(right, key, wrong).astype(np.int8)
    test = TestDefinition(
        [
            ChoiceItem(id=f"q{i + 1}", choices="ABCD", correct="ABCD"[int(key[i]) - 1])
            for i in range(ITEMS)
        ]
    )
    return codes, key, test


def examkit_side(
    codes: npt.NDArray[np.int8], test: TestDefinition
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int16]]:
    """Score and grade with examkit."""
    scorer = BatchScorer(test, [Neutralisation(f"q{NEUTRALISED + 1}")])
    totals = scorer.totals(codes)
    return totals, scorer.grade_tenths(totals, "1.1")


def baseline_side(
    codes: npt.NDArray[np.int8], key: npt.NDArray[np.int8]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Score and grade by hand: integer arithmetic of the rule, vectorised."""
    hits = codes == key
    hits[:, NEUTRALISED] = True
    s = np.count_nonzero(hits, axis=1).astype(np.int64)
    big_l = ITEMS
    unit = 20 * big_l
    main = 180 * s + 2 * N_TENTHS * big_l
    if N_TENTHS > 10:
        value = np.minimum(main, np.minimum(unit + 360 * s, 10 * unit - 90 * (big_l - s)))
    elif N_TENTHS < 10:
        value = np.maximum(main, np.maximum(unit + 90 * s, 10 * unit - 360 * (big_l - s)))
    else:
        value = main
    value = np.clip(value, unit, 10 * unit)
    return s, (20 * value + unit) // (2 * unit)


def main() -> None:
    """Run the benchmark."""
    mode = parse_mode(__doc__)
    n = by_mode(mode, smoke=5_000, quick=50_000, full=200_000)
    repeats = by_mode(mode, smoke=3, quick=15, full=9)
    codes, key, test = prepared(n)
    print(f"scoring: mode={mode}, n={n} candidates x {ITEMS} items, repeats={repeats}")
    result = compare(
        lambda: examkit_side(codes, test),
        lambda: baseline_side(codes, key),
        repeats=repeats,
        warmup=1,
        label="score and grade",
        ops=n,
    )
    ours_totals, ours_grades = result.examkit_result
    their_totals, their_grades = result.baseline_result
    assert np.array_equal(ours_totals, their_totals), "totals differ"
    assert np.array_equal(ours_grades.astype(np.int64), their_grades), "grades differ"
    report(
        "scoring",
        {
            "mode": mode,
            "n": n,
            "items": ITEMS,
            "examkit_ms": round(result.examkit.best * 1e3, 3),
            "baseline_ms": round(result.baseline.best * 1e3, 3),
        },
        result.ratio,
        TARGET,
    )


if __name__ == "__main__":
    main()
