# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""What a planner's pages read (kit.planning_desk), and a candidate's facilities (issue 23).

Run on the doubles and on the production wiring (memory, an SQLite file).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.edexml import Group, PersonName, Pupil
from examkit.errors import NotFound, NotPermitted
from examkit.identifiers import SchoolYear
from examkit.imports import ClassList, EnrolledPupil
from examkit.scheduling import Facilities, Mode, PlanningClass, StaffMember
from examkit.testing import ManualClock, Wiring, store_actor
from examkit.testing.sessions import (
    FT_EXAM,
    L00,
    L01,
    START,
    add_candidates,
    make_session_kit,
    plan_group,
)

YEAR = SchoolYear("2025-2026")  # the current school year on the tests' clock (May 2026)


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return make_session_kit(ManualClock(START - timedelta(days=2)), wiring.log, wiring.backend)


def plan_ft(kit: Examkit) -> str:
    """Plan a group at 09:00 and a functionality-test group at 11:00; return the FT group's id."""
    (person,) = add_candidates(kit, 1)
    plan_group(kit, add_candidates(kit, 1))
    group = kit.planning.plan(
        "ft_planner",
        location=L00,
        exam=FT_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=START + timedelta(hours=2),
        room="Lokaal 3",
        proctor="ft_proctor",
        candidates=[person.id],
    )
    return group.id


@pytest.mark.req("SCH-1", "SCH-2")
def test_the_planner_sees_every_group_of_the_day_and_the_ft_planner_the_ft_groups(
    kit: Examkit,
) -> None:
    """By start time; the FT planner only the functionality-test group; others refused."""
    ft = plan_ft(kit)
    groups = kit.planning_desk.day_groups("planner", L00, START.date())
    assert 2 == len(groups)
    assert ft == groups[1].id
    assert [ft] == [g.id for g in kit.planning_desk.day_groups("ft_planner", L00, START.date())]
    assert () == kit.planning_desk.day_groups("planner", L00, START.date() + timedelta(days=1))
    for who in ("proctor", "corrector", "elsewhere"):
        with pytest.raises(NotPermitted):
            kit.planning_desk.day_groups(who, L00, START.date())


@pytest.mark.req("SCH-1", "SCH-2")
def test_a_group_s_details_name_its_people_and_hold_its_candidates(
    kit: Examkit, wiring: Wiring
) -> None:
    """Its test, attempts, candidates with facilities, the staff's names; refused to others."""
    people = add_candidates(kit, 2, extra=20)
    group = plan_group(kit, people)
    details = kit.planning_desk.group_details("planner", group)
    assert group == details.group.id
    assert "NE-GL-2026" == details.exam.code
    assert {p.id for p in people} == set(details.candidates)
    assert 20 == details.candidates[people[0].id].facilities.extra_time_minutes
    assert [20, 0] == [
        a.extra_time_minutes
        for a in sorted(
            details.attempts, key=lambda a: people.index(details.candidates[a.candidate])
        )
    ]
    assert "Kim Proctor" == details.staff["proctor"]
    assert details.offline_server is None
    with pytest.raises(NotPermitted):
        kit.planning_desk.group_details("ft_planner", group)  # not a functionality test
    assert "sessions.group.viewed" == wiring.audit.events[-1].action
    assert "denied" == wiring.audit.events[-1].outcome
    ft = plan_ft(kit)
    assert ft == kit.planning_desk.group_details("ft_planner", ft).group.id
    with pytest.raises(NotFound):
        kit.planning_desk.group_details("planner", "g-nothing")


