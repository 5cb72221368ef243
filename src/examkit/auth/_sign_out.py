"""Ending an account's ways in: what deactivation and "sign out everywhere" revoke."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from examkit.auth._common import EMAIL_CONFIRM, RESET
from examkit.errors import NotFound
from examkit.websessions import revoke_web_sessions

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


def revoke_sign_ins(uow: UnitOfWork, account_id: str, *, now: datetime) -> int:
    """End every way into *account_id* that does not ask for its password; return the browsers.

    In *uow*: every web session ends (:func:`~examkit.websessions.revoke_web_sessions`,
    at *now*), every trusted browser is revoked, every sign-in in progress
    ends, and outstanding reset links and e-mail-address changes stop
    working. For a use case that takes an account out of use (deactivation,
    ROLE-2).

    Returns:
        How many trusted browsers were revoked.

    Implements AUTH-4, ROLE-2 and WEB-2.
    """
    revoke_web_sessions(uow, account_id, now=now)
    uow.signins.remove_for_account(account_id)
    uow.tokens.revoke(RESET, account_id)
    uow.tokens.revoke(EMAIL_CONFIRM, account_id)
    with contextlib.suppress(NotFound):
        uow.email_changes.remove(account_id)
    return uow.trusted_browsers.remove_for_account(account_id)
