# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The pure difference of an import: added, changed field by field, gone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from examkit.edexml import Gender, Group, PersonName, Pupil, Teacher, TeacherGroup
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports import Change, Changes, ClassList, EnrolledPupil, FieldChange
from examkit.imports._common import difference, fingerprint
from examkit.imports._diff import as_text, compare

pytestmark = pytest.mark.req("EDX-2", "EDX-4")

L00, YEAR = LocationCode("22AB00"), SchoolYear("2026-2027")


def test_compare_sorts_added_and_gone_and_keeps_field_order() -> None:
    """Keys are sorted; each change lists its fields in the value's field order."""
    before = [Group("b", "1A", "1"), Group("a", "2A", "2"), Group("c", "3A", "3")]
    after = [Group("d", "4A", "4"), Group("a", "2B", "3"), Group("c", "3A", "3")]
    expected = Changes(
        added=("d",),
        changed=(
            Change("a", (FieldChange("name", "2A", "2B"), FieldChange("year_group", "2", "3"))),
        ),
        gone=("b",),
    )
    assert expected == compare(before, after, lambda group: group.key)


def test_values_show_as_text() -> None:
    """Dates, enums, tuples and nested values become text; empty values None."""
    assert "2013-02-03" == as_text(date(2013, 2, 3))
    assert "2" == as_text(Gender.FEMALE)
    assert None is as_text(())
    shown = as_text((TeacherGroup("g1", roles=("LRK",)),))
    assert '[{"combination": false, "key": "g1", "role_descriptions": [], "roles": ["LRK"]}]' == (
        shown
    )


def test_archived_pupils_count_as_absent_and_the_fingerprint_sees_versions() -> None:
    """A pupil archived earlier and in the file again is added; versions change the fingerprint."""
    pupil = Pupil("1", PersonName("Jansen"), group="g1")
    archived = EnrolledPupil(L00, YEAR, pupil, archived_at=datetime(2026, 9, 1, tzinfo=UTC))
    incoming = ClassList(L00, YEAR, teachers=(Teacher("t1", PersonName("Bos")),))
    diff = difference(None, [archived], incoming, (pupil,))
    assert ("1",) == diff.pupils.added
    assert ("t1",) == diff.teachers.added
    assert {"added": 1, "changed": 0, "gone": 0} == diff.counts()["pupils"]
    stored = EnrolledPupil(L00, YEAR, pupil, version=1)
    assert fingerprint(None, [stored]) != fingerprint(
        None, [EnrolledPupil(L00, YEAR, pupil, version=2)]
    )
    assert fingerprint(None, []) != fingerprint(ClassList(L00, YEAR, version=1), [])