@pytest.mark.req("SCH-1", "SCH-2", "ROLE-5")
def test_the_tests_and_the_staff_follow_the_actor_s_role(kit: Examkit) -> None:
    """The planner: the exam, proctors, correctors; the FT planner: the FT exam, FT proctors."""
    assert ["NE-GL-2026"] == [e.code for e in kit.planning_desk.exams("planner", L00)]
    assert ["FT-2026"] == [e.code for e in kit.planning_desk.exams("ft_planner", L00)]
    staff = kit.planning_desk.staff("planner", L00)
    assert [StaffMember("proctor", "Kim Proctor", "22AB.proctor.x")] == list(staff.proctors)
    assert ["corrector", "corrector2"] == [m.account for m in staff.correctors]
    ft_staff = kit.planning_desk.staff("ft_planner", L00)
    assert (["ft_proctor"], []) == (
        [m.account for m in ft_staff.proctors],
        list(ft_staff.correctors),
    )
    for who in ("proctor", "fao"):
        with pytest.raises(NotPermitted):
            kit.planning_desk.exams(who, L00)
        with pytest.raises(NotPermitted):
            kit.planning_desk.staff(who, L00)
    with pytest.raises(NotPermitted):
        kit.planning_desk.staff("planner", L01)


@pytest.mark.req("SCH-1", "SCH-8")
def test_the_locations_are_those_of_the_actor_s_planning_actions(kit: Examkit) -> None:
    """Each role's locations; a page's own actions narrow them."""
    assert (L00,) == kit.planning_desk.locations("planner")
    assert (L01,) == kit.planning_desk.locations("elsewhere")
    assert (L00,) == kit.planning_desk.locations("fao", ("facet.fao.view",))
    assert () == kit.planning_desk.locations("planner", ("facet.fao.view",))
    assert () == kit.planning_desk.locations("proctor")


@pytest.mark.req("SCH-1", "EDX-3")
def test_the_classes_to_plan_from_are_the_current_pupils_classes_by_name(kit: Examkit) -> None:
    """Named as the class list names them; counted from the current pupils; refused to others."""
    with pytest.raises(NotFound):
        kit.planning_desk.classes("planner", L00)
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [
                EnrolledPupil(
                    L00, YEAR, Pupil(k, PersonName(f"Jansen{k}", called_name="Kim"), group=g)
                )
                for k, g in (("1", "G8A"), ("2", "G8A"), ("3", "G8B"))
            ]
        )
        uow.class_lists.add(
            ClassList(
                location=L00,
                school_year=YEAR,
                groups=(Group("G8A", "8A", "8"),),
            )
        )
        uow.commit()
    assert (PlanningClass("G8A", "8A", 2), PlanningClass("G8B", "G8B", 1)) == (
        kit.planning_desk.classes("planner", L00)
    )
    with pytest.raises(NotPermitted):
        kit.planning_desk.classes("proctor", L00)


