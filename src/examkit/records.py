"""Every record examkit stores, and the unit of work that hands out their repositories.

The domain packages declare their records (:class:`~examkit.storage.RecordType`)
and the repositories of their named queries; this module gathers them:
:data:`RECORDS` is what a backend builds its storage from, and
:class:`UnitOfWork` is the port every backend's units of work keep
(``backend.begin()``, a :class:`Backend`), and :class:`RecordsUnit` is that
unit on any backend built on the primitives
(:class:`~examkit.storage.Transaction`).

>>> from examkit.backends.memory import MemoryBackend
>>> with MemoryBackend().begin(readonly=True) as uow:
...     uow.accounts.list().items
()
>>> [record.name for record in RECORDS][:3]
['institutions', 'accounts', 'authorizations']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from types import TracebackType
from typing import Any, Final, Generic, Protocol, Self, TypeVar, overload

from examkit.accounts import AccountRepository
from examkit.accounts._records import ACCOUNTS, AccountRecords
from examkit.applications import ApplicationRepository
from examkit.applications._records import APPLICATIONS, ApplicationRecords
from examkit.audit import AuditStore
from examkit.auth import (
    AuthenticatorRepository,
    EmailChangeRepository,
    SentReminderRepository,
    SignInTransactionRepository,
    TrustedBrowserRepository,
)
from examkit.auth._records import (
    AUTHENTICATORS,
    EMAIL_CHANGES,
    SENT_REMINDERS,
    SIGNINS,
    TRUSTED_BROWSERS,
    SentReminderRecords,
    SignInTransactionRecords,
    TrustedBrowserRecords,
)
from examkit.correction import CorrectionGroupRepository, CorrectionSheetRepository
from examkit.correction._records import (
    CORRECTION_GROUPS,
    CORRECTION_SHEETS,
    CorrectionSheetRecords,
)
from examkit.federation._records import (
    FEDERATED_LINKS,
    PENDING_SIGN_INS,
    FederatedLinkRecords,
    FederatedLinkRepository,
    PendingSignInRecords,
    PendingSignInRepository,
)
from examkit.flemish import FlemishRegistrationRepository
from examkit.flemish._records import FLEMISH_REGISTRATIONS, FlemishRegistrationRecords
from examkit.imports import ClassListRepository, PendingImportRepository, PupilRepository
from examkit.imports._records import (
    CLASS_LISTS,
    PENDING_IMPORTS,
    PUPILS,
    PendingImportRecords,
    PupilRecords,
)
from examkit.notifications import OUTBOX, OutboxRecords, OutboxRepository
from examkit.offline._model import (
    AppliedKey,
    ServerCredential,
    StationState,
    SyncMark,
)
from examkit.offline._records import (
    APPLIED_KEYS,
    EXAM_PACKAGES,
    PACKAGE_CHUNKS,
    SERVER_CREDENTIALS,
    STATIONS,
    SYNC_CONFLICTS,
    SYNC_INBOX,
    SYNC_MARKS,
    SYNC_QUEUE,
    ChunkRecords,
    ConflictRecords,
    InboxRecords,
    PackageRecords,
    QueueRecords,
)
from examkit.org import InstitutionRepository
from examkit.org._records import INSTITUTIONS, InstitutionRecords
from examkit.permissions import AuthorizationRepository
from examkit.permissions._records import AUTHORIZATIONS, AuthorizationRecords
from examkit.scheduling import (
    AttemptRepository,
    CandidateRepository,
    ExamRepository,
    OfflineServerRepository,
    SessionGroupRepository,
)
from examkit.scheduling._records import (
    CANDIDATES,
    EXAMS,
    OFFLINE_SERVERS,
    SESSION_GROUPS,
    TEST_ATTEMPTS,
    AttemptRecords,
    CandidateRecords,
    ExamRecords,
    OfflineServerRecords,
    SessionGroupRecords,
)
from examkit.storage import (
    AUDIT,
    COUNTERS,
    SEQUENCES,
    TOKENS,
    AttemptCounter,
    Capabilities,
    Records,
    RecordType,
    StoredUnit,
    TokenStore,
)
from examkit.websessions import WEB_SESSIONS, WebSessionRecords, WebSessionRepository

__all__ = ["RECORDS", "Backend", "RecordsUnit", "UnitOfWork"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R", bound=Records[Any, Any])


class _Repository(Generic[R]):
    """A unit's repository of one record kind, made on first use (a descriptor)."""

    def __init__(self, record: RecordType[Any, Any], kind: Callable[..., R]) -> None:
        self.record = record
        self.kind = kind

    @overload
    def __get__(self, unit: None, owner: type[Any]) -> _Repository[R]: ...
    @overload
    def __get__(self, unit: StoredUnit, owner: type[Any]) -> R: ...
    def __get__(self, unit: StoredUnit | None, owner: type[Any]) -> R | _Repository[R]:
        if unit is None:
            return self
        return unit.repository(self.record, self.kind)  # type: ignore[arg-type]


