"""Flemish central tests (*Vlaamse toetsen*): the school desk's registration, lists, reports.

Pure rules over the registration value; the use cases are in
:class:`~examkit.flemish.FlemishDesk`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from examkit._fields import clean_text, optional_text, require_aware_utc, required_text
from examkit.errors import ExamkitError, InvalidInput, InvalidState
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.permissions import Target

BRUSSELS: Final = ZoneInfo("Europe/Brussels")
"""The time zone the registration window is read in."""


def _dutch_date(value: date) -> str:
    return value.strftime("%d-%m-%Y")


@attrs.frozen
class RegistrationWindow:
    """The registration window (*registratieperiode*): from and to dates, inclusive, in Brussels.

    >>> from datetime import datetime, timezone
    >>> window = RegistrationWindow(date(2025, 1, 6), date(2025, 2, 28))
    >>> window.is_open(datetime(2025, 2, 28, 22, 30, tzinfo=timezone.utc))
    True
    >>> window.is_open(datetime(2025, 2, 28, 23, 30, tzinfo=timezone.utc))
    False

    Implements SCH-9.
    """

    opens: date
    """The first day changes are possible."""
    closes: date = attrs.field()
    """The last day changes are possible."""

    @closes.validator
    def _check(self, attribute: attrs.Attribute[Any], value: date) -> None:
        if value < self.opens:
            raise InvalidInput("sessions.flemish.window_order", field=attribute.name)

    def is_open(self, now: datetime) -> bool:
        """Return whether changes are possible at *now*."""
        today = require_aware_utc(now).astimezone(BRUSSELS).date()
        return self.opens <= today <= self.closes

    def check(self, now: datetime) -> None:
        """Raise unless changes are possible at *now*; the error says when they are.

        Raises:
            InvalidState: the window is not open yet, or closed (it says until when).
        """
        today = require_aware_utc(now).astimezone(BRUSSELS).date()
        if today < self.opens:
            raise InvalidState(
                "sessions.flemish.window_not_open",
                opens=_dutch_date(self.opens),
                closes=_dutch_date(self.closes),
            )
        if today > self.closes:
            raise InvalidState("sessions.flemish.window_closed", closes=_dutch_date(self.closes))


@attrs.frozen
class TestMoment:
    """A test moment (*toetsmoment*): a test (Dutch or maths) on a day.

    Implements SCH-9.
    """

    __test__ = False  # not a pytest test class

    code: str = attrs.field(converter=clean_text, validator=required_text(40))
    """Its code."""
    subject: str = attrs.field(converter=clean_text, validator=required_text(40))
    """``nederlands`` or ``wiskunde``."""
    on: date
    """The day."""


def _accommodations(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(clean_text(item) for item in value if clean_text(item))


@attrs.frozen
class PupilRegistration:
    """One pupil's registration (*leerling*): exemptions, participation, questionnaire, aids.

    Implements SCH-9.
    """

    pupil: str = attrs.field(converter=clean_text, validator=required_text(64))
    """The pupil's key in the school's data."""
    name: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The pupil's name."""
    exempt_dutch: bool = False
    """Exempt from the Dutch test (*vrijstelling Nederlands*)."""
    exempt_maths: bool = False
    """Exempt from the maths test (*vrijstelling wiskunde*)."""
    exemption_reason: str = attrs.field(
        default="", converter=clean_text, validator=optional_text(500)
    )
    """Why the pupil is exempt."""
    voluntary: bool = False
    """Takes part although not obliged to (*neemt toch deel*)."""
    no_questionnaire: bool = False
    """May not fill in the questionnaire (the parents said so)."""
    questionnaire_requested_on: date | None = None
    """When the parents told the school (by the parents' deadline)."""
    accommodations: tuple[str, ...] = attrs.field(default=(), converter=_accommodations)
    """Own accommodations (*eigen hulpmiddelen*)."""
    group: str = attrs.field(default="", converter=clean_text, validator=optional_text(64))
    """The pupil group (*leerlingengroep*)."""

    @property
    def exempt_from_all(self) -> bool:
        """Whether the pupil takes no test at all."""
        return self.exempt_dutch and self.exempt_maths


