"""Reports by role (SCO-6): class overview, class report, subject report, filtered by ``may``.

The reports are data: rows that carry their permission target (location,
class, subject), so that :func:`examkit.permissions.may` decides row by row what
an actor receives. A subject teacher's grant is for one subject in their
classes, so they never receive another subject's rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from examkit.identifiers import LocationCode
from examkit.permissions import Actor, Subject, Target

REPORTS_VIEW: Final = "cito_lvs.reports.view"
"""The action a class or subject report row needs."""
CLASS_OVERVIEW_VIEW: Final = "cito_lvs.class_overview.view"
"""The action a class overview row needs."""

_SUBJECTS: Final = {
    "nederlands": Subject.DUTCH,
    "dutch": Subject.DUTCH,
    "engels": Subject.ENGLISH,
    "english": Subject.ENGLISH,
    "wiskunde": Subject.MATHS,
    "maths": Subject.MATHS,
    "mathematics": Subject.MATHS,
    "rekenen": Subject.MATHS,
}


def report_subject(name: str) -> Subject | None:
    """Return the report subject of a test's subject name, ``None`` when it is not one.

    >>> report_subject("Nederlands"), report_subject("Wiskunde A"), report_subject("Frans")
    (<Subject.DUTCH: 'dutch'>, <Subject.MATHS: 'maths'>, None)
    """
    words = name.casefold().split()
    return _SUBJECTS.get(words[0]) if words else None


@attrs.frozen
class ResultRow:
    """One candidate's result in one test, where and in which class and subject.

    Implements SCO-6.
    """

    location: LocationCode
    """The location."""
    class_key: str
    """The class."""
    subject: Subject | None
    """The report subject (``None``: a subject outside the reports' three)."""
    exam: str
    """The test's code."""
    candidate: str
    """The candidate's id."""
    name: str
    """Their name."""
    total: Fraction
    """The total score."""
    grade: Decimal
    """The grade."""

    @property
    def permission_target(self) -> Target:
        """Location, class and subject: who may see this row in a subject report."""
        return Target(location=self.location, class_key=self.class_key, subject=self.subject)


@attrs.frozen
class ClassRow:
    """One class's line in a class report or overview: count and mean grade per test.

    Implements SCO-6.
    """

    location: LocationCode
    """The location."""
    class_key: str
    """The class."""
    exam: str
    """The test's code."""
    candidates: int
    """How many candidates."""
    mean_grade: Decimal
    """Their mean grade, one decimal."""

    @property
    def permission_target(self) -> Target:
        """Location and class."""
        return Target(location=self.location, class_key=self.class_key)


def _classes(rows: Iterable[ResultRow]) -> tuple[ClassRow, ...]:
    groups: dict[tuple[LocationCode, str, str], list[Decimal]] = {}
    for row in rows:
        groups.setdefault((row.location, row.class_key, row.exam), []).append(row.grade)
    return tuple(
        ClassRow(
            location,
            class_key,
            exam,
            len(grades),
            (sum(grades, Decimal(0)) / len(grades)).quantize(Decimal("0.1")),
        )
        for (location, class_key, exam), grades in sorted(
            groups.items(), key=lambda entry: (str(entry[0][0]), entry[0][1], entry[0][2])
        )
    )


def class_overview(actor: Actor, rows: Iterable[ResultRow]) -> tuple[ClassRow, ...]:
    """Return the class overview (quality officer): per class and test, at the actor's locations.

    Implements SCO-6.
    """
    return tuple(
        row
        for row in _classes(r for r in rows if r.class_key)
        if actor.may(CLASS_OVERVIEW_VIEW, Target.of(row.location))
    )


def class_report(actor: Actor, rows: Iterable[ResultRow]) -> tuple[ResultRow, ...]:
    """Return the class report (pupil counsellor): every result in the actor's classes.

    Implements SCO-6.
    """
    return tuple(
        row
        for row in rows
        if row.class_key
        and actor.may(REPORTS_VIEW, Target(location=row.location, class_key=row.class_key))
    )


def subject_report(actor: Actor, rows: Iterable[ResultRow]) -> tuple[ResultRow, ...]:
    """Return the subject report (subject teacher): results of the actor's subject and classes.

    Only rows of one of the reports' subjects count.

    Implements SCO-6.
    """
    return tuple(
        row
        for row in rows
        if row.class_key and row.subject is not None and actor.may(REPORTS_VIEW, row)
    )
