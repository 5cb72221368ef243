# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Planning from imported pupils and ordering answer sheets from the location's pupils."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examkit import Examkit
from examkit.edexml import PersonName, Pupil
from examkit.errors import ExamkitErrorGroup, NotFound, NotPermitted
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports import EnrolledPupil
from examkit.scheduling import Exam, ItemSlot, Mode
from examkit.testing import ManualClock, store_actor
from examkit.testing.sessions import L00, L01, START, make_session_kit

YEAR = SchoolYear("2025-2026")  # the current school year on the tests' clock (May 2026)
EARLIER = SchoolYear("2024-2025")
PAPER = Exam(
    code="REK-PAPIER",
    title="Rekenen op papier",
    subject="Rekenen",
    duration=timedelta(minutes=60),
    items=[ItemSlot("1", 1)],
    modes={Mode.PAPER},
    central=False,
)


def pupil(
    key: str,
    group: str | None,
    *,
    year: SchoolYear = YEAR,
    at: LocationCode = L00,
    archived: bool = False,
    name: PersonName | None = None,
) -> EnrolledPupil:
    return EnrolledPupil(
        at,
        year,
        Pupil(
            key,
            name or PersonName(f"Jansen{key}", prefix="de", called_name=f"Kim{key}"),
            group=group,
        ),
        archived_at=datetime(2026, 10, 1, tzinfo=UTC) if archived else None,
    )


@pytest.fixture
def kit() -> Examkit:
    made = make_session_kit(ManualClock(START - timedelta(days=7)))
    with made.backend.begin() as uow:
        uow.pupils.add_many(
            [
                pupil("1", "8A"),
                pupil("2", "8A"),
                pupil("3", "8A"),
                pupil("4", "8B"),
                pupil("5", "8B"),
                pupil("6", "8A", archived=True),
                pupil("7", None),
                pupil("8", "8A", year=EARLIER),
            ]
        )
        uow.commit()
    store_actor(made.backend, portal_user(), [("ce_portal.user", [L00])], granted_at=PORTAL_GRANTED)
    return made


PORTAL_GRANTED = START - timedelta(days=30)


def portal_user() -> str:
    """The CE portal user of 22AB00 (stored by the kit fixture)."""
    return "portal"


@pytest.mark.req("SCH-1", "EDX-3")
def test_candidates_come_from_the_current_pupils_of_the_chosen_classes(kit: Examkit) -> None:
    """The current year's current pupils of the classes become candidates with login names."""
    planner = "planner"
    made = kit.candidates.add_candidates_from_pupils(planner, L00, classes={"8A"})
    assert [
        ("1", "8A", "Kim1", "de Jansen1"),
        ("2", "8A", "Kim2", "de Jansen2"),
        ("3", "8A", "Kim3", "de Jansen3"),
    ] == [(c.pupil_key, c.class_key, c.first_name, c.last_name) for c in made]
    assert 3 == len({c.login_name for c in made})
    assert all(L00 == c.location for c in made)
    assert made[0] == kit.candidates.candidate(made[0].id)


@pytest.mark.req("SCH-1", "EDX-3")
def test_a_pupil_who_is_a_candidate_already_keeps_that_candidate(kit: Examkit) -> None:
    """Asking again adds only the pupils not yet candidates; the others keep their login."""
    planner = "planner"
    first = kit.candidates.add_candidates_from_pupils(planner, L00, classes={"8A"})
    both = kit.candidates.add_candidates_from_pupils(
        planner, L00, classes={"8A", "8B"}, pupils={"7"}
    )
    assert ["1", "2", "3", "4", "5", "7"] == [c.pupil_key for c in both]
    assert [c.id for c in first] == [c.id for c in both[:3]]
    assert [c.login_name for c in first] == [c.login_name for c in both[:3]]
    everyone = kit.candidates.add_candidates_from_pupils(planner, L00)
    assert [c.id for c in both] == [c.id for c in everyone]


@pytest.mark.req("SCH-1", "SCH-2")
def test_a_group_is_planned_from_imported_pupils(kit: Examkit) -> None:
    """The candidates made from pupils are planned like any other."""
    planner = "planner"
    people = kit.candidates.add_candidates_from_pupils(planner, L00, classes={"8B"})
    group = kit.planning.plan(
        planner,
        location=L00,
        exam="NE-GL-2026",
        mode=Mode.ONLINE,
        starts_at=START,
        room="Lokaal 8B",
        proctor="proctor",
        candidates=[c.id for c in people],
        first_corrector="corrector",
    )
    assert {c.id for c in people} == set(group.candidates)


@pytest.mark.req("SCH-1")
def test_who_may_and_what_must_exist(kit: Examkit) -> None:
    """Only who reads in candidates there; a location without an import is refused."""
    with pytest.raises(NotPermitted):
        kit.candidates.add_candidates_from_pupils("proctor", L00)
    with pytest.raises(NotFound) as caught:
        kit.candidates.add_candidates_from_pupils("elsewhere", L01)
    assert "imports.location.no_import" == caught.value.code


