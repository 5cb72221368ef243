"""The in-memory backend: complete, transactional, thread-safe, first class.

>>> from examkit.backends.memory import MemoryBackend
>>> MemoryBackend()
MemoryBackend()
"""

from examkit.backends.memory._backend import MemoryBackend, MemoryUnitOfWork
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
    MemoryRepository,
    MemorySentReminderRepository,
    MemorySessionGroupRepository,
    MemorySignInTransactionRepository,
    MemoryTokenStore,
    MemoryTrustedBrowserRepository,
)
from examkit.backends.memory._state import TableSpec

__all__ = [
    "MemoryAccountRepository",
    "MemoryApplicationRepository",
    "MemoryAttemptCounter",
    "MemoryAttemptRepository",
    "MemoryAuditStore",
    "MemoryAuthenticatorRepository",
    "MemoryAuthorizationRepository",
    "MemoryBackend",
    "MemoryCandidateRepository",
    "MemoryClassListRepository",
    "MemoryCorrectionGroupRepository",
    "MemoryCorrectionSheetRepository",
    "MemoryEmailChangeRepository",
    "MemoryExamRepository",
    "MemoryFlemishRegistrationRepository",
    "MemoryInstitutionRepository",
    "MemoryOfflineServerRepository",
    "MemoryPendingImportRepository",
    "MemoryPupilRepository",
    "MemoryRepository",
    "MemorySentReminderRepository",
    "MemorySessionGroupRepository",
    "MemorySignInTransactionRepository",
    "MemoryTokenStore",
    "MemoryTrustedBrowserRepository",
    "MemoryUnitOfWork",
    "TableSpec",
]
