"""Who may sign in to which environment, from the stored grants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from examkit.accounts import Account
from examkit.errors import NotFound
from examkit.permissions import OPERATOR, Actor

if TYPE_CHECKING:
    from examkit.records import Backend

MONITOR = "afnamemonitor"
"""The proctor monitor's environment name, as the sign-in asks for it."""

_MONITOR_ACTIONS = ("facet.monitor.groups", "facet.ft.monitor.groups")


class RoleGate:
    """A sign-in gate (*toegang tot applicatie*) that answers from the account's grants.

    An account may sign in to an application's environment when it holds a
    role of that application that counts: active, on an active account, and
    with "access to application" switched on where the application has that
    switch. The proctor monitor (``afnamemonitor``) admits whoever may show
    the monitor's groups (proctors and functionality-test proctors). The
    platform's service desk (the role :data:`~examkit.permissions.OPERATOR`)
    signs in to every application's portal, where it handles the account
    applications and the mail queue; not to the proctor monitor. An account
    without any grant may sign in nowhere.

    >>> from examkit.backends.memory import MemoryBackend
    >>> from examkit.testing.conformance import make_account
    >>> RoleGate(MemoryBackend()).may_sign_in(make_account(), "facet")
    False

    Implements ROLE-2 and ROLE-3 (with AUTH-9 for the monitor).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def may_sign_in(self, account: Account, application: str) -> bool:
        """Return whether *account* may sign in to *application* (``facet``, ``afnamemonitor``)."""
        with self._backend.begin(readonly=True) as uow:
            try:
                authorization = uow.authorizations.get(account.id)
            except NotFound:
                return False
        actor = Actor.of(account, authorization)
        if application == MONITOR:
            return any(actor.may(action) for action in _MONITOR_ACTIONS)
        return any(
            grant.role.startswith(f"{application}.") or grant.role == OPERATOR
            for grant in actor.grants
        )

    def __repr__(self) -> str:
        return f"RoleGate({self._backend!r})"
