"""The test sessions' records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from typing import Final

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
from examkit.scheduling._repository import record_response_by_reading
from examkit.storage import Index, Page, Records, RecordType, microseconds


def group_sort_key(group: TestSessionGroup) -> str:
    """Return a group's place in listings: its start (UTC, sortable text), then its id."""
    return f"{group.starts_at.strftime('%Y-%m-%dT%H:%M:%S')}#{group.id}"


EXAMS: Final = RecordType("exams", Exam, kind="exam", key=lambda item: item.code)
"""Test definitions, by code."""

CANDIDATES: Final = RecordType(
    "candidates",
    Candidate,
    kind="candidate",
    key=lambda item: item.id,
    indexes=(
        Index("login_name", lambda item: item.login_name, unique=True),
        Index("location", lambda item: str(item.location)),
    ),
    order=lambda item: item.login_name,
)
"""Candidates: by id, by login name (unique) and by location; listed by login name."""

SESSION_GROUPS: Final = RecordType(
    "session_groups",
    TestSessionGroup,
    kind="session_group",
    key=lambda item: item.id,
    indexes=(
        Index("location", lambda item: str(item.location)),
        Index("proctor", lambda item: item.proctor),
        Index("day", lambda item: item.day),
        Index("candidate", lambda item: item.candidates, many=True),
    ),
    order=group_sort_key,
)
"""Session groups: by location, proctor, day and candidate; listed by start, then id."""

TEST_ATTEMPTS: Final = RecordType(
    "test_attempts",
    Attempt,
    kind="attempt",
    key=lambda item: item.id,
    indexes=(
        Index("group", lambda item: item.group),
        Index("candidate", lambda item: item.candidate),
        # What decides whether a save is stored, for a backend's one-statement save.
        Index("state", lambda item: item.state.value, searchable=False),
        Index(
            "deadline",
            lambda item: None if item.deadline is None else microseconds(item.deadline),
            number=True,
            searchable=False,
        ),
        Index("last_sequence", lambda item: item.last_sequence, number=True, searchable=False),
    ),
)
"""Candidates' attempts, keyed ``<group>:<candidate>``: by group and by candidate.

The state, deadline and last save number are indexes too, so that a backend
can save a response in one statement that checks them.
"""

OFFLINE_SERVERS: Final = RecordType(
    "offline_servers",
    OfflineServer,
    kind="offline_server",
    key=lambda item: item.id,
    indexes=(Index("location", lambda item: str(item.location)),),
)
"""Offline servers (FAO), by location."""


class ExamRecords(Records[str, Exam]):
    """The :class:`~examkit.scheduling.ExamRepository` on any backend."""

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Exam]:
        """Return tests ordered by code."""
        return self._page(after=after, limit=limit)


class CandidateRecords(Records[str, Candidate]):
    """The :class:`~examkit.scheduling.CandidateRepository` on any backend."""

    def get_by_login_name(self, login_name: str) -> Candidate:
        """Return the candidate with *login_name* (upper case).

        Raises:
            NotFound: there is none.
        """
        found = self._find_one("login_name", login_name)
        if found is None:
            raise NotFound(kind="candidate", key=login_name)
        return found

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[Candidate]:
        """Return candidates by login name, only those of *location* when given."""
        where = {"location": None if location is None else str(location)}
        return self._page(where, after=after, limit=limit)


class SessionGroupRecords(Records[str, TestSessionGroup]):
    """The :class:`~examkit.scheduling.SessionGroupRepository` on any backend."""

    def list(
        self,
        *,
        location: LocationCode | None = None,
        proctor: str | None = None,
        day: str | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[TestSessionGroup]:
        """Return groups by start time then id, filtered by location, proctor and day."""
        where = {
            "location": None if location is None else str(location),
            "proctor": proctor,
            "day": day,
        }
        return self._page(where, after=after, limit=limit)

    def list_for_candidate(self, candidate: str) -> tuple[TestSessionGroup, ...]:
        """Return every group *candidate* is in, by start time then id."""
        return self._find({"candidate": candidate})


class AttemptRecords(Records[str, Attempt]):
    """The :class:`~examkit.scheduling.AttemptRepository` on any backend.

    A backend may save a response in one statement (its ``responses``
    capability); otherwise the attempt is read and written over its version.
    """

    def list_for_group(self, group: str) -> tuple[Attempt, ...]:
        """Return the attempts of *group*, by candidate id."""
        return tuple(sorted(self._find({"group": group}), key=lambda item: item.candidate))

    def list_for_candidate(self, candidate: str) -> tuple[Attempt, ...]:
        """Return the attempts of *candidate*, by group id."""
        return tuple(sorted(self._find({"candidate": candidate}), key=lambda item: item.group))

    def record_response(
        self,
        key: str,
        item: str,
        response: SavedResponse,
        *,
        now: datetime,
        then_commit: bool = False,
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it; ``None`` when not.

        With *then_commit*, a backend that commits with the save (capability
        ``committing_responses``) commits the unit when the save is stored.
        """
        if then_commit:
            committing = self._tx.capability("committing_responses")
            if committing is not None:
                return committing.record_response(key, item, response, now=now)  # type: ignore[no-any-return]
        fast = self._tx.capability("responses")
        if fast is not None:
            return fast.record_response(key, item, response, now=now)  # type: ignore[no-any-return]
        return record_response_by_reading(self, key, item, response, now=now)


class OfflineServerRecords(Records[str, OfflineServer]):
    """The :class:`~examkit.scheduling.OfflineServerRepository` on any backend."""

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[OfflineServer]:
        """Return servers by id, only those of *location* when given."""
        where = {"location": None if location is None else str(location)}
        return self._page(where, after=after, limit=limit)
