"""The repository protocols of test sessions: tests, candidates, groups and attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from examkit.errors import NotFound
from examkit.identifiers import LocationCode
from examkit.scheduling._attempts import (
    Attempt,
    RecordedResponse,
    SavedResponse,
)
from examkit.scheduling._model import (
    Candidate,
    Exam,
    TestSessionGroup,
)
from examkit.scheduling._offline import OfflineServer
from examkit.storage import Page, Repository


class ExamRepository(Repository[str, Exam], Protocol):
    """Test definitions (*toetsen*), keyed by code; listed by code."""

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Exam]:
        """Return tests ordered by code."""
        ...


class CandidateRepository(Repository[str, Candidate], Protocol):
    """Candidates (*kandidaten*), keyed by id; the login name is unique.

    Listed by login name, only those of a location when given.
    """

    def get_by_login_name(self, login_name: str) -> Candidate:
        """Return the candidate with *login_name* (upper case).

        Raises:
            NotFound: there is none.
        """
        ...

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[Candidate]:
        """Return candidates by login name, only those of *location* when given."""
        ...


class SessionGroupRepository(Repository[str, TestSessionGroup], Protocol):
    """Session groups (*afnamegroepen*), keyed by id; listed by start, then id."""

    def list(
        self,
        *,
        location: LocationCode | None = None,
        proctor: str | None = None,
        day: str | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[TestSessionGroup]:
        """Return groups by start time then id, filtered by location, proctor and day.

        *day* is a date ``YYYY-MM-DD`` in Amsterdam.
        """
        ...

    def list_for_candidate(self, candidate: str) -> tuple[TestSessionGroup, ...]:
        """Return every group *candidate* is in, by start time then id."""
        ...


class AttemptRepository(Repository[str, Attempt], Protocol):
    """Candidates' attempts, keyed by ``<group>:<candidate>``."""

    def list_for_group(self, group: str) -> tuple[Attempt, ...]:
        """Return the attempts of *group*, by candidate id."""
        ...

    def list_for_candidate(self, candidate: str) -> tuple[Attempt, ...]:
        """Return the attempts of *candidate*, by group id."""
        ...

    def record_response(
        self,
        key: str,
        item: str,
        response: SavedResponse,
        *,
        now: datetime,
        then_commit: bool = False,
    ) -> RecordedResponse | None:
        """Store *response* as the last save for *item* of attempt *key*, if the attempt takes it.

        In one step, atomic against concurrent writers: the response is
        stored (and the attempt's version raised by one) only when
        :meth:`Attempt.takes_response` holds for its sequence at *now*.
        Returns what the caller needs to check and answer the save, or
        ``None`` when nothing was stored (no such attempt, or the attempt
        does not take it); the caller reads the attempt to learn why.

        *then_commit* says the caller commits the unit as soon as the save
        is stored, with nothing written in between (the save use case): a
        backend with the ``committing_responses`` capability (the HTTP
        backend) then commits the unit with the save, in the same round
        trip, and the unit's own commit only closes it. Not stored, the
        unit goes on uncommitted either way.
        """
        ...


class OfflineServerRepository(Repository[str, OfflineServer], Protocol):
    """Offline servers (*FAO-servers*), keyed by id; listed by id, per location."""

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[OfflineServer]:
        """Return servers by id, only those of *location* when given."""
        ...


def record_response_by_reading(
    attempts: AttemptRepository, key: str, item: str, response: SavedResponse, *, now: datetime
) -> RecordedResponse | None:
    """Do :meth:`AttemptRepository.record_response` by reading and writing the attempt.

    For a backend without a one-statement save (or a key its statement
    cannot name), inside its unit of work: the version check of ``update``
    keeps it atomic against concurrent writers.

    Implements SCH-4 and SCH-7.
    """
    try:
        attempt = attempts.get(key)
    except NotFound:
        return None
    if not attempt.takes_response(response.sequence, now):
        return None
    stored = attempts.update(attempt.with_response(item, response))
    return RecordedResponse(version=stored.version, deadline=stored.deadline)
