"""The in-memory backend: complete, transactional, thread-safe, first class.

>>> from examkit.backends.memory import MemoryBackend
>>> MemoryBackend()
MemoryBackend()
"""

from examkit.backends.memory._backend import MemoryBackend, MemoryUnitOfWork
from examkit.backends.memory._repositories import (
    MemoryAccountRepository,
    MemoryAttemptCounter,
    MemoryAuditStore,
    MemoryAuthorizationRepository,
    MemoryClassListRepository,
    MemoryInstitutionRepository,
    MemoryPendingImportRepository,
    MemoryPupilRepository,
    MemoryRepository,
    MemoryTokenStore,
)
from examkit.backends.memory._state import TableSpec

__all__ = [
    "MemoryAccountRepository",
    "MemoryAttemptCounter",
    "MemoryAuditStore",
    "MemoryAuthorizationRepository",
    "MemoryBackend",
    "MemoryClassListRepository",
    "MemoryInstitutionRepository",
    "MemoryPendingImportRepository",
    "MemoryPupilRepository",
    "MemoryRepository",
    "MemoryTokenStore",
    "MemoryUnitOfWork",
    "TableSpec",
]
