# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""What a user may see of the imported classes and pupils: ``kit.rosters.*_for`` (EDX-3, ROLE-5).

The administrator and the quality officer see every class of their
locations; a pupil counsellor or a subject teacher, whose roles are held in
classes, sees those classes only; anyone else sees none.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.backends.memory import MemoryBackend
from examkit.edexml import (
    CombinationGroup,
    Group,
    PersonName,
    Pupil,
    Teacher,
    TeacherGroup,
)
from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import calendar_year
from examkit.permissions import Access, Authorization, ClassRef, Grant, Subject
from examkit.records import Backend
from examkit.testing import RecordingMailer, edexml_document, make_kit

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
YEAR = SchoolYear("2026-2027")
AT = datetime.fromisoformat("2026-09-01T08:00:00+00:00")
GROUPS = [Group("g1", "1A", "1"), Group("g2", "2A", "2")]
TEACHERS = [
    Teacher("t1", PersonName("Bos"), groups=(TeacherGroup("g1"),)),
    Teacher("t2", PersonName("Dijk"), groups=(TeacherGroup("g2"),)),
    Teacher("t3", PersonName("Smit"), groups=(TeacherGroup("c1", combination=True),)),
]
CITO = Access("cito_lvs", Brin("22AB"))


def pupil(key: str, group: str, *combinations: str) -> Pupil:
    """Return a pupil of *group* (and of the combination groups named)."""
    return Pupil(
        key,
        PersonName("Jansen", called_name=f"Kind{key}"),
        birth_date=date(2013, 5, 1),
        year_group=group[-1],
        group=group,
        combination_groups=combinations,
    )


def school_file(year: SchoolYear = YEAR, location: LocationCode = L00) -> bytes:
    """Return the file of *location*: two groups, a combination group, five pupils."""
    return edexml_document(
        school_year=year,
        brin=location.brin,
        dependancecode=str(location)[4:],
        groups=GROUPS,
        combination_groups=[CombinationGroup("c1", "Engels")],
        pupils=[
            pupil("1", "g1", "c1"),
            pupil("2", "g1"),
            pupil("3", "g2", "c1"),
            pupil("4", "g2", "c1"),
            pupil("5", "g2"),
        ],
        teachers=TEACHERS,
    )


def account(kit: Examkit, name: str, *grants: Grant) -> str:
    """Store account *name* with *grants* and access to the pupil-monitoring system."""
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=name,
                login_name=LoginName(f"22AB.{name}.x"),
                first_name="Kim",
                last_name=name.title(),
                email=f"{name}@school.nl",
                institutions=frozenset({Brin("22AB")}),
            )
        )
        uow.authorizations.add(Authorization(account=name, grants=grants, access=frozenset({CITO})))
        uow.commit()
    return name


def grant(role: str, *at: LocationCode | ClassRef, subject: Subject | None = None) -> Grant:
    """Return a grant of *role* at *at*."""
    return Grant.of(role, at, subject=subject, granted_at=AT)


@pytest.fixture(params=["memory", "sqlite"])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    """A kit with the file of 22AB00 imported by its administrator ``admin``."""
    if request.param == "memory":
        backend: Backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    kit = make_kit(backend=backend)
    admin = account(kit, "admin", grant("cito_lvs.administrator", L00, L01))
    kit.edexml_imports.confirm(admin, kit.edexml_imports.preview(admin, school_file()))
    yield kit
    kit.close()


def keys(kit: Examkit, actor: str, group: str, **more: object) -> list[str]:
    page = kit.rosters.class_pupils(actor, L00, group, **more)  # type: ignore[arg-type]
    return [item.pupil.key for item in page.items]


@pytest.mark.req("EDX-3", "ROLE-5")
def test_the_administrator_and_the_quality_officer_see_every_class(kit: Examkit) -> None:
    officer = account(kit, "officer", grant("cito_lvs.quality_officer", L00))
    for who in ("admin", officer):
        classes = kit.rosters.classes_for(who, L00)
        assert (["g1", "g2"], ["c1"], ["t1", "t2", "t3"]) == (
            [group.key for group in classes.groups],
            [group.key for group in classes.combination_groups],
            [teacher.key for teacher in classes.teachers],
        )
        assert ["3", "4", "5"] == keys(kit, who, "g2")
    assert (L00, L01) == kit.rosters.locations_for("admin")
    assert (L00,) == kit.rosters.locations_for(officer)


