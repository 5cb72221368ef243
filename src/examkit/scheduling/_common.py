"""Helpers shared by the use cases of test sessions (reads and moves inside one unit)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.identifiers import LocationCode, SchoolYear
from examkit.scheduling._attempts import (
    Attempt,
    AttemptEvent,
)
from examkit.scheduling._codes import new_login_name
from examkit.scheduling._lifecycle import ATTEMPT_LIFECYCLE, AttemptState, GroupState
from examkit.scheduling._model import (
    Candidate,
    TestSessionGroup,
)
from examkit.storage import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from examkit.ports import SecretSource
    from examkit.records import UnitOfWork


def group_subject(group_id: str) -> str:
    """Return the audit subject of session group *group_id*."""
    return f"session_group:{group_id}"


def location_subject(location: LocationCode) -> str:
    """Return the audit subject of *location*."""
    return f"location:{location}"


def text_of(value: object, field: str) -> str:
    """Return *value* if it is text; refuse anything else (``None``, a number) as input."""
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", field=field, actual=type(value).__name__)
    return value


def new_candidate(uow: UnitOfWork, secrets: SecretSource, **fields: Any) -> Candidate:
    """Return a new candidate with *fields*, an id and a login name no stored candidate has."""
    for _ in range(10):
        login_name = new_login_name(secrets)
        try:
            uow.candidates.get_by_login_name(login_name)
        except NotFound:
            return Candidate(id="c-" + secrets.token_urlsafe(9), login_name=login_name, **fields)
    raise InvalidState("sessions.login_name.exhausted")  # pragma: no cover - 25^8 names


def candidates_of(uow: UnitOfWork, ids: Iterable[str]) -> dict[str, Candidate]:
    """Return the stored candidates of *ids* by id (ids of removed candidates left out).

    One read for them all (``get_many``), not one per candidate.
    """
    return dict(uow.candidates.get_many(ids))


def all_candidates(uow: UnitOfWork, location: LocationCode) -> list[Candidate]:
    """Return every candidate of *location*, page after page."""
    found: list[Candidate] = []
    after: str | None = None
    while True:
        page = uow.candidates.list(location=location, after=after, limit=MAX_PAGE_SIZE)
        found.extend(page.items)
        if page.next_after is None:
            return found
        after = page.next_after


def current_year(uow: UnitOfWork, location: LocationCode, now: datetime) -> SchoolYear:
    """Return the current school year of *location*: the calendar's, never the latest import.

    Raises:
        NotFound: nothing was imported for the location, or not for the current year.
    """
    year = SchoolYear.at(now)
    if uow.pupils.list(location, year, archived=None, limit=1).items:
        return year  # one row read, not every pupil of every year (the usual case)
    years = uow.pupils.school_years(location)
    if not years:
        raise NotFound("imports.location.no_import", field="location", location=str(location))
    if year not in years:
        raise NotFound(
            "imports.school_year.not_imported",
            field="school_year",
            location=str(location),
            school_year=str(year),
        )
    return year


def find_overlap(
    group: TestSessionGroup, candidate: Candidate, others: Iterable[TestSessionGroup]
) -> TestSessionGroup | None:
    """Return a group of *others* whose time overlaps *group*'s for *candidate*, or ``None``.

    Each group's time runs from its start to its end plus the candidate's
    extra time; cancelled groups and *group* itself do not count.

    Implements SCH-1.
    """
    extra = candidate.facilities.extra_time
    end = group.ends_at + extra
    for other in others:
        if other.id == group.id or other.state is GroupState.CANCELLED:
            continue
        if other.starts_at < end and group.starts_at < other.ends_at + extra:
            return other
    return None


def move_attempt(
    attempt: Attempt,
    event: str,
    now: datetime,
    *,
    actor: str | None = None,
    reason: str = "",
    **changes: Any,
) -> Attempt:
    """Return *attempt* after the logged move *event* (the attempt lifecycle).

    *changes* are further fields the move sets at once (a start's deadline).

    Raises:
        TransitionNotAllowed: the attempt's state does not allow *event*.
    """
    target = ATTEMPT_LIFECYCLE.move(event, attempt.state).target
    ended = now if target.is_final else None
    return attrs.evolve(
        attempt,
        state=target,
        ended_at=ended if target.is_final else attempt.ended_at,
        reentry_allowed=False,
        log=(*attempt.log, AttemptEvent(event, now, actor, reason.strip())),
        **changes,
    )


def attempts_started(uow: UnitOfWork, group_id: str) -> bool:
    """Return whether any attempt of group *group_id* has left the registered state."""
    return any(
        a.state is not AttemptState.REGISTERED for a in uow.test_attempts.list_for_group(group_id)
    )