def _absent(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Logbook:
    """A test assistant's logbook (*logboek*) of one test moment and pupil group.

    Implements SCH-9.
    """

    moment: str
    """The test moment's code."""
    group: str
    """The pupil group."""
    assistant: str
    """The assistant's account id."""
    absent: tuple[str, ...] = attrs.field(default=(), converter=_absent)
    """The pupils (keys) absent."""
    notes: str = attrs.field(default="", converter=clean_text, validator=optional_text(4000))
    """What happened."""


def _pupils(value: Iterable[PupilRegistration]) -> tuple[PupilRegistration, ...]:
    return tuple(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _moments(value: Iterable[TestMoment]) -> tuple[TestMoment, ...]:
    return tuple(value)


def _logbooks(value: Iterable[Logbook]) -> tuple[Logbook, ...]:
    return tuple(value)


@attrs.frozen
class FlemishRegistration:
    """A Flemish school's registration for the central tests of a school year.

    Implements SCH-9.
    """

    school: Instellingsnummer
    """The school."""
    school_year: SchoolYear
    """The school year."""
    window: RegistrationWindow
    """When changes are possible."""
    parents_deadline: date
    """The day by which parents tell the school about the questionnaire."""
    moments: tuple[TestMoment, ...] = attrs.field(default=(), converter=_moments)
    """The test moments."""
    pupils: tuple[PupilRegistration, ...] = attrs.field(default=(), converter=_pupils)
    """The pupils, by pupil key."""
    groups: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    """The pupil groups."""
    validated_at: datetime | None = None
    """When the coordinator validated it (then it is locked)."""
    validated_by: str | None = None
    """Who validated it."""
    logbooks: tuple[Logbook, ...] = attrs.field(default=(), converter=_logbooks)
    """The assistants' logbooks."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<school>:<school year>``."""
        return f"{self.school}:{self.school_year}"

    @property
    def is_locked(self) -> bool:
        """Whether it was validated (nothing changes any more)."""
        return self.validated_at is not None

    @property
    def permission_target(self) -> Target:
        """Where it is, for permission decisions: the school."""
        return Target.of(self.school)


def registration_problems(registration: FlemishRegistration) -> list[ExamkitError]:
    """Return every inconsistency of *registration*, pupil by pupil, then group by group.

    Implements SCH-9.
    """
    problems: list[ExamkitError] = []
    groups = set(registration.groups)
    used: set[str] = set()
    for pupil in registration.pupils:
        field = f"pupil:{pupil.pupil}"
        exempt = pupil.exempt_dutch or pupil.exempt_maths
        if exempt and not pupil.exemption_reason:
            problems.append(InvalidInput("sessions.flemish.reason_missing", field=field))
        if pupil.exemption_reason and not exempt:
            problems.append(InvalidInput("sessions.flemish.reason_without", field=field))
        if pupil.voluntary and exempt:
            problems.append(InvalidInput("sessions.flemish.voluntary_exempt", field=field))
        if pupil.no_questionnaire and (
            pupil.questionnaire_requested_on is None
            or pupil.questionnaire_requested_on > registration.parents_deadline
        ):
            problems.append(
                InvalidInput(
                    "sessions.flemish.questionnaire_late",
                    field=field,
                    deadline=_dutch_date(registration.parents_deadline),
                )
            )
        if not pupil.exempt_from_all and not pupil.group:
            problems.append(InvalidInput("sessions.flemish.no_group", field=field))
        if pupil.group and pupil.group not in groups:
            problems.append(
                InvalidInput("sessions.flemish.unknown_group", field=field, group=pupil.group)
            )
        used.add(pupil.group)
    for group in registration.groups:
        if group not in used:
            problems.append(
                InvalidInput("sessions.flemish.empty_group", field=f"group:{group}", group=group)
            )
    return problems


@attrs.frozen
class ParticipationLine:
    """One pupil on the participation list (*deelnamelijst*) for the assistants.

    Implements SCH-9 (and DOC-4's data).
    """

    group: str
    """The pupil group."""
    pupil: str
    """The pupil's key."""
    name: str
    """The pupil's name."""
    takes_dutch: bool
    """Whether they take the Dutch test."""
    takes_maths: bool
    """Whether they take the maths test."""
    questionnaire: bool
    """Whether they fill in the questionnaire."""
    accommodations: tuple[str, ...]
    """Their own accommodations."""


def participation_list(registration: FlemishRegistration) -> tuple[ParticipationLine, ...]:
    """Return the participation list: every pupil by group, then name.

    Implements SCH-9.
    """
    return tuple(
        sorted(
            (
                ParticipationLine(
                    group=pupil.group,
                    pupil=pupil.pupil,
                    name=pupil.name,
                    takes_dutch=not pupil.exempt_dutch,
                    takes_maths=not pupil.exempt_maths,
                    questionnaire=not pupil.no_questionnaire,
                    accommodations=pupil.accommodations,
                )
                for pupil in registration.pupils
            ),
            key=lambda line: (line.group, line.name, line.pupil),
        )
    )


@attrs.frozen
class TestReport:
    """The test report (*toetsverslag*) of one test moment, from the assistants' logbooks.

    Implements SCH-9.
    """

    __test__ = False  # not a pytest test class

    moment: str
    """The test moment's code."""
    groups: tuple[str, ...]
    """The groups with a logbook."""
    missing_groups: tuple[str, ...]
    """The groups without a logbook yet."""
    absent: tuple[str, ...]
    """The pupils absent, over all logbooks."""
    notes: tuple[str, ...]
    """Each logbook's notes, prefixed with its group."""


def test_report(registration: FlemishRegistration, moment: str) -> TestReport:
    """Return the test report of *moment* from the logbooks.

    Raises:
        InvalidInput: *moment* is not a test moment of the registration.

    Implements SCH-9.
    """
    if all(m.code != moment for m in registration.moments):
        raise InvalidInput("sessions.flemish.unknown_moment", field="moment", moment=moment)
    books = [book for book in registration.logbooks if book.moment == moment]
    logged = sorted({book.group for book in books})
    return TestReport(
        moment=moment,
        groups=tuple(logged),
        missing_groups=tuple(g for g in registration.groups if g not in logged),
        absent=tuple(sorted({p for book in books for p in book.absent})),
        notes=tuple(f"{book.group}: {book.notes}" for book in books if book.notes),
    )


test_report.__test__ = False  # type: ignore[attr-defined]
