"""The federated sign-in's records as stored: declared once, for every backend."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Final, Protocol

from examkit.federation._model import FederatedLink, PendingSignIn
from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Personal,
    Records,
    RecordType,
    microseconds,
)

_link: Final = partial(
    Personal,
    basis="public_task",
    retention="federation",
    audience=("self", "administrator", "operator"),
)
"""A federated link's field: the account holder's sign-in through the federation (AUTH-13): give
it the purpose."""


FEDERATED_LINKS: Final = RecordType(
    "federated_links",
    FederatedLink,
    kind="federated link",
    key=lambda item: item.id,
    indexes=(Index("account", lambda item: item.account_id),),
    privacy={
        "id": Personal(
            purpose="recognise the account holder's federated identity: the keyed digest of "
            "the issuer and subject, or of the ECK iD (never the values themselves)",
            basis="public_task",
            retention="federation",
            audience=("system",),
        ),
        "account_id": _link("the account the federated identity is linked to"),
        "kind": NotPersonal("what the link's key is the digest of (subject or ECK iD)"),
        "issuer": _link("the identity provider that vouched for the account holder"),
        "method": _link("how the account holder linked the identity"),
        "linked_at": _link("when the account holder linked the identity"),
        "version": VERSION_FIELD,
    },
)
"""Accounts' links to federated identities, keyed by digest: by account."""

PENDING_SIGN_INS: Final = RecordType(
    "pending_federated_sign_ins",
    PendingSignIn,
    kind="federated sign-in request",
    key=lambda item: item.id,
    indexes=(Index("expires_at", lambda item: microseconds(item.expires_at), number=True),),
    privacy={
        "id": NotPersonal("the keyed digest of the request's random state"),
        "provider": NotPersonal("the identity provider adapter's name"),
        "pending": NotPersonal(
            "the protocol's own values (state, nonce, code verifier, request id) of a request "
            "not yet tied to anyone"
        ),
        "started_at": NotPersonal("when the request was made"),
        "expires_at": NotPersonal("when the request lapses"),
        "version": VERSION_FIELD,
    },
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
