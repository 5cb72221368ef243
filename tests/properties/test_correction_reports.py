# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Reports by role (SCO-6) on a populated dataset, for random grants.

Several locations of two institutions, classes at each, results in Dutch,
English, maths and a subject outside the reports. For random grants of the
quality officer (locations), the pupil counsellor (classes) and the subject
teacher (classes, one subject), with or without access to the pupil
monitoring system at each institution, every report holds exactly the rows
the reference filter below selects: none outside the actor's scope, none
missing. The reference is written from seed 001 (step 8 a-c), not from the
permission matrix.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.correction import (
    ResultRow,
    class_overview,
    class_report,
    subject_report,
)
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Access, Actor, ClassRef, Grant, Subject

AT = datetime(2026, 9, 1, tzinfo=UTC)
SCHOOLS = {
    Brin("22AB"): (LocationCode("22AB00"), LocationCode("22AB01")),
    Brin("33CD"): (LocationCode("33CD00"),),
}
CLASSES = ("1A", "1B", "2A")
SUBJECTS: tuple[Subject | None, ...] = (Subject.DUTCH, Subject.ENGLISH, Subject.MATHS, None)


def _dataset() -> tuple[ResultRow, ...]:
    rows = []
    n = 0
    for locations in SCHOOLS.values():
        for location in locations:
            for class_key in (*CLASSES, ""):
                for subject in SUBJECTS:
                    for _ in range(2):
                        n += 1
                        rows.append(
                            ResultRow(
                                location=location,
                                class_key=class_key,
                                subject=subject,
                                exam=f"T-{subject.value if subject else 'frans'}",
                                candidate=f"c-{n}",
                                name=f"Kandidaat {n}",
                                total=Fraction(n % 11),
                                grade=Decimal(n % 9 + 10) / 10,
                            )
                        )
    return tuple(rows)


ROWS = _dataset()

# A grant spec: (role, school, the chosen locations or classes, subject).
Spec = tuple[str, Brin, tuple[Any, ...], Subject | None]


@st.composite
def _specs(draw: st.DrawFn) -> Spec:
    role = draw(
        st.sampled_from(
            ["cito_lvs.quality_officer", "cito_lvs.pupil_counsellor", "cito_lvs.subject_teacher"]
        )
    )
    school = draw(st.sampled_from(sorted(SCHOOLS)))
    if role == "cito_lvs.quality_officer":
        places = draw(st.sets(st.sampled_from(SCHOOLS[school]), min_size=1))
        return role, school, tuple(sorted(places)), None
    classes = draw(
        st.sets(
            st.tuples(st.sampled_from(SCHOOLS[school]), st.sampled_from(CLASSES)),
            min_size=1,
            max_size=3,
        )
    )
    subject = draw(st.sampled_from(SUBJECTS[:3])) if role == "cito_lvs.subject_teacher" else None
    return role, school, tuple(sorted(classes)), subject


def _actor(specs: list[Spec], access: frozenset[Brin]) -> Actor:
    grants = []
    for role, _, places, subject in specs:
        at = (
            [ClassRef(loc, key) for loc, key in places]
            if role != "cito_lvs.quality_officer"
            else list(places)
        )
        grants.append(Grant.of(role, at, subject=subject, granted_at=AT))
    return Actor("acc-1", grants=grants, access=[Access("cito_lvs", school) for school in access])


def _counts(specs: list[Spec], access: frozenset[Brin]) -> list[Spec]:
    """The reference: a grant counts only where the school switched the system on for it."""
    return [spec for spec in specs if spec[1] in access]


def _sees_class(specs: list[Spec], location: LocationCode, class_key: str) -> bool:
    for role, _, places, _ in specs:
        if role == "cito_lvs.quality_officer" and location in places:
            return True
        if role == "cito_lvs.pupil_counsellor" and (location, class_key) in places:
            return True
    return False


def _sees_subject(specs: list[Spec], row: ResultRow) -> bool:
    if row.subject is None:
        return False
    if _sees_class(specs, row.location, row.class_key):
        return True
    return any(
        role == "cito_lvs.subject_teacher"
        and (row.location, row.class_key) in places
        and subject is row.subject
        for role, _, places, subject in specs
    )


@pytest.mark.req("SCO-6")
@given(
    specs=st.lists(_specs(), min_size=0, max_size=3),
    access=st.sets(st.sampled_from(sorted(SCHOOLS))).map(frozenset),
)
def test_each_role_receives_exactly_the_rows_of_its_scope(
    specs: list[Spec], access: frozenset[Brin]
) -> None:
    """Class overview, class report and subject report: exactly the reference's rows."""
    actor = _actor(specs, access)
    counting = _counts(specs, access)
    officers = [s for s in counting if s[0] == "cito_lvs.quality_officer"]
    overview = class_overview(actor, ROWS)
    expected_classes = sorted(
        {
            (str(r.location), r.class_key, r.exam)
            for r in ROWS
            if r.class_key and any(r.location in s[2] for s in officers)
        }
    )
    assert expected_classes == [(str(c.location), c.class_key, c.exam) for c in overview]
    for line in overview:
        grades = [
            r.grade
            for r in ROWS
            if (r.location, r.class_key, r.exam) == (line.location, line.class_key, line.exam)
        ]
        assert len(grades) == line.candidates
        assert abs(sum(grades, Decimal(0)) / len(grades) - line.mean_grade) <= Decimal("0.05")
    assert [
        r.candidate for r in ROWS if r.class_key and _sees_class(counting, r.location, r.class_key)
    ] == [r.candidate for r in class_report(actor, ROWS)]
    assert [r.candidate for r in ROWS if r.class_key and _sees_subject(counting, r)] == [
        r.candidate for r in subject_report(actor, ROWS)
    ]


@pytest.mark.req("SCO-6")
def test_a_subject_teacher_never_receives_another_subjects_rows() -> None:
    """A Dutch teacher of 1A at 22AB00 gets that class's Dutch rows only, in no other report."""
    specs: list[Spec] = [
        ("cito_lvs.subject_teacher", Brin("22AB"), ((LocationCode("22AB00"), "1A"),), Subject.DUTCH)
    ]
    actor = _actor(specs, frozenset({Brin("22AB")}))
    rows = subject_report(actor, ROWS)
    assert 2 == len(rows)
    assert {(LocationCode("22AB00"), "1A", Subject.DUTCH)} == {
        (r.location, r.class_key, r.subject) for r in rows
    }
    assert () == class_report(actor, ROWS)
    assert () == class_overview(actor, ROWS)
