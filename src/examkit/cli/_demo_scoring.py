"""The demo's scoring chapter: score a test, show the conversion table, dry-run a neutralisation."""

from __future__ import annotations

from collections.abc import Callable

from examkit.scoring import (
    CandidateScores,
    ChoiceItem,
    ChoiceResponse,
    MapResponse,
    MatchCorrect,
    Neutralisation,
    NumericItem,
    NumericResponse,
    OpenItem,
    TestDefinition,
    conversion_table,
    regrade_dry_run,
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

DEMO_RESPONSES = {
    "Anouk de Vries": (["B", "D", "AC"], "9,8", 3),
    "Bram Jansen": (["B", "A", "AE"], "9.7", 2),
    "Chaima El Idrissi": (["C", "D", "A"], "9.81", 1),
    "Daan Visser": (["B", "D", "AB"], "", 0),
}


def run_scoring_chapter(say: Callable[..., None]) -> None:
    """Score the demo test, print its conversion table, and dry-run a neutralisation."""
    say("demo.scoring.start", maximum=str(DEMO_TEST.maximum), nterm=NTERM)
    scored = []
    for name, (choices, number, open_points) in DEMO_RESPONSES.items():
        first, second, multi = choices
        scored.append(
            score_candidate(
                DEMO_TEST,
                name,
                {
                    "v1": ChoiceResponse(first),
                    "v2": ChoiceResponse(second),
                    "v3": ChoiceResponse(multi),
                    "v4": NumericResponse(number),
                },
                manual={"v5": open_points},
            )
        )
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
