"""The values of a candidate's attempt: its responses, log, session key and save receipts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from examkit._fields import require_aware_utc
from examkit.scheduling._lifecycle import AttemptState


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value)


@attrs.frozen
class SavedResponse:
    """A candidate's response to one item, stored as given (*antwoord*).

    Implements SCH-4 and SCH-7.
    """

    value: Any
    """The response as the client sent it (JSON data; its structure is scoring's)."""
    sequence: int
    """The client's sequence number of the save."""
    saved_at: datetime = attrs.field(converter=_aware)
    """When it was saved."""


@attrs.frozen
class AttemptEvent:
    """One line of an attempt's log: what happened, by whom, when, why.

    Implements SCH-4.
    """

    event: str
    """The event (``start``, ``pause``, ``sign_in``)."""
    at: datetime = attrs.field(converter=_aware)
    """When."""
    actor: str | None = None
    """The proctor's account id (``None`` for the candidate or the system)."""
    reason: str = ""
    """Why, where given."""


def _events(value: Iterable[AttemptEvent]) -> tuple[AttemptEvent, ...]:
    return tuple(value)


def _responses(value: Mapping[str, SavedResponse]) -> Mapping[str, SavedResponse]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Attempt:
    """A candidate's attempt at the test of a group (*afname*): state, deadline, responses.

    Implements SCH-4 and SCH-7.
    """

    group: str
    """The group's id."""
    candidate: str
    """The candidate's id."""
    exam: str
    """The test's code."""
    login_name: str
    """The candidate's login name (shown on the monitor)."""
    extra_time_minutes: int = 0
    """The candidate's extra time, fixed when planned."""
    state: AttemptState = AttemptState.REGISTERED
    """Its state."""
    started_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the candidate started."""
    deadline: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When time is up, fixed at the start."""
    ended_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When it ended."""
    end_reason: str = ""
    """The proctor's reason, when terminated."""
    reentry_allowed: bool = False
    """Whether the proctor allowed the candidate to sign in again while in progress."""
    offline_server: str | None = None
    """The offline server it runs on (offline groups)."""
    last_sequence: int = 0
    """The highest save sequence number accepted (a page's epoch and counter in one number:
    :func:`~examkit.scheduling.page_sequence`)."""
    responses: Mapping[str, SavedResponse] = attrs.field(factory=dict, converter=_responses)
    """The last response per item identifier."""
    log: tuple[AttemptEvent, ...] = attrs.field(default=(), converter=_events)
    """What happened, in order."""
    late_saves: int = 0
    """How many saves were refused after the deadline (plus the grace) or after the end."""
    last_contact: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the candidate's page was last heard from (sign-in, page load, save, heartbeat)."""
    page_epoch: int = 0
    """The highest page epoch reserved (:meth:`~examkit.scheduling.Sitting.open_page`)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def id(self) -> str:
        """Its key: ``<group>:<candidate>``."""
        return attempt_id(self.group, self.candidate)

    @property
    def extra_time(self) -> timedelta:
        """The extra time as a duration."""
        return timedelta(minutes=self.extra_time_minutes)

    def takes_response(self, sequence: int, now: datetime) -> bool:
        """Whether a save numbered *sequence* arriving at *now* is stored.

        Only while in progress, before the deadline, and newer than the last
        save accepted (a resend or a late older save is not stored).

        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 5, 12, 9, 0, tzinfo=timezone.utc)
        >>> attempt = Attempt("g-1", "c-1", "NE", "KAND0001", state=AttemptState.IN_PROGRESS,
        ...                   deadline=at + timedelta(hours=2), last_sequence=3)
        >>> attempt.takes_response(4, at), attempt.takes_response(3, at)
        (True, False)
        >>> attempt.takes_response(4, at + timedelta(hours=2))
        False

        Implements SCH-4 and SCH-7.
        """
        return (
            self.state is AttemptState.IN_PROGRESS
            and sequence > self.last_sequence
            and (self.deadline is None or now < self.deadline)
        )

    def with_response(self, item: str, response: SavedResponse) -> Attempt:
        """Return the attempt with *response* as the last save for *item* (a contact too).

        Implements SCH-4 and SCH-7.
        """
        return attrs.evolve(
            self,
            last_sequence=response.sequence,
            responses={**self.responses, item: response},
            last_contact=response.saved_at,
        )


@attrs.frozen
class CandidateSession:
    """What a candidate's sign-in gives: their attempt, and the key of their saves.

    The key binds :meth:`~examkit.scheduling.Sitting.save_response` and
    :meth:`~examkit.scheduling.Sitting.submit` to the candidate who
    signed in: the portal keeps it in the candidate's (server-side) session
    and passes it with every save; it is never printed, logged or shown.

    Implements AUTH-12, SCH-4 and SCH-7.
    """

    attempt: Attempt
    """The attempt, started (or re-entered)."""
    key: str = attrs.field(repr=False)
    """The candidate's key for this attempt (a secret)."""

    @property
    def group(self) -> str:
        """The group's id."""
        return self.attempt.group

    @property
    def candidate(self) -> str:
        """The candidate's id."""
        return self.attempt.candidate


@attrs.frozen
class RecordedResponse:
    """What storing a response tells: the attempt's new version and its deadline.

    Returned by :meth:`~examkit.scheduling.AttemptRepository.record_response`
    when the response was stored.

    Implements SCH-4 and SCH-7.
    """

    version: int
    """The attempt's stored version after the save."""
    deadline: datetime | None = attrs.field(converter=_optional_aware)
    """The attempt's deadline."""


@attrs.frozen
class ResponseReceipt:
    """The answer to a candidate's save: whether it was stored, and the time left's end.

    A save that is not newer than the last one accepted (a resend) is not
    stored and changes nothing: ``stored`` is false and ``last_sequence``
    is the newer save that counts.

    Implements SCH-4 and SCH-7.
    """

    attempt: str
    """The attempt's key."""
    item: str
    """The item saved."""
    sequence: int
    """The save's sequence number."""
    stored: bool
    """Whether this save was stored (false: a resend or an older save, nothing changed)."""
    last_sequence: int
    """The highest sequence number the attempt accepted."""
    deadline: datetime | None = attrs.field(converter=_optional_aware)
    """The attempt's deadline (for the client's time left)."""
    superseded: bool = False
    """Not stored because a newer page (a higher epoch: another tab, a reload) saved after
    it: the page that sent it should stop saving."""


def attempt_id(group: str, candidate: str) -> str:
    """Return the key of *candidate*'s attempt in *group*.

    >>> attempt_id("g-1", "c-1")
    'g-1:c-1'
    """
    return f"{group}:{candidate}"


def deadline_of(
    started_at: datetime, duration: timedelta, extra: timedelta, group_end: datetime
) -> datetime:
    """Return an attempt's deadline: start + duration + extra, at most the group's end + extra.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 5, 12, 9, 10, tzinfo=timezone.utc)
    >>> end = datetime(2026, 5, 12, 11, 0, tzinfo=timezone.utc)
    >>> deadline_of(at, timedelta(minutes=120), timedelta(minutes=30), end).time()
    datetime.time(11, 30)

    Implements SCH-4.
    """
    return min(started_at + duration + extra, group_end + extra)
