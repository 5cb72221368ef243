"""What a planner's pages read: their locations, a day's groups, a group, tests, staff, classes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from examkit._reading import candidate_subject, note_group_reads, note_reads
from examkit.errors import NotFound
from examkit.identifiers import LocationCode
from examkit.permissions import Actor, load_actor
from examkit.scheduling._attempts import Attempt
from examkit.scheduling._common import (
    candidates_of,
    current_year,
    group_subject,
    location_subject,
)
from examkit.scheduling._model import Candidate, Exam, Mode, TestSessionGroup
from examkit.scheduling._offline import OfflineServer
from examkit.scheduling._pupils import class_counts, current_pupils
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

PLANNING_ACTIONS: Final = (
    "facet.sessions.view_planned",
    "facet.sessions.plan",
    "facet.ft.session_groups.create",
    "facet.session_groups.import",
    "facet.candidates.import",
    "facet.candidates.overview",
    "facet.fao.view",
    "ce_portal.paper_test.order",
)
"""The actions of planning's pages: a location where one is held is a planning location."""

_VIEW, _FT = "facet.sessions.view_planned", "facet.ft.session_groups.create"
_PLAN, _PAPER = "facet.sessions.plan", "ce_portal.paper_test.order"
_IMPORT = "facet.candidates.import"


@attrs.frozen
class StaffMember:
    """An account a planner can name in a group: its id, name and login name.

    Implements SCH-1.
    """

    account: str
    """The account id (what :meth:`~examkit.scheduling.Planning.plan` takes)."""
    name: str
    """First and last name."""
    login_name: str
    """The login name."""


@attrs.frozen
class PlanningStaff:
    """Who at a location may proctor a group and who may correct one, by name.

    Implements SCH-1 and SCH-2.
    """

    proctors: tuple[StaffMember, ...]
    """Those who may release a group there (the FT proctors, for a functionality test)."""
    correctors: tuple[StaffMember, ...]
    """Those who may correct there."""


@attrs.frozen
class PlanningClass:
    """A class of the location's current imported pupils, to plan candidates from.

    Implements SCH-1.
    """

    key: str
    """The class's key (the group key of the school's data)."""
    name: str
    """Its name (``4A``), the key when the class list does not name it."""
    pupils: int
    """Its current pupils."""


def _mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class GroupDetails:
    """A session group as its page shows it: the group, its test, candidates and people.

    Implements SCH-1 and SCH-2.
    """

    group: TestSessionGroup
    """The group, with its state and its transition log."""
    exam: Exam
    """Its test."""
    attempts: tuple[Attempt, ...]
    """Its candidates' attempts, by candidate id."""
    candidates: Mapping[str, Candidate] = attrs.field(converter=_mapping)
    """Its candidates by id (with their facilities)."""
    staff: Mapping[str, str] = attrs.field(converter=_mapping)
    """The names of its proctor and correctors (and whoever moved it), by account id."""
    offline_server: OfflineServer | None = None
    """Its offline server, for an offline group."""
    class_names: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping)
    """The names of its location's imported classes by key (as :meth:`PlanningDesk.class_names`),
    for who may read in candidates there; empty for anyone else, or where nothing was
    imported for the current year."""


@attrs.frozen
class CandidateDetails:
    """A candidate as its planning page shows it: the candidate and its classes' names.

    Implements SCH-1.
    """

    candidate: Candidate
    """The candidate, with its facilities."""
    class_names: Mapping[str, str] = attrs.field(converter=_mapping)
    """The names of its location's imported classes by key (as :meth:`PlanningDesk.class_names`;
    empty where nothing was imported for the current year)."""


