"""The access check the sign-in asks before it lets an account into an environment."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from examkit.accounts import Account


@runtime_checkable
class SignInGate(Protocol):
    """Decides whether an account may sign in to an environment ("access to application").

    The sign-in asks it once the password is right and the account is
    active; ``False`` refuses the sign-in with
    :class:`~examkit.errors.NotPermitted` (``auth.application.denied``).
    There is no permissive default: the roles package provides the real
    one (the administrator's grants, ROLE-2 and ROLE-3), and tests pass
    their own (:class:`examkit.testing.StaticGate`).
    """

    def may_sign_in(self, account: Account, application: str) -> bool:
        """Return whether *account* may sign in to *application* (``facet``, ``afnamemonitor``)."""
        ...
