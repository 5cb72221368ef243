"""Decisions and queries: the actor of an account, its grants, and a refusal that is audited."""

from __future__ import annotations

from examkit.errors import InvalidInput
from examkit.permissions import MATRIX, Actor, Authorization, On, as_target, load_actor
from examkit.roles._common import authorization_of
from examkit.usecase import Ports, UseCase


class Permissions:
    """Who may what (``kit.permissions``): the actor of an account, its grants, audited refusals.

    A use case of another package needs none of this: it takes the acting
    account's id and reads the actor inside its own unit
    (:attr:`UseCase.actor <examkit.usecase.UseCase.actor>`). A portal asks
    here to build a menu or to guard its own pages.

    Args:
        ports: The wired ports.

    Implements ROLE-5.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def actor(self, account: str) -> Actor:
        """Return the actor of *account*, its grants loaded and indexed (once per request).

        Raises:
            NotFound: there is no such account.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return load_actor(uow, account, strict=True)

    def authorization(self, account: str) -> Authorization:
        """Return the grants and access of *account* (empty when it has none)."""
        with self._ports.backend.begin(readonly=True) as uow:
            return authorization_of(uow, account)

    def require(self, actor: str, action: str, on: On = None) -> None:
        """Refuse unless *actor* (an account's id) may do *action* on *on*; audit a refusal.

        The actor's grants are read now, in the check's own transaction. A
        refusal is audited as ``denied`` under *action*, with the target as
        its subject (``target:*`` for *on* ``None``).

        Raises:
            NotPermitted: the actor may not (the message says nothing about *on*).
            InvalidInput: *action* is not in the matrix, or *on* is no target
                (programming errors, not audited).
        """
        if action not in MATRIX.actions:
            raise InvalidInput("roles.action.unknown", field="action", action=action)
        target = as_target(on)
        subject = "target:*" if target is None else f"target:{target}"
        with UseCase(self._ports, action, subject, actor=actor, readonly=True) as unit:
            unit.require(action, on)
