# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A grant revoked a moment before a use case runs cannot act (issue 21, PLAT-2 and ROLE-5).

One table, :data:`ACTING_USE_CASES`: each use case that acts for someone,
the grants its actor needs, and how to call it in the :class:`World`.
Hypothesis draws a use case and which of its actor's grants is revoked
just before the call: the call is refused with
:class:`~examkit.errors.NotPermitted`, changes nothing that is stored, and
is audited as ``denied`` with the actor and the reason. With every grant
intact, each row's call succeeds (so the table names the grants that matter).

To add a package's use cases: add what they act on to :class:`World` (and
:func:`make_world`), what they change to :func:`stored_state`, and one
:class:`ActingUseCase` row each to :data:`ACTING_USE_CASES`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.services.revoked_grant import (
    Needs,
    assert_not_denied,
    assert_refusal_audited,
    grants,
    new_actor,
    revoke,
)

from examkit import Examkit
from examkit.edexml import PersonName, Pupil
from examkit.errors import NotPermitted
from examkit.flemish import Logbook, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.imports import EnrolledPupil
from examkit.scheduling import Candidate, Exam, Facilities, ItemSlot, Mode
from examkit.storage import MAX_PAGE_SIZE
from examkit.testing import ManualClock, Wiring, store_actor
from examkit.testing.correction import make_correction_kit
from examkit.testing.sessions import EXAM, L00, L01, START, add_candidates, plan_group

SCHOOL = Instellingsnummer("012345")
"""The Flemish school of the world's registration."""
OTHER_SCHOOL = Instellingsnummer("054321")
"""A Flemish school without a registration yet."""
YEAR = SchoolYear("2025-2026")
PAPER = Exam(
    code="REK-PAPIER",
    title="Rekenen op papier",
    subject="Rekenen",
    duration=timedelta(minutes=60),
    items=[ItemSlot("1", 1)],
    modes={Mode.PAPER},
    central=False,
)
CANDIDATE_FILE = b"achternaam;voornaam;examennummer\nBos;Kim;2001\n"
GROUP_FILE = (
    b"groep;toets;datum;starttijd;lokaal;afnameleider;examennummer;eerste_corrector\n"
    b"A;NE-GL-2026;13-05-2026;09:00;Aula;proctor;1001;corrector\n"
)


@attrs.frozen
class World:
    """A kit with something in every state a use case acts on."""

    kit: Examkit
    planned: str
    """A planned session group."""
    live: str
    """A released group; :attr:`answering` has signed in."""
    answering: str
    closed: str
    """A closed group."""
    ready: str
    """A released group whose report is complete and whose candidate never came."""
    free: Candidate
    """A candidate of 22AB00 in no group."""
    server: str
    """A registered offline server of 22AB00."""
    registration: str
    """The Flemish registration of :data:`SCHOOL`, open, with a pupil in group "6A"."""


def make_world(wiring: Wiring) -> World:
    """Return a :class:`World` on *wiring*'s backend and audit log."""
    clock = ManualClock(START - timedelta(minutes=10))
    kit = make_correction_kit(clock, wiring.log, wiring.backend)
    kit.candidates.register_exam(PAPER)
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [
                EnrolledPupil(
                    L00,
                    YEAR,
                    Pupil(key, PersonName(f"Jansen{key}", called_name=f"Kim{key}"), group="8A"),
                )
                for key in ("1", "2")
            ]
        )
        uow.commit()
    first, second, third, fourth, free = add_candidates(kit, 5)
    kit.candidates.add_candidate(
        "planner", location=L00, first_name="Kandidaat", last_name="1001", number="1001"
    )
    planned = plan_group(kit, [first], starts_at=START + timedelta(days=2))
    live = plan_group(kit, [second])
    closed = plan_group(kit, [third], starts_at=START - timedelta(days=1))
    ready = plan_group(kit, [fourth], starts_at=START - timedelta(days=2))
    for group in (live, closed, ready):
        kit.group_lifecycle.release("proctor", group)
    kit.sitting.sign_in(second.login_name, kit.group_lifecycle.access_code("proctor", live))
    for group in (closed, ready):
        kit.session_reports.write_report("proctor", group, completed=True)
    kit.group_lifecycle.close("proctor", closed)
    server = kit.offline_servers.add_server(
        "fao", location=L00, name="FAO lokaal 12", address="192.168.1.20"
    )
    store_actor(kit.backend, "coord", [("vlaamse_toetsen.test_coordinator", [SCHOOL])])
    registration = kit.flemish.open_registration(
        "coord",
        school=SCHOOL,
        school_year=YEAR,
        window=RegistrationWindow(date(2026, 5, 1), date(2026, 6, 30)),
        parents_deadline=date(2026, 6, 15),
        moments=[TestMoment("NED-2026", "nederlands", date(2026, 9, 20))],
    ).id
    kit.flemish.add_group("coord", registration, "6A")
    pupil = PupilRegistration("p1", "Lotte Peeters", group="6A")
    kit.flemish.set_pupil("coord", registration, pupil)
    return World(
        kit=kit,
        planned=planned,
        live=live,
        answering=second.id,
        closed=closed,
        ready=ready,
        free=free,
        server=server.id,
        registration=registration,
    )


