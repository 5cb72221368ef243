"""The demo's scoring chapter: score a test, show the conversion table, dry-run a neutralisation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from examkit.scheduling import Attempt
from examkit.scoring import (
    CandidateScores,
    ChoiceItem,
    MapResponse,
    MatchCorrect,
    Neutralisation,
    NumericItem,
    OpenItem,
    TestDefinition,
    conversion_table,
    regrade_dry_run,
    response_from_data,
    results,
    score_candidate,
)

NTERM = "1,1"

DEMO_TEST = TestDefinition(
    [
        ChoiceItem(id="v1", choices="ABCD", correct="B", scoring=MatchCorrect(points=2)),
        ChoiceItem(id="v2", choices="ABCD", correct="D", scoring=MatchCorrect(points=2)),
        ChoiceItem(
            id="v3",
            choices="ABCDE",
            correct="AC",
            multiple=True,
            scoring=MapResponse({"A": 1, "C": 1, "B": -1, "D": -1, "E": -1}, lower=0),
        ),
        NumericItem(id="v4", correct="9.81", tolerance="0.05", mode="absolute"),
        OpenItem(id="v5", rubric={"aanpak": 2, "antwoord": 1}),
    ]
)
"""A small central-exam-like test: four automatic items and one open item (L = 10)."""


def run_scoring_chapter(say: Callable[..., None], attempts: Sequence[Attempt]) -> None:
    """Score the session's automatic items, print the conversion table, dry-run a neutralisation.

    The open item (v5) waits for its corrector, so it counts 0 here.
    """
    say("demo.scoring.start", maximum=str(DEMO_TEST.maximum), nterm=NTERM)
    scored = []
    for attempt in attempts:
        responses = {
            item.id: response_from_data(item, attempt.responses[item.id].value)
            for item in DEMO_TEST.items
            if item.automatic and item.id in attempt.responses
        }
        scored.append(score_candidate(DEMO_TEST, attempt.login_name, responses))
    for result in results(DEMO_TEST, scored, NTERM):
        say(
            "demo.scoring.result",
            candidate=result.candidate,
            total=str(result.total),
            grade=str(result.grade),
        )
    table = conversion_table(DEMO_TEST, NTERM)
    say(
        "demo.scoring.table",
        rows=", ".join(f"{score}:{value}" for score, value in table.rows),
        lowest_pass=str(table.lowest_pass),
    )
    _dry_run(say, scored)


def _dry_run(say: Callable[..., None], scored: list[CandidateScores]) -> None:
    changes = regrade_dry_run(
        DEMO_TEST, scored, nterm=NTERM, new_neutralisations=[Neutralisation("v2")]
    )
    say("demo.scoring.dry_run", item="v2", count=len(changes))
    for change in changes:
        say(
            "demo.scoring.change",
            candidate=change.candidate,
            total_before=str(change.total_before),
            total_after=str(change.total_after),
            grade_before=str(change.grade_before),
            grade_after=str(change.grade_after),
        )
