"""What examkit keeps of an EDEXML file: the school, its sites, groups, pupils and teachers.

Only the fields examkit's functions need are kept (EDX-6). A file's BSN,
sofinummer, onderwijsnummer, rijksregisternummer, country of origin,
ethnicity, pupil weight, postcode and the dates a pupil came and left are
checked but never copied into these values.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from examkit.edexml._problems import EdexmlProblem
from examkit.edexml._version import Version
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, SchoolYear

__all__ = [
    "CombinationGroup",
    "Counts",
    "Gender",
    "Group",
    "Inspection",
    "PersonName",
    "Pupil",
    "Roster",
    "School",
    "Site",
    "Teacher",
    "TeacherGroup",
]


class Gender(enum.Enum):
    """A pupil's gender (*geslacht*) as EDEXML codes it (NEN-ISO 5218)."""

    UNKNOWN = "0"
    """Not known (*onbekend*)."""
    MALE = "1"
    """Boy (*jongen*)."""
    FEMALE = "2"
    """Girl (*meisje*)."""
    UNSPECIFIED = "9"
    """Not specified (*niet gespecificeerd*)."""


@attrs.frozen
class PersonName:
    """A person's name in its parts (NEN 1888), as EDEXML gives them.

    Either a surname (*achternaam*) with optional parts, or only the name a
    person is called by (*roepnaam*).

    >>> PersonName("Hof", prefix="van 't", initials="G", called_name="Gradje").full_name
    "Gradje van 't Hof"
    """

    last_name: str | None = None
    """The surname without its prefix (*achternaam*)."""
    prefix: str | None = None
    """The surname's prefix (*voorvoegsel*: ``van``, ``van 't``)."""
    first_names: str | None = None
    """All given names (*voornamen*)."""
    initials: str | None = None
    """The initials (*voorletters-1*)."""
    called_name: str | None = None
    """The name the person is called by (*roepnaam*)."""

    @property
    def full_name(self) -> str:
        """The name as a person reads it: called name (or initials), prefix, surname."""
        given = self.called_name or self.first_names or self.initials
        return " ".join(part for part in (given, self.prefix, self.last_name) if part)


@attrs.frozen
class School:
    """The school an EDEXML file is for, and the school year (*schooljaar*).

    A Dutch school is identified by its BRIN code and dependancecode (as a
    :class:`~examkit.identifiers.LocationCode`; no dependancecode means
    ``00``, the main location), a Flemish one by its *instellingsnummer*;
    either may also have the supplier's *schoolkey*. A value that fails
    examkit's identifier checks is ``None`` (and reported as a warning). In a
    file without errors :attr:`school_year` is always set.

    Implements EDX-1 and EDX-2 (what the administrator confirms).
    """

    school_year: SchoolYear | None = None
    """The school year the file describes."""
    brin: Brin | None = None
    """The Dutch institution's BRIN code."""
    location: LocationCode | None = None
    """The Dutch location: BRIN and dependancecode."""
    schoolkey: str | None = None
    """The school's key in the supplier's system."""
    instellingsnummer: Instellingsnummer | None = None
    """The Flemish school's number."""


@attrs.frozen
class Site:
    """One of the school's own sites (*vestiging*), which pupils refer to."""

    key: str
    """The site's key in the file."""
    name: str
    """The site's name (*naam*)."""


@attrs.frozen
class Group:
    """A class (*groep*): its key, name and year group (*jaargroep*)."""

    key: str
    """The group's key in the file."""
    name: str
    """The group's name (``4A``)."""
    year_group: str
    """The year group's code (``4``, ``12``, ``C`` for a combination class; see the docs)."""


@attrs.frozen
class CombinationGroup:
    """A combination group (*samengestelde groep*): pupils of several classes taught together."""

    key: str
    """The combination group's key in the file."""
    name: str
    """The combination group's name."""


@attrs.frozen
class Pupil:
    """A pupil (*leerling*) as examkit keeps one.

    Implements EDX-1 and EDX-6 (only these fields are kept).
    """

    key: str
    """The pupil's key in the supplier's system (stable between exports)."""
    name: PersonName
    """The pupil's name in its parts."""
    eckid: str | None = None
    """The pupil's *eckid* (EDEXML 2.1: a chain-wide pseudonymous identifier)."""
    birth_date: date | None = None
    """The date of birth (*geboortedatum*)."""
    gender: Gender | None = None
    """The gender (*geslacht*)."""
    year_group: str | None = None
    """The year group (*jaargroep*), the pupil's own or derived from the group."""
    year_group_derived: bool = False
    """Whether :attr:`year_group` was derived from the pupil's group."""
    group: str | None = None
    """The key of the pupil's class (*groep*)."""
    combination_groups: tuple[str, ...] = ()
    """The keys of the pupil's combination groups."""
    site: str | None = None
    """The key of the pupil's site (*vestiging*)."""


