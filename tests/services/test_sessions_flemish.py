# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Flemish tests (seed 003): the registration window, validation and its lock, lists, reports."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from examkit import Examkit
from examkit.errors import (
    AlreadyExists,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.flemish import (
    Logbook,
    NewPupil,
    PupilRegistration,
    RegistrationWindow,
    TestMoment,
)
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.testing import (
    ManualClock,
    MemoryAuditLog,
    StoredAuditTrail,
    Wiring,
    make_kit,
    store_actor,
)

SCHOOL = Instellingsnummer("012345")
OTHER = Instellingsnummer("054321")
# Seed 003: "Informatie invoeren of aanpassen kan vanaf 6 januari 2025 tot en met 28 februari
# 2025. Nadien kan je niets meer wijzigen." Parents tell the school by 21 February 2025.
WINDOW = RegistrationWindow(date(2025, 1, 6), date(2025, 2, 28))
PARENTS = date(2025, 2, 21)
OPENED = datetime.fromisoformat("2025-01-06T00:00:00+01:00")
MOMENTS = [
    TestMoment("NED-2025", "nederlands", date(2025, 5, 20)),
    TestMoment("WIS-2025", "wiskunde", date(2025, 5, 22)),
]


COORDINATOR = "coord"
ASSISTANT = "assist"
ELSEWHERE = "coord2"
NOBODY = "nobody"
FLEMISH_ROLES = {
    COORDINATOR: ("vlaamse_toetsen.test_coordinator", SCHOOL),
    ASSISTANT: ("vlaamse_toetsen.test_assistant", SCHOOL),
    ELSEWHERE: ("vlaamse_toetsen.test_coordinator", OTHER),
}
"""The desk's accounts (stored by the kit fixture): each one's role and school."""


def store_flemish_staff(kit: Examkit) -> None:
    """Store the coordinator, the assistant, another school's coordinator and a Facet planner."""
    for account, (role, school) in FLEMISH_ROLES.items():
        store_actor(
            kit.backend,
            account,
            [(role, [school])],
            institutions=(),
            granted_at=OPENED - timedelta(days=9),
        )
    store_actor(
        kit.backend,
        NOBODY,
        [("facet.planner", [LocationCode("22AB00")])],
        granted_at=OPENED - timedelta(days=9),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(OPENED)


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    return wiring.audit


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    kit = make_kit(backend=wiring.backend)
    made = Examkit(
        backend=kit.backend,
        mailer=kit.mailer,
        settings=kit.settings,
        clock=clock,
        secrets=kit.secrets,
        audit=wiring.log,
    )
    store_flemish_staff(made)
    return made


def opened(kit: Examkit) -> str:
    registration = kit.flemish.open_registration(
        COORDINATOR,
        school=SCHOOL,
        school_year=SchoolYear.parse("2024-2025"),
        window=WINDOW,
        parents_deadline=PARENTS,
        moments=MOMENTS,
    )
    return registration.id


def good_registration(kit: Examkit) -> str:
    reg = opened(kit)
    kit.flemish.add_group(COORDINATOR, reg, "6A")
    kit.flemish.set_pupil(COORDINATOR, reg, PupilRegistration("p1", "Lotte Peeters", group="6A"))
    kit.flemish.set_pupil(
        COORDINATOR,
        reg,
        PupilRegistration(
            "p2",
            "Arne Maes",
            exempt_maths=True,
            exemption_reason="Anderstalige nieuwkomer",
            no_questionnaire=True,
            questionnaire_requested_on=date(2025, 2, 20),
            accommodations=["voorleessoftware"],
            group="6A",
        ),
    )
    return reg


@pytest.mark.req("SCH-9")
def test_the_window_is_inclusive_in_brussels_time(clock: ManualClock) -> None:
    """28 February 23:59 in Brussels is inside; 1 March 00:00 is not, and says until when."""
    last = datetime.fromisoformat("2025-02-28T23:59:00+01:00")
    assert WINDOW.is_open(last)
    assert not WINDOW.is_open(last + timedelta(minutes=1))
    assert not WINDOW.is_open(OPENED - timedelta(minutes=1))
    with pytest.raises(InvalidState) as caught:
        WINDOW.check(last + timedelta(minutes=1))
    assert "Wijzigen kon tot en met 28-02-2025; nadien kan je niets meer wijzigen." == (
        caught.value.message("nl")
    )
    with pytest.raises(InvalidInput):
        RegistrationWindow(date(2025, 2, 1), date(2025, 1, 1))


@pytest.mark.req("SCH-9")
def test_nothing_changes_outside_the_window(kit: Examkit, clock: ManualClock) -> None:
    """After the window a change is refused, audited, and changes nothing."""
    reg = good_registration(kit)
    before = kit.flemish.get(reg)
    clock.set(datetime.fromisoformat("2025-03-01T00:00:00+01:00"))
    with pytest.raises(InvalidState) as caught:
        kit.flemish.set_pupil(COORDINATOR, reg, PupilRegistration("p3", "Nieuw", group="6A"))
    assert "sessions.flemish.window_closed" == caught.value.code
    assert before == kit.flemish.get(reg)


@pytest.mark.req("SCH-9")
def test_validation_reports_every_inconsistency_then_locks(kit: Examkit) -> None:
    """All problems at once; once consistent, validation locks the registration."""
    reg = good_registration(kit)
    kit.flemish.add_group(COORDINATOR, reg, "6B")
    kit.flemish.set_pupil(
        COORDINATOR, reg, PupilRegistration("p3", "Zonder Reden", exempt_dutch=True, group="6A")
    )
    kit.flemish.set_pupil(
        COORDINATOR,
        reg,
        PupilRegistration(
            "p4",
            "Te Laat",
            no_questionnaire=True,
            questionnaire_requested_on=date(2025, 2, 25),
            voluntary=True,
        ),
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        kit.flemish.validate(COORDINATOR, reg)
    assert [
        ("pupil:p3", "sessions.flemish.reason_missing"),
        ("pupil:p4", "sessions.flemish.questionnaire_late"),
        ("pupil:p4", "sessions.flemish.no_group"),
        ("group:6B", "sessions.flemish.empty_group"),
    ] == [(p.field, p.code) for p in caught.value.problems]
    assert not kit.flemish.get(reg).is_locked
    kit.flemish.set_pupil(
        COORDINATOR,
        reg,
        PupilRegistration("p3", "Zonder Reden", exempt_dutch=True, exemption_reason="OKAN"),
    )
    kit.flemish.set_pupil(COORDINATOR, reg, PupilRegistration("p3", "Zonder Reden", group="6B"))
    kit.flemish.set_pupil(
        COORDINATOR, reg, PupilRegistration("p4", "Te Laat", voluntary=True, group="6A")
    )
    locked = kit.flemish.validate(COORDINATOR, reg)
    assert locked.is_locked
    with pytest.raises(InvalidState) as locked_error:
        kit.flemish.add_group(COORDINATOR, reg, "6C")
    assert "sessions.flemish.locked" == locked_error.value.code


@pytest.mark.req("SCH-9", "ROLE-6")
def test_only_the_schools_coordinator_registers(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The assistant and another school's coordinator are refused and audited."""
    reg = opened(kit)
    for who in (ASSISTANT, ELSEWHERE):
        with pytest.raises(NotPermitted):
            kit.flemish.add_group(who, reg, "6A")
        assert ("denied", who) == (audit.events[-1].outcome, audit.events[-1].actor)
    with pytest.raises(NotPermitted):
        kit.flemish.participation_list(ASSISTANT, reg)


@pytest.mark.req("SCH-9")
def test_several_pupils_are_registered_in_one_unit_of_work(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """All of a list's pupils are stored together, with one audit event that counts them."""
    reg = good_registration(kit)
    before = len(audit.events)
    stored = kit.flemish.register_pupils(
        COORDINATOR,
        reg,
        [
            NewPupil("p4", " Noor  Claes ", "6A"),
            NewPupil("p3", "Wout Maes"),
            NewPupil("p5", "Fien"),
        ],
    )
    assert [
        ("p1", "Lotte Peeters", "6A"),
        ("p2", "Arne Maes", "6A"),
        ("p3", "Wout Maes", ""),
        ("p4", "Noor Claes", "6A"),
        ("p5", "Fien", ""),
    ] == [(p.pupil, p.name, p.group) for p in stored.pupils]
    assert stored == kit.flemish.get(reg)
    assert [("sessions.flemish.pupils", "success", COORDINATOR, {"pupils": "3"})] == [
        (e.action, e.outcome, e.actor, dict(e.details)) for e in audit.events[before:]
    ]


REFUSED_BATCHES = {
    "unknown group": (
        [NewPupil("p3", "Wout Maes", "6A"), NewPupil("p4", "Noor Claes", "6Z")],
        InvalidInput,
        "sessions.flemish.batch_group",
        "pupil:p4",
        2,
        "Leerling Noor Claes (p4): leerlingengroep '6Z' bestaat niet; er is niemand geregistreerd.",
    ),
    "name too long": (
        [NewPupil("p3", "Wout Maes"), NewPupil("p4", "Noor Claes"), NewPupil("p5", "x" * 201)],
        InvalidInput,
        "sessions.flemish.batch_name",
        "pupil:p5",
        3,
        "Leerling p5 heeft geen bruikbare naam (leeg of langer dan 200 tekens); er is niemand "
        "geregistreerd.",
    ),
    "no key": (
        [NewPupil("p3", "Wout Maes"), NewPupil(" ", "Noor Claes")],
        InvalidInput,
        "sessions.flemish.batch_key",
        "pupil:",
        2,
        "Leerling 2 van de lijst heeft geen bruikbare sleutel (leeg of langer dan 64 tekens); "
        "er is niemand geregistreerd.",
    ),
    "twice in the list": (
        [NewPupil("p3", "Wout Maes"), NewPupil("p4", "Noor"), NewPupil("p3", "Wout")],
        InvalidInput,
        "sessions.flemish.batch_twice",
        "pupil:p3",
        3,
        "Leerling p3 staat twee keer in de lijst (ook op plaats 1); er is niemand geregistreerd.",
    ),
    "registered already": (
        [NewPupil("p3", "Wout Maes"), NewPupil("p1", "Lotte Peeters", "6A")],
        AlreadyExists,
        "sessions.flemish.batch_registered",
        "pupil:p1",
        2,
        "Leerling Lotte Peeters (p1) is al geregistreerd; er is niemand geregistreerd.",
    ),
    "empty list": (
        [],
        InvalidInput,
        "sessions.flemish.batch_empty",
        "pupils",
        None,
        "Er zijn geen leerlingen om te registreren.",
    ),
}


@pytest.mark.req("SCH-9")
@pytest.mark.parametrize("case", list(REFUSED_BATCHES))
def test_a_refused_batch_stores_nothing_and_names_the_pupil(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail, case: str
) -> None:
    """One pupil that cannot be registered refuses the whole list, audited; nothing is stored.

    Runs with the doubles and with the production wiring on memory and on an SQLite file.
    """
    pupils, kind, code, field, line, message = REFUSED_BATCHES[case]
    reg = good_registration(kit)
    before = kit.flemish.get(reg)
    with pytest.raises(ExamkitError) as caught:
        kit.flemish.register_pupils(COORDINATOR, reg, pupils)
    assert (kind, code, field, line) == (
        type(caught.value),
        caught.value.code,
        caught.value.field,
        caught.value.line,
    )
    assert message == caught.value.message("nl")
    assert before == kit.flemish.get(reg)
    assert ("sessions.flemish.pupils", "failure") == (
        audit.events[-1].action,
        audit.events[-1].outcome,
    )


@pytest.mark.req("SCH-9", "ROLE-6")
def test_a_batch_is_checked_like_one_pupil(kit: Examkit, clock: ManualClock) -> None:
    """Only the school's coordinator registers a list, in the window and before validation."""
    reg = good_registration(kit)
    before = kit.flemish.get(reg)
    for who in (ASSISTANT, ELSEWHERE, NOBODY):
        with pytest.raises(NotPermitted):
            kit.flemish.register_pupils(who, reg, [NewPupil("p3", "Wout Maes", "6A")])
    clock.set(datetime.fromisoformat("2025-03-01T00:00:00+01:00"))
    with pytest.raises(InvalidState) as closed:
        kit.flemish.register_pupils(COORDINATOR, reg, [NewPupil("p3", "Wout Maes", "6A")])
    assert "sessions.flemish.window_closed" == closed.value.code
    clock.set(OPENED)
    kit.flemish.validate(COORDINATOR, reg)
    with pytest.raises(InvalidState) as locked:
        kit.flemish.register_pupils(COORDINATOR, reg, [NewPupil("p3", "Wout Maes", "6A")])
    assert "sessions.flemish.locked" == locked.value.code
    assert before.pupils == kit.flemish.get(reg).pupils


@pytest.mark.req("SCH-9", "ROLE-6")
def test_participation_list_and_test_report_from_the_logbooks(
    kit: Examkit, clock: ManualClock
) -> None:
    """The list shows exemptions and aids; the report gathers the assistants' logbooks."""
    reg = good_registration(kit)
    kit.flemish.validate(COORDINATOR, reg)
    lines = kit.flemish.participation_list(COORDINATOR, reg)
    assert [
        ("6A", "Arne Maes", True, False, False, ("voorleessoftware",)),
        ("6A", "Lotte Peeters", True, True, True, ()),
    ] == [
        (x.group, x.name, x.takes_dutch, x.takes_maths, x.questionnaire, x.accommodations)
        for x in lines
    ]
    clock.set(datetime.fromisoformat("2025-05-20T12:00:00+02:00"))
    with pytest.raises(NotPermitted):
        kit.flemish.add_logbook(COORDINATOR, reg, Logbook("NED-2025", "6A", "x"))
    with pytest.raises(InvalidInput):
        kit.flemish.add_logbook(ASSISTANT, reg, Logbook("NED-2025", "7Z", "x"))
    kit.flemish.add_logbook(
        ASSISTANT, reg, Logbook("NED-2025", "6A", "x", absent=["p2"], notes="Vlot verlopen")
    )
    report = kit.flemish.test_report(COORDINATOR, reg, "NED-2025")
    assert (("6A",), (), ("p2",), ("6A: Vlot verlopen",)) == (
        report.groups,
        report.missing_groups,
        report.absent,
        report.notes,
    )
    assert ("assist",) == tuple(b.assistant for b in kit.flemish.get(reg).logbooks)


@pytest.mark.req("SCH-9", "ROLE-6")
def test_the_coordinator_reads_the_registrations_of_its_own_school_only(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The desk lists and shows a school's registrations to its coordinator; others are refused."""
    reg = good_registration(kit)
    later = kit.flemish.open_registration(
        COORDINATOR,
        school=SCHOOL,
        school_year=SchoolYear.parse("2025-2026"),
        window=RegistrationWindow(date(2026, 1, 5), date(2026, 2, 27)),
        parents_deadline=date(2026, 2, 20),
    )
    elsewhere = kit.flemish.open_registration(
        ELSEWHERE,
        school=OTHER,
        school_year=SchoolYear.parse("2024-2025"),
        window=WINDOW,
        parents_deadline=PARENTS,
    )
    assert [reg, later.id] == [r.id for r in kit.flemish.registrations_for(COORDINATOR)]
    assert [elsewhere.id] == [r.id for r in kit.flemish.registrations_for(ELSEWHERE)]
    # The assistant reads them too, to fill in a logbook per test moment and group.
    assert [reg, later.id] == [r.id for r in kit.flemish.registrations_for(ASSISTANT)]
    assert () == kit.flemish.registrations_for(NOBODY)
    shown = kit.flemish.registration(COORDINATOR, reg)
    assert ["Arne Maes", "Lotte Peeters"] == sorted(p.name for p in shown.pupils)
    assert shown == kit.flemish.registration(ASSISTANT, reg)
    for who in (NOBODY, ELSEWHERE):
        with pytest.raises(NotPermitted):
            kit.flemish.registration(who, reg)
        assert ("denied", who) == (audit.events[-1].outcome, audit.events[-1].actor)
    with pytest.raises(NotFound):
        kit.flemish.registration(COORDINATOR, f"{SCHOOL}:2030-2031")
