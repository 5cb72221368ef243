"""The memory backend and its unit of work."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from examkit.backends.memory._repositories import (
    MemoryAccountRepository,
    MemoryApplicationRepository,
    MemoryAttemptCounter,
    MemoryAttemptRepository,
    MemoryAuditStore,
    MemoryAuthenticatorRepository,
    MemoryAuthorizationRepository,
    MemoryCandidateRepository,
    MemoryClassListRepository,
    MemoryCorrectionGroupRepository,
    MemoryCorrectionSheetRepository,
    MemoryEmailChangeRepository,
    MemoryExamRepository,
    MemoryFlemishRegistrationRepository,
    MemoryInstitutionRepository,
    MemoryOfflineServerRepository,
    MemoryPendingImportRepository,
    MemoryPupilRepository,
    MemorySentReminderRepository,
    MemorySessionGroupRepository,
    MemorySignInTransactionRepository,
    MemoryTokenStore,
    MemoryTrustedBrowserRepository,
)
from examkit.backends.memory._state import Overlay, Store
from examkit.errors import InvalidState, StorageError
from examkit.storage import Capabilities, HeldUnit, WritingUnits

P = TypeVar("P", bound=Any)


class MemoryBackend:
    """A complete, transactional, thread-safe backend that keeps everything in memory.

    Writing units of work are serialised (as SQLite's ``BEGIN IMMEDIATE``
    does): one waits up to *busy_timeout* seconds for another to finish, so
    every counter and token operation is atomic. A unit writes to an overlay;
    commit appends the overlay as a new version of each changed key (its cost
    grows with the change, not with what is stored), rollback drops it.
    Every unit reads the data as of the commit current when it began, so
    reading units never wait.

    Embedding teams can use it in their own test suites; it passes the same
    conformance suite as every other backend.

    >>> backend = MemoryBackend()
    >>> with backend.begin(readonly=True) as uow:
    ...     uow.institutions.list().items
    ()
    """

    capabilities = Capabilities(threads=True, snapshot_reads=True)

    def __init__(self, *, busy_timeout: float = 30.0) -> None:
        self._store = Store()
        self._writer = threading.Lock()
        self._busy_timeout = busy_timeout
        self._writing = WritingUnits()

    def begin(self, *, readonly: bool = False) -> MemoryUnitOfWork:
        """Start a unit of work (a reading one with *readonly*)."""
        if not readonly:
            self._acquire_writer()
        return MemoryUnitOfWork(self, readonly=readonly)

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing unit this thread holds has closed (``False``: none)."""
        return self._writing.after(action)

    def close(self) -> None:
        """Nothing to release; kept for the port."""

    def _acquire_writer(self) -> None:
        if not self._writer.acquire(timeout=self._busy_timeout):
            raise StorageError("storage.busy")

    def _release_writer(self) -> None:
        self._writer.release()

    def _publish(self, overlay: Overlay) -> None:
        self._store.publish(overlay)

    def __repr__(self) -> str:
        return "MemoryBackend()"


