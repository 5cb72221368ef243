"""Candidates and answer-sheet counts from a location's imported pupils (EDEXML)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from examkit.errors import InvalidInput
from examkit.identifiers import LocationCode, SchoolYear
from examkit.scheduling._model import Facilities
from examkit.storage import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

if TYPE_CHECKING:  # examkit.imports needs the converter, which needs examkit.scheduling
    from examkit.imports import EnrolledPupil


def current_pupils(
    uow: UnitOfWork, location: LocationCode, year: SchoolYear
) -> Iterator[EnrolledPupil]:
    """Yield the current (not archived) pupils of *location* in *year*, by key."""
    after: str | None = None
    while True:
        page = uow.pupils.list(location, year, archived=False, after=after, limit=MAX_PAGE_SIZE)
        yield from page.items
        if page.next_after is None:
            return
        after = page.next_after


def chosen_pupils(
    pupils: Iterable[EnrolledPupil],
    *,
    classes: Collection[str] | None = None,
    keys: Collection[str] | None = None,
) -> list[EnrolledPupil]:
    """Return the pupils in one of *classes* (group keys) or with one of *keys*; all when neither.

    >>> from examkit.edexml import PersonName, Pupil
    >>> from examkit.imports import EnrolledPupil
    >>> year, at = SchoolYear("2026-2027"), LocationCode("22AB00")
    >>> pupils = [EnrolledPupil(at, year, Pupil(k, PersonName("Jansen"), group=g))
    ...           for k, g in (("1", "8A"), ("2", "8B"), ("3", None))]
    >>> [p.pupil.key for p in chosen_pupils(pupils, classes={"8B"}, keys={"3"})]
    ['2', '3']

    Implements SCH-1.
    """
    if classes is None and keys is None:
        return list(pupils)
    wanted_classes = set(classes or ())
    wanted_keys = set(keys or ())
    return [
        p
        for p in pupils
        if p.pupil.key in wanted_keys
        or (p.pupil.group is not None and p.pupil.group in wanted_classes)
    ]


def candidate_fields(pupil: EnrolledPupil) -> dict[str, object]:
    """Return a candidate's fields for *pupil*: names, class and pupil key.

    The first name is the name the pupil is called by (else the given
    names, else the initials); the last name carries its prefix.

    >>> from examkit.edexml import PersonName, Pupil
    >>> from examkit.imports import EnrolledPupil
    >>> pupil = EnrolledPupil(LocationCode("22AB00"), SchoolYear("2026-2027"),
    ...     Pupil("17", PersonName("Vries", prefix="de", called_name="Sanne"), group="8A"))
    >>> fields = candidate_fields(pupil)
    >>> fields["first_name"], fields["last_name"], fields["class_key"], fields["pupil_key"]
    ('Sanne', 'de Vries', '8A', '17')

    Raises:
        InvalidInput: the pupil has no surname or no given name, called name or initials.

    Implements SCH-1.
    """
    name = pupil.pupil.name
    first = name.called_name or name.first_names or name.initials
    last = " ".join(part for part in (name.prefix, name.last_name) if part)
    if not first or not name.last_name:
        raise InvalidInput("sessions.pupil.name", field="pupils", pupil=pupil.pupil.key)
    return {
        "location": pupil.location,
        "first_name": first,
        "last_name": last,
        "class_key": pupil.pupil.group or "",
        "pupil_key": pupil.pupil.key,
        "facilities": Facilities(),
    }


def class_counts(
    pupils: Iterable[EnrolledPupil], classes: Collection[str] | None = None
) -> dict[str, int]:
    """Return how many of *pupils* each class has (only *classes* when given, 0 when empty).

    Pupils without a class are not counted.

    >>> from examkit.edexml import PersonName, Pupil
    >>> from examkit.imports import EnrolledPupil
    >>> year, at = SchoolYear("2026-2027"), LocationCode("22AB00")
    >>> pupils = [EnrolledPupil(at, year, Pupil(k, PersonName("Jansen"), group=g))
    ...           for k, g in (("1", "8A"), ("2", "8A"), ("3", "8B"), ("4", None))]
    >>> class_counts(pupils), class_counts(pupils, {"8B", "8C"})
    ({'8A': 2, '8B': 1}, {'8B': 1, '8C': 0})

    Implements EDX-3.
    """
    counts: dict[str, int] = dict.fromkeys(sorted(classes), 0) if classes is not None else {}
    for pupil in pupils:
        group = pupil.pupil.group
        if group is None or (classes is not None and group not in counts):
            continue
        counts[group] = counts.get(group, 0) + 1
    return counts
