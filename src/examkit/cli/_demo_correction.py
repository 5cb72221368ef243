"""The demo's correction chapter: two correctors, agreement, closing, grades, review, report.

It runs on its own in-memory kit (the ready-made correction world of
:mod:`examkit.testing.correction`), so that its staff does not clash with
the session chapter's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from examkit.correction import results_to_qti, subject_report
from examkit.errors import InvalidState
from examkit.identifiers import Brin
from examkit.messages import Lang
from examkit.permissions import Access, Actor, ClassRef, Grant, Subject
from examkit.testing import ManualClock
from examkit.testing.correction import (
    DEFINITION,
    NTERM,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import L00, START


def run_correction_chapter(say: Callable[..., None], lang: Lang, out: Path) -> Path:
    """Run the chapter, saying each step in *lang*; write one QTI result to *out*; return it."""
    kit = make_correction_kit(ManualClock(START))
    group, people = corrected_group(kit, 3, classes=("4HA", "4HA", "4HB"))
    first, second = "corrector", "corrector2"
    say("demo.correction.start", count=len(people), items="o1, o2")
    for n, person in enumerate(people):
        kit.correction_work.score(first, group, person.id, {"o1": 2, "o2": n + 1})
        kit.correction_work.score(second, group, person.id, {"o1": 2, "o2": 3 if n == 0 else n + 1})
    for difference in kit.correction_work.differences(first, group):
        name = next(p.name for p in people if p.id == difference.candidate)
        say(
            "demo.correction.difference",
            candidate=name,
            item=difference.item,
            first=difference.first,
            second=difference.second,
        )
        try:
            kit.correction_work.close(first, group)
        except InvalidState as error:
            say("demo.correction.refused", message=error.message(lang))
        sheet = kit.correction_work.agree(
            second,
            group,
            difference.candidate,
            difference.item,
            2,
            comment="Redenering deels juist",
        )
        say("demo.correction.agreed", score=2, versions=len(sheet.versions))
    handed = kit.correction_work.close(first, group)
    say("demo.correction.closed", state=handed.state.value)
    planner = "planner"
    for row in kit.results.results(planner, group, DEFINITION, NTERM):
        say(
            "demo.correction.result",
            name=row.name,
            class_key=row.class_key,
            total=str(row.total),
            grade=str(row.grade),
            nterm=NTERM,
        )
    now = kit.clock.now()
    until = now + timedelta(days=7)
    kit.reviews.grant_review(planner, group, people[0].id, starts_at=now, ends_at=until)
    view = kit.reviews.review(planner, group, people[0].id, DEFINITION, NTERM)
    say("demo.correction.review", name=view.name, until=until.date().isoformat())
    for item in view.items:
        say(
            "demo.correction.review_item",
            item=item.identifier,
            response=item.response,
            score=str(item.score),
            maximum=str(item.max_score),
            comment=f"({item.comment})" if item.comment else "",
        )
    teacher = Actor(
        "docent-engels",
        grants=[
            Grant.of(
                "cito_lvs.subject_teacher",
                [ClassRef(L00, "4HA")],
                subject=Subject.ENGLISH,
                granted_at=START - timedelta(days=30),
            )
        ],
        access=[Access("cito_lvs", Brin("22AB"))],
    )
    rows = subject_report(teacher, kit.results.result_rows(planner, group, DEFINITION, NTERM))
    say("demo.correction.report", classes="4HA", count=len(rows))
    for line in rows:
        say(
            "demo.correction.report_row", class_key=line.class_key, name=line.name, grade=line.grade
        )
    (exported,) = [
        r
        for r in kit.results.exchange(planner, group, DEFINITION, NTERM)
        if r.candidate == people[0].id
    ]
    written = out / "qti-result.xml"
    written.write_bytes(results_to_qti(exported))
    say("demo.written", path=str(written))
    kit.close()
    return written
