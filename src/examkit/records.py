"""Every record examkit stores, and the unit of work that hands out their repositories.

The domain packages declare their records (:class:`~examkit.storage.RecordType`)
and the repositories of their named queries; this module gathers them:
:data:`RECORDS` is what a backend builds its storage from, and
:class:`UnitOfWork` is what ``backend.begin()`` returns on any backend
built on the primitives (:class:`~examkit.storage.Transaction`).

>>> from examkit.backends.memory import MemoryBackend
>>> with MemoryBackend().begin(readonly=True) as uow:
...     uow.accounts.list().items
()
>>> [record.name for record in RECORDS][:3]
['institutions', 'accounts', 'authorizations']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Final, Generic, TypeVar, overload

from examkit.accounts._records import ACCOUNTS, AccountRecords
from examkit.applications._records import APPLICATIONS, ApplicationRecords
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
from examkit.correction._records import (
    CORRECTION_GROUPS,
    CORRECTION_SHEETS,
    CorrectionSheetRecords,
)
from examkit.imports._records import (
    CLASS_LISTS,
    PENDING_IMPORTS,
    PUPILS,
    PendingImportRecords,
    PupilRecords,
)
from examkit.org._records import INSTITUTIONS, InstitutionRecords
from examkit.roles._records import AUTHORIZATIONS, AuthorizationRecords
from examkit.sessions._records import (
    CANDIDATES,
    EXAMS,
    FLEMISH_REGISTRATIONS,
    OFFLINE_SERVERS,
    SESSION_GROUPS,
    TEST_ATTEMPTS,
    AttemptRecords,
    CandidateRecords,
    ExamRecords,
    FlemishRegistrationRecords,
    OfflineServerRecords,
    SessionGroupRecords,
)
from examkit.storage import (
    AUDIT,
    COUNTERS,
    SEQUENCES,
    TOKENS,
    Records,
    RecordType,
    StoredUnit,
)

__all__ = ["RECORDS", "UnitOfWork"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R", bound=Records[Any, Any])


class _Repository(Generic[R]):
    """A unit's repository of one record kind, made on first use (a descriptor)."""

    def __init__(self, record: RecordType[Any, Any], kind: Callable[..., R]) -> None:
        self.record = record
        self.kind = kind
        self.__doc__ = record.__doc__

    @overload
    def __get__(self, unit: None, owner: type[Any]) -> _Repository[R]: ...
    @overload
    def __get__(self, unit: StoredUnit, owner: type[Any]) -> R: ...
    def __get__(self, unit: StoredUnit | None, owner: type[Any]) -> R | _Repository[R]:
        if unit is None:
            return self
        return unit.repository(self.record, self.kind)  # type: ignore[arg-type]


class UnitOfWork(StoredUnit):
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


RECORDS: Final[tuple[RecordType[Any, Any], ...]] = (
    *(part.record for part in vars(UnitOfWork).values() if isinstance(part, _Repository)),
    COUNTERS,
    TOKENS,
    SEQUENCES,
    AUDIT,
)
"""Every record kind examkit stores: the domain's, then the capabilities' fallbacks."""
