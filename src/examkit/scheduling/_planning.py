"""Planning: session groups planned one by one or read from a file, and what they hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import attrs

from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.permissions import load_actor
from examkit.scheduling._attempts import (
    Attempt,
)
from examkit.scheduling._common import all_candidates, find_overlap, location_subject
from examkit.scheduling._group_file import GroupRow, read_group_file
from examkit.scheduling._model import (
    MAX_CENTRAL_EXTRA_TIME,
    Candidate,
    Exam,
    Facilities,
    Mode,
    TestSessionGroup,
)
from examkit.scheduling._views import GroupImport, GroupImportLine
from examkit.storage import Page
from examkit.usecase import Ports, UseCase

PLAN = "sessions.group.plan"
"""The audit action of a refused plan."""
VIEW_PLANNED = "facet.sessions.view_planned"
"""The permission to consult the planned sessions at a location."""
SET_FACILITIES = "facet.candidates.import"
"""The permission to change a candidate's facilities (as ``kit.candidates.set_facilities``)."""
FACILITIES_CHANGED = "sessions.candidate.facilities"
"""The audit action of a candidate's changed facilities."""


class Planning:
    """Planning session groups (*afnamegroepen*), ``kit.planning``.

    Args:
        ports: The wired ports.

    Implements SCH-1 and SCH-2.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def group(self, group_id: str) -> TestSessionGroup:
        """Return the group *group_id*.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.session_groups.get(group_id)

    def planned_groups(
        self,
        actor: str,
        location: LocationCode,
        *,
        day: date | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[TestSessionGroup]:
        """Return the session groups planned at *location*, by start time, a page at a time.

        For who may consult the planned sessions there
        (``facet.sessions.view_planned``, *Raadplegen geplande afnames*: in
        the matrix, the location's planner only). Only the groups of *day*
        (in Amsterdam) when given; *after* is the previous page's
        :attr:`~examkit.storage.Page.next_after` and *limit* at most
        :data:`~examkit.storage.MAX_PAGE_SIZE`.

        Raises:
            NotPermitted: *actor* may not consult the planned sessions at *location*.
            InvalidInput: *limit* is out of range.

        Implements SCH-1.
        """
        with UseCase(
            self._ports,
            "sessions.groups.listed",
            location_subject(location),
            actor=actor,
            readonly=True,
        ) as unit:
            unit.require(VIEW_PLANNED, location)
            return unit.uow.session_groups.list(
                location=location,
                day=None if day is None else day.isoformat(),
                after=after,
                limit=limit,
            )

    def attempts(self, group_id: str) -> tuple[Attempt, ...]:
        """Return the attempts of group *group_id*, by candidate id."""
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.test_attempts.list_for_group(group_id)

    def plan(
        self,
        actor: str,
        *,
        location: LocationCode,
        exam: str,
        mode: Mode,
        starts_at: datetime,
        room: str,
        proctor: str,
        candidates: Iterable[str],
        first_corrector: str | None = None,
        second_corrector: str | None = None,
        offline_server: str | None = None,
        facilities: Mapping[str, Facilities] | None = None,
    ) -> TestSessionGroup:
        """Plan a session group (*afnamegroep*) and register its candidates.

        Checks, each refusing with nothing stored: the actor plans at
        *location* (a functionality-test group only with the FT exam, by the
        FT planner); the test may be taken in *mode*; an offline group names
        its offline server; the proctor and correctors hold their role at
        *location*; every candidate belongs to *location*, has at most 30
        minutes extra time at a central exam, and sits in no other group
        whose time (extra time counted) overlaps.

        *facilities* (candidate id to :class:`~examkit.scheduling.Facilities`)
        gives candidates of the group new facilities in the same unit of
        work, for who may change them (``facet.candidates.import`` at the
        candidate's location, as
        :meth:`~examkit.scheduling.CandidateRegistry.set_facilities`):
        the checks above read them, the group's attempts take their extra
        time, and each change is audited (``sessions.candidate.facilities``)
        with the plan. A refused plan stores none of them.

        Raises:
            NotPermitted: *actor* may not plan this group, or not change a
                candidate's facilities.
            NotFound: the test or a candidate does not exist.
            InvalidInput: a check fails (the error says which); *facilities*
                names someone who is not among *candidates*
                (``sessions.group.facilities_outside``) or holds something
                that is no :class:`~examkit.scheduling.Facilities`.

        Implements SCH-1 and SCH-2.
        """
        wanted = dict(facilities or {})
        with UseCase(self._ports, PLAN, location_subject(location), actor=actor) as unit:
            if not all(isinstance(given, Facilities) for given in wanted.values()):
                raise InvalidInput("input.invalid", field="facilities")
            stored = self._plan(
                unit,
                location=location,
                exam=exam,
                mode=mode,
                starts_at=starts_at,
                room=room,
                proctor=proctor,
                candidates=tuple(candidates),
                first_corrector=first_corrector,
                second_corrector=second_corrector,
                offline_server=offline_server,
                facilities=wanted,
            )
            unit.commit()
        return stored

    def _plan(
        self,
        unit: UseCase,
        *,
        location: LocationCode,
        exam: str,
        mode: Mode,
        starts_at: datetime,
        room: str,
        proctor: str,
        candidates: tuple[str, ...],
        first_corrector: str | None,
        second_corrector: str | None,
        offline_server: str | None,
        facilities: Mapping[str, Facilities] | None = None,
    ) -> TestSessionGroup:
        """Check and store one group with its attempts in *unit*; nothing is written if refused.

        The candidates' new *facilities* are stored first, in *unit*, so the
        checks and the attempts read them.
        """
        uow = unit.uow
        test = uow.exams.get(exam)
        unit.require(
            "facet.ft.session_groups.create" if test.functionality_test else "facet.sessions.plan",
            location,
        )
        if facilities:
            _store_facilities(unit, candidates, facilities)
        group = TestSessionGroup(
            id="g-" + self._ports.secrets.token_urlsafe(9),
            location=location,
            exam=test.code,
            mode=mode,
            starts_at=starts_at,
            duration=test.duration,
            room=room,
            proctor=proctor,
            candidates=candidates,
            first_corrector=first_corrector,
            second_corrector=second_corrector,
            offline_server=offline_server,
            functionality_test=test.functionality_test,
            needs_correction=test.needs_correction,
        )
        people = _check_plan(unit, test, group)
        stored = uow.session_groups.add(group)
        uow.test_attempts.add_many(
            [
                Attempt(
                    group=group.id,
                    candidate=c.id,
                    exam=test.code,
                    login_name=c.login_name,
                    extra_time_minutes=c.facilities.extra_time_minutes,
                    offline_server=offline_server,
                )
                for c in people
            ]
        )
        unit.audit("sessions.group.planned", subject=f"session_group:{group.id}")
        return stored

    def import_groups(self, actor: str, location: LocationCode, data: bytes) -> GroupImport:
        """Read session groups from a file (*inlezen afnamegroep*) and plan each.

        A file with problems is refused whole, every problem with its line
        (:func:`~examkit.scheduling.read_group_file`). Otherwise each group is
        planned as :meth:`plan` plans it, its candidates found by their
        number at *location*; the result holds each group's outcome (planned,
        or refused with the reason, audited), so one refused group does not
        stop the others. The planned groups, their audit events and the
        import's are stored together.

        Raises:
            NotPermitted: *actor* may not read in groups at *location*.
            ExamkitErrorGroup: the file's problems.

        Implements SCH-1.
        """
        subject = location_subject(location)
        with UseCase(self._ports, "sessions.groups.import", subject, actor=actor) as unit:
            unit.require("facet.session_groups.import", location)
            try:
                rows = read_group_file(data)
            except ExamkitErrorGroup as error:
                unit.details["problems"] = str(len(error.problems))
                raise
            numbers = {c.number: c.id for c in all_candidates(unit.uow, location) if c.number}
            by_label: dict[str, list[GroupRow]] = {}
            for row in rows:
                by_label.setdefault(row.label, []).append(row)
            outcomes = [
                self._import_group(unit, location, label, members, numbers)
                for label, members in by_label.items()
            ]
            result = GroupImport(at=unit.now, lines=tuple(outcomes))
            unit.audit(details={"status": result.status})
            unit.commit()
        return result

    def _import_group(
        self,
        unit: UseCase,
        location: LocationCode,
        label: str,
        members: list[GroupRow],
        numbers: dict[str, str],
    ) -> GroupImportLine:
        """Plan the group *label* of the file in *unit*, or say why not (audited)."""
        head = members[0]
        lines = tuple(row.line for row in members)
        try:
            missing = [row.number for row in members if row.number not in numbers]
            if missing:
                raise InvalidInput(
                    "sessions.file.unknown_number", field="examennummer", number=missing[0]
                )
            group = self._plan(
                unit,
                location=location,
                exam=head.exam,
                mode=head.mode,
                starts_at=head.starts_at,
                room=head.room,
                proctor=head.proctor,
                candidates=tuple(numbers[row.number] for row in members),
                first_corrector=head.first_corrector,
                second_corrector=head.second_corrector,
                offline_server=head.offline_server,
            )
        except ExamkitError as error:
            unit.audit(
                PLAN,
                outcome="denied" if isinstance(error, NotPermitted) else "failure",
                details={"reason": error.code, "group": label},
            )
            return GroupImportLine(
                label=label,
                lines=lines,
                group=None,
                problem=error.code,
                message_nl=error.message("nl"),
                message_en=error.message("en"),
            )
        return GroupImportLine(label=label, lines=lines, group=group.id, problem=None)


def _store_facilities(
    unit: UseCase, candidates: tuple[str, ...], facilities: Mapping[str, Facilities]
) -> None:
    """Give the group's *candidates* their new *facilities* in *unit*, each change audited.

    Raises:
        InvalidInput: *facilities* names someone not among *candidates*.
        NotPermitted: the actor may not change a candidate's facilities.
        NotFound: a candidate does not exist.
    """
    members = set(candidates)
    if not members.issuperset(facilities):
        raise InvalidInput("sessions.group.facilities_outside", field="facilities")
    uow = unit.uow
    for candidate_id in sorted(facilities):
        wanted = facilities[candidate_id]
        person = uow.candidates.get(candidate_id)
        unit.require(SET_FACILITIES, person.location)
        if person.facilities == wanted:
            continue
        uow.candidates.update(attrs.evolve(person, facilities=wanted))
        unit.audit(
            FACILITIES_CHANGED,
            subject=f"candidate:{candidate_id}",
            details={"extra_time": str(wanted.extra_time_minutes)},
        )


def _check_plan(  # noqa: PLR0912 - one list of planning checks
    unit: UseCase, test: Exam, group: TestSessionGroup
) -> list[Candidate]:
    """Return the group's candidates once every planning check holds.

    Raises:
        InvalidInput: a check fails (the error says which).
        NotFound: a candidate does not exist.
    """
    uow = unit.uow
    if group.mode is Mode.PAPER or group.mode not in test.modes:
        raise InvalidInput("sessions.group.mode", field="mode", mode=group.mode.value)
    if (group.mode is Mode.OFFLINE) != (group.offline_server is not None):
        raise InvalidInput("sessions.group.offline_server", field="offline_server")
    if group.offline_server is not None:
        try:
            server = uow.offline_servers.get(group.offline_server)
        except NotFound:
            server = None
        if server is None or server.location != group.location or not server.is_choosable:
            raise InvalidInput("sessions.server.not_choosable", field="offline_server")
    monitor = "facet.ft.monitor.release" if test.functionality_test else "facet.monitor.release"
    if not load_actor(uow, group.proctor).may(monitor, group.location):
        raise InvalidInput("sessions.group.proctor", field="proctor")
    for field, corrector in (
        ("first_corrector", group.first_corrector),
        ("second_corrector", group.second_corrector),
    ):
        if corrector is not None and not load_actor(uow, corrector).may(
            "facet.correction.overview", group.location
        ):
            raise InvalidInput("sessions.group.corrector", field=field)
    if group.second_corrector is not None and group.first_corrector is None:
        raise InvalidInput("sessions.group.second_without_first", field="second_corrector")
    if group.second_corrector is not None and group.second_corrector == group.first_corrector:
        raise InvalidInput("sessions.group.same_corrector", field="second_corrector")
    if not group.candidates:
        raise InvalidInput("sessions.group.no_candidates", field="candidates")
    people = [uow.candidates.get(c) for c in group.candidates]
    for person in people:
        if person.location != group.location:
            raise InvalidInput(
                "sessions.group.other_location", field="candidates", candidate=person.name
            )
        if test.central and person.facilities.extra_time_minutes > MAX_CENTRAL_EXTRA_TIME:
            raise InvalidInput(
                "sessions.group.extra_time",
                field="candidates",
                candidate=person.name,
                maximum=MAX_CENTRAL_EXTRA_TIME,
            )
        clash = find_overlap(group, person, uow.session_groups.list_for_candidate(person.id))
        if clash is not None:
            raise InvalidInput(
                "sessions.group.overlap", field="candidates", candidate=person.name, other=clash.id
            )
    return people
