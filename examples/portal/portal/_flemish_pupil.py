"""The Flemish desk's pupil form and the school's pupils from its EDEXML file.

A pupil's registration (:class:`~examkit.flemish.PupilRegistration`) is made
from the posted form here, in a worker thread; a bad value (no name, a date
that is none) is examkit's :class:`~examkit.errors.InvalidInput`, shown at
the form in the page's language.

The school's pupils come from its Flemish EDEXML file, as examkit shows them
to the coordinator (:meth:`~examkit.imports.Rosters.pupils_for`, the
registration's school year): :func:`imported_pupils` lists those not
registered yet, each with the name of its class, so that a pupil is
registered by the key and name the file gives.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from starlette.datastructures import FormData

from examkit import Examkit
from examkit.errors import InvalidInput, NotFound
from examkit.flemish import FlemishRegistration, PupilRegistration
from examkit.imports import EnrolledPupil
from examkit.storage import MAX_PAGE_SIZE

CHECKS = ("exempt_dutch", "exempt_maths", "voluntary", "no_questionnaire")
"""The form's checkboxes, each a flag of :class:`~examkit.flemish.PupilRegistration`."""


def _date(value: str, field: str) -> date | None:
    """Return the day *value* names (``2025-02-20`` or ``20-02-2025``), ``None`` when empty.

    Raises:
        InvalidInput: ``sessions.file.date``: *value* is not a date.
    """
    text = value.strip()
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 3 and len(parts[0]) == 4:  # year, month, day
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3 and len(parts[2]) == 4:  # day, month, year
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise InvalidInput("sessions.file.date", field=field, value=value)


def pupil_of(data: FormData) -> PupilRegistration:
    """Return the pupil's registration the posted *data* describes.

    Raises:
        InvalidInput: a required field is empty or a value is not valid.
    """
    accommodations = str(data.get("accommodations", "")).replace("\n", ",").split(",")
    return PupilRegistration(
        pupil=str(data.get("pupil", "")),
        name=str(data.get("name", "")),
        exempt_dutch=data.get("exempt_dutch") == "yes",
        exempt_maths=data.get("exempt_maths") == "yes",
        exemption_reason=str(data.get("exemption_reason", "")),
        voluntary=data.get("voluntary") == "yes",
        no_questionnaire=data.get("no_questionnaire") == "yes",
        questionnaire_requested_on=_date(
            str(data.get("questionnaire_requested_on", "")), "questionnaire_requested_on"
        ),
        accommodations=accommodations,
        group=str(data.get("group", "")),
    )


def shown_of(pupil: PupilRegistration | None) -> dict[str, Any]:
    """Return the form's values for *pupil* (empty for a new one)."""
    if pupil is None:
        return {"pupil": "", "name": "", "accommodations": "", "group": ""}
    return {
        "pupil": pupil.pupil,
        "name": pupil.name,
        **{check: getattr(pupil, check) for check in CHECKS},
        "exemption_reason": pupil.exemption_reason,
        "questionnaire_requested_on": (
            pupil.questionnaire_requested_on.isoformat()
            if pupil.questionnaire_requested_on is not None
            else ""
        ),
        "accommodations": ", ".join(pupil.accommodations),
        "group": pupil.group,
    }


def shown_from(data: FormData) -> dict[str, Any]:
    """Return the form's values as they were posted (shown again with a refusal)."""
    return {
        "pupil": str(data.get("pupil", "")),
        "name": str(data.get("name", "")),
        **{check: data.get(check) == "yes" for check in CHECKS},
        "exemption_reason": str(data.get("exemption_reason", "")),
        "questionnaire_requested_on": str(data.get("questionnaire_requested_on", "")),
        "accommodations": str(data.get("accommodations", "")),
        "group": str(data.get("group", "")),
    }


@attrs.frozen
class FilePupil:
    """A pupil of the school's imported EDEXML file."""

    key: str
    """The pupil's key in the file (the registration's pupil key)."""
    name: str
    """The pupil's name as a person reads it."""
    group: str
    """The name of the pupil's class in the file ("" without one)."""


@attrs.frozen
class FilePupils:
    """The file's pupils not registered yet, or why there are none to show."""

    pupils: tuple[FilePupil, ...] = ()
    """The pupils of the file that the registration does not have yet, by key."""
    imported: int = 0
    """How many pupils the file has for the registration's school year."""
    missing: str = ""
    """examkit's message when nothing was imported for that year (in the page's language)."""


def imported_pupils(
    kit: Examkit, actor: str, registration: FlemishRegistration, lang: str
) -> FilePupils:
    """Return the school's imported pupils that *registration* does not have yet.

    Runs in a worker thread: it pages through
    :meth:`~examkit.imports.Rosters.pupils_for` (the coordinator sees the
    whole school) and reads the classes' names once.

    Raises:
        NotPermitted: *actor* may not see the school's pupils.
    """
    school, year = registration.school, registration.school_year
    try:
        classes = kit.rosters.classes_for(actor, school, year)
        found: list[EnrolledPupil] = []
        after: str | None = None
        while True:
            page = kit.rosters.pupils_for(
                actor, school, school_year=year, after=after, limit=MAX_PAGE_SIZE
            )
            found.extend(page.items)
            if page.next_after is None:
                break
            after = page.next_after
    except NotFound as error:
        return FilePupils(missing=error.message("en" if lang == "en" else "nl"))
    names = {group.key: group.name for group in classes.groups}
    registered = {pupil.pupil for pupil in registration.pupils}
    waiting = tuple(
        FilePupil(
            item.pupil.key,
            item.pupil.name.full_name or item.pupil.key,
            names.get(item.pupil.group or "", ""),
        )
        for item in found
        if item.pupil.key not in registered
    )
    return FilePupils(waiting, len(found))