class RecordsUnit(StoredUnit):
    """One transaction: every repository, committed together or not at all.

    Use it as a context manager; leaving it without
    :meth:`~examkit.storage.StoredUnit.commit` (or by an exception) rolls
    back. Nothing written is visible to other units of work before commit.
    After :meth:`~examkit.storage.StoredUnit.commit` or
    :meth:`~examkit.storage.StoredUnit.rollback` the unit is
    closed: using it raises :class:`~examkit.errors.InvalidState`. A reading
    unit (``begin(readonly=True)``) refuses writes with
    :class:`~examkit.errors.InvalidState`.
    """

    institutions = _Repository(INSTITUTIONS, InstitutionRecords)
    """Institutions with their locations."""
    accounts = _Repository(ACCOUNTS, AccountRecords)
    """User accounts."""
    authorizations = _Repository(AUTHORIZATIONS, AuthorizationRecords)
    """Accounts' grants and access to applications."""
    exams = _Repository(EXAMS, ExamRecords)
    """Test definitions."""
    candidates = _Repository(CANDIDATES, CandidateRecords)
    """Candidates of test sessions."""
    session_groups = _Repository(SESSION_GROUPS, SessionGroupRecords)
    """Test session groups."""
    test_attempts = _Repository(TEST_ATTEMPTS, AttemptRecords)
    """Candidates' attempts at their groups' tests, with their responses."""
    offline_servers = _Repository(OFFLINE_SERVERS, OfflineServerRecords)
    """Registered offline servers (FAO)."""
    flemish_registrations = _Repository(FLEMISH_REGISTRATIONS, FlemishRegistrationRecords)
    """Flemish schools' registrations for the central tests."""
    signins = _Repository(SIGNINS, SignInTransactionRecords)
    """Sign-ins in progress."""
    trusted_browsers = _Repository(TRUSTED_BROWSERS, TrustedBrowserRecords)
    """Browsers that may skip the second factor for a while."""
    sent_reminders = _Repository(SENT_REMINDERS, SentReminderRecords)
    """Password-expiry reminders dealt with."""
    email_changes = _Repository(EMAIL_CHANGES, Records)
    """New e-mail addresses waiting for confirmation."""
    authenticators = _Repository(AUTHENTICATORS, Records)
    """Authenticator apps enrolled for the second factor."""
    outbox = _Repository(OUTBOX, OutboxRecords)
    """E-mails waiting for the mail server, sealed."""
    pupils = _Repository(PUPILS, PupilRecords)
    """Imported pupils per location and school year."""
    class_lists = _Repository(CLASS_LISTS, Records)
    """Imported classes and teachers per location and school year."""
    pending_imports = _Repository(PENDING_IMPORTS, PendingImportRecords)
    """Imports waiting for confirmation."""
    applications = _Repository(APPLICATIONS, ApplicationRecords)
    """Account applications (the operator's queue)."""
    correction_groups = _Repository(CORRECTION_GROUPS, Records)
    """The session groups' corrections (correctors, closing, review grants)."""
    correction_sheets = _Repository(CORRECTION_SHEETS, CorrectionSheetRecords)
    """The candidates' correction sheets with every score version."""
    web_sessions = _Repository(WEB_SESSIONS, WebSessionRecords)
    """Signed-in browser sessions (a portal's cookie holds only their id)."""
    federated_links = _Repository(FEDERATED_LINKS, FederatedLinkRecords)
    """Accounts' links to federated identities (AUTH-13)."""
    pending_federated_sign_ins = _Repository(PENDING_SIGN_INS, PendingSignInRecords)
    offline_credentials = _Repository(SERVER_CREDENTIALS, Records[str, ServerCredential])
    """Centrally: offline servers' credentials (digests)."""
    sync_queue = _Repository(SYNC_QUEUE, QueueRecords)
    """Entries waiting to be synchronised, by stream."""
    sync_inbox = _Repository(SYNC_INBOX, InboxRecords)
    """Centrally: the up entries received."""
    sync_applied_keys = _Repository(APPLIED_KEYS, Records[str, AppliedKey])
    """The revision applied per synchronised natural key."""
    sync_marks = _Repository(SYNC_MARKS, Records[str, SyncMark])
    """Centrally: each offline server's high-water marks and last sync."""
    offline_stations = _Repository(STATIONS, Records[str, StationState])
    """On an offline server: its station state."""
    sync_conflicts = _Repository(SYNC_CONFLICTS, ConflictRecords)
    """Synchronisation conflicts found."""
    exam_packages = _Repository(EXAM_PACKAGES, PackageRecords)
    """Exam packages, by digest."""
    package_chunks = _Repository(PACKAGE_CHUNKS, ChunkRecords)
    """Exam packages' content in chunks."""
    """Federated sign-in requests waiting for the identity provider's answer."""