class MemoryUnitOfWork:
    """A unit of work of :class:`MemoryBackend`.

    Its parts (repositories, counter, token and audit stores) are made when
    first used, from the classes named here, which a subclass may replace.
    """

    institutions_class: type[MemoryInstitutionRepository] = MemoryInstitutionRepository
    accounts_class: type[MemoryAccountRepository] = MemoryAccountRepository
    authorizations_class: type[MemoryAuthorizationRepository] = MemoryAuthorizationRepository
    exams_class: type[MemoryExamRepository] = MemoryExamRepository
    candidates_class: type[MemoryCandidateRepository] = MemoryCandidateRepository
    session_groups_class: type[MemorySessionGroupRepository] = MemorySessionGroupRepository
    test_attempts_class: type[MemoryAttemptRepository] = MemoryAttemptRepository
    offline_servers_class: type[MemoryOfflineServerRepository] = MemoryOfflineServerRepository
    flemish_registrations_class: type[MemoryFlemishRegistrationRepository] = (
        MemoryFlemishRegistrationRepository
    )
    signins_class: type[MemorySignInTransactionRepository] = MemorySignInTransactionRepository
    trusted_browsers_class: type[MemoryTrustedBrowserRepository] = MemoryTrustedBrowserRepository
    sent_reminders_class: type[MemorySentReminderRepository] = MemorySentReminderRepository
    email_changes_class: type[MemoryEmailChangeRepository] = MemoryEmailChangeRepository
    authenticators_class: type[MemoryAuthenticatorRepository] = MemoryAuthenticatorRepository
    pupils_class: type[MemoryPupilRepository] = MemoryPupilRepository
    class_lists_class: type[MemoryClassListRepository] = MemoryClassListRepository
    pending_imports_class: type[MemoryPendingImportRepository] = MemoryPendingImportRepository
    applications_class: type[MemoryApplicationRepository] = MemoryApplicationRepository
    correction_groups_class: type[MemoryCorrectionGroupRepository] = MemoryCorrectionGroupRepository
    correction_sheets_class: type[MemoryCorrectionSheetRepository] = MemoryCorrectionSheetRepository
    attempts_class: type[MemoryAttemptCounter] = MemoryAttemptCounter
    tokens_class: type[MemoryTokenStore] = MemoryTokenStore
    audit_class: type[MemoryAuditStore] = MemoryAuditStore

    def __init__(self, backend: MemoryBackend, *, readonly: bool) -> None:
        self._backend = backend
        self.readonly = readonly
        self._overlay: Overlay | None = Overlay(backend._store.open_snapshot())
        self._held: HeldUnit | None = None if readonly else backend._writing.opened()

    @property
    def institutions(self) -> MemoryInstitutionRepository:
        """Institutions with their locations."""
        self._read_view()
        return self._part("institutions", self.institutions_class)

    @property
    def accounts(self) -> MemoryAccountRepository:
        """User accounts."""
        self._read_view()
        return self._part("accounts", self.accounts_class)

    @property
    def authorizations(self) -> MemoryAuthorizationRepository:
        """Accounts' grants and access to applications."""
        self._read_view()
        return self._part("authorizations", self.authorizations_class)

    @property
    def exams(self) -> MemoryExamRepository:
        """Test definitions."""
        self._read_view()
        return self._part("exams", self.exams_class)

    @property
    def candidates(self) -> MemoryCandidateRepository:
        """Candidates of test sessions."""
        self._read_view()
        return self._part("candidates", self.candidates_class)

    @property
    def session_groups(self) -> MemorySessionGroupRepository:
        """Test session groups."""
        self._read_view()
        return self._part("session_groups", self.session_groups_class)

    @property
    def test_attempts(self) -> MemoryAttemptRepository:
        """Candidates' attempts with their responses."""
        self._read_view()
        return self._part("test_attempts", self.test_attempts_class)

    @property
    def offline_servers(self) -> MemoryOfflineServerRepository:
        """Registered offline servers."""
        self._read_view()
        return self._part("offline_servers", self.offline_servers_class)

    @property
    def flemish_registrations(self) -> MemoryFlemishRegistrationRepository:
        """Flemish schools' registrations."""
        self._read_view()
        return self._part("flemish_registrations", self.flemish_registrations_class)

    @property
    def signins(self) -> MemorySignInTransactionRepository:
        """Sign-ins in progress."""
        self._read_view()
        return self._part("signins", self.signins_class)

    @property
    def trusted_browsers(self) -> MemoryTrustedBrowserRepository:
        """Browsers that may skip the second factor for a while."""
        self._read_view()
        return self._part("trusted_browsers", self.trusted_browsers_class)

    @property
    def sent_reminders(self) -> MemorySentReminderRepository:
        """Password-expiry reminders dealt with."""
        self._read_view()
        return self._part("sent_reminders", self.sent_reminders_class)

    @property
    def email_changes(self) -> MemoryEmailChangeRepository:
        """New e-mail addresses waiting for confirmation."""
        self._read_view()
        return self._part("email_changes", self.email_changes_class)

    @property
    def authenticators(self) -> MemoryAuthenticatorRepository:
        """Authenticator apps enrolled for the second factor."""
        self._read_view()
        return self._part("authenticators", self.authenticators_class)

    @property
    def pupils(self) -> MemoryPupilRepository:
        """Imported pupils per location and school year."""
        self._read_view()
        return self._part("pupils", self.pupils_class)

    @property
    def class_lists(self) -> MemoryClassListRepository:
        """Imported classes and teachers per location and school year."""
        self._read_view()
        return self._part("class_lists", self.class_lists_class)

    @property
    def pending_imports(self) -> MemoryPendingImportRepository:
        """Imports waiting for confirmation."""
        self._read_view()
        return self._part("pending_imports", self.pending_imports_class)

    @property
    def applications(self) -> MemoryApplicationRepository:
        """Account applications (the operator's queue)."""
        self._read_view()
        return self._part("applications", self.applications_class)

    @property
    def correction_groups(self) -> MemoryCorrectionGroupRepository:
        """The session groups' corrections."""
        self._read_view()
        return self._part("correction_groups", self.correction_groups_class)

    @property
    def correction_sheets(self) -> MemoryCorrectionSheetRepository:
        """The candidates' correction sheets."""
        self._read_view()
        return self._part("correction_sheets", self.correction_sheets_class)

    @property
    def attempts(self) -> MemoryAttemptCounter:
        """Atomic attempt counters."""
        self._read_view()
        return self._part("attempts", self.attempts_class)

    @property
    def tokens(self) -> MemoryTokenStore:
        """Single-use tokens."""
        self._read_view()
        return self._part("tokens", self.tokens_class)

    @property
    def audit(self) -> MemoryAuditStore:
        """The audit trail."""
        self._read_view()
        return self._part("audit", self.audit_class)

    def _part(self, name: str, kind: type[P]) -> P:
        part = self.__dict__.get(name)
        if part is None:
            part = self.__dict__[name] = kind(self)
        return part  # type: ignore[no-any-return]

    def _read_view(self) -> Overlay:
        """Return the overlay to read from; refuse when closed."""
        if self._overlay is None:
            raise InvalidState("storage.unit_closed")
        return self._overlay

    def _write_view(self) -> Overlay:
        """Return the overlay to write to; refuse when closed or reading only."""
        overlay = self._read_view()
        if self.readonly:
            raise InvalidState("storage.readonly")
        return overlay

    def commit(self) -> None:
        """Publish everything written, all at once, and close the unit."""
        overlay = self._read_view()
        self._overlay = None
        overlay.base.close()
        if not self.readonly:
            try:
                self._backend._publish(overlay)
            finally:
                self._backend._release_writer()
                self._closed()

    def rollback(self) -> None:
        """Discard everything written and close the unit."""
        if self._overlay is None:
            return
        self._overlay.base.close()
        self._overlay = None
        if not self.readonly:
            self._backend._release_writer()
            self._closed()

    def _closed(self) -> None:
        """Run what waited for this writing unit to close (its lock is released)."""
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
