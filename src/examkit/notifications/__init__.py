"""Every e-mail examkit sends, composed in one place: kind, language, recipient, parameters.

:data:`NOTIFICATIONS` is the table of every e-mail: its kind (the
:attr:`~examkit.ports.Message.kind`), the catalogue codes of its subject
and body, the parameters they take, and the requirement it serves. It is
checked at import: every code is in the catalogue, and subject and body use
only the parameters listed. :func:`compose` fills one in.

An e-mail to an account is written in the account's language
(:attr:`~examkit.accounts.Account.lang`, Dutch unless the account chose
otherwise); a use case that sends one takes ``lang=`` the same way
everywhere, for the language of the page the user acts from, which wins
when given (:func:`language`).

>>> message = compose("auth.otp", "k@school.nl", "en", name="Karin", code="123456",
...                   minutes=15, time="01-09-2026 10:15", application="facet")
>>> message.subject, message.kind, message.lang
('Your one-time password for facet', 'auth.otp', 'en')

An e-mail a use case sends goes through the outbox
(:data:`OUTBOX`): it is stored, sealed, in the use case's own transaction
and sent after the commit; a mail server that fails delays it and never
loses it (:class:`QueuedMail`, :func:`seal`, :func:`unseal`).
"""

from examkit.notifications._compose import (
    NOTIFICATIONS,
    Notification,
    compose,
    language,
    local_time,
    whole_minutes,
)
from examkit.notifications._outbox import (
    OUTBOX,
    OutboxRecords,
    OutboxRepository,
    QueuedMail,
    next_attempt,
    seal,
    unseal,
)

__all__ = [
    "NOTIFICATIONS",
    "OUTBOX",
    "Notification",
    "OutboxRecords",
    "OutboxRepository",
    "QueuedMail",
    "compose",
    "language",
    "local_time",
    "next_attempt",
    "seal",
    "unseal",
    "whole_minutes",
]