class UnitOfWork(Protocol):
    """One transaction: everything written in it is committed together or not at all.

    Use it as a context manager; leaving it without :meth:`commit` (or by an
    exception) rolls back. Nothing written is visible to other units of work
    before commit. After :meth:`commit` or :meth:`rollback` the unit is
    closed: using it raises :class:`~examkit.errors.InvalidState`. A reading
    unit (``begin(readonly=True)``) refuses writes with
    :class:`~examkit.errors.InvalidState`.

    >>> from datetime import datetime, timedelta, timezone
    >>> from examkit.backends.memory import MemoryBackend
    >>> backend, now = MemoryBackend(), datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> with backend.begin() as uow:
    ...     count = uow.counters.record("demo", "k", now=now, window=timedelta(minutes=15), limit=3)
    ...     uow.commit()
    >>> count.count, count.reached
    (1, False)
    """

    @property
    def readonly(self) -> bool:
        """Whether this unit only reads."""
        ...

    @property
    def institutions(self) -> InstitutionRepository:
        """Institutions with their locations."""
        ...

    @property
    def accounts(self) -> AccountRepository:
        """User accounts."""
        ...

    @property
    def authorizations(self) -> AuthorizationRepository:
        """Accounts' grants and access to applications."""
        ...

    @property
    def exams(self) -> ExamRepository:
        """Test definitions."""
        ...

    @property
    def candidates(self) -> CandidateRepository:
        """Candidates of test sessions."""
        ...

    @property
    def session_groups(self) -> SessionGroupRepository:
        """Test session groups."""
        ...

    @property
    def test_attempts(self) -> AttemptRepository:
        """Candidates' attempts at their groups' tests, with their responses."""
        ...

    @property
    def offline_servers(self) -> OfflineServerRepository:
        """Registered offline servers (FAO)."""
        ...

    @property
    def flemish_registrations(self) -> FlemishRegistrationRepository:
        """Flemish schools' registrations for the central tests."""
        ...

    @property
    def signins(self) -> SignInTransactionRepository:
        """Sign-ins in progress."""
        ...

    @property
    def trusted_browsers(self) -> TrustedBrowserRepository:
        """Browsers that may skip the second factor for a while."""
        ...

    @property
    def sent_reminders(self) -> SentReminderRepository:
        """Password-expiry reminders dealt with."""
        ...

    @property
    def email_changes(self) -> EmailChangeRepository:
        """New e-mail addresses waiting for confirmation."""
        ...

    @property
    def authenticators(self) -> AuthenticatorRepository:
        """Authenticator apps enrolled for the second factor."""
        ...

    @property
    def outbox(self) -> OutboxRepository:
        """E-mails waiting for the mail server, sealed."""
        ...

    @property
    def pupils(self) -> PupilRepository:
        """Imported pupils per location and school year."""
        ...

    @property
    def class_lists(self) -> ClassListRepository:
        """Imported classes and teachers per location and school year."""
        ...

    @property
    def pending_imports(self) -> PendingImportRepository:
        """Imports waiting for confirmation."""
        ...

    @property
    def applications(self) -> ApplicationRepository:
        """Account applications (the operator's queue)."""
        ...

    @property
    def correction_groups(self) -> CorrectionGroupRepository:
        """The session groups' corrections (correctors, closing, review grants)."""
        ...

    @property
    def correction_sheets(self) -> CorrectionSheetRepository:
        """The candidates' correction sheets with every score version."""
        ...

    @property
    def web_sessions(self) -> WebSessionRepository:
        """Signed-in browser sessions (a portal's cookie holds only their id)."""
        ...

    @property
    def federated_links(self) -> FederatedLinkRepository:
        """Accounts' links to federated identities (AUTH-13)."""
        ...

    @property
    def pending_federated_sign_ins(self) -> PendingSignInRepository:
        """Federated sign-in requests waiting for the identity provider's answer."""
        ...

    @property
    def offline_credentials(self) -> Records[str, ServerCredential]:
        """Centrally: offline servers' credentials, kept as digests (SCH-8)."""
        ...

    @property
    def sync_queue(self) -> QueueRecords:
        """Entries waiting to be synchronised, by stream (SCH-8)."""
        ...

    @property
    def sync_inbox(self) -> InboxRecords:
        """Centrally: the up entries received from offline servers (SCH-8)."""
        ...

    @property
    def sync_applied_keys(self) -> Records[str, AppliedKey]:
        """The revision applied per synchronised natural key (SCH-8)."""
        ...

    @property
    def sync_marks(self) -> Records[str, SyncMark]:
        """Centrally: each offline server's high-water marks and last sync (SCH-8)."""
        ...

    @property
    def offline_stations(self) -> Records[str, StationState]:
        """On an offline server: its station state (SCH-8)."""
        ...

    @property
    def sync_conflicts(self) -> ConflictRecords:
        """Synchronisation conflicts found (SCH-8)."""
        ...

    @property
    def exam_packages(self) -> PackageRecords:
        """Exam packages, by digest (SCH-8)."""
        ...

    @property
    def package_chunks(self) -> ChunkRecords:
        """Exam packages' content in chunks (SCH-8)."""
        ...

    @property
    def counters(self) -> AttemptCounter:
        """Atomic counters of tries (the sign-in lockout, access-code tries).

        Not the candidates' attempts at a test: those are :attr:`test_attempts`.
        """
        ...

    @property
    def tokens(self) -> TokenStore:
        """Single-use tokens."""
        ...

    @property
    def audit(self) -> AuditStore:
        """The audit trail."""
        ...

    def commit(self) -> None:
        """Make everything written visible to others, all at once, and close the unit.

        Raises:
            StorageError: the backend failed; nothing was written.
        """
        ...

    def rollback(self) -> None:
        """Discard everything written and close the unit."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class Backend(Protocol):
    """Where examkit keeps its data: hands out units of work.

    Backends are synchronous and safe to use from several threads.
    Implementations: :class:`examkit.backends.memory.MemoryBackend`, the SQL
    backend (extra ``sql``), or a third party's, proved by the conformance
    suite in :mod:`examkit.testing.conformance`. A backend keeps a
    :class:`~examkit.storage.WritingUnits` to know which writing units each thread holds
    (:meth:`after_writing`).
    """

    capabilities: Capabilities
    """What this backend supports."""

    def begin(self, *, readonly: bool = False) -> UnitOfWork:
        """Start a unit of work (a reading one with *readonly*).

        Raises:
            StorageError: the backend is unavailable or busy for too long.
        """
        ...

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing units this thread holds have closed.

        For what must write while the thread holds a writing unit, which a
        second writing unit would wait for until the busy timeout (the audit
        trail of a refusal made inside a unit of work,
        :class:`~examkit.audit.StoredAuditLog`). Return ``False``, running
        nothing, when this thread holds no writing unit.
        """
        ...

    def close(self) -> None:
        """Release the backend's resources (connections, files)."""
        ...


RECORDS: Final[tuple[RecordType[Any, Any], ...]] = (
    *(part.record for part in vars(RecordsUnit).values() if isinstance(part, _Repository)),
    COUNTERS,
    TOKENS,
    SEQUENCES,
    AUDIT,
)
"""Every record kind examkit stores: the domain's, then the capabilities' fallbacks."""
