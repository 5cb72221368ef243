"""The in-memory backend: complete, transactional, thread-safe, first class.

Built on the storage primitives (:class:`~examkit.storage.Transaction`) with
its own atomic attempt counter, token store and audit trail.

>>> from examkit.backends.memory import MemoryBackend
>>> MemoryBackend()
MemoryBackend()
"""

from examkit.backends.memory._backend import MemoryBackend, MemoryTransaction
from examkit.backends.memory._capabilities import (
    MemoryAttemptCounter,
    MemoryAuditStore,
    MemoryTokenStore,
)

__all__ = [
    "MemoryAttemptCounter",
    "MemoryAuditStore",
    "MemoryBackend",
    "MemoryTokenStore",
    "MemoryTransaction",
]