def stored_state(kit: Examkit) -> dict[str, Any]:
    """Everything the use cases of the table may change, as stored now (the audit apart)."""
    with kit.backend.begin(readonly=True) as uow:
        groups = uow.session_groups.list(limit=MAX_PAGE_SIZE).items
        return {
            "groups": groups,
            "attempts": [uow.test_attempts.list_for_group(group.id) for group in groups],
            "candidates": uow.candidates.list(limit=MAX_PAGE_SIZE).items,
            "servers": uow.offline_servers.list(limit=MAX_PAGE_SIZE).items,
            "flemish": uow.flemish_registrations.list(limit=MAX_PAGE_SIZE).items,
            "exams": uow.exams.list(limit=MAX_PAGE_SIZE).items,
        }


@attrs.frozen
class ActingUseCase:
    """One use case that acts for someone: the grants its actor needs and how to call it."""

    needs: Needs
    """Each grant the actor needs: a role and the places it holds it at."""
    call: Callable[[World, str], object]
    """Calls the use case in the world with the actor's account id."""


PLANNER = grants(("facet.planner", (L00,)))
PROCTOR = grants(("facet.proctor", (L00,)))
FAO = grants(("facet.fao_administrator", (L00,)))
COORDINATOR = grants(("vlaamse_toetsen.test_coordinator", (SCHOOL,)))


def _plan(world: World, actor: str) -> object:
    return world.kit.planning.plan(
        actor,
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=START + timedelta(days=5),
        room="Lokaal 3",
        proctor="proctor",
        candidates=[world.free.id],
    )


def _set_pupil(world: World, actor: str) -> object:
    pupil = PupilRegistration("p2", "Wout Peeters", group="6A")
    return world.kit.flemish.set_pupil(actor, world.registration, pupil)


def _open_registration(world: World, actor: str) -> object:
    return world.kit.flemish.open_registration(
        actor,
        school=OTHER_SCHOOL,
        school_year=YEAR,
        window=RegistrationWindow(date(2026, 5, 1), date(2026, 6, 30)),
        parents_deadline=date(2026, 6, 15),
    )


def _logbook(world: World, actor: str) -> object:
    book = Logbook(moment="NED-2026", group="6A", assistant="", notes="Rustig.")
    return world.kit.flemish.add_logbook(actor, world.registration, book)


