"""What a service test's kit is made of: the test doubles, or the production wiring."""

from __future__ import annotations

import attrs

from examkit.audit import AuditLog
from examkit.backends.memory import MemoryBackend
from examkit.records import Backend
from examkit.testing._fakes import MemoryAuditLog, StoredAuditTrail


@attrs.frozen
class Wiring:
    """A backend, the audit log to give a kit, and where a test reads the audit events back.

    Run a service test on :meth:`doubles` and on :meth:`production` (on
    each backend) to prove it holds with the kit's own defaults too.

    >>> from examkit.testing import ManualClock
    >>> from examkit.testing.sessions import START, make_session_kit
    >>> wiring = Wiring.production(MemoryBackend())
    >>> kit = make_session_kit(ManualClock(START), wiring.log, wiring.backend)
    >>> type(kit.audit).__name__, wiring.audit.actions()[:1]
    ('StoredAuditLog', ['sessions.exam.registered'])
    """

    name: str
    """``doubles``, or the production wiring's backend (``memory``, ``sqlite``, ...)."""
    backend: Backend
    """The backend to give the kit."""
    log: AuditLog | None
    """The audit log to give the kit (``None``: the kit's own, as in production)."""
    audit: MemoryAuditLog | StoredAuditTrail
    """Where the test reads the audit events back."""

    @classmethod
    def doubles(cls) -> Wiring:
        """Return the memory backend with a :class:`MemoryAuditLog`."""
        log = MemoryAuditLog()
        return cls("doubles", MemoryBackend(), log, log)

    @classmethod
    def production(cls, backend: Backend, name: str = "memory") -> Wiring:
        """Return *backend* with the kit's own audit log, read back from the backend."""
        return cls(name, backend, None, StoredAuditTrail(backend))
