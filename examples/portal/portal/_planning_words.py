"""The planning pages' shared words and helpers: states, modes, facilities, times, locations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Final

from starlette.requests import Request

from examkit.errors import ExamkitError, InvalidInput
from examkit.identifiers import LocationCode
from examkit.scheduling import AMSTERDAM, AttemptState, Facilities, GroupState, Mode
from portal._base import Portal, Viewer
from portal._i18n import N_

GROUP_STATES: Final = {
    GroupState.PLANNED: N_("Planned, not yet released"),
    GroupState.RELEASED: N_("Released to the candidates"),
    GroupState.BLOCKED: N_("Blocked by the proctor"),
    GroupState.CLOSED: N_("Closed by the proctor"),
    GroupState.RELEASED_FOR_CORRECTION: N_("Released for correction"),
    GroupState.CORRECTION_CLOSED: N_("Correction closed"),
    GroupState.RESULTS_PUBLISHED: N_("Results published"),
    GroupState.REVIEW_OPEN: N_("Open for review"),
    GroupState.ARCHIVED: N_("Archived"),
    GroupState.CANCELLED: N_("Cancelled"),
}
"""A group's state as the pages say it, in the lifecycle's order."""
ATTEMPT_STATES: Final = {
    AttemptState.REGISTERED: N_("registered, not begun"),
    AttemptState.IN_PROGRESS: N_("in progress"),
    AttemptState.PAUSED: N_("paused by the proctor"),
    AttemptState.SUBMITTED: N_("handed in by the candidate"),
    AttemptState.TIMED_OUT: N_("time ran out"),
    AttemptState.TERMINATED: N_("ended early by the proctor"),
    AttemptState.ABSENT: N_("recorded as absent"),
}
"""A candidate's attempt as the group's page says it."""
MODES: Final = {Mode.ONLINE: N_("Online"), Mode.OFFLINE: N_("Offline (school server)")}
"""How a group is taken."""
EVENTS: Final = {
    "release": N_("Release"),
    "block": N_("Block"),
    "close": N_("Close"),
    "cancel": N_("Cancel"),
    "release_for_correction": N_("Release for correction"),
    "close_correction": N_("Close the correction"),
    "publish_results": N_("Publish the results"),
    "open_review": N_("Open the review"),
    "archive": N_("Archive"),
}
"""A move of a group's history."""
AIDS: Final = (
    ("read_aloud", N_("Read aloud")),
    ("enlarged_print", N_("Larger text")),
    ("spelling_aid", N_("Spelling aid")),
    ("own_room", N_("Room of their own")),
)
"""The aids a candidate may have (the facilities beside extra time), field and label."""


def local(moment: datetime) -> str:
    """Return *moment* in Amsterdam as ``dd-mm-yyyy hh:mm``."""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def clock(moment: datetime) -> str:
    """Return *moment*'s time in Amsterdam, ``hh:mm``."""
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


def aids_of(facilities: Facilities, _: Callable[..., str]) -> list[str]:
    """Return the names of *facilities*' aids in the page's language."""
    return [_(label) for field, label in AIDS if getattr(facilities, field)]


def today(now: datetime) -> date:
    """Return the date of *now* in Amsterdam."""
    return now.astimezone(AMSTERDAM).date()


def chosen_location(request: Request, locations: tuple[LocationCode, ...]) -> str:
    """Return the location the request chose among *locations*, else the first ('' if none)."""
    names = [str(code) for code in locations]
    chosen = request.query_params.get("location", "")
    return chosen if chosen in names else (names[0] if names else "")


def parse_start(day: str, at: str) -> datetime | None:
    """Return the start that *day* (``YYYY-MM-DD``) and *at* (``hh:mm``) name in Amsterdam.

    ``None`` when either is not a date or a time.
    """
    try:
        return datetime.combine(
            date.fromisoformat(day.strip()), time.fromisoformat(at.strip()), tzinfo=AMSTERDAM
        )
    except ValueError:
        return None


def parse_minutes(text: str, field: str) -> int:
    """Return the whole minutes *text* says (empty: 0).

    Raises:
        InvalidInput: ``sessions.extra_time.invalid``: it is not a whole number of 0 to 240.
    """
    cleaned = text.strip() or "0"
    if not cleaned.isdigit() or int(cleaned) > 240:
        raise InvalidInput("sessions.extra_time.invalid", field=field)
    return int(cleaned)


async def class_names(portal: Portal, viewer: Viewer, location: LocationCode) -> dict[str, str]:
    """Return the names of *location*'s imported classes by key (``G4A`` -> ``4A``).

    Empty for who may not read in candidates there, or where nothing was
    imported: a candidate's class is then shown as it is stored.
    """
    if not viewer.may("facet.candidates.import"):
        return {}
    try:
        return await portal.call(portal.kit.planning_desk.class_names, viewer.id, location)
    except ExamkitError:
        return {}
