"""Pupils and classes of a location in a school year, as examkit keeps them after an import."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from examkit._fields import require_aware_utc
from examkit.edexml import CombinationGroup, EdexmlProblem, Group, Pupil, School, Teacher
from examkit.errors import NotFound
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.imports._diff import ImportDiff
from examkit.messages import Lang, text

ImportPlace = LocationCode | Instellingsnummer
"""Where an import's pupils and classes belong: a Dutch location (BRIN6) or a Flemish school.

A Dutch file names its location by BRIN and dependancecode, a Flemish one
its school by *instellingsnummer*. The two never share a key: a location
code has letters, an *instellingsnummer* only digits.
"""


def roster_key(location: ImportPlace, school_year: SchoolYear) -> str:
    """Return the key of a location's (or a Flemish school's) school year: ``22AB00/2026-2027``.

    >>> roster_key(LocationCode("22AB00"), SchoolYear("2026-2027"))
    '22AB00/2026-2027'
    >>> roster_key(Instellingsnummer("12345"), SchoolYear("2026-2027"))
    '12345/2026-2027'
    """
    return f"{location}/{school_year}"


def pupil_key(location: ImportPlace, school_year: SchoolYear, key: str) -> str:
    """Return the stored key of pupil *key* at *location* in *school_year*.

    >>> pupil_key(LocationCode("22AB00"), SchoolYear("2026-2027"), "1")
    '22AB00/2026-2027/1'
    """
    return f"{roster_key(location, school_year)}/{key}"


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value, "time")


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value, "archived_at")


def _groups(value: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(value)


def _combination_groups(value: Iterable[CombinationGroup]) -> tuple[CombinationGroup, ...]:
    return tuple(value)


def _teachers(value: Iterable[Teacher]) -> tuple[Teacher, ...]:
    return tuple(value)


def _pupils(value: Iterable[Pupil]) -> tuple[Pupil, ...]:
    return tuple(value)


@attrs.frozen
class EnrolledPupil:
    """A pupil (*leerling*) of a location in a school year, as the import stored it.

    Only what the EDEXML parser keeps is stored (:class:`examkit.edexml.Pupil`).
    A pupil missing from a later file is archived (:attr:`archived_at`), no
    longer listed for scheduling, and erased after the retention period.

    >>> from examkit.edexml import PersonName
    >>> pupil = EnrolledPupil(LocationCode("22AB00"), SchoolYear("2026-2027"),
    ...                       Pupil("1", PersonName(called_name="Sem"), group="g4"))
    >>> pupil.id, pupil.is_current
    ('22AB00/2026-2027/1', True)

    Implements EDX-3, EDX-4 and EDX-6.
    """

    location: ImportPlace
    """The location (BRIN6) or Flemish school the pupil was imported for."""
    school_year: SchoolYear
    """The school year of the import."""
    pupil: Pupil
    """The pupil's kept values."""
    archived_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the pupil went missing from an import; ``None`` while current."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """The stored key: location, school year and the pupil's key."""
        return pupil_key(self.location, self.school_year, self.pupil.key)

    @property
    def is_current(self) -> bool:
        """Whether the pupil is current (not archived)."""
        return self.archived_at is None


@attrs.frozen
class ClassList:
    """The classes (*groepen*) of a location in a school year, with their teachers.

    Groups, combination groups (*samengestelde groepen*) and teachers as the
    EDEXML parser keeps them; one stored value per location and year.

    >>> classes = ClassList(LocationCode("22AB00"), SchoolYear("2026-2027"),
    ...                     groups=(Group("g4", "4A", "4"),))
    >>> classes.id, classes.group("g4").name
    ('22AB00/2026-2027', '4A')

    Implements EDX-3 and EDX-4.
    """

    location: ImportPlace
    """The location (BRIN6) or Flemish school."""
    school_year: SchoolYear
    """The school year."""
    groups: tuple[Group, ...] = attrs.field(default=(), converter=_groups)
    """The groups (classes), by key."""
    combination_groups: tuple[CombinationGroup, ...] = attrs.field(
        default=(), converter=_combination_groups
    )
    """The combination groups, by key."""
    teachers: tuple[Teacher, ...] = attrs.field(default=(), converter=_teachers)
    """The teachers, by key."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """The stored key: location and school year."""
        return roster_key(self.location, self.school_year)

    def group(self, key: str) -> Group:
        """Return the group with *key*.

        Raises:
            NotFound: there is none.
        """
        for group in self.groups:
            if group.key == key:
                return group
        raise NotFound("imports.group.not_found", field="group", group=key)


def _params(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(item)) for name, item in value)


@attrs.frozen
class ImportWarning:
    """A warning about the file of a preview: not an error, but worth a look (EDX-1).

    Kept with the preview (:attr:`PendingImport.warnings`), so that the page
    showing it again after a reload shows its warnings too.

    >>> warning = ImportWarning("edexml.pupil.year_group_missing", line=19,
    ...                         params=(("key", "L001"),))
    >>> print(warning.message("en"))
    Pupil 'L001' has no jaargroep, and none can be derived from a group.

    Implements EDX-1 and EDX-2.
    """

    code: str
    """The warning's message code (``edexml.pupil.year_group_derived``)."""
    line: int | None = None
    """The file's line, where known."""
    element: str | None = None
    """The path of the element it is about, where known."""
    params: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_params)
    """The values its message names, as text."""

    @classmethod
    def of(cls, problem: EdexmlProblem) -> ImportWarning:
        """Return the warning of the parser's *problem*."""
        params = tuple((name, str(value)) for name, value in problem.params.items())
        return cls(problem.code, problem.line, problem.field, params)

    def message(self, lang: Lang = "nl") -> str:
        """Return the warning's message in *lang* (Dutch by default)."""
        return text(self.code, lang, **dict(self.params))


def _warnings(value: Iterable[ImportWarning]) -> tuple[ImportWarning, ...]:
    return tuple(value)


@attrs.frozen
class PendingImport:
    """An import waiting for confirmation (*te bevestigen import*).

    Holds only the parsed values examkit keeps, never the file itself, and
    only until it is confirmed, cancelled or expired. It belongs to the actor
    who previewed it. :attr:`base` fingerprints what was stored for the
    location and year at preview time, so a confirmation after a concurrent
    change is refused.

    Implements EDX-2 and EDX-6.
    """

    id: str
    """The pending import's identifier (random, drawn from the secret source)."""
    actor: str
    """The account that previewed it; only it may confirm or cancel."""
    created_at: datetime = attrs.field(converter=_aware)
    """When it was previewed."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When it lapses and is erased."""
    file_hash: str
    """The SHA-256 of the file (for the audit trail)."""
    base: str
    """The fingerprint of the stored pupils and classes at preview time."""
    classes: ClassList
    """The file's groups, combination groups and teachers, for the location and year."""
    pupils: tuple[Pupil, ...] = attrs.field(default=(), converter=_pupils)
    """The file's pupils."""
    school: School | None = None
    """The school identification as the file gives it (``None`` in a preview stored before it
    was kept)."""
    warnings: tuple[ImportWarning, ...] = attrs.field(default=(), converter=_warnings)
    """The file's warnings, in the order of the file."""
    diff: ImportDiff | None = None
    """The difference computed at preview time (``None`` in a preview stored before it was
    kept). It holds while the stored data still has the fingerprint :attr:`base`, which every
    reading of the preview checks first: a reload need not compute it again."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def location(self) -> ImportPlace:
        """The location (or Flemish school) of the import."""
        return self.classes.location

    @property
    def school_year(self) -> SchoolYear:
        """The school year of the import."""
        return self.classes.school_year
