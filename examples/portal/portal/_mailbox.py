"""The development mailbox: every e-mail the demo sent, newest first (demo mode only).

A demo has no mail server; its one-time passwords, new-user letters and
reset links are read here instead. A real portal never has this page: it is
added only by :func:`~portal.create_app`'s ``mailbox`` argument, which only
``python -m portal demo`` passes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.testing import RecordingMailer
from portal._base import Area, Portal, public


class DevMailbox(RecordingMailer):
    """The demo's mailer: keeps every e-mail for the mailbox page instead of sending it."""


class MailboxPages(Area):
    """The mailbox page over one :class:`DevMailbox`."""

    def __init__(self, portal: Portal, mailbox: DevMailbox) -> None:
        super().__init__(portal)
        self.mailbox = mailbox

    def routes(self) -> list[Route]:
        """Return the mailbox's one route."""
        return [Route("/dev/mailbox", self.page, methods=["GET"])]

    @public
    async def page(self, request: Request) -> Response:
        """Every e-mail sent so far, newest first."""
        return self.portal.page(
            request, "mailbox.html", messages=list(reversed(self.mailbox.outbox))
        )
