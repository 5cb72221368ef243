"""What the revoked-grant property tests share (issue 21, PLAT-2 and ROLE-5).

Each package's test (``test_revoked_grant*.py``) keeps its own world and its
own table of the use cases that act for someone; these are the steps they
all take: store an actor holding exactly some grants, revoke one of them as
an administrator would (and put it back), and check that a refusal is
audited as ``denied`` for the actor with the refusal's code.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from examkit.testing import store_actor

if TYPE_CHECKING:
    from collections.abc import Iterable

    from examkit import Examkit
    from examkit.audit import AuditEvent
    from examkit.permissions import Authorization, Place

Needs = tuple[tuple[str, tuple["Place", ...]], ...]
"""The grants an actor needs: each a role and the places it holds it at."""

_ACCOUNTS = itertools.count(1)


def grants(*roles: tuple[str, tuple[Place, ...]]) -> Needs:
    """Return the grants *roles* (for a table's rows)."""
    return roles


def new_actor(kit: Examkit, needs: Needs, *, granted_at: datetime) -> str:
    """Store a fresh account holding exactly the grants *needs*; return its id."""
    account = f"rg{next(_ACCOUNTS)}"
    store_actor(kit.backend, account, list(needs), granted_at=granted_at)
    return account


def revoke(
    kit: Examkit,
    account: str,
    *,
    index: int | None = None,
    role: str | None = None,
    ago: timedelta = timedelta(0),
) -> Authorization:
    """Revoke *account*'s grant *index* (or every grant of *role*) *ago* before now.

    Revoked as an administrator would, in a transaction of its own. Returns
    the authorization as it was, for :func:`restore`.
    """
    at = kit.clock.now() - ago
    with kit.backend.begin() as uow:
        held = uow.authorizations.get(account)
        changed = tuple(
            attrs.evolve(grant, revoked_at=at, revoked_by="administrator")
            if number == index or grant.role == role
            else grant
            for number, grant in enumerate(held.grants)
        )
        assert changed != held.grants, "nothing to revoke"
        uow.authorizations.update(attrs.evolve(held, grants=changed))
        uow.commit()
    return held


def restore(kit: Examkit, held: Authorization) -> None:
    """Put the authorization *held* back as it was before :func:`revoke`."""
    with kit.backend.begin() as uow:
        current = uow.authorizations.get(held.account)
        uow.authorizations.update(attrs.evolve(held, version=current.version))
        uow.commit()


def assert_refusal_audited(events: Iterable[AuditEvent], actor: str, code: str) -> None:
    """Assert the last audit event is *actor*'s refusal, ``denied`` with *code* as its reason."""
    last = list(events)[-1]
    assert ("denied", actor, code) == (last.outcome, last.actor, last.details.get("reason"))


def assert_not_denied(events: Iterable[AuditEvent], actor: str | None = None) -> None:
    """Assert no event (of *actor*, when given) among *events* is a refusal of permission."""
    outcomes = {event.outcome for event in events if actor is None or event.actor == actor}
    assert "denied" not in outcomes
