"""What was imported, for scheduling and paper-test ordering: years, classes, pupils, counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from examkit.errors import NotFound
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports._common import all_pupils, calendar_year
from examkit.imports._model import ClassList, EnrolledPupil, roster_key
from examkit.storage import Page
from examkit.usecase import Ports

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


class Rosters:
    """The imported pupils and classes of each location: ``kit.rosters``.

    Reads only; each in one reading unit of work.

    Args:
        ports: The wired ports.

    Implements EDX-3 and EDX-4.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"Rosters({self._ports.backend!r})"

    def school_years(self, location: LocationCode) -> tuple[SchoolYear, ...]:
        """Return the school years imported for *location*, oldest first."""
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.pupils.school_years(location)

    def current_year(self, location: LocationCode) -> SchoolYear:
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

    def classes(self, location: LocationCode, school_year: SchoolYear | None = None) -> ClassList:
        """Return the groups, combination groups and teachers of *location* (current year).

        Raises:
            NotFound: nothing was imported for it.

        Implements EDX-3.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return self._classes(uow, location, school_year)

    def pupils(
        self,
        location: LocationCode,
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
        self, location: LocationCode, school_year: SchoolYear | None = None
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

    def _current(self, uow: UnitOfWork, location: LocationCode) -> SchoolYear:
        years = uow.pupils.school_years(location)
        if not years:
            raise NotFound("imports.location.no_import", field="location", location=str(location))
        current = calendar_year(self._ports.clock.now())
        if current not in years:
            raise NotFound(
                "imports.school_year.not_imported",
                field="school_year",
                location=str(location),
                school_year=str(current),
            )
        return current

    def _classes(
        self, uow: UnitOfWork, location: LocationCode, school_year: SchoolYear | None
    ) -> ClassList:
        year = school_year if school_year is not None else self._current(uow, location)
        try:
            return uow.class_lists.get(roster_key(location, year))
        except NotFound:
            raise NotFound(
                "imports.location.no_import", field="location", location=str(location)
            ) from None
