"""Ending every web session of an account, inside another use case's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from examkit.errors import NotFound

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


def revoke_web_sessions(uow: UnitOfWork, account_id: str, *, now: datetime) -> int:
    """End every live web session of *account_id* in *uow*; return how many were live.

    For the use cases that change an account's privileges (deactivation, a
    password change or reset, a role revocation): they call it in their own
    transaction, so the change and the end of its sessions are committed
    together or not at all. The browsers are signed out at their next
    request.

    Implements WEB-2.
    """
    revoked = 0
    for session in uow.web_sessions.list_for_account(account_id):
        if session.is_live(now):
            uow.web_sessions.update(attrs.evolve(session, revoked_at=now))
            revoked += 1
    return revoked


def grants_generation(uow: UnitOfWork, account_id: str) -> int:
    """Return the version of *account_id*'s grants (0 before its first grant).

    It changes with every grant or revocation, so a session records it when
    issued and :meth:`~examkit.websessions.WebSessions.resolve` asks for a
    renewal when it has moved on.
    """
    try:
        return uow.authorizations.get(account_id).version
    except NotFound:
        return 0
