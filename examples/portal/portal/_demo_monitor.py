"""The proctor monitor's demo data: a group of today, released, for the demo proctor.

The demo proctor (``22AB.A.Afnameleider``) signs in at ``/monitor/sign-in``
and finds a group of three candidates, released a quarter of an hour ago,
with its access code and slips; one candidate is at work, so the live table
has something to show.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from examkit import Examkit
from examkit.identifiers import LocationCode
from examkit.scheduling import Exam, ItemSlot, Mode, Scoring

EXAM: Final = Exam(
    code="DEMO-MONITOR-NE",
    title="Nederlands (demo afnamemonitor)",
    subject="Nederlands",
    duration=timedelta(minutes=90),
    items=[ItemSlot("v1", 1), ItemSlot("v2", 2), ItemSlot("v3", 3, Scoring.CORRECTOR)],
    central=False,
)
"""The demo group's test (a school test of 90 minutes)."""

CANDIDATES: Final = (("Noor", "Jansen"), ("Sem", "de Boer"), ("Lotte", "Visser"))
"""The demo group's candidates."""


def seed_monitor(
    kit: Examkit, *, planner: str = "demo-planner", proctor: str = "demo-afnameleider"
) -> str:
    """Plan today's demo group for *proctor*, release it, start one candidate; its id."""
    kit.candidates.register_exam(EXAM)
    location = LocationCode("22AB00")
    people = [
        kit.candidates.add_candidate(planner, location=location, first_name=first, last_name=last)
        for first, last in CANDIDATES
    ]
    now = kit.clock.now().replace(second=0, microsecond=0)
    group = kit.planning.plan(
        planner,
        location=location,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=now - timedelta(minutes=15),
        room="Lokaal 12",
        proctor=proctor,
        candidates=[person.id for person in people],
        first_corrector="demo-corrector",
    )
    code = kit.group_lifecycle.release(proctor, group.id).access_code
    assert code is not None  # noqa: S101 - a release draws the code
    kit.sitting.sign_in(people[0].login_name, code)
    return group.id