ACTING_USE_CASES: dict[str, ActingUseCase] = {
    # -- test sessions: candidates (examkit.scheduling.CandidateRegistry) --------------------
    "candidates.add_candidate": ActingUseCase(
        PLANNER,
        lambda w, a: w.kit.candidates.add_candidate(
            a, location=L00, first_name="Kim", last_name="Bos"
        ),
    ),
    "candidates.add_candidates": ActingUseCase(
        grants(("facet.planner", (L00,)), ("facet.planner", (L01,))),
        lambda w, a: w.kit.candidates.add_candidates(
            a, [w.free, attrs.evolve(w.free, location=L01)]
        ),
    ),
    "candidates.import_candidates": ActingUseCase(
        PLANNER, lambda w, a: w.kit.candidates.import_candidates(a, L00, CANDIDATE_FILE)
    ),
    "candidates.add_candidates_from_pupils": ActingUseCase(
        PLANNER, lambda w, a: w.kit.candidates.add_candidates_from_pupils(a, L00)
    ),
    "candidates.candidates": ActingUseCase(
        PLANNER, lambda w, a: w.kit.candidates.candidates(a, L00)
    ),
    "candidates.set_facilities": ActingUseCase(
        PLANNER,
        lambda w, a: w.kit.candidates.set_facilities(
            a, w.free.id, Facilities(extra_time_minutes=10, read_aloud=True)
        ),
    ),
    "candidates.answer_sheet_order": ActingUseCase(
        grants(("ce_portal.user", (L00,))),
        lambda w, a: w.kit.candidates.answer_sheet_order(a, L00, PAPER.code),
    ),
    # -- planning (examkit.scheduling.Planning) -----------------------------------------------
    "planning.plan": ActingUseCase(PLANNER, _plan),
    "planning.import_groups": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning.import_groups(a, L00, GROUP_FILE)
    ),
    "planning.planned_groups": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning.planned_groups(a, L00)
    ),
    # -- what a planner's pages read (examkit.scheduling.PlanningDesk) ------------------------
    "planning_desk.day_groups": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning_desk.day_groups(a, L00, START.date())
    ),
    "planning_desk.group_details": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning_desk.group_details(a, w.planned)
    ),
    "planning_desk.exams": ActingUseCase(PLANNER, lambda w, a: w.kit.planning_desk.exams(a, L00)),
    "planning_desk.staff": ActingUseCase(PLANNER, lambda w, a: w.kit.planning_desk.staff(a, L00)),
    "planning_desk.servers": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning_desk.servers(a, L00)
    ),
    "planning_desk.classes": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning_desk.classes(a, L00)
    ),
    "planning_desk.class_names": ActingUseCase(
        PLANNER, lambda w, a: w.kit.planning_desk.class_names(a, L00)
    ),
    # -- offline servers (examkit.scheduling.OfflineServerRegistry) ---------------------------
    "offline_servers.servers": ActingUseCase(
        FAO, lambda w, a: w.kit.offline_servers.servers(a, L00)
    ),
    "offline_servers.add_server": ActingUseCase(
        FAO,
        lambda w, a: w.kit.offline_servers.add_server(
            a, location=L00, name="FAO 2", address="192.168.1.21"
        ),
    ),
    "offline_servers.edit_server": ActingUseCase(
        FAO, lambda w, a: w.kit.offline_servers.edit_server(a, w.server, name="FAO lokaal 13")
    ),
    "offline_servers.server_transition": ActingUseCase(
        FAO, lambda w, a: w.kit.offline_servers.server_transition(a, w.server, "activate")
    ),
    # -- the group's lifecycle (examkit.scheduling.GroupLifecycle) ----------------------------
    "group_lifecycle.transition": ActingUseCase(
        PLANNER, lambda w, a: w.kit.group_lifecycle.transition(a, w.planned, "cancel")
    ),
    "group_lifecycle.release": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.group_lifecycle.release(a, w.planned)
    ),
    "group_lifecycle.block": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.group_lifecycle.block(a, w.live, reason="brandalarm")
    ),
    "group_lifecycle.close": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.group_lifecycle.close(a, w.ready)
    ),
    "group_lifecycle.access_code": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.group_lifecycle.access_code(a, w.live)
    ),
    "group_lifecycle.access_slips": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.group_lifecycle.access_slips(a, w.live)
    ),
    "group_lifecycle.assign_correctors": ActingUseCase(
        PLANNER,
        lambda w, a: w.kit.group_lifecycle.assign_correctors(
            a, w.planned, first="corrector", second="corrector2"
        ),
    ),
    # -- proctoring (examkit.scheduling.Proctoring) -------------------------------------------
    "proctoring.intervene": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.proctoring.intervene(a, w.live, w.answering, "pause")
    ),
    "proctoring.allow_reentry": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.proctoring.allow_reentry(a, w.live, w.answering)
    ),
    # -- the session report (examkit.scheduling.SessionReports) -------------------------------
    "session_reports.session_report": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.session_reports.session_report(a, w.live)
    ),
    "session_reports.write_report": ActingUseCase(
        PROCTOR, lambda w, a: w.kit.session_reports.write_report(a, w.live, notes="Rustig.")
    ),
    "session_reports.add_remark": ActingUseCase(
        PLANNER, lambda w, a: w.kit.session_reports.add_remark(a, w.closed, "Gezien.")
    ),
    # -- the Flemish desk (examkit.flemish.FlemishDesk) ------------------------------------
    "flemish.open_registration": ActingUseCase(
        grants(("vlaamse_toetsen.test_coordinator", (OTHER_SCHOOL,))), _open_registration
    ),
    "flemish.set_pupil": ActingUseCase(COORDINATOR, _set_pupil),
    "flemish.add_group": ActingUseCase(
        COORDINATOR, lambda w, a: w.kit.flemish.add_group(a, w.registration, "6B")
    ),
    "flemish.validate": ActingUseCase(
        COORDINATOR, lambda w, a: w.kit.flemish.validate(a, w.registration)
    ),
    "flemish.participation_list": ActingUseCase(
        COORDINATOR, lambda w, a: w.kit.flemish.participation_list(a, w.registration)
    ),
    "flemish.add_logbook": ActingUseCase(
        grants(("vlaamse_toetsen.test_assistant", (SCHOOL,))), _logbook
    ),
    "flemish.test_report": ActingUseCase(
        COORDINATOR, lambda w, a: w.kit.flemish.test_report(a, w.registration, "NED-2026")
    ),
}
"""Every use case that takes an actor and refuses without its grants -> its row.

Not here: ``kit.proctoring.monitor``, which refuses nothing (a proctor
without the grant sees fewer groups, as its own tests show), and
``kit.planning_desk.locations``, which refuses nothing either (without the
grant the location is not among those returned)."""


