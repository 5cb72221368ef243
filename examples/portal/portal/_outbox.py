"""The portal's mail sender: every minute, the e-mails that could not go at once go again.

examkit records an e-mail in the same transaction as the change that causes
it and hands it to the mailer right after the commit; one the mailer refused
(the SMTP server down) stays in the outbox and is due again later. This
task, started with the app and stopped with it (``portal._jobs``), calls
:meth:`kit.mail_queue.deliver_due <examkit.outbox.MailQueue.deliver_due>`
every :attr:`~portal.PortalConfig.mail_every` seconds in a worker thread.
With several processes (PostgreSQL), turn it on in one of them only
(``EXAMKIT_PORTAL_MAIL_EVERY=0`` in the others), so a due e-mail is not
handed to the mailer twice at the same moment.
"""

from __future__ import annotations

import logging
from typing import Final

import anyio

from examkit import Examkit
from examkit.errors import ExamkitError

LOG: Final = logging.getLogger("portal.outbox")


async def deliver_every(kit: Examkit, seconds: float) -> None:
    """Deliver the due e-mails every *seconds*, for ever (until cancelled)."""
    while True:
        await anyio.sleep(seconds)
        try:
            sent = await anyio.to_thread.run_sync(kit.mail_queue.deliver_due)
        except ExamkitError as error:
            LOG.warning("outbox: %s", error.code)
            continue
        except Exception:  # a job that must outlive a bad minute (the database away)
            LOG.exception("outbox: delivery failed; trying again in %s s", seconds)
            continue
        if sent:
            LOG.info("outbox: %d e-mail(s) sent again", sent)
