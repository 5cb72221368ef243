"""The in-memory backend: complete, transactional, thread-safe, first class.

>>> from examkit.backends.memory import MemoryBackend
>>> MemoryBackend()
MemoryBackend()
"""

from examkit.backends.memory._backend import MemoryBackend, MemoryUnitOfWork
from examkit.backends.memory._repositories import (
    MemoryAccountRepository,
    MemoryAttemptCounter,
    MemoryAttemptRepository,
    MemoryAuditStore,
    MemoryAuthorizationRepository,
    MemoryCandidateRepository,
    MemoryExamRepository,
    MemoryFlemishRegistrationRepository,
    MemoryInstitutionRepository,
    MemoryOfflineServerRepository,
    MemoryRepository,
    MemorySessionGroupRepository,
    MemoryTokenStore,
)
from examkit.backends.memory._state import TableSpec

__all__ = [
    "MemoryAccountRepository",
    "MemoryAttemptCounter",
    "MemoryAttemptRepository",
    "MemoryAuditStore",
    "MemoryAuthorizationRepository",
    "MemoryBackend",
    "MemoryCandidateRepository",
    "MemoryExamRepository",
    "MemoryFlemishRegistrationRepository",
    "MemoryInstitutionRepository",
    "MemoryOfflineServerRepository",
    "MemoryRepository",
    "MemorySessionGroupRepository",
    "MemoryTokenStore",
    "MemoryUnitOfWork",
    "TableSpec",
]
