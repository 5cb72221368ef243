# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Importing is idempotent and path-independent, over generated files and edit sequences."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examkit import Examkit
from examkit.edexml import CombinationGroup, Gender, Group, PersonName, Pupil, Teacher, TeacherGroup
from examkit.identifiers import LocationCode, SchoolYear
from examkit.testing import edexml_document, make_kit, store_actor

pytestmark = pytest.mark.req("EDX-4")

L00 = LocationCode("22AB00")
YEAR = SchoolYear("2026-2027")
ACTOR = "acc-admin"
"""The administrator of 22AB00 who imports (stored in each kit by :func:`run`)."""
GROUPS = [Group("g1", "1A", "1"), Group("g2", "2A", "2"), Group("g3", "3A", "3")]
COMBINATIONS = [CombinationGroup("c1", "Engels"), CombinationGroup("c2", "Frans")]


@st.composite
def pupils(
    draw: st.DrawFn, key: str, groups: list[Group], combinations: list[CombinationGroup]
) -> Pupil:
    """Return a pupil with *key* in one of *groups*, with a few drawn fields (the edits)."""
    group = draw(st.sampled_from(groups))
    return Pupil(
        key,
        PersonName(draw(st.sampled_from(["Jansen", "de Vries", "Bakker"])), called_name=key),
        birth_date=draw(st.sampled_from([date(2013, 1, 5), date(2014, 2, 6)])),
        gender=draw(st.sampled_from([Gender.MALE, Gender.FEMALE, None])),
        year_group=group.year_group,
        group=group.key,
        combination_groups=tuple(
            draw(st.lists(st.sampled_from([c.key for c in combinations] or [""]), unique=True))
            if combinations
            else ()
        ),
    )


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """Return an EDEXML file of 22AB00 with some of eight pupils, groups and teachers."""
    keys = draw(
        st.lists(st.sampled_from([f"p{n}" for n in range(8)]), unique=True, min_size=1, max_size=6)
    )
    groups = draw(st.lists(st.sampled_from(GROUPS), unique=True, min_size=1))
    names = [g.key for g in groups]
    combinations = draw(st.lists(st.sampled_from(COMBINATIONS), unique=True))
    chosen = [draw(pupils(key, groups, combinations)) for key in sorted(keys)]
    teachers = [
        Teacher(key, PersonName("Bos", called_name=key), groups=(TeacherGroup(names[0]),))
        for key in draw(st.lists(st.sampled_from(["t1", "t2"]), unique=True))
    ]
    return edexml_document(
        school_year=YEAR,
        brin=L00.brin,
        groups=groups,
        combination_groups=combinations,
        pupils=chosen,
        teachers=teachers,
    )


def state(kit: Examkit) -> tuple[Any, ...]:
    """Return what is stored for the location and year, apart from archived pupils."""
    return (
        kit.rosters.pupils(L00, limit=1000).items,
        kit.rosters.classes(L00),
    )


def run(*documents: bytes) -> Examkit:
    """Return a kit after confirming *documents* in order."""
    kit = make_kit()
    store_actor(
        kit.backend,
        ACTOR,
        [("cito_lvs.administrator", [L00])],
        granted_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    for data in documents:
        kit.edexml_imports.confirm(ACTOR, kit.edexml_imports.preview(ACTOR, data))
    return kit


@settings(max_examples=25)
@given(st.lists(files(), min_size=1, max_size=3))
def test_an_edit_sequence_ends_where_the_last_file_alone_does(sequence: list[bytes]) -> None:
    """Import A, (B, ...), then Z: the same current pupils and classes as importing Z alone."""
    assert state(run(sequence[-1])) == state(run(*sequence))


@settings(max_examples=15)
@given(files())
def test_importing_a_file_again_changes_nothing(data: bytes) -> None:
    """The second import of the same file shows an empty difference."""
    kit = run(data)
    preview = kit.edexml_imports.preview(ACTOR, data)
    assert preview.diff.is_empty
    before = state(kit)
    kit.edexml_imports.confirm(ACTOR, preview)
    assert before == state(kit)
