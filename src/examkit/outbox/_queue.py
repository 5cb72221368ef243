"""Delivering the waiting e-mails again, and the service desk's view of them."""

from __future__ import annotations

from datetime import datetime

import attrs

from examkit.errors import ConfigurationError
from examkit.notifications import QueuedMail, unseal
from examkit.storage import Page
from examkit.usecase import Ports, UseCase, deliver

VIEW = "examkit.mail.queue"
"""The permission to see the waiting e-mails (the service desk's)."""


@attrs.frozen
class WaitingMail:
    """What the service desk sees of a waiting e-mail: never its subject or body."""

    id: str
    """Its key."""
    kind: str
    """What it is (``roles.credentials``)."""
    to: tuple[str, ...]
    """Its recipients."""
    queued_at: datetime
    """When its use case committed it."""
    attempts: int
    """How often the mail server refused it."""
    last_error: str
    """The last refusal's error code."""
    next_attempt_at: datetime
    """When it is tried next."""

    @classmethod
    def of(cls, item: QueuedMail) -> WaitingMail:
        """Return the desk's view of *item*."""
        return cls(
            item.id,
            item.kind,
            item.to,
            item.queued_at,
            item.attempts,
            item.last_error,
            item.next_attempt_at,
        )


class MailQueue:
    """The outbox's use cases, ``kit.mail_queue``.

    Args:
        ports: The wired ports.

    Implements NOTE-1.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def deliver_due(self, *, limit: int = 100) -> int:
        """Hand the due waiting e-mails (at most *limit*) to the mailer again; return how many went.

        A job (no actor) a portal runs every minute or so. Each mail is
        unsealed and tried on its own: one the mailer takes leaves the
        outbox, one it refuses waits longer (1, 2, 4 ... minutes, at most an
        hour). A mail sealed under a token key no longer configured cannot
        be read: it stays, with ``config.outbox.key`` as its error, for the
        desk to see.
        """
        ports = self._ports
        now = ports.clock.now()
        with ports.backend.begin(readonly=True) as uow:
            due = uow.outbox.due(now, limit=limit)
        sent = 0
        for item in due:
            try:
                message = unseal(item.sealed, ports.token_keys)
            except ConfigurationError as error:
                with ports.backend.begin() as uow:
                    found = uow.outbox.get(item.id)
                    uow.outbox.update(
                        attrs.evolve(found, attempts=found.attempts + 1, last_error=error.code)
                    )
                    uow.commit()
                continue
            sent += deliver(ports, item, message, now=now)
        return sent

    def waiting(
        self, actor: str, *, after: str | None = None, limit: int = 50
    ) -> Page[WaitingMail]:
        """Return the e-mails waiting for the mail server, soonest next attempt first.

        For the service desk (``examkit.mail.queue``): kind, recipients,
        attempts and the last error, never subject or body.

        Raises:
            NotPermitted: *actor* is not the service desk.
        """
        with UseCase(self._ports, "outbox.listed", "outbox", actor=actor, readonly=True) as unit:
            unit.require(VIEW)
            page = unit.uow.outbox.list(after=after, limit=limit)
        return Page(
            items=tuple(WaitingMail.of(item) for item in page.items),
            next_after=page.next_after,
        )

    def __repr__(self) -> str:
        return f"MailQueue({self._ports.backend!r})"
