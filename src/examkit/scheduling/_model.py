"""The values of test sessions: tests, candidates, session groups, attempts and reports."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final
from zoneinfo import ZoneInfo

import attrs

from examkit._fields import clean_text, optional_text, require_aware_utc, required_text
from examkit.errors import InvalidInput
from examkit.identifiers import LocationCode
from examkit.permissions import Target
from examkit.scheduling._lifecycle import GroupState
from examkit.scoring import TestDefinition

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
"""The time zone session times are read and shown in."""

MAX_CENTRAL_EXTRA_TIME: Final = 30
"""The most extra time, in minutes, a candidate gets at a central exam."""

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_LOGIN = re.compile(r"[A-Z0-9]{4,20}")


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value)


def _check_code(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _CODE.fullmatch(value):
        raise InvalidInput("sessions.code.invalid", field=attribute.name, value=value)


def _check_id(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value or len(value) > 64:
        raise InvalidInput("input.required", field=attribute.name)


def _positive_minutes(_: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    if value <= timedelta(0) or value > timedelta(hours=12) or value % timedelta(minutes=1):
        raise InvalidInput("sessions.duration.invalid", field=attribute.name)


class Mode(enum.Enum):
    """How a test is taken (*afnamevorm*).

    Implements SCH-1 and SCH-7.
    """

    ONLINE = "online"
    """On the central server; answers are written there."""
    OFFLINE = "offline"
    """On the institution's own offline server (FAO)."""
    PAPER = "paper"
    """On paper, with answer sheets (EDX-3)."""


class Scoring(enum.Enum):
    """Who scores an item (*automatisch scoorbaar of door correctoren*).

    Implements SCO-1.
    """

    AUTOMATIC = "automatic"
    """Scored without any action."""
    CORRECTOR = "corrector"
    """Scored by the first (and, where required, the second) corrector."""


