"""The test sessions' records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from functools import partial
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
from examkit.storage import (
    VERSION_FIELD,
    Audience,
    Index,
    NotPersonal,
    Page,
    Personal,
    Records,
    RecordType,
    microseconds,
)

_STAFF: Final[tuple[Audience, ...]] = (
    "administrator",
    "planner",
    "proctor",
    "corrector",
    "offline_server",
)


_of_candidate: Final = partial(Personal, basis="public_task", retention="results", audience=_STAFF)
"""A candidate's field, seen by the staff of the candidate's sessions: give it the purpose."""


_of_group: Final = partial(
    Personal,
    basis="public_task",
    retention="results",
    audience=("administrator", "planner", "proctor"),
)
"""A session group's field about the people in it, kept with the session report: give it the
purpose."""


_CANDIDATE_NAME: Final = Personal(
    purpose="recognise the candidate on the monitor, slips, correction and results",
    basis="public_task",
    retention="results",
    audience=("self", *_STAFF),
)
_CORRECTOR: Final = Personal(
    purpose="the corrector's account: who scores the group's open items",
    basis="public_task",
    retention="results",
    audience=("administrator", "planner", "corrector"),
)
_ATTEMPT_BY: Final = Personal(
    purpose="the candidate's attempt: whose it is, its state and timing (start, deadline, "
    "end, last contact, whether re-entry is allowed)",
    basis="public_task",
    retention="exam_work",
    audience=("self", "administrator", "planner", "proctor", "offline_server"),
)


def group_sort_key(group: TestSessionGroup) -> str:
    """Return a group's place in listings: its start (UTC, sortable text), then its id."""
    return f"{group.starts_at.strftime('%Y-%m-%dT%H:%M:%S')}#{group.id}"


EXAMS: Final = RecordType(
    "exams",
    Exam,
    kind="exam",
    key=lambda item: item.code,
    privacy={
        "code": NotPersonal("the test's code"),
        "title": NotPersonal("the test's title"),
        "subject": NotPersonal("the test's subject"),
        "duration": NotPersonal("the test's duration"),
        "items": NotPersonal("the test's item slots and their maximum scores"),
        "modes": NotPersonal("how the test may be taken (online, offline)"),
        "functionality_test": NotPersonal("whether it is a functionality test"),
        "central": NotPersonal("whether it is a central exam"),
        "version": VERSION_FIELD,
    },
)
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
    privacy={
        "id": _of_candidate("identify the candidate in every record that refers to them"),
        "location": _of_candidate("the location the candidate sits the test at (who may see them)"),
        "login_name": Personal(
            purpose="sign the candidate in to the test (printed on their slip)",
            basis="public_task",
            retention="results",
            audience=("self", *_STAFF),
        ),
        "first_name": _CANDIDATE_NAME,
        "last_name": _CANDIDATE_NAME,
        "number": _of_candidate(
            "the school's candidate number (examennummer) on results and reports"
        ),
        "class_key": _of_candidate("the candidate's class, for planning and results per class"),
        "pupil_key": Personal(
            purpose="the imported pupil the candidate was made from (EDEXML key)",
            basis="public_task",
            retention="results",
            audience=("administrator", "planner"),
        ),
        "facilities": Personal(
            purpose="the facilities the candidate sits the test with (extra time, read aloud, "
            "enlarged print, spelling aid, own room): the facility only, never the reason",
            basis="public_task",
            retention="results",
            audience=("administrator", "planner", "proctor", "offline_server"),
        ),
        "version": VERSION_FIELD,
    },
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
    privacy={
        "id": NotPersonal("the group's generated id"),
        "location": NotPersonal("the location the group is held at"),
        "exam": NotPersonal("the test's code"),
        "mode": NotPersonal("online or offline"),
        "starts_at": NotPersonal("when the group starts"),
        "duration": NotPersonal("the test's duration"),
        "room": NotPersonal("the room"),
        "proctor": _of_group("the proctor's account: who runs the session"),
        "candidates": Personal(
            purpose="which candidates sit the test in this group (their ids)",
            basis="public_task",
            retention="results",
            audience=("administrator", "planner", "proctor", "corrector", "offline_server"),
        ),
        "first_corrector": _CORRECTOR,
        "second_corrector": _CORRECTOR,
        "offline_server": NotPersonal("the offline server the group runs on"),
        "held_by": NotPersonal("the offline server holding the group"),
        "functionality_test": NotPersonal("whether it is a functionality-test group"),
        "needs_correction": NotPersonal("whether correctors score items"),
        "state": NotPersonal("the group's state"),
        "access_code": NotPersonal("the group's access code, the same for every candidate"),
        "log": _of_group("who moved the group to which state, when and why (the accounts acting)"),
        "report": _of_group(
            "the session report: incidents per candidate, the proctor's notes, the "
            "planner's remarks (SCH-5)"
        ),
        "version": VERSION_FIELD,
    },
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
    privacy={
        "group": NotPersonal("the session group's id"),
        "candidate": _ATTEMPT_BY,
        "exam": NotPersonal("the test's code"),
        "login_name": Personal(
            purpose="the candidate's login name, shown on the proctor's monitor",
            basis="public_task",
            retention="exam_work",
            audience=("proctor", "offline_server"),
        ),
        "extra_time_minutes": Personal(
            purpose="the candidate's extra time (a facility), fixed when planned",
            basis="public_task",
            retention="exam_work",
            audience=("self", "proctor", "planner", "offline_server"),
        ),
        "state": _ATTEMPT_BY,
        "started_at": _ATTEMPT_BY,
        "deadline": _ATTEMPT_BY,
        "ended_at": _ATTEMPT_BY,
        "end_reason": Personal(
            purpose="the proctor's reason for ending the candidate's attempt",
            basis="public_task",
            retention="exam_work",
            audience=("administrator", "planner", "proctor"),
        ),
        "reentry_allowed": _ATTEMPT_BY,
        "offline_server": NotPersonal("the offline server the attempt runs on"),
        "last_sequence": NotPersonal("the highest save number accepted (a counter)"),
        "responses": Personal(
            purpose="the candidate's answers: the exam work itself (WEB-4)",
            basis="public_task",
            retention="exam_work",
            audience=("self", "corrector", "administrator", "offline_server"),
        ),
        "log": Personal(
            purpose="what happened in the attempt and which proctor did it (pause, resume, "
            "end, sign-in again)",
            basis="public_task",
            retention="exam_work",
            audience=("administrator", "planner", "proctor"),
        ),
        "late_saves": NotPersonal("how many saves came too late (a counter)"),
        "last_contact": _ATTEMPT_BY,
        "page_epoch": NotPersonal("the highest page epoch reserved (a counter)"),
        "version": VERSION_FIELD,
    },
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
    privacy={
        "id": NotPersonal("the offline server's id"),
        "location": NotPersonal("the location it stands at"),
        "name": NotPersonal("the machine's name"),
        "address": NotPersonal("the school machine's IP address or host name, not a person's"),
        "state": NotPersonal("the server's state"),
        "version": VERSION_FIELD,
    },
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
