"""What was imported, for scheduling and paper-test ordering: years, classes, pupils, counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from examkit._reading import note_reads, pupil_subject
from examkit.errors import NotFound, NotPermitted
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.imports._common import (
    FLEMISH_ROSTER_ACTIONS,
    ROSTER_ACTIONS,
    all_pupils,
    calendar_year,
    location_subject,
)
from examkit.imports._model import ClassList, EnrolledPupil, ImportPlace, roster_key
from examkit.permissions import Actor, ClassRef
from examkit.storage import Page, check_page_size
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


_READ: Final = "imports.classes.read"
"""The audit action of a refused reading of classes or pupils."""


class Rosters:
    """The imported pupils and classes of each location and Flemish school: ``kit.rosters``.

    Reads only; each in one reading unit of work. The methods that take the
    acting account's id first (:meth:`locations_for`, :meth:`classes_for`,
    :meth:`class_pupils`, :meth:`pupils_for`) decide what that user may see,
    for a portal's class and pupil lists; the others are for the library's
    own use cases and jobs, which have decided already.

    Every method that takes a location also takes a Flemish school (its
    :class:`~examkit.identifiers.Instellingsnummer`), whose pupils came from
    a Flemish EDEXML file; there the school's test coordinator
    (:data:`~examkit.imports.FLEMISH_ROSTER_ACTIONS`) sees every class and
    pupil.

    Args:
        ports: The wired ports.

    Implements EDX-3 and EDX-4.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"Rosters({self._ports.backend!r})"

    def school_years(self, location: ImportPlace) -> tuple[SchoolYear, ...]:
        """Return the school years imported for *location*, oldest first."""
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.pupils.school_years(location)

    def current_year(self, location: ImportPlace) -> SchoolYear:
        """Return the current school year of *location*: the calendar's, once imported.

        The current year follows the calendar (:func:`calendar_year`), never
        an import: a file for next year waits until 1 August.

        Raises:
            NotFound: nothing was imported for the location
                (``imports.location.no_import``), or nothing for the current
                school year (``imports.school_year.not_imported``).

        Implements EDX-3 and EDX-4.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return self._current(uow, location)

    def classes(self, location: ImportPlace, school_year: SchoolYear | None = None) -> ClassList:
        """Return the groups, combination groups and teachers of *location* (current year).

        Raises:
            NotFound: nothing was imported for it.

        Implements EDX-3.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return self._classes(uow, location, school_year)

    def pupils(
        self,
        location: ImportPlace,
        *,
        school_year: SchoolYear | None = None,
        group: str | None = None,
        year_group: str | None = None,
        archived: bool = False,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the current pupils of *location* by key, of one group or year group if given.

        The school year is the current one (:meth:`current_year`) unless given. Archived pupils
        are left out (they are not scheduled); ``archived=True`` lists only them.

        Raises:
            NotFound: nothing was imported for the location.

        Implements EDX-3.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            year = school_year if school_year is not None else self._current(uow, location)
            return uow.pupils.list(
                location,
                year,
                group=group,
                year_group=year_group,
                archived=archived,
                after=after,
                limit=limit,
            )

    def quantities(
        self, location: ImportPlace, school_year: SchoolYear | None = None
    ) -> dict[str, int]:
        """Return how many current pupils each group has, by group key (for ordering answer sheets).

        Groups without pupils count 0.

        Raises:
            NotFound: nothing was imported for the location.

        Implements EDX-3.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            year = school_year if school_year is not None else self._current(uow, location)
            counts = {group.key: 0 for group in self._classes(uow, location, year).groups}
            for pupil in all_pupils(uow, location, year, archived=False):
                if pupil.pupil.group is not None:
                    counts[pupil.pupil.group] = counts.get(pupil.pupil.group, 0) + 1
        return counts

    def locations_for(self, actor: str) -> tuple[LocationCode, ...]:
        """Return the locations whose classes *actor* may see (some or all of them), sorted.

        A grant of one of :data:`~examkit.imports.ROSTER_ACTIONS` at a
        location, or in one of its classes, counts.

        Implements EDX-3 and ROLE-5.
        """
        subject = location_subject(None)
        with UseCase(self._ports, _READ, subject, actor=actor, readonly=True) as unit:
            found: set[LocationCode] = set()
            for action in ROSTER_ACTIONS:
                for key in unit.actor.places(action):
                    place = key[0] if isinstance(key, tuple) else key
                    if isinstance(place, ClassRef):
                        found.add(place.location)
                    elif isinstance(place, LocationCode):
                        found.add(place)
        return tuple(sorted(found))

    def classes_for(
        self, actor: str, location: ImportPlace, school_year: SchoolYear | None = None
    ) -> ClassList:
        """Return the classes of *location* that *actor* may see (current year unless given).

        A user with one of :data:`~examkit.imports.ROSTER_ACTIONS` at the
        location sees every group, combination group and teacher; one who
        holds it in some classes only (a pupil counsellor, a subject teacher)
        sees those groups and combination groups, and the teachers of them.

        Raises:
            NotPermitted: the actor may see no class of the location.
            NotFound: nothing was imported for it (in that year).

        Implements EDX-3 and ROLE-5.
        """
        subject = location_subject(location)
        with UseCase(self._ports, _READ, subject, actor=actor, readonly=True) as unit:
            visible = _visible(unit.actor, location)
            if visible is not None and not visible:
                raise NotPermitted("permission.denied")
            classes = self._classes(unit.uow, location, school_year)
        if visible is None:
            return classes
        return attrs.evolve(
            classes,
            groups=[group for group in classes.groups if group.key in visible],
            combination_groups=[
                group for group in classes.combination_groups if group.key in visible
            ],
            teachers=[
                teacher
                for teacher in classes.teachers
                if any(taught.key in visible for taught in teacher.groups)
            ],
        )

    def class_pupils(
        self,
        actor: str,
        location: ImportPlace,
        group: str,
        *,
        school_year: SchoolYear | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the current pupils of the class *group* of *location*, if *actor* may see it.

        *group* is a group's key or a combination group's key; the school
        year is the current one unless given. The class must be one that
        :meth:`classes_for` shows the actor.

        Raises:
            NotPermitted: the actor may not see the class.
            NotFound: nothing was imported for the location, or it has no such class.

        Implements EDX-3 and ROLE-5.
        """
        check_page_size(limit)
        subject = location_subject(location)
        with UseCase(self._ports, _READ, subject, actor=actor, readonly=True) as unit:
            visible = _visible(unit.actor, location)
            if visible is not None and group not in visible:
                raise NotPermitted("permission.denied")
            uow = unit.uow
            year = school_year if school_year is not None else self._current(uow, location)
            classes = self._classes(uow, location, year)
            if any(item.key == group for item in classes.combination_groups):
                # A combination group is not a listing key of the store: its members are
                # read among the location's pupils, in the same key order as a page.
                members = [
                    item
                    for item in all_pupils(uow, location, year, archived=False)
                    if group in item.pupil.combination_groups
                    and (after is None or item.pupil.key > after)
                ]
                members.sort(key=lambda item: item.pupil.key)
                shown = tuple(members[:limit])
                more = len(members) > limit
                page = Page(items=shown, next_after=shown[-1].pupil.key if more else None)
            else:
                classes.group(group)
                page = uow.pupils.list(location, year, group=group, after=after, limit=limit)
            note_reads(
                unit,
                (pupil_subject(location, item.pupil.key) for item in page.items),
                "pupils",
                str(location),
                listed=f"class:{location}/{group}",
            )
        return page

    def pupils_for(
        self,
        actor: str,
        location: ImportPlace,
        *,
        school_year: SchoolYear | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return every current pupil of *location* (or Flemish school), if *actor* sees it all.

        The pupils come by key. For a list of a whole school: a Flemish school's test coordinator
        registering its pupils for the Flemish tests (``kit.flemish``), or a
        Dutch location's administrator. Someone who sees only some classes
        reads them with :meth:`class_pupils`. The school year is the current
        one unless given (a Flemish desk passes its registration's).

        >>> from examkit.identifiers import Instellingsnummer
        >>> from examkit.testing import make_kit, store_actor
        >>> kit = make_kit()
        >>> school = Instellingsnummer("12345")
        >>> coordinator = store_actor(kit.backend, "coord",
        ...     [("vlaamse_toetsen.test_coordinator", [school])])
        >>> try:
        ...     kit.rosters.pupils_for(coordinator, school)
        ... except NotFound as error:
        ...     print(error.message("nl"))
        Voor school 12345 is nog niets ingelezen.

        Raises:
            NotPermitted: the actor may not see every class of *location*.
            NotFound: nothing was imported for it (in that year).

        Implements EDX-3, ROLE-5 and SCH-9.
        """
        check_page_size(limit)
        subject = location_subject(location)
        with UseCase(self._ports, _READ, subject, actor=actor, readonly=True) as unit:
            if _visible(unit.actor, location) is not None:
                raise NotPermitted("permission.denied")
            uow = unit.uow
            year = school_year if school_year is not None else self._current(uow, location)
            if school_year is not None:
                self._classes(uow, location, year)
            page = uow.pupils.list(location, year, after=after, limit=limit)
            note_reads(
                unit,
                (pupil_subject(location, item.pupil.key) for item in page.items),
                "pupils",
                str(location),
                listed=subject,
            )
        return page

    def _current(self, uow: UnitOfWork, location: ImportPlace) -> SchoolYear:
        current = calendar_year(self._ports.clock.now())
        # The current year's class list is one read by key; the years stored (a scan of the
        # location's pupils) are read only to say why there is none.
        try:
            uow.class_lists.get(roster_key(location, current))
        except NotFound:
            return self._without_class_list(uow, location, current)
        return current

    def _without_class_list(
        self, uow: UnitOfWork, location: ImportPlace, current: SchoolYear
    ) -> SchoolYear:
        """Return *current* if pupils are stored for it, else refuse and say why."""
        years = uow.pupils.school_years(location)
        if not years:
            raise _no_import(location)
        if current not in years:
            flemish = isinstance(location, Instellingsnummer)
            raise NotFound(
                "imports.school.year_not_imported"
                if flemish
                else "imports.school_year.not_imported",
                field="school_year",
                location=str(location),
                school_year=str(current),
            )
        return current

    def _classes(
        self, uow: UnitOfWork, location: ImportPlace, school_year: SchoolYear | None
    ) -> ClassList:
        year = school_year if school_year is not None else calendar_year(self._ports.clock.now())
        try:
            return uow.class_lists.get(roster_key(location, year))
        except NotFound:
            if school_year is None:  # the current year's: say why there is none, where known
                self._without_class_list(uow, location, year)
            raise _no_import(location) from None


def _no_import(location: ImportPlace) -> NotFound:
    """Return the refusal for a location (or Flemish school) with nothing imported."""
    if isinstance(location, Instellingsnummer):
        return NotFound("imports.school.no_import", field="location", school=str(location))
    return NotFound("imports.location.no_import", field="location", location=str(location))


def _visible(actor: Actor, location: ImportPlace) -> frozenset[str] | None:
    """Return the keys of the classes of *location* that *actor* may see; ``None``: all of them.

    At a Flemish school it is all or nothing: its test coordinator sees every class.
    """
    if isinstance(location, Instellingsnummer):
        if any(actor.may(action, location) for action in FLEMISH_ROSTER_ACTIONS):
            return None
        return frozenset()
    keys: set[str] = set()
    for action in ROSTER_ACTIONS:
        if actor.everywhere(action):
            return None
        for key in actor.places(action):
            place = key[0] if isinstance(key, tuple) else key
            if place == location:
                return None
            if isinstance(place, ClassRef) and place.location == location:
                keys.add(place.key)
    return frozenset(keys)
