"""The demo's exam day at Het Eiland (22AB00): today's released group and what surrounds it.

:func:`seed_exam_day` fills a seeded demo kit (:func:`portal._demo.seed`)
with two tests (a central exam and the functionality test), candidates from
the imported classes, and:

- today's group, released by the proctor, with three candidates who can
  sign in at ``/test`` with their login name and the access code (one of
  them with extra time and read-aloud); the proctor finds their slips and,
  on the monitor, Sem already at work;
- a group planned for tomorrow;
- a functionality-test group tomorrow afternoon;
- a registered, active offline server.

:func:`exam_day_printout` says what a person needs to try it (the login
names and the access code), for ``make demo``'s printout.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Final

from examkit import Examkit
from examkit.identifiers import LocationCode
from examkit.scheduling import AMSTERDAM, Exam, Facilities, GroupState, ItemSlot, Mode
from portal._test_content import DEMO_EXAM as EXAM

L00: Final = LocationCode("22AB00")
ADMINISTRATOR, PLANNER, PROCTOR, CORRECTOR = (
    "demo-beheerder",
    "demo-planner",
    "demo-afnameleider",
    "demo-corrector",
)
"""The demo accounts of :data:`portal._demo.ROLES` the exam day acts as."""

FT_EXAM: Final = Exam(
    code="FT-DEMO-2026",
    title="Functionaliteitentest",
    subject="Systeemcheck",
    duration=timedelta(minutes=20),
    items=[ItemSlot("ft1", 1)],
    functionality_test=True,
    central=False,
)
"""The functionality test (the system check), one item."""


def seed_exam_day(kit: Examkit) -> None:
    """Add the exam day to a demo kit seeded with the school, its staff and its pupils."""
    for account, role in (
        (PLANNER, "facet.ft_planner"),
        (PLANNER, "facet.fao_administrator"),
        (PROCTOR, "facet.ft_proctor"),
    ):
        kit.grants.grant_role(ADMINISTRATOR, account, role, at=[L00])
    kit.candidates.register_exam(EXAM)
    kit.candidates.register_exam(FT_EXAM)
    people = {
        c.first_name: c
        for c in kit.candidates.add_candidates_from_pupils(PLANNER, L00, classes={"G4A", "G5B"})
    }
    kit.candidates.set_facilities(
        PLANNER, people["Jesse"].id, Facilities(extra_time_minutes=15, read_aloud=True)
    )
    kit.candidates.set_facilities(PLANNER, people["Elif"].id, Facilities(enlarged_print=True))
    now = kit.clock.now()
    tomorrow = now.astimezone(AMSTERDAM).date() + timedelta(days=1)
    # Today's group began a few minutes ago (at midnight, shortly after it: still today in
    # Amsterdam), so it is open for the whole demo session.
    midnight = datetime.combine(now.astimezone(AMSTERDAM).date(), time(0, 0), tzinfo=AMSTERDAM)
    begins = max(now.replace(second=0, microsecond=0) - timedelta(minutes=5), midnight)
    today = kit.planning.plan(
        PLANNER,
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=begins,
        room="Lokaal 12",
        proctor=PROCTOR,
        candidates=[people[name].id for name in ("Sem", "Noor", "Jesse")],
        first_corrector=CORRECTOR,
    )
    code = kit.group_lifecycle.release(PROCTOR, today.id).access_code
    assert code is not None  # noqa: S101 - a release draws the code
    # Sem is at work already, so the proctor's live table has something to show
    kit.sitting.sign_in(people["Sem"].login_name, code)
    kit.planning.plan(
        PLANNER,
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=datetime.combine(tomorrow, time(9, 0), tzinfo=AMSTERDAM),
        room="Aula",
        proctor=PROCTOR,
        candidates=[people["Elif"].id, people["Noor"].id],
        first_corrector=CORRECTOR,
    )
    kit.planning.plan(
        PLANNER,
        location=L00,
        exam=FT_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=datetime.combine(tomorrow, time(13, 30), tzinfo=AMSTERDAM),
        room="Lokaal 12",
        proctor=PROCTOR,
        candidates=[people["Sem"].id],
    )
    server = kit.offline_servers.add_server(
        PLANNER, location=L00, name="FAO lokaal 12", address="192.168.1.20"
    )
    kit.offline_servers.server_transition(PLANNER, server.id, "activate")


def exam_day_printout(kit: Examkit) -> str:
    """Return the lines that tell a person how to sit today's released demo group."""
    today = kit.clock.now().astimezone(AMSTERDAM).date()
    groups = kit.planning_desk.day_groups(PLANNER, L00, today)
    lines = []
    for group in groups:
        if group.state is not GroupState.RELEASED:
            continue
        code = kit.group_lifecycle.access_code(PROCTOR, group.id)
        lines.append(
            f"Today's released group ({group.exam}, {group.room}): access code {code}; "
            "a candidate signs in at /test with a login name:"
        )
        for slip in kit.group_lifecycle.access_slips(PROCTOR, group.id):
            lines.append(f"  {slip.login_name}  {slip.name}")
    return "\n".join(lines)