@attrs.frozen
class TeacherGroup:
    """A teacher's link to a group or combination group, with the roles held there."""

    key: str
    """The group's key."""
    combination: bool = False
    """Whether the key is a combination group's (*samengestelde groep*)."""
    roles: tuple[str, ...] = ()
    """Role codes for this group (``LRK``; see the docs)."""
    role_descriptions: tuple[str, ...] = ()
    """Free-text roles for this group (*rolomschrijving*)."""


@attrs.frozen
class Teacher:
    """A teacher or other staff member (*leerkracht*).

    Implements EDX-1 and EDX-6 (only these fields are kept).
    """

    key: str
    """The teacher's key in the supplier's system."""
    name: PersonName
    """The teacher's name in its parts."""
    eckid: str | None = None
    """The teacher's *eckid* (EDEXML 2.1)."""
    email: str | None = None
    """The e-mail address (*emailadres*), when examkit can use it."""
    roles: tuple[str, ...] = ()
    """Role codes held regardless of group (``DIR``, ``IB``)."""
    role_descriptions: tuple[str, ...] = ()
    """Free-text roles held regardless of group (*rolomschrijving*)."""
    groups: tuple[TeacherGroup, ...] = ()
    """The groups and combination groups the teacher teaches."""


@attrs.frozen
class Counts:
    """How many of each kind a file holds."""

    groups: int = 0
    """Groups (*groepen*)."""
    combination_groups: int = 0
    """Combination groups (*samengestelde groepen*)."""
    pupils: int = 0
    """Pupils (*leerlingen*)."""
    teachers: int = 0
    """Teachers (*leerkrachten*)."""
    sites: int = 0
    """Sites (*vestigingen*)."""


@attrs.frozen
class Roster:
    """The contents of a valid EDEXML file: one school's sites, groups, pupils and teachers.

    ``warnings`` holds what the file's schema does not forbid but a reader
    should look at; they are not compared when rosters are.

    Implements EDX-1.
    """

    version: Version
    """The EDEXML version the file was checked as."""
    school: School
    """The school and school year."""
    sites: tuple[Site, ...] = ()
    """The school's sites (*vestigingen*)."""
    groups: tuple[Group, ...] = ()
    """The classes (*groepen*)."""
    combination_groups: tuple[CombinationGroup, ...] = ()
    """The combination groups (*samengestelde groepen*)."""
    pupils: tuple[Pupil, ...] = ()
    """The pupils (*leerlingen*), in the file's order."""
    teachers: tuple[Teacher, ...] = ()
    """The teachers (*leerkrachten*), in the file's order."""
    declared_version: str | None = None
    """What the file's ``<xsdversie>`` says, if anything."""
    warnings: tuple[EdexmlProblem, ...] = attrs.field(default=(), eq=False)
    """The warnings found, in the order of the file."""

    @property
    def counts(self) -> Counts:
        """How many groups, combination groups, pupils, teachers and sites there are."""
        return Counts(
            groups=len(self.groups),
            combination_groups=len(self.combination_groups),
            pupils=len(self.pupils),
            teachers=len(self.teachers),
            sites=len(self.sites),
        )


@attrs.frozen
class Inspection:
    """The verdict on an EDEXML file: valid or not, what it is, and every problem.

    Made by :func:`~examkit.edexml.inspect`, which keeps no pupils or
    teachers, only their counts.

    Implements EDX-1.
    """

    valid: bool
    """Whether the file has no errors (warnings do not count)."""
    version: Version | None
    """The version the file was checked as (``None`` if it is not XML at all)."""
    school: School
    """What the file says about the school (fields it lacks or gets wrong are ``None``)."""
    counts: Counts
    """How many of each kind the file holds."""
    problems: tuple[EdexmlProblem, ...] = attrs.field(eq=False)
    """Every error and warning, in the order of the file: at most ``max_problems``
    (:class:`~examkit.edexml.Limits`), then, if there were more, one
    ``edexml.problems.truncated`` saying how many."""
    declared_version: str | None = None
    """What the file's ``<xsdversie>`` says, if anything."""

    @property
    def errors(self) -> tuple[EdexmlProblem, ...]:
        """The problems that make the file invalid."""
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[EdexmlProblem, ...]:
        """The problems that do not."""
        return tuple(problem for problem in self.problems if not problem.is_error)
