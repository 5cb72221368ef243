"""A unit of work on any backend's :class:`~examkit.storage.Transaction`."""

from __future__ import annotations

from collections.abc import Hashable
from types import TracebackType
from typing import Any, Self, TypeVar, cast

from examkit.audit import AuditStore
from examkit.storage._declarations import RecordType
from examkit.storage._fallbacks import AuditFallback, CounterFallback, TokenFallback
from examkit.storage._limits import AttemptCounter
from examkit.storage._primitives import Transaction
from examkit.storage._records import Records
from examkit.storage._tokens import TokenStore

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R", bound=Records[Any, Any])


class StoredUnit:
    """One transaction: its repositories and capabilities, committed together or not at all.

    Built on a backend's :class:`~examkit.storage.Transaction`: each
    repository is a :class:`~examkit.storage.Records` (or a subclass with
    the aggregate's named queries), made on first use; the attempt counter,
    token store and audit trail are the backend's own when its transaction
    offers them (:meth:`~examkit.storage.Transaction.capability`), else the
    generic fallbacks on the primitives. Leaving it without :meth:`commit`
    (or by an exception) rolls back.
    """

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction
        """The backend's transaction underneath."""
        self._parts: dict[Any, Any] = {}

    @property
    def readonly(self) -> bool:
        """Whether this unit only reads."""
        return self.transaction.readonly

    def repository(self, record: RecordType[K, T], kind: type[R] = Records) -> R:  # type: ignore[assignment]
        """Return the repository of *record* (a *kind*, made on first use)."""
        part = self._parts.get((record.name, kind))
        if part is None:
            part = self._parts[record.name, kind] = kind(self.transaction, record)
        return cast(R, part)

    @property
    def counters(self) -> AttemptCounter:
        """Atomic counters of tries (the sign-in lockout, access-code tries).

        Not the candidates' attempts at a test: those are ``test_attempts``.
        """
        return self._capability("counters", CounterFallback)  # type: ignore[no-any-return]

    @property
    def tokens(self) -> TokenStore:
        """Single-use tokens."""
        return self._capability("tokens", TokenFallback)  # type: ignore[no-any-return]

    @property
    def audit(self) -> AuditStore:
        """The audit trail."""
        return self._capability("audit", AuditFallback)  # type: ignore[no-any-return]

    def _capability(self, name: str, fallback: type[Any]) -> Any:
        part = self._parts.get(name)
        if part is None:
            part = self.transaction.capability(name)
            if part is None:
                part = fallback(self.transaction)
            self._parts[name] = part
        return part

    def commit(self) -> None:
        """Make everything written visible to others, all at once, and close the unit.

        Raises:
            StorageError: the backend failed; nothing was written.
        """
        self.transaction.commit()

    def rollback(self) -> None:
        """Discard everything written and close the unit."""
        self.transaction.rollback()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
