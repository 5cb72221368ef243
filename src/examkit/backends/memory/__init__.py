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
    MemoryAuthenticatorRepository,
    MemoryEmailChangeRepository,
    MemoryInstitutionRepository,
    MemoryRepository,
    MemorySentReminderRepository,
    MemorySignInTransactionRepository,
    MemoryTokenStore,
    MemoryTrustedBrowserRepository,
)
from examkit.backends.memory._state import TableSpec

__all__ = [
    "MemoryAccountRepository",
    "MemoryAttemptCounter",
    "MemoryAuditStore",
    "MemoryAuthenticatorRepository",
    "MemoryBackend",
    "MemoryEmailChangeRepository",
    "MemoryInstitutionRepository",
    "MemoryRepository",
    "MemorySentReminderRepository",
    "MemorySignInTransactionRepository",
    "MemoryTokenStore",
    "MemoryTrustedBrowserRepository",
    "MemoryUnitOfWork",
    "TableSpec",
]