def _new_actor(world: World, case: ActingUseCase) -> str:
    return new_actor(world.kit, case.needs, granted_at=START - timedelta(days=30))


@pytest.fixture
def world(wiring: Wiring) -> World:
    return make_world(wiring)


@st.composite
def case_and_grant(draw: st.DrawFn) -> tuple[str, int]:
    """A use case of the table and the index of the one of its actor's grants to revoke."""
    name = draw(st.sampled_from(sorted(ACTING_USE_CASES)))
    index = draw(st.integers(0, len(ACTING_USE_CASES[name].needs) - 1))
    return name, index


@pytest.mark.req("PLAT-2", "ROLE-5")
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=case_and_grant())
def test_a_grant_revoked_just_before_the_call_cannot_act(
    world: World, wiring: Wiring, drawn: tuple[str, int]
) -> None:
    """Refused with NotPermitted, nothing stored changes, and the refusal is audited as denied."""
    name, index = drawn
    case = ACTING_USE_CASES[name]
    actor = _new_actor(world, case)
    revoke(world.kit, actor, index=index)
    before = stored_state(world.kit)
    with pytest.raises(NotPermitted) as refused:
        case.call(world, actor)
    assert "permission.denied" == refused.value.code
    assert before == stored_state(world.kit)
    assert_refusal_audited(wiring.audit.events, actor, "permission.denied")


@pytest.mark.req("PLAT-2", "ROLE-5")
@pytest.mark.parametrize("name", sorted(ACTING_USE_CASES))
def test_with_every_grant_intact_each_use_case_acts(wiring: Wiring, name: str) -> None:
    """The table's grants are what the use case needs: with all of them the call succeeds."""
    world = make_world(wiring)
    case = ACTING_USE_CASES[name]
    actor = _new_actor(world, case)
    case.call(world, actor)
    assert_not_denied(wiring.audit.events, actor)