@pytest.mark.req("EDX-3", "ROLE-3", "ROLE-5")
def test_a_role_held_in_classes_sees_those_classes_only(kit: Examkit) -> None:
    counsellor = account(kit, "counsellor", grant("cito_lvs.pupil_counsellor", ClassRef(L00, "g1")))
    teacher = account(
        kit,
        "teacher",
        grant("cito_lvs.subject_teacher", ClassRef(L00, "c1"), subject=Subject.ENGLISH),
    )
    mine = kit.rosters.classes_for(counsellor, L00)
    assert (["g1"], [], ["t1"]) == (
        [group.key for group in mine.groups],
        [group.key for group in mine.combination_groups],
        [teacher.key for teacher in mine.teachers],
    )
    assert ["1", "2"] == keys(kit, counsellor, "g1")
    with pytest.raises(NotPermitted):
        kit.rosters.class_pupils(counsellor, L00, "g2")
    english = kit.rosters.classes_for(teacher, L00)
    assert ([], ["c1"], ["t3"]) == (
        [group.key for group in english.groups],
        [group.key for group in english.combination_groups],
        [teacher.key for teacher in english.teachers],
    )
    assert ["1", "3", "4"] == keys(kit, teacher, "c1")
    assert ["1", "3"] == keys(kit, teacher, "c1", limit=2)
    page = kit.rosters.class_pupils(teacher, L00, "c1", limit=2)
    assert ["4"] == keys(kit, teacher, "c1", after=page.next_after)
    assert ((L00,), (L00,)) == (
        kit.rosters.locations_for(counsellor),
        kit.rosters.locations_for(teacher),
    )


@pytest.mark.req("EDX-3", "ROLE-5")
def test_others_see_no_class_and_the_refusal_is_audited(kit: Examkit) -> None:
    planner = account(kit, "planner", grant("facet.planner", L00))
    counsellor = account(kit, "counsellor", grant("cito_lvs.pupil_counsellor", ClassRef(L00, "g1")))
    assert () == kit.rosters.locations_for(planner)
    with pytest.raises(NotPermitted):
        kit.rosters.classes_for(planner, L00)
    with pytest.raises(NotPermitted):
        kit.rosters.class_pupils(planner, L00, "g1")
    with pytest.raises(NotPermitted):
        kit.rosters.classes_for(counsellor, L01)
    with kit.backend.begin(readonly=True) as uow:
        denied = [
            (event.actor, event.subject)
            for event in uow.audit.list().items
            if event.action == "imports.classes.read"
        ]
    assert [("planner", "location:22AB00")] * 2 + [("counsellor", "location:22AB01")] == denied


@pytest.mark.req("EDX-3")
def test_an_unknown_class_a_location_without_import_and_a_bad_page_size(kit: Examkit) -> None:
    with pytest.raises(NotFound) as unknown:
        kit.rosters.class_pupils("admin", L00, "g9")
    assert "imports.group.not_found" == unknown.value.code
    with pytest.raises(NotFound) as nothing:
        kit.rosters.classes_for("admin", L01)
    assert "imports.location.no_import" == nothing.value.code
    with pytest.raises(InvalidInput):
        kit.rosters.class_pupils("admin", L00, "g1", limit=0)


@pytest.mark.req("EDX-3", "ROLE-5")
def test_the_listings_for_a_user_with_the_production_wiring(tmp_path: Path) -> None:
    """Examkit(...) on an SQLite file with its own clock and audit log: the same decisions."""
    from examkit.backends.sql import SQLBackend

    kit = Examkit(
        backend=SQLBackend(f"sqlite:///{tmp_path / 'examkit.db'}"),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
    )
    try:
        admin = account(kit, "admin", grant("cito_lvs.administrator", L00))
        year = calendar_year(kit.clock.now())
        kit.edexml_imports.confirm(admin, kit.edexml_imports.preview(admin, school_file(year)))
        counsellor = account(
            kit, "counsellor", grant("cito_lvs.pupil_counsellor", ClassRef(L00, "g2"))
        )
        assert ["g2"] == [group.key for group in kit.rosters.classes_for(counsellor, L00).groups]
        assert ["3", "4", "5"] == keys(kit, counsellor, "g2")
        with pytest.raises(NotPermitted):
            kit.rosters.class_pupils(counsellor, L00, "g1")
    finally:
        kit.close()
