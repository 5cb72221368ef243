"""The federated sign-in's records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol

from examkit.federation._model import FederatedLink, PendingSignIn
from examkit.storage import Index, Records, RecordType, microseconds

FEDERATED_LINKS: Final = RecordType(
    "federated_links",
    FederatedLink,
    kind="federated link",
    key=lambda item: item.id,
    indexes=(Index("account", lambda item: item.account_id),),
)
"""Accounts' links to federated identities, keyed by digest: by account."""

PENDING_SIGN_INS: Final = RecordType(
    "pending_federated_sign_ins",
    PendingSignIn,
    kind="federated sign-in request",
    key=lambda item: item.id,
    indexes=(Index("expires_at", lambda item: microseconds(item.expires_at), number=True),),
)
"""Federated sign-in requests waiting for the identity provider, keyed by the state's digest."""


class FederatedLinkRepository(Protocol):
    """Accounts' links to federated identities (``uow.federated_links``)."""

    def add(self, item: FederatedLink) -> FederatedLink:
        """Store a new link; return it as stored.

        Raises:
            AlreadyExists: the identity is linked already.
        """
        ...

    def get(self, key: str) -> FederatedLink:
        """Return the link with *key*.

        Raises:
            NotFound: there is none.
        """
        ...

    def remove(self, key: str, *, version: int | None = None) -> None:
        """Remove the link with *key*.

        Raises:
            NotFound: there is none.
        """
        ...

    def list_for_account(self, account_id: str) -> tuple[FederatedLink, ...]:
        """Return the links of *account_id*, oldest first."""
        ...

    def remove_for_account(self, account_id: str) -> int:
        """Remove every link of *account_id*; return how many."""
        ...


class PendingSignInRepository(Protocol):
    """Federated sign-in requests waiting for the answer (``uow.pending_federated_sign_ins``)."""

    def add(self, item: PendingSignIn) -> PendingSignIn:
        """Store a new request.

        Raises:
            AlreadyExists: a request with the same key exists.
        """
        ...

    def get(self, key: str) -> PendingSignIn:
        """Return the request with *key*.

        Raises:
            NotFound: there is none.
        """
        ...

    def remove(self, key: str, *, version: int | None = None) -> None:
        """Remove the request with *key* (only at *version*, when given).

        Raises:
            NotFound: there is none.
            ConcurrentModification: *version* is given and stale.
        """
        ...

    def purge_expired(self, now: datetime) -> int:
        """Remove the requests lapsed at *now*; return how many."""
        ...


class FederatedLinkRecords(Records[str, FederatedLink]):
    """The :class:`FederatedLinkRepository` on any backend."""

    def list_for_account(self, account_id: str) -> tuple[FederatedLink, ...]:
        """Return the links of *account_id*, oldest first."""
        found = self._find({"account": account_id})
        return tuple(sorted(found, key=lambda item: (item.linked_at, item.id)))

    def remove_for_account(self, account_id: str) -> int:
        """Remove every link of *account_id*; return how many."""
        return self._remove_found({"account": account_id})


class PendingSignInRecords(Records[str, PendingSignIn]):
    """The :class:`PendingSignInRepository` on any backend."""

    def purge_expired(self, now: datetime) -> int:
        """Remove the requests lapsed at *now*; return how many."""
        return self._remove_found(at_most=("expires_at", microseconds(now)))
