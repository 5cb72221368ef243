"""Store an acting account with its grants, for tests of use cases that take an actor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from examkit.accounts import Account, LoginName
from examkit.identifiers import Brin
from examkit.permissions import Access, Authorization, Grant, Place
from examkit.records import Backend

GRANTED_AT = datetime(2026, 1, 1, tzinfo=UTC)
"""When :func:`store_actor`'s grants were made, unless told otherwise."""


def store_actor(
    backend: Backend,
    account: str,
    roles: Iterable[tuple[str, Iterable[Place]]] = (),
    *,
    institutions: Iterable[str] = ("22AB",),
    access: Iterable[Access] = (),
    granted_at: datetime = GRANTED_AT,
) -> str:
    """Store account *account* with a grant of each ``(role, places)`` of *roles*; return its id.

    Use cases take the acting account's id and read its grants inside their
    transaction; a test stores the actor first with this.

    >>> from examkit.backends.memory import MemoryBackend
    >>> from examkit.identifiers import LocationCode
    >>> backend = MemoryBackend()
    >>> store_actor(backend, "planner", [("facet.planner", [LocationCode("22AB00")])])
    'planner'

    Raises:
        AlreadyExists: the account is stored already.
    """
    with backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=account,
                login_name=LoginName(f"22AB.{account.replace('_', '').replace('-', '')}.x"),
                first_name="Kim",
                last_name=account.title(),
                email=f"{account.replace('_', '.')}@school.nl",
                institutions=frozenset(Brin(code) for code in institutions),
            )
        )
        uow.authorizations.add(
            Authorization(
                account=account,
                grants=[Grant.of(role, places, granted_at=granted_at) for role, places in roles],
                access=frozenset(access),
            )
        )
        uow.commit()
    return account
