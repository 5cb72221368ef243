"""The Flemish desk's pupil form: what it shows, and the pupil's registration it posts.

A pupil's registration (:class:`~examkit.flemish.PupilRegistration`) is made
from the posted form here, in a worker thread; a bad value (no name, a date
that is none) is examkit's :class:`~examkit.errors.InvalidInput`, shown at
the form in the page's language.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData

from examkit.errors import InvalidInput
from examkit.flemish import PupilRegistration

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
