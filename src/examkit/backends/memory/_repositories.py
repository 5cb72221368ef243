"""The memory backend's repositories, one per aggregate, on a shared generic table."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from examkit.accounts import Account, LoginName
from examkit.applications import AccountApplication, ApplicationStatus
from examkit.audit import AuditEvent
from examkit.auth import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    TrustedBrowser,
)
from examkit.backends.memory._state import GONE, TableSpec
from examkit.correction import CorrectionGroup, CorrectionSheet
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidInput, NotFound
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import ClassList, EnrolledPupil, PendingImport
from examkit.org import Institution, InstitutionCode
from examkit.roles import Authorization, Grant
from examkit.sessions import (
    Attempt,
    Candidate,
    Exam,
    FlemishRegistration,
    OfflineServer,
    RecordedResponse,
    SavedResponse,
    TestSessionGroup,
    record_response_by_reading,
)
from examkit.storage import AttemptCount, Page, StoredToken, check_page_size, page_of

if TYPE_CHECKING:
    from examkit.backends.memory._backend import MemoryUnitOfWork

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

INSTITUTIONS = TableSpec(
    kind="institution",
    key=lambda item: item.code,
    unique={"location": lambda item: [location.code for location in item.locations]},
)
ACCOUNTS = TableSpec(
    kind="account",
    key=lambda item: item.id,
    unique={"login_name": lambda item: [item.login_name.folded]},
)

AUTHORIZATIONS = TableSpec(kind="authorization", key=lambda item: item.account)
EXAMS = TableSpec(kind="exam", key=lambda item: item.code)
CANDIDATES = TableSpec(
    kind="candidate",
    key=lambda item: item.id,
    unique={"login_name": lambda item: [item.login_name]},
)
SESSION_GROUPS = TableSpec(kind="session_group", key=lambda item: item.id)
TEST_ATTEMPTS = TableSpec(kind="attempt", key=lambda item: item.id)
OFFLINE_SERVERS = TableSpec(kind="offline_server", key=lambda item: item.id)
FLEMISH_REGISTRATIONS = TableSpec(kind="flemish_registration", key=lambda item: item.id)
SIGNINS = TableSpec(kind="sign-in", key=lambda item: item.id)
TRUSTED_BROWSERS = TableSpec(kind="trusted browser", key=lambda item: item.id)
SENT_REMINDERS = TableSpec(kind="reminder", key=lambda item: item.id)
EMAIL_CHANGES = TableSpec(kind="e-mail change", key=lambda item: item.account_id)
AUTHENTICATORS = TableSpec(kind="authenticator", key=lambda item: item.account_id)

PUPILS = TableSpec(kind="pupil", key=lambda item: item.id)
CLASS_LISTS = TableSpec(kind="class_list", key=lambda item: item.id)
PENDING_IMPORTS = TableSpec(kind="pending_import", key=lambda item: item.id)
APPLICATIONS = TableSpec(kind="application", key=lambda item: item.id)
CORRECTION_GROUPS = TableSpec(kind="correction_group", key=lambda item: item.group)
CORRECTION_SHEETS = TableSpec(kind="correction_sheet", key=lambda item: item.id)


class MemoryRepository(Generic[K, T]):
    """A repository over one table of the memory backend (the recipe's building block).

    Subclasses give the table name and spec and add the aggregate's named
    queries; add, get, update and remove with versions and unique indexes
    come from here.
    """

    table: str
    spec: TableSpec

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, item: T) -> T:
        """Store a new *item* at version 1."""
        overlay = self._uow._write_view()
        key = self.spec.key(item)
        if overlay.get(self.table, key) is not GONE:
            raise AlreadyExists(kind=self.spec.kind, key=str(key))
        stored = attrs.evolve(item, version=1)  # type: ignore[misc]
        self._claim(stored, key)
        overlay.put(self.table, key, stored)
        return stored

    def add_many(self, items: Sequence[T]) -> None:
        """Store many new *items*, all or nothing."""
        overlay = self._uow._write_view()
        saved_tables = {name: dict(changes) for name, changes in overlay.tables.items()}
        saved_indexes = {name: dict(changes) for name, changes in overlay.indexes.items()}
        try:
            for item in items:
                self.add(item)
        except BaseException:
            overlay.tables = saved_tables
            overlay.indexes = saved_indexes
            raise

    def get(self, key: K) -> T:
        """Return the item with *key*, or raise :class:`NotFound`."""
        found = self._uow._read_view().get(self.table, key)
        if found is GONE:
            raise NotFound(kind=self.spec.kind, key=str(key))
        return found  # type: ignore[no-any-return]

    def update(self, item: T) -> T:
        """Store *item* over the version it was read at."""
        overlay = self._uow._write_view()
        key = self.spec.key(item)
        current = overlay.get(self.table, key)
        if current is GONE:
            raise NotFound(kind=self.spec.kind, key=str(key))
        if current.version != item.version:  # type: ignore[attr-defined]
            raise ConcurrentModification(kind=self.spec.kind, key=str(key))
        stored = attrs.evolve(item, version=current.version + 1)  # type: ignore[misc]
        self._release(current)
        try:
            self._claim(stored, key)
        except AlreadyExists:
            self._claim(current, key)
            raise
        overlay.put(self.table, key, stored)
        return stored

    def remove(self, key: K, *, version: int | None = None) -> None:
        """Remove the item with *key* (only at *version*, when given)."""
        overlay = self._uow._write_view()
        current = overlay.get(self.table, key)
        if current is GONE:
            raise NotFound(kind=self.spec.kind, key=str(key))
        if version is not None and current.version != version:
            raise ConcurrentModification(kind=self.spec.kind, key=str(key))
        self._release(current)
        overlay.put(self.table, key, GONE)

    def _values(self) -> Iterator[T]:
        return self._uow._read_view().values(self.table)

    def _by_index(self, index: str, value: Hashable) -> T | None:
        owner = self._uow._read_view().index_owner(self.table, index, value)
        if owner is GONE:
            return None
        return self.get(owner)

    def _claim(self, item: Any, key: Hashable) -> None:
        overlay = self._uow._write_view()
        wanted = [
            (name, value) for name, values in self.spec.unique.items() for value in values(item)
        ]
        for name, value in wanted:
            owner = overlay.index_owner(self.table, name, value)
            if owner is not GONE and owner != key:
                raise AlreadyExists(
                    "storage.unique", kind=self.spec.kind, index=name, value=str(value)
                )
        for name, value in wanted:
            overlay.set_index(self.table, name, value, key)

    def _release(self, item: Any) -> None:
        overlay = self._uow._write_view()
        for name, values in self.spec.unique.items():
            for value in values(item):
                overlay.set_index(self.table, name, value, GONE)


class MemoryInstitutionRepository(MemoryRepository[InstitutionCode, Institution]):
    """Institutions in memory."""

    table = "institutions"
    spec = INSTITUTIONS

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*."""
        found = self._by_index("location", code)
        if found is None:
            raise NotFound("org.location.not_found", field="location", location=str(code))
        return found

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return institutions ordered by code."""
        return page_of(self._values(), lambda item: str(item.code), after, limit)


def _login_key(account: Account) -> str:
    return account.login_name.folded


class MemoryAccountRepository(MemoryRepository[str, Account]):
    """Accounts in memory."""

    table = "accounts"
    spec = ACCOUNTS

    def get_by_login_name(self, login_name: LoginName) -> Account:
        """Return the account with *login_name* (case ignored)."""
        found = self._by_index("login_name", login_name.folded)
        if found is None:
            raise NotFound(kind="account", key=str(login_name))
        return found

    def find_by_email(self, email: str) -> tuple[Account, ...]:
        """Return the accounts with *email*, by login name."""
        local, at, domain = email.strip().rpartition("@")
        wanted = f"{local}{at}{domain.lower()}"
        return tuple(sorted((acc for acc in self._values() if acc.email == wanted), key=_login_key))

    def list(
        self,
        *,
        institution: InstitutionCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Account]:
        """Return accounts by login name, only those of *institution* when given."""
        chosen = (
            acc for acc in self._values() if institution is None or institution in acc.institutions
        )
        return page_of(chosen, _login_key, after, limit)


def grant_matches(
    grant: Grant,
    role: str | None,
    institution: InstitutionCode | None,
    location: LocationCode | None,
) -> bool:
    """Return whether active *grant* matches every filter given (the listing's rule)."""
    return (
        grant.is_active
        and (role is None or grant.role == role)
        and (institution is None or grant.institution == institution)
        and (location is None or location in grant.locations)
    )


class MemoryAuthorizationRepository(MemoryRepository[str, Authorization]):
    """Authorizations in memory."""

    table = "authorizations"
    spec = AUTHORIZATIONS

    def list(
        self,
        *,
        role: str | None = None,
        institution: InstitutionCode | None = None,
        location: LocationCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Authorization]:
        """Return authorizations by account id, filtered by an active grant's role and place."""
        filtered = role is not None or institution is not None or location is not None
        chosen = (
            item
            for item in self._values()
            if not filtered
            or any(grant_matches(g, role, institution, location) for g in item.grants)
        )
        return page_of(chosen, lambda item: item.account, after, limit)


class MemoryExamRepository(MemoryRepository[str, Exam]):
    """Test definitions in memory."""

    table = "exams"
    spec = EXAMS

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Exam]:
        """Return tests ordered by code."""
        return page_of(self._values(), lambda item: item.code, after, limit)


class MemoryCandidateRepository(MemoryRepository[str, Candidate]):
    """Candidates in memory."""

    table = "candidates"
    spec = CANDIDATES

    def get_by_login_name(self, login_name: str) -> Candidate:
        """Return the candidate with *login_name*."""
        found = self._by_index("login_name", login_name)
        if found is None:
            raise NotFound(kind="candidate", key=login_name)
        return found

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[Candidate]:
        """Return candidates by login name, only those of *location* when given."""
        chosen = (c for c in self._values() if location is None or c.location == location)
        return page_of(chosen, lambda item: item.login_name, after, limit)


def group_sort_key(group: TestSessionGroup) -> str:
    """Return a group's place in listings: its start (UTC, sortable text), then its id."""
    return f"{group.starts_at.strftime('%Y-%m-%dT%H:%M:%S')}#{group.id}"


class MemorySessionGroupRepository(MemoryRepository[str, TestSessionGroup]):
    """Session groups in memory."""

    table = "session_groups"
    spec = SESSION_GROUPS

    def list(
        self,
        *,
        location: LocationCode | None = None,
        proctor: str | None = None,
        day: str | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[TestSessionGroup]:
        """Return groups by start then id, filtered by location, proctor and day."""
        chosen = (
            g
            for g in self._values()
            if (location is None or g.location == location)
            and (proctor is None or g.proctor == proctor)
            and (day is None or g.day == day)
        )
        return page_of(chosen, group_sort_key, after, limit)

    def list_for_candidate(self, candidate: str) -> tuple[TestSessionGroup, ...]:
        """Return every group *candidate* is in, by start then id."""
        return tuple(
            sorted((g for g in self._values() if candidate in g.candidates), key=group_sort_key)
        )


class MemoryAttemptRepository(MemoryRepository[str, Attempt]):
    """Candidates' attempts in memory."""

    table = "test_attempts"
    spec = TEST_ATTEMPTS

    def list_for_group(self, group: str) -> tuple[Attempt, ...]:
        """Return the attempts of *group*, by candidate id."""
        return tuple(
            sorted((a for a in self._values() if a.group == group), key=lambda a: a.candidate)
        )

    def list_for_candidate(self, candidate: str) -> tuple[Attempt, ...]:
        """Return the attempts of *candidate*, by group id."""
        return tuple(
            sorted((a for a in self._values() if a.candidate == candidate), key=lambda a: a.group)
        )

    def record_response(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it; ``None`` when not."""
        return record_response_by_reading(self, key, item, response, now=now)


class MemoryOfflineServerRepository(MemoryRepository[str, OfflineServer]):
    """Offline servers in memory."""

    table = "offline_servers"
    spec = OFFLINE_SERVERS

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[OfflineServer]:
        """Return servers by id, only those of *location* when given."""
        chosen = (s for s in self._values() if location is None or s.location == location)
        return page_of(chosen, lambda item: item.id, after, limit)


class MemoryFlemishRegistrationRepository(MemoryRepository[str, FlemishRegistration]):
    """Flemish registrations in memory."""

    table = "flemish_registrations"
    spec = FLEMISH_REGISTRATIONS

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[FlemishRegistration]:
        """Return registrations by key."""
        return page_of(self._values(), lambda item: item.id, after, limit)


class MemorySignInTransactionRepository(MemoryRepository[str, SignInTransaction]):
    """Sign-ins in progress in memory."""

    table = "signins"
    spec = SIGNINS

    def remove_for_account(self, account_id: str) -> int:
        """Remove every transaction of *account_id*."""
        return _purge(self._uow, self.table, lambda item: item.account_id == account_id)

    def purge_expired(self, now: datetime) -> int:
        """Remove the transactions lapsed at *now*."""
        return _purge(self._uow, self.table, lambda item: item.expires_at <= now)


class MemoryTrustedBrowserRepository(MemoryRepository[str, TrustedBrowser]):
    """Trusted browsers in memory."""

    table = "trusted_browsers"
    spec = TRUSTED_BROWSERS

    def list_for_account(self, account_id: str) -> tuple[TrustedBrowser, ...]:
        """Return the browsers trusted for *account_id*, oldest first."""
        chosen = (item for item in self._values() if item.account_id == account_id)
        return tuple(sorted(chosen, key=lambda item: (item.trusted_at, item.id)))

    def remove_for_account(self, account_id: str) -> int:
        """Revoke every browser trusted for *account_id*."""
        return _purge(self._uow, self.table, lambda item: item.account_id == account_id)

    def purge_expired(self, now: datetime) -> int:
        """Remove the browsers whose trust lapsed at *now*."""
        return _purge(self._uow, self.table, lambda item: item.expires_at <= now)


class MemorySentReminderRepository(MemoryRepository[str, SentReminder]):
    """Reminders dealt with, in memory."""

    table = "sent_reminders"
    spec = SENT_REMINDERS

    def list_for_account(self, account_id: str) -> tuple[SentReminder, ...]:
        """Return the reminders of *account_id*, by key."""
        chosen = (item for item in self._values() if item.account_id == account_id)
        return tuple(sorted(chosen, key=lambda item: item.id))


class MemoryEmailChangeRepository(MemoryRepository[str, EmailChange]):
    """E-mail changes waiting for confirmation, in memory."""

    table = "email_changes"
    spec = EMAIL_CHANGES


class MemoryAuthenticatorRepository(MemoryRepository[str, Authenticator]):
    """Authenticator apps in memory."""

    table = "authenticators"
    spec = AUTHENTICATORS


class MemoryPupilRepository(MemoryRepository[str, EnrolledPupil]):
    """Imported pupils in memory."""

    table = "pupils"
    spec = PUPILS

    def list(
        self,
        location: LocationCode,
        school_year: SchoolYear,
        *,
        group: str | None = None,
        year_group: str | None = None,
        archived: bool | None = False,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the pupils of *location* in *school_year* by key."""
        chosen = (
            item
            for item in self._values()
            if item.location == location
            and item.school_year == school_year
            and (group is None or item.pupil.group == group)
            and (year_group is None or item.pupil.year_group == year_group)
            and (archived is None or archived == (item.archived_at is not None))
        )
        return page_of(chosen, lambda item: item.id, after, limit)

    def school_years(self, location: LocationCode) -> tuple[SchoolYear, ...]:
        """Return the school years with pupils stored for *location*, oldest first."""
        years = {item.school_year for item in self._values() if item.location == location}
        return tuple(sorted(years, key=str))

    def list_archived_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[EnrolledPupil]:
        """Return pupils archived before *cutoff* by key."""
        chosen = (
            item
            for item in self._values()
            if item.archived_at is not None and item.archived_at < cutoff
        )
        return page_of(chosen, lambda item: item.id, after, limit)


class MemoryClassListRepository(MemoryRepository[str, ClassList]):
    """Imported class lists in memory."""

    table = "class_lists"
    spec = CLASS_LISTS


class MemoryPendingImportRepository(MemoryRepository[str, PendingImport]):
    """Pending imports in memory."""

    table = "pending_imports"
    spec = PENDING_IMPORTS

    def purge_expired(self, now: datetime) -> int:
        """Erase every pending import expired at *now*."""
        return _purge(self._uow, self.table, lambda item: item.expires_at <= now)


class MemoryApplicationRepository(MemoryRepository[str, AccountApplication]):
    """Account applications in memory."""

    table = "applications"
    spec = APPLICATIONS

    def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        brin: Brin | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AccountApplication]:
        """Return the applications by id, of one status and/or institution."""
        chosen = (
            item
            for item in self._values()
            if (status is None or item.status is status) and (brin is None or item.brin == brin)
        )
        return page_of(chosen, lambda item: item.id, after, limit)


@attrs.frozen
class _Attempts:
    count: int
    expires_at: datetime


def _check_limit_args(window: timedelta | None, limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput("storage.invalid_argument", field="limit", argument="limit")
    if window is not None and window <= timedelta(0):
        raise InvalidInput("storage.invalid_argument", field="window", argument="window")


class MemoryAttemptCounter:
    """Attempt counters in memory; atomic because writing units are serialised."""

    table = "attempts"

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def record(
        self, purpose: str, key: str, *, now: datetime, window: timedelta, limit: int
    ) -> AttemptCount:
        """Count one attempt at *now*."""
        _check_limit_args(window, limit)
        overlay = self._uow._write_view()
        current = overlay.get(self.table, (purpose, key))
        count = 1 if current is GONE or current.expires_at <= now else current.count + 1
        entry = _Attempts(count=count, expires_at=now + window)
        overlay.put(self.table, (purpose, key), entry)
        return AttemptCount(count=count, limit=limit, expires_at=entry.expires_at)

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        _check_limit_args(None, limit)
        current = self._uow._read_view().get(self.table, (purpose, key))
        if current is GONE or current.expires_at <= now:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(count=current.count, limit=limit, expires_at=current.expires_at)

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        self._uow._write_view().put(self.table, (purpose, key), GONE)

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        return _purge(self._uow, self.table, lambda entry: entry.expires_at <= now)


def _purge(uow: MemoryUnitOfWork, table: str, expired: Callable[[Any], bool]) -> int:
    overlay = uow._write_view()
    gone = [key for key, value in overlay.items(table) if expired(value)]
    for key in gone:
        overlay.put(table, key, GONE)
    return len(gone)


class MemoryTokenStore:
    """Single-use tokens in memory; consumption is atomic because writers are serialised."""

    table = "tokens"

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        overlay = self._uow._write_view()
        key = (token.purpose, token.digest)
        if overlay.get(self.table, key) is not GONE:
            raise AlreadyExists(kind="token", key=token.purpose)
        overlay.put(self.table, key, token)

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        overlay = self._uow._write_view()
        found = overlay.get(self.table, (purpose, digest))
        if found is GONE:
            raise NotFound("storage.token.unusable")
        overlay.put(self.table, (purpose, digest), GONE)
        if found.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found  # type: ignore[no-any-return]

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        found = self._uow._read_view().get(self.table, (purpose, digest))
        if found is GONE or found.expires_at <= now:
            raise NotFound("storage.token.unusable")
        return found  # type: ignore[no-any-return]

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        return _purge(
            self._uow,
            self.table,
            lambda token: token.purpose == purpose and token.subject == subject,
        )

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*."""
        return _purge(self._uow, self.table, lambda token: token.expires_at <= now)


def audit_cursor(sequence: int, event: AuditEvent) -> str:
    """Return the sortable cursor of an audit record."""
    return f"{event.at.strftime('%Y-%m-%dT%H:%M:%S.%f')}#{sequence:015d}"


class MemoryAuditStore:
    """The audit trail in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def append(self, event: AuditEvent) -> None:
        """Append *event*."""
        self._uow._write_view().audit.append(event)

    def list(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AuditEvent]:
        """Return events by time, then by order of appending."""
        check_page_size(limit)
        overlay = self._uow._read_view()
        records = list(enumerate([*overlay.base.audit(), *overlay.audit]))
        chosen = [
            (sequence, event)
            for sequence, event in records
            if (subject is None or event.subject == subject)
            and (actor is None or event.actor == actor)
            and (since is None or event.at >= since)
            and (until is None or event.at < until)
        ]
        page = page_of(chosen, lambda record: audit_cursor(*record), after, limit)
        return Page(items=tuple(event for _, event in page.items), next_after=page.next_after)


class MemoryCorrectionGroupRepository(MemoryRepository[str, CorrectionGroup]):
    """The session groups' corrections in memory."""

    table = "correction_groups"
    spec = CORRECTION_GROUPS


class MemoryCorrectionSheetRepository(MemoryRepository[str, CorrectionSheet]):
    """The candidates' correction sheets in memory."""

    table = "correction_sheets"
    spec = CORRECTION_SHEETS

    def list_for_group(self, group: str) -> tuple[CorrectionSheet, ...]:
        """Return the sheets of *group*, by candidate id."""
        return tuple(
            sorted((s for s in self._values() if s.group == group), key=lambda s: s.candidate)
        )
