"""What the import's use cases share: settings, the school year, what is stored, the audit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

import attrs

from examkit.edexml import Counts, Pupil
from examkit.errors import ConfigurationError, NotFound
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.imports._diff import ImportDiff, compare
from examkit.imports._model import ClassList, EnrolledPupil, ImportPlace, roster_key
from examkit.storage import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

IMPORT_ACTION = "cito_lvs.edexml.import"
"""The permission-matrix action an administrator needs at the location (*Importeren EDEXML*)."""

FLEMISH_IMPORT_ACTION = "vlaamse_toetsen.pupils.import"
"""The action a Flemish school's test coordinator needs at the school to import its pupils."""

FLEMISH_ROSTER_ACTIONS: Final = (FLEMISH_IMPORT_ACTION, "vlaamse_toetsen.exemptions.set")
"""The actions that show a Flemish school's imported classes and pupils (all of them).

The test coordinator holds both: the desk's registration is made from the
school's pupils (exemptions, participation, pupil groups).
"""

ROSTER_ACTIONS: Final = (IMPORT_ACTION, "cito_lvs.class_overview.view", "cito_lvs.reports.view")
"""The actions that show a location's classes and pupils to a user.

:meth:`~examkit.imports.Rosters.classes_for` decides with them: held at a
location (the administrator, the quality officer) they show all its
classes; held in classes (the pupil counsellor, the subject teacher) only
those classes.
"""

DEFAULT_PREVIEW_LIFETIME = timedelta(hours=1)
"""How long a preview waits for confirmation by default (EDX-6: within an hour)."""

DEFAULT_ARCHIVE_RETENTION = timedelta(days=365)
"""How long an archived pupil is kept by default before it is purged."""

DEFAULT_YEARS_AHEAD = 1
"""How many school years past the current one a file may be for by default (next year's)."""

SCHOOL_YEAR_ZONE: Final = ZoneInfo("Europe/Amsterdam")
"""Where the school year boundary (1 August, 0:00) is reckoned: the Dutch school year."""


def _positive(
    instance: ImportSettings, attribute: attrs.Attribute[timedelta], value: object
) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        name = attribute.name
        raise ConfigurationError("imports.setting.invalid", field=name, setting=name)


def _count(_: ImportSettings, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        name = attribute.name
        raise ConfigurationError("imports.setting.not_a_count", field=name, setting=name)


@attrs.frozen
class ImportSettings:
    """A portal's settings for EDEXML imports (``Settings.imports``).

    >>> ImportSettings().years_ahead
    1

    Raises:
        ConfigurationError: a period is not positive, or *years_ahead* is
            not a count.

    Implements EDX-3, EDX-4 and EDX-6.
    """

    preview_lifetime: timedelta = attrs.field(default=DEFAULT_PREVIEW_LIFETIME, validator=_positive)
    """How long a preview waits for confirmation."""
    archive_retention: timedelta = attrs.field(
        default=DEFAULT_ARCHIVE_RETENTION, validator=_positive
    )
    """How long archived pupils are kept."""
    years_ahead: int = attrs.field(default=DEFAULT_YEARS_AHEAD, validator=_count)
    """How many school years past the current one a file may be for (1: next year's, for
    planning ahead; 0 allows only the current year and earlier ones)."""


def calendar_year(now: datetime) -> SchoolYear:
    """Return the school year the moment *now* falls in: the current school year.

    A school year runs from 1 August (0:00 in the Netherlands,
    :data:`SCHOOL_YEAR_ZONE`) to 31 July, as
    :meth:`~examkit.identifiers.SchoolYear.at` reckons it. The current year
    follows the calendar, never an import.

    >>> from datetime import UTC
    >>> str(calendar_year(datetime(2027, 7, 31, 21, 59, tzinfo=UTC)))
    '2026-2027'
    >>> str(calendar_year(datetime(2027, 7, 31, 22, 0, tzinfo=UTC)))
    '2027-2028'

    Implements EDX-3 and EDX-4.
    """
    return SchoolYear.at(now)


def import_action(place: ImportPlace) -> str:
    """Return the action an actor needs at *place* to import for it.

    >>> from examkit.identifiers import LocationCode
    >>> import_action(LocationCode("22AB00")), import_action(Instellingsnummer("12345"))
    ('cito_lvs.edexml.import', 'vlaamse_toetsen.pupils.import')
    """
    return FLEMISH_IMPORT_ACTION if isinstance(place, Instellingsnummer) else IMPORT_ACTION


def location_subject(location: ImportPlace | None) -> str:
    """Return the audit subject of *location* (``imports`` while none is known).

    A Dutch location is ``location:22AB00``, a Flemish school ``school:12345``.
    """
    if location is None:
        return "imports"
    if isinstance(location, Instellingsnummer):
        return f"school:{location}"
    return f"location:{location}"


def fingerprint(classes: ClassList | None, pupils: list[EnrolledPupil]) -> str:
    """Return the fingerprint of what is stored for a location and year (keys and versions)."""
    digest = hashlib.sha256()
    digest.update(f"classes:{0 if classes is None else classes.version}\n".encode())
    for pupil in sorted(pupils, key=lambda item: item.id):
        digest.update(f"{pupil.id}:{pupil.version}\n".encode())
    return digest.hexdigest()


def difference(
    classes: ClassList | None,
    stored: list[EnrolledPupil],
    incoming: ClassList,
    pupils: tuple[Pupil, ...],
) -> ImportDiff:
    """Return what importing *incoming* and *pupils* changes over the stored values (pure).

    Archived pupils count as absent: one that returns is added again.
    """
    current = [item.pupil for item in stored if item.is_current]
    old = classes if classes is not None else ClassList(incoming.location, incoming.school_year)
    return ImportDiff(
        pupils=compare(current, pupils, lambda item: item.key),
        groups=compare(old.groups, incoming.groups, lambda item: item.key),
        combination_groups=compare(
            old.combination_groups, incoming.combination_groups, lambda item: item.key
        ),
        teachers=compare(old.teachers, incoming.teachers, lambda item: item.key),
    )


def all_pupils(
    uow: UnitOfWork, location: ImportPlace, year: SchoolYear, *, archived: bool | None
) -> Iterator[EnrolledPupil]:
    """Yield every pupil of *location* in *year* (current, archived, or both with ``None``)."""
    after: str | None = None
    while True:
        page = uow.pupils.list(location, year, archived=archived, after=after, limit=MAX_PAGE_SIZE)
        yield from page.items
        if page.next_after is None:
            return
        after = page.next_after


def stored_roster(
    uow: UnitOfWork, location: ImportPlace, year: SchoolYear
) -> tuple[ClassList | None, list[EnrolledPupil]]:
    """Return the class list (``None`` if none) and every pupil stored for *location* and *year*."""
    try:
        classes: ClassList | None = uow.class_lists.get(roster_key(location, year))
    except NotFound:
        classes = None
    return classes, list(all_pupils(uow, location, year, archived=None))


def import_details(
    school_year: SchoolYear,
    file_hash: str,
    counts: Counts | None,
    diff: ImportDiff | None = None,
) -> dict[str, str]:
    """Return an import event's details: the year, the file's hash and counts (no pupils' data)."""
    details = {"school_year": str(school_year), "file_sha256": file_hash}
    if counts is not None:
        details.update({f"file_{name}": str(value) for name, value in attrs.asdict(counts).items()})
    if diff is not None:
        for kind, numbers in diff.counts().items():
            for what, value in numbers.items():
                details[f"{kind}_{what}"] = str(value)
    return details
