"""The demo's part for the candidate's test: the demo test, a released group, its candidates."""

from __future__ import annotations

from contextlib import suppress

from examkit import Examkit
from examkit.errors import AlreadyExists
from examkit.identifiers import LocationCode
from examkit.scheduling import Facilities, Mode, TestSessionGroup
from portal._test_content import DEMO_EXAM

CANDIDATES = (
    ("Sanne", "de Vries", Facilities(extra_time_minutes=30, read_aloud=True)),
    ("Daan", "Bakker", Facilities(enlarged_print=True)),
    ("Noor", "Jansen", Facilities()),
)
"""The demo group's candidates and their facilities."""


def seed_player(kit: Examkit) -> TestSessionGroup:
    """Register the demo test and plan it now in the Aula for three candidates, released.

    The planner (``demo-planner``) plans, the proctor (``demo-afnameleider``)
    releases; the access code and the slips are on the proctor's pages, the
    candidates sign in at ``/test``.
    """
    with suppress(AlreadyExists):
        kit.candidates.register_exam(DEMO_EXAM)
    location = LocationCode("22AB00")
    people = [
        kit.candidates.add_candidate(
            "demo-planner",
            location=location,
            first_name=first,
            last_name=last,
            facilities=facilities,
        )
        for first, last, facilities in CANDIDATES
    ]
    group = kit.planning.plan(
        "demo-planner",
        location=location,
        exam=DEMO_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=kit.clock.now(),
        room="Aula",
        proctor="demo-afnameleider",
        candidates=[person.id for person in people],
        first_corrector="demo-corrector",
    )
    return kit.group_lifecycle.release("demo-afnameleider", group.id)