class PlanningDesk:
    """What planning's pages read (``kit.planning_desk``), each decided by the actor's grants.

    Args:
        ports: The wired ports.

    Implements SCH-1, SCH-2 and SCH-8.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def locations(
        self, actor: str, actions: tuple[str, ...] = PLANNING_ACTIONS
    ) -> tuple[LocationCode, ...]:
        """Return the locations where *actor* holds one of *actions*, sorted.

        By default :data:`PLANNING_ACTIONS`; a page asks with its own actions
        (the offline servers' page with ``facet.fao.view``).

        Implements SCH-1.
        """
        with UseCase(
            self._ports, "sessions.locations", "locations", actor=actor, readonly=True
        ) as unit:
            found = {
                place
                for action in actions
                for place in unit.actor.places(action)
                if isinstance(place, LocationCode)
            }
        return tuple(sorted(found, key=str))

    def day_groups(
        self, actor: str, location: LocationCode, day: date
    ) -> tuple[TestSessionGroup, ...]:
        """Return the session groups of *location* on *day* (Amsterdam), by start time.

        Who may consult the planned sessions there sees every group; the
        functionality-test planner sees the functionality-test groups only.

        Raises:
            NotPermitted: *actor* may do neither at *location*.

        Implements SCH-1 and SCH-2.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.groups.listed", subject, actor=actor, readonly=True
        ) as unit:
            me = unit.actor
            everything = me.may(_VIEW, location)
            if not everything:
                unit.require(_FT, location)
            found: list[TestSessionGroup] = []
            after: str | None = None
            while True:
                page = unit.uow.session_groups.list(
                    location=location, day=day.isoformat(), after=after, limit=MAX_PAGE_SIZE
                )
                found.extend(g for g in page.items if everything or g.functionality_test)
                if page.next_after is None:
                    break
                after = page.next_after
        return tuple(found)

    def group_details(self, actor: str, group_id: str) -> GroupDetails:
        """Return session group *group_id* with its test, candidates and people's names.

        For who may consult the planned sessions at its location, and for
        the functionality-test planner there when it is a functionality test.

        Raises:
            NotPermitted: *actor* may not see it.
            NotFound: there is no such group.

        Implements SCH-1 and SCH-2.
        """
        with UseCase(
            self._ports,
            "sessions.group.viewed",
            group_subject(group_id),
            actor=actor,
            readonly=True,
        ) as unit:
            uow = unit.uow
            group = uow.session_groups.get(group_id)
            if not (group.functionality_test and unit.actor.may(_FT, group)):
                unit.require(_VIEW, group)
            people = {group.proctor, group.first_corrector, group.second_corrector}
            people |= {record.actor for record in group.log}
            server = None
            if group.offline_server is not None:
                try:
                    server = uow.offline_servers.get(group.offline_server)
                except NotFound:
                    server = None
            named: dict[str, str] = {}
            if unit.actor.may(_IMPORT, group.location):
                try:
                    named = _class_names(unit, group.location)
                except NotFound:  # nothing imported (for the current year): the keys are shown
                    named = {}
            details = GroupDetails(
                group=group,
                exam=uow.exams.get(group.exam),
                attempts=uow.test_attempts.list_for_group(group.id),
                candidates=candidates_of(uow, group.candidates),
                staff=_names(uow, {p for p in people if p}),
                offline_server=server,
                class_names=named,
            )
            note_group_reads(unit, details.candidates, "group", group.location, group_id)
        return details

    def candidate_details(self, actor: str, candidate_id: str) -> CandidateDetails:
        """Return candidate *candidate_id* with its location's class names, in one read.

        For who reads in candidates at its location (``facet.candidates.import``):
        what the page of a candidate's facilities shows.

        Raises:
            NotFound: there is no such candidate, or it is not at a location
                where *actor* reads in candidates (one answer for both).

        Implements SCH-1.
        """
        with UseCase(
            self._ports,
            "sessions.candidate.viewed",
            f"candidate:{candidate_id}",
            actor=actor,
            readonly=True,
        ) as unit:
            found = unit.uow.candidates.get_many([candidate_id]).get(candidate_id)
            if found is None or not unit.actor.may(_IMPORT, found.location):
                raise NotFound(kind="candidate", key=candidate_id)
            try:
                named = _class_names(unit, found.location)
            except NotFound:  # nothing imported (for the current year): the keys are shown
                named = {}
            note_reads(unit, (candidate_subject(found.id),), "candidate", str(found.location))
        return CandidateDetails(found, named)

    def exams(self, actor: str, location: LocationCode) -> tuple[Exam, ...]:
        """Return the registered tests *actor* may use at *location*, by code.

        The planner's tests taken online or offline (not the functionality
        test), the functionality-test planner's functionality test, and the
        paper tests of whoever orders answer sheets there.

        Raises:
            NotPermitted: *actor* may do none of these at *location*.

        Implements SCH-1, SCH-2 and EDX-3.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.exams.listed", subject, actor=actor, readonly=True
        ) as unit:
            me = unit.actor
            plan, ft, paper = (me.may(a, location) for a in (_PLAN, _FT, _PAPER))
            if not (plan or ft or paper):
                unit.require(_PLAN, location)
            found: list[Exam] = []
            after: str | None = None
            while True:
                page = unit.uow.exams.list(after=after, limit=MAX_PAGE_SIZE)
                found.extend(e for e in page.items if _usable(e, plan=plan, ft=ft, paper=paper))
                if page.next_after is None:
                    break
                after = page.next_after
        return tuple(sorted(found, key=lambda e: e.code))

    def staff(self, actor: str, location: LocationCode) -> PlanningStaff:
        """Return who may proctor and who may correct at *location*, by name.

        For a planner there (``facet.sessions.plan``) or the
        functionality-test planner (who gets the FT proctors as proctors).

        Raises:
            NotPermitted: *actor* plans nothing at *location*.

        Implements SCH-1 and SCH-2.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.staff.listed", subject, actor=actor, readonly=True
        ) as unit:
            me = unit.actor
            planner = me.may(_PLAN, location)
            if not planner:
                unit.require(_FT, location)
            release = "facet.monitor.release" if planner else "facet.ft.monitor.release"
            proctors: list[StaffMember] = []
            correctors: list[StaffMember] = []
            after: str | None = None
            uow = unit.uow
            while True:
                page = uow.accounts.list(
                    institution=location.brin, after=after, limit=MAX_PAGE_SIZE
                )
                for account in page.items:
                    if not account.is_active:
                        continue
                    held: Actor = load_actor(uow, account.id)
                    member = StaffMember(account.id, account.full_name, str(account.login_name))
                    if held.may(release, location):
                        proctors.append(member)
                    if planner and held.may("facet.correction.overview", location):
                        correctors.append(member)
                if page.next_after is None:
                    break
                after = page.next_after
        return PlanningStaff(proctors=tuple(proctors), correctors=tuple(correctors))

    def servers(self, actor: str, location: LocationCode) -> tuple[OfflineServer, ...]:
        """Return the active offline servers of *location*, for an offline group, by name.

        For a planner there or the functionality-test planner (the FAO
        administrator's registry, with every state, is
        :meth:`~examkit.scheduling.OfflineServerRegistry.servers`).

        Raises:
            NotPermitted: *actor* plans nothing at *location*.

        Implements SCH-1 and SCH-8.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.servers.choosable", subject, actor=actor, readonly=True
        ) as unit:
            if not unit.actor.may(_PLAN, location):
                unit.require(_FT, location)
            page = unit.uow.offline_servers.list(location=location, limit=MAX_PAGE_SIZE)
        return tuple(sorted((s for s in page.items if s.is_choosable), key=lambda s: s.name))

    def classes(self, actor: str, location: LocationCode) -> tuple[PlanningClass, ...]:
        """Return the classes of *location*'s current imported pupils, to plan candidates from.

        For who may read in candidates there; every class with current
        pupils, by key, named as the imported class list names it.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            NotFound: nothing was imported for *location*, or not for the current year.

        Implements SCH-1 and EDX-3.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.classes.listed", subject, actor=actor, readonly=True
        ) as unit:
            unit.require(_IMPORT, location)
            uow = unit.uow
            year = current_year(uow, location, unit.now)
            counts = class_counts(current_pupils(uow, location, year))
            try:
                # The class list's key is examkit.imports.roster_key's (a layer above this one).
                listed = uow.class_lists.get(f"{location}/{year}")
                names = {group.key: group.name for group in listed.groups}
            except NotFound:
                names = {}
        return tuple(PlanningClass(key, names.get(key, key), n) for key, n in counts.items())

    def class_names(self, actor: str, location: LocationCode) -> dict[str, str]:
        """Return the names of *location*'s imported classes by key (``G8A`` -> ``8A``).

        From the current year's class list alone (one row, no pupil read), for
        who may read in candidates there: what a page showing candidates names
        their classes by. Empty when no class list was stored.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            NotFound: nothing was imported for *location*, or not for the current year.

        Implements SCH-1 and EDX-3.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.classes.named", subject, actor=actor, readonly=True
        ) as unit:
            unit.require(_IMPORT, location)
            return _class_names(unit, location)


def _class_names(unit: UseCase, location: LocationCode) -> dict[str, str]:
    """Return *location*'s class names by key from the current year's class list (or none).

    Raises:
        NotFound: nothing was imported for *location*, or not for the current year.
    """
    year = current_year(unit.uow, location, unit.now)
    try:
        # The class list's key is examkit.imports.roster_key's (a layer above this one).
        listed = unit.uow.class_lists.get(f"{location}/{year}")
    except NotFound:
        return {}
    return {group.key: group.name for group in listed.groups}


def _usable(exam: Exam, *, plan: bool, ft: bool, paper: bool) -> bool:
    if exam.functionality_test:
        return ft
    return (plan and bool(exam.modes & {Mode.ONLINE, Mode.OFFLINE})) or (
        paper and Mode.PAPER in exam.modes
    )


def _names(uow: UnitOfWork, accounts: set[str]) -> dict[str, str]:
    found = uow.accounts.get_many(sorted(accounts))
    return {str(key): account.full_name for key, account in found.items()}
