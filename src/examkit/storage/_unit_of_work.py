"""The storage port: a backend hands out units of work holding the repositories."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

import attrs

if TYPE_CHECKING:
    from examkit.accounts import AccountRepository
    from examkit.applications import ApplicationRepository
    from examkit.auth import (
        AuthenticatorRepository,
        EmailChangeRepository,
        SentReminderRepository,
        SignInTransactionRepository,
        TrustedBrowserRepository,
    )
    from examkit.correction import CorrectionGroupRepository, CorrectionSheetRepository
    from examkit.imports import ClassListRepository, PendingImportRepository, PupilRepository
    from examkit.org import InstitutionRepository
    from examkit.roles import AuthorizationRepository
    from examkit.sessions import (
        AttemptRepository,
        CandidateRepository,
        ExamRepository,
        FlemishRegistrationRepository,
        OfflineServerRepository,
        SessionGroupRepository,
    )
    from examkit.storage._audit_store import AuditStore
    from examkit.storage._limits import AttemptCounter
    from examkit.storage._tokens import TokenStore


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
    ...     count = uow.attempts.record("demo", "k", now=now, window=timedelta(minutes=15), limit=3)
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
    def attempts(self) -> AttemptCounter:
        """Atomic attempt counters (lockout, access-code attempts)."""
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


@attrs.frozen
class Capabilities:
    """What a backend supports, so the conformance suite skips what it cannot do."""

    threads: bool = True
    """Units of work may be used from several threads at once."""
    snapshot_reads: bool = True
    """A reading unit sees the state as it was when it began."""


class Backend(Protocol):
    """Where examkit keeps its data: hands out units of work.

    Backends are synchronous and safe to use from several threads.
    Implementations: :class:`examkit.backends.memory.MemoryBackend`, the SQL
    backend (extra ``sql``), or a third party's, proved by the conformance
    suite in :mod:`examkit.testing.conformance`. A backend keeps a
    :class:`WritingUnits` to know which writing units each thread holds
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