def _max_score(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 1000:
        raise InvalidInput("sessions.item.max_score", field=attribute.name)


@attrs.frozen
class ItemSlot:
    """An item of a test as sessions see it (*vraag*): identifier, maximum, who scores it.

    The item itself (its key, its response type) is defined in
    :mod:`examkit.scoring`; see :meth:`Exam.from_scoring`.

    Implements SCH-1.
    """

    id: str = attrs.field(converter=clean_text, validator=required_text(64))
    """The item's identifier within its test."""
    max_score: int = attrs.field(validator=_max_score)
    """The most the item can score."""
    scoring: Scoring = attrs.field(default=Scoring.AUTOMATIC, converter=Scoring)
    """Whether it is scored automatically or by correctors."""


def _items(value: Iterable[ItemSlot]) -> tuple[ItemSlot, ...]:
    return tuple(value)


def _check_items(_: object, attribute: attrs.Attribute[Any], value: tuple[ItemSlot, ...]) -> None:
    if not value:
        raise InvalidInput("sessions.exam.no_items", field=attribute.name)
    ids = [item.id for item in value]
    if len(set(ids)) != len(ids):
        raise InvalidInput("sessions.exam.item_twice", field=attribute.name)


def _modes(value: Iterable[Mode]) -> frozenset[Mode]:
    return frozenset(Mode(mode) for mode in value)


@attrs.frozen
class Exam:
    """A test definition (*toets*, *examen*): code, title, subject, duration, items, form.

    >>> from datetime import timedelta
    >>> exam = Exam(code="NE-GL-2026", title="Nederlands GL", subject="Nederlands",
    ...             duration=timedelta(minutes=120),
    ...             items=[ItemSlot("q1", 2), ItemSlot("q2", 3, Scoring.CORRECTOR)])
    >>> exam.maximum, exam.needs_correction
    (5, True)

    Implements SCH-1 and SCH-2.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class

    code: str = attrs.field(validator=_check_code)
    """The test's code, its key."""
    title: str = attrs.field(converter=clean_text, validator=required_text(200))
    """Its title."""
    subject: str = attrs.field(converter=clean_text, validator=required_text(100))
    """Its subject (*vak*)."""
    duration: timedelta = attrs.field(validator=_positive_minutes)
    """How long it takes, in whole minutes, without extra time."""
    items: tuple[ItemSlot, ...] = attrs.field(converter=_items, validator=_check_items)
    """Its items, in order."""
    modes: frozenset[Mode] = attrs.field(
        default=frozenset({Mode.ONLINE, Mode.OFFLINE}), converter=_modes
    )
    """How it may be taken: online, offline, on paper."""
    functionality_test: bool = False
    """Whether it is the functionality-test exam (*FT-examen*, the system check)."""
    central: bool = True
    """Whether it is a central exam (extra time at most 30 minutes)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def maximum(self) -> int:
        """The test's maximum score."""
        return sum(item.max_score for item in self.items)

    @property
    def needs_correction(self) -> bool:
        """Whether any item is scored by correctors."""
        return any(item.scoring is Scoring.CORRECTOR for item in self.items)

    @classmethod
    def from_scoring(
        cls,
        definition: TestDefinition,
        *,
        code: str,
        title: str,
        subject: str,
        duration: timedelta,
        **options: Any,
    ) -> Exam:
        """Return the test whose items are those of scoring's *definition*.

        Raises:
            InvalidInput: an item's maximum is not a whole number.
        """
        slots = []
        for item in definition.items:
            if item.max_score.denominator != 1:
                raise InvalidInput("sessions.item.max_score", field="items")
            slots.append(
                ItemSlot(
                    item.id,
                    int(item.max_score),
                    Scoring.AUTOMATIC if item.automatic else Scoring.CORRECTOR,
                )
            )
        return cls(
            code=code, title=title, subject=subject, duration=duration, items=slots, **options
        )


def _extra_minutes(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 240:
        raise InvalidInput("sessions.extra_time.invalid", field=attribute.name)


@attrs.frozen
class Facilities:
    """A candidate's extra facilities (*extra faciliteiten*), as data.

    >>> Facilities(extra_time_minutes=30, read_aloud=True).extra_time
    datetime.timedelta(seconds=1800)

    Implements SCH-1.
    """

    extra_time_minutes: int = attrs.field(default=0, validator=_extra_minutes)
    """Extra time in minutes (at most 30 at central exams)."""
    read_aloud: bool = False
    """The test is read aloud (*voorleessoftware*)."""
    enlarged_print: bool = False
    """Enlarged print (*vergroting*)."""
    spelling_aid: bool = False
    """A spelling aid (*spellingcontrole*)."""
    own_room: bool = False
    """A room of their own (*aparte ruimte*)."""

    @property
    def extra_time(self) -> timedelta:
        """The extra time as a duration."""
        return timedelta(minutes=self.extra_time_minutes)


def is_login_name(text: str) -> bool:
    """Return whether *text* has the form of a candidate's login name (4-20 of A-Z, 0-9).

    >>> is_login_name("K7HQ3MXA"), is_login_name("k7hq3mxa"), is_login_name("K7 HQ")
    (True, False, False)
    """
    return _LOGIN.fullmatch(text) is not None


def _check_login(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not is_login_name(value):
        raise InvalidInput("sessions.login_name.invalid", field=attribute.name, value=value)


def _upper(value: str) -> str:
    return clean_text(value).upper()


@attrs.frozen
class Candidate:
    """A candidate (*kandidaat*) at a location, with the login name examkit gave them.

    >>> Candidate(id="c-1", location=LocationCode("22AB00"), login_name="k7hq3mxa",
    ...           first_name="Sanne", last_name="de Vries").login_name
    'K7HQ3MXA'

    Implements SCH-1.
    """

    id: str = attrs.field(validator=_check_id)
    """Its id, the key."""
    location: LocationCode
    """The location it belongs to."""
    login_name: str = attrs.field(converter=_upper, validator=_check_login)
    """The login name examkit gave it, printed on its slip (unique)."""
    first_name: str = attrs.field(converter=clean_text, validator=required_text(100))
    """First name."""
    last_name: str = attrs.field(converter=clean_text, validator=required_text(100))
    """Last name (with its prefix: ``de Vries``)."""
    number: str = attrs.field(default="", converter=clean_text, validator=optional_text(20))
    """The school's candidate number (*examennummer*), if any."""
    class_key: str = attrs.field(default="", converter=clean_text, validator=optional_text(64))
    """The class it is in, if known."""
    pupil_key: str = attrs.field(default="", converter=clean_text, validator=optional_text(64))
    """The imported pupil it stands for, if any (EDEXML)."""
    facilities: Facilities = Facilities()
    """Its extra facilities."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen
class TransitionRecord:
    """One line of a group's transition log (*logboek*): who, as what role, when, why.

    Implements SCH-3 and SCH-5.
    """

    event: str
    """The event (``release``)."""
    source: GroupState
    """The state before."""
    target: GroupState
    """The state after."""
    actor: str
    """The acting account's id."""
    role: str
    """The role they acted in."""
    at: datetime = attrs.field(converter=_aware)
    """When."""
    reason: str = ""
    """Why, where given."""


@attrs.frozen
class Incident:
    """An incident or irregularity (*onregelmatigheid*) in the session report.

    Implements SCH-5.
    """

    at: datetime = attrs.field(converter=_aware)
    """When it happened."""
    text: str = attrs.field(converter=clean_text, validator=required_text(2000))
    """What happened."""
    candidate: str | None = None
    """The candidate it concerns (their id), if one."""


@attrs.frozen
class Remark:
    """A remark the planner appends to a closed session report (*opmerking*).

    Implements SCH-5.
    """

    at: datetime = attrs.field(converter=_aware)
    """When."""
    by: str
    """The planner's account id."""
    text: str = attrs.field(converter=clean_text, validator=required_text(2000))
    """The remark."""


def _incidents(value: Iterable[Incident]) -> tuple[Incident, ...]:
    return tuple(value)


def _remarks(value: Iterable[Remark]) -> tuple[Remark, ...]:
    return tuple(value)


def _records(value: Iterable[TransitionRecord]) -> tuple[TransitionRecord, ...]:
    return tuple(value)


@attrs.frozen
class SessionReport:
    """The official session report (*proces-verbaal*) the proctor draws up.

    Immutable after the group closes, except for the planner's remarks.

    Implements SCH-5.
    """

    started_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the session actually started."""
    ended_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When it actually ended."""
    incidents: tuple[Incident, ...] = attrs.field(default=(), converter=_incidents)
    """Incidents and irregularities, per candidate or for the whole group."""
    notes: str = attrs.field(default="", validator=optional_text(10000))
    """The proctor's free text."""
    completed: bool = False
    """Whether the proctor completed it (the close needs it)."""
    remarks: tuple[Remark, ...] = attrs.field(default=(), converter=_remarks)
    """The planner's remarks after the close."""
    clock_offset_ms: int | None = None
    """On an offline server: its clock minus the central system's, in milliseconds, as
    last measured while the report was written (``None``: not run offline, or never
    measured); the room's times and deadlines follow the offline server's clock."""


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _unique_ids(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if len(set(value)) != len(value):
        raise InvalidInput("sessions.group.candidate_twice", field=attribute.name)


@attrs.frozen
class TestSessionGroup:
    """A test session group (*afnamegroep*): a test taken by candidates at a time and place.

    Its state follows :data:`~examkit.scheduling.GROUP_LIFECYCLE`; the end is
    the start plus the test's duration.

    Implements SCH-1 to SCH-6.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class

    id: str = attrs.field(validator=_check_id)
    """Its id, the key."""
    location: LocationCode
    """The location it is held at."""
    exam: str
    """The test's code."""
    mode: Mode
    """Online or offline (paper tests have no groups)."""
    starts_at: datetime = attrs.field(converter=_aware)
    """When it starts."""
    duration: timedelta
    """The test's duration (copied from the test when planned)."""
    room: str = attrs.field(converter=clean_text, validator=required_text(100))
    """The room (*lokaal*)."""
    proctor: str
    """The proctor's account id."""
    candidates: tuple[str, ...] = attrs.field(converter=_ids, validator=_unique_ids)
    """The candidates' ids."""
    first_corrector: str | None = None
    """The first corrector's account id."""
    second_corrector: str | None = None
    """The second corrector's account id, where a second correction is required."""
    offline_server: str | None = None
    """The registered offline server it runs on (offline groups)."""
    held_by: str | None = None
    """The offline server holding it (handed over, its closed state not yet back): while
    set, the group and its attempts are read-only centrally (:mod:`examkit.offline`).
    On the offline server itself it is ``None``: there the group is its own."""
    functionality_test: bool = False
    """Whether it is a functionality-test group (planned by the FT planner)."""
    needs_correction: bool = False
    """Whether the test has items scored by correctors."""
    state: GroupState = GroupState.PLANNED
    """Its state."""
    access_code: str | None = None
    """The access code (*toegangscode*), from release until close."""
    log: tuple[TransitionRecord, ...] = attrs.field(default=(), converter=_records)
    """Every transition, in order."""
    report: SessionReport = SessionReport()
    """The session report."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def ends_at(self) -> datetime:
        """When it ends: the start plus the duration."""
        return self.starts_at + self.duration

    @property
    def day(self) -> str:
        """Its date in Amsterdam, ``YYYY-MM-DD``."""
        return self.starts_at.astimezone(AMSTERDAM).date().isoformat()

    @property
    def permission_target(self) -> Target:
        """Where it is, for permission decisions: its location."""
        return Target.of(self.location)

    @property
    def is_released(self) -> bool:
        """Whether candidates may sign in now."""
        return self.state is GroupState.RELEASED
