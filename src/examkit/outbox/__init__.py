"""The outbox's use cases: deliver the e-mails that wait, and show them to the service desk.

Every e-mail a use case sends is stored in its transaction and handed to the
mailer after the commit (:mod:`examkit.notifications`: :data:`~examkit.notifications.OUTBOX`).
A mail the mail server refused waits; :class:`MailQueue` (``kit.mail_queue``)
tries the waiting ones again when they are due (:meth:`MailQueue.deliver_due`,
a job a portal runs every minute) and shows the service desk what waits and
why (:meth:`MailQueue.waiting`), never its subject or body.

Implements NOTE-1.
"""

from examkit.outbox._queue import MailQueue, WaitingMail

__all__ = ["MailQueue", "WaitingMail"]