@pytest.mark.req("SCH-1", "EDX-3")
def test_the_class_names_come_from_the_class_list_alone(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page showing candidates names their classes without reading every pupil."""
    from examkit.imports._records import PupilRecords

    with pytest.raises(NotFound):
        kit.planning_desk.class_names("planner", L00)
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [EnrolledPupil(L00, YEAR, Pupil("1", PersonName("Jansen"), group="G8A"))]
        )
        uow.commit()
    assert {} == kit.planning_desk.class_names("planner", L00)
    with kit.backend.begin() as uow:
        uow.class_lists.add(
            ClassList(location=L00, school_year=YEAR, groups=(Group("G8A", "8A", "8"),))
        )
        uow.commit()
    listed = PupilRecords.list

    def one_row(self: PupilRecords, *args: object, **kwargs: object) -> object:
        assert kwargs.get("limit") == 1, "every pupil read"
        return listed(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PupilRecords, "list", one_row)
    assert {"G8A": "8A"} == kit.planning_desk.class_names("planner", L00)
    with pytest.raises(NotPermitted):
        kit.planning_desk.class_names("proctor", L00)


def import_class_8a(kit: Examkit) -> None:
    """Import class 8A (key ``G8A``) with one pupil at 22AB00, this school year."""
    with kit.backend.begin() as uow:
        uow.pupils.add_many(
            [EnrolledPupil(L00, YEAR, Pupil("1", PersonName("Jansen"), group="G8A"))]
        )
        uow.class_lists.add(
            ClassList(location=L00, school_year=YEAR, groups=(Group("G8A", "8A", "8"),))
        )
        uow.commit()


@pytest.mark.req("SCH-1", "SCH-2", "EDX-3")
def test_a_group_s_details_name_its_classes_for_who_reads_in_candidates(kit: Examkit) -> None:
    """The class names come with the group (one read for its page); empty for anyone else."""
    ft = plan_ft(kit)
    group = plan_group(kit, add_candidates(kit, 1))
    assert {} == dict(kit.planning_desk.group_details("planner", group).class_names)
    import_class_8a(kit)
    details = kit.planning_desk.group_details("planner", group)
    assert kit.planning_desk.class_names("planner", L00) == details.class_names
    assert {"G8A": "8A"} == dict(details.class_names)
    with pytest.raises(NotPermitted):  # the FT planner reads in no candidates
        kit.planning_desk.class_names("ft_planner", L00)
    assert {} == dict(kit.planning_desk.group_details("ft_planner", ft).class_names)


@pytest.mark.req("SCH-1", "EDX-3")
def test_a_candidate_s_details_come_with_its_classes_names_for_who_reads_them_in(
    kit: Examkit,
) -> None:
    """One read for the facilities page; another location's candidate is not found."""
    (person,) = add_candidates(kit, 1, extra=20)
    details = kit.planning_desk.candidate_details("planner", person.id)
    assert (person, {}) == (details.candidate, dict(details.class_names))
    import_class_8a(kit)
    assert {"G8A": "8A"} == dict(
        kit.planning_desk.candidate_details("planner", person.id).class_names
    )
    assert 20 == details.candidate.facilities.extra_time_minutes
    for who, which in [("elsewhere", person.id), ("proctor", person.id), ("planner", "c-none")]:
        with pytest.raises(NotFound):
            kit.planning_desk.candidate_details(who, which)


@pytest.mark.req("SCH-1")
def test_the_planner_lists_candidates_and_sets_their_facilities(
    kit: Examkit, wiring: Wiring
) -> None:
    """By name; the facilities stored and audited, a new group takes them; refused elsewhere."""
    people = add_candidates(kit, 2)
    assert [p.id for p in sorted(people, key=lambda p: p.first_name)] == [
        c.id for c in kit.candidates.candidates("planner", L00)
    ]
    chosen = Facilities(extra_time_minutes=25, read_aloud=True, enlarged_print=True)
    changed = kit.candidates.set_facilities("planner", people[1].id, chosen)
    assert chosen == changed.facilities == kit.candidates.candidate(people[1].id).facilities
    assert "sessions.candidate.facilities" == wiring.audit.events[-1].action
    group = plan_group(kit, people[1:])
    assert [25] == [a.extra_time_minutes for a in kit.planning.attempts(group)]
    store_actor(
        kit.backend, "other", [("facet.planner", [L01])], granted_at=START - timedelta(days=9)
    )
    with pytest.raises(NotPermitted):
        kit.candidates.set_facilities("other", people[0].id, chosen)
    assert 2 == len(kit.candidates.candidates("ft_planner", L00))
    with pytest.raises(NotPermitted):
        kit.candidates.candidates("proctor", L00)
    assert Facilities() == kit.candidates.candidate(people[0].id).facilities


@pytest.mark.req("SCH-1", "SCH-8")
def test_the_planner_chooses_among_the_active_offline_servers(kit: Examkit) -> None:
    """Only active servers, by name; the FAO administrator's registry page is another use case."""
    made = [
        kit.offline_servers.add_server("fao", location=L00, name=name, address="10.0.0.1")
        for name in ("FAO b", "FAO a", "FAO c")
    ]
    for server in made[:2]:
        kit.offline_servers.server_transition("fao", server.id, "activate")
    assert ["FAO a", "FAO b"] == [s.name for s in kit.planning_desk.servers("planner", L00)]
    assert ["FAO a", "FAO b"] == [s.name for s in kit.planning_desk.servers("ft_planner", L00)]
    with pytest.raises(NotPermitted):
        kit.planning_desk.servers("fao", L00)