@pytest.mark.req("SCH-1")
def test_pupils_without_a_usable_name_are_reported_and_nothing_is_stored(kit: Examkit) -> None:
    """Every nameless pupil is named in the error; no candidate is made."""
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [
                pupil("9", "8C", name=PersonName(called_name="Noor")),
                pupil("10", "8C", name=PersonName("Bakker")),
                pupil("11", "8C"),
            ]
        )
        uow.commit()
    planner = "planner"
    with pytest.raises(ExamkitErrorGroup) as caught:
        kit.candidates.add_candidates_from_pupils(planner, L00, classes={"8C"})
    assert [("sessions.pupil.name", "10"), ("sessions.pupil.name", "9")] == [
        (problem.code, problem.params["pupil"]) for problem in caught.value.problems
    ]
    with kit.backend.begin(readonly=True) as uow:
        assert () == uow.candidates.list(location=L00).items


@pytest.mark.req("EDX-3")
def test_answer_sheets_are_counted_from_the_current_pupils_per_class(kit: Examkit) -> None:
    """Current pupils of the current year per class; archived, classless, earlier ones not."""
    kit.candidates.register_exam(PAPER)
    order = kit.candidates.answer_sheet_order(portal_user(), L00, "REK-PAPIER")
    assert [("8A", 3, 3), ("8B", 2, 2)] == [
        (line.class_key, line.pupils, line.sheets) for line in order.lines
    ]
    chosen = kit.candidates.answer_sheet_order(
        portal_user(), L00, "REK-PAPIER", classes={"8B", "8C"}, spares=2
    )
    assert [("8B", 2, 4), ("8C", 0, 2)] == [
        (line.class_key, line.pupils, line.sheets) for line in chosen.lines
    ]
    assert 6 == chosen.total


@pytest.mark.req("EDX-3")
def test_answer_sheets_only_for_who_orders_paper_tests_at_a_location_with_pupils(
    kit: Examkit,
) -> None:
    """Another role, another location, or a location without an import is refused."""
    kit.candidates.register_exam(PAPER)
    with pytest.raises(NotPermitted):
        kit.candidates.answer_sheet_order("planner", L00, "REK-PAPIER")
    with pytest.raises(NotPermitted):
        kit.candidates.answer_sheet_order(portal_user(), L01, "REK-PAPIER")
    everywhere = store_actor(
        kit.backend,
        "portal2",
        [("ce_portal.user", [L00, L01])],
        granted_at=PORTAL_GRANTED,
    )
    with pytest.raises(NotFound):
        kit.candidates.answer_sheet_order(everywhere, L01, "REK-PAPIER")


@pytest.mark.req("SCH-1", "EDX-3", "EDX-4")
def test_point_3_planning_follows_the_calendar_not_the_latest_import(kit: Examkit) -> None:
    """Next year's pupils wait for 1 August; before a year's import, planning says so."""
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [pupil("9", "8A", year=YEAR.next()), pupil("10", "8C", year=YEAR.next())]
        )
        uow.commit()
    kit.candidates.register_exam(PAPER)
    order = kit.candidates.answer_sheet_order(portal_user(), L00, "REK-PAPIER")
    assert [("8A", 3), ("8B", 2)] == [(line.class_key, line.pupils) for line in order.lines]
    planner = "planner"
    made = kit.candidates.add_candidates_from_pupils(planner, L00, classes={"8A"})
    assert ["1", "2", "3"] == [candidate.pupil_key for candidate in made]
    assert isinstance(kit.clock, ManualClock)
    kit.clock.set(datetime.fromisoformat("2026-08-01T00:00:00+02:00"))
    order = kit.candidates.answer_sheet_order(portal_user(), L00, "REK-PAPIER")
    assert [("8A", 1), ("8C", 1)] == [(line.class_key, line.pupils) for line in order.lines]
    kit.clock.set(datetime.fromisoformat("2027-08-01T00:00:00+02:00"))
    with pytest.raises(NotFound) as raised:
        kit.candidates.add_candidates_from_pupils(planner, L00)
    assert ("imports.school_year.not_imported", "2027-2028") == (
        raised.value.code,
        raised.value.params["school_year"],
    )


@pytest.mark.req("SCH-1", "EDX-3")
def test_the_current_year_is_found_without_reading_every_year_s_pupils(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of the planning asks for the classes on every view (benchmarks/portal_pages.py)."""
    from examkit.imports._records import PupilRecords

    def every_year(*_: object) -> None:
        raise AssertionError("every pupil of every school year read")

    with monkeypatch.context() as patched:
        patched.setattr(PupilRecords, "school_years", every_year)
        classes = kit.planning_desk.classes("planner", L00)
    assert [("8A", 3), ("8B", 2)] == [(c.key, c.pupils) for c in classes]
    assert isinstance(kit.clock, ManualClock)
    kit.clock.set(datetime.fromisoformat("2027-08-01T00:00:00+02:00"))
    with pytest.raises(NotFound) as raised:
        kit.planning_desk.classes("planner", L00)
    assert "imports.school_year.not_imported" == raised.value.code
