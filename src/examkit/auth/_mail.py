"""The sign-in's e-mails, composed from the catalogue's templates as :class:`Message` values.

:data:`MAILS` is the table of every e-mail the sign-in sends: its kind (the
:attr:`~examkit.ports.Message.kind`), the catalogue codes of its subject and
body, and the requirement it serves. Checked at import: every code is in
the catalogue, and subject and body take only the parameters listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Final

import attrs

from examkit.messages import CATALOGUE, Lang, placeholders, text
from examkit.ports import Message


@attrs.frozen
class MailKind:
    """One e-mail of the sign-in: its kind, its templates and the parameters they take."""

    kind: str
    """The message's kind (``auth.otp``), for routing and tests."""
    subject: str
    """The catalogue code of the subject line."""
    body: str
    """The catalogue code of the body."""
    params: frozenset[str]
    """The parameters the templates take."""
    requirement: str
    """The requirement it serves."""


def _mails(*kinds: MailKind) -> Mapping[str, MailKind]:
    for mail in kinds:
        for code in (mail.subject, mail.body):
            if code not in CATALOGUE:
                raise AssertionError(f"{mail.kind}: {code} is not in the catalogue")
            used = placeholders(CATALOGUE[code].nl)
            if not used <= mail.params:
                raise AssertionError(f"{mail.kind}: {code} uses {sorted(used - mail.params)}")
    return MappingProxyType({mail.kind: mail for mail in kinds})


MAILS: Final[Mapping[str, MailKind]] = _mails(
    MailKind(
        "auth.otp",
        "auth.mail.otp.subject",
        "auth.mail.otp.body",
        frozenset({"name", "code", "minutes", "time", "application"}),
        "AUTH-3",
    ),
    MailKind(
        "auth.reset",
        "auth.mail.reset.subject",
        "auth.mail.reset.body",
        frozenset({"name", "login_name", "link", "time"}),
        "AUTH-8",
    ),
    MailKind(
        "auth.reset_done",
        "auth.mail.reset_done.subject",
        "auth.mail.reset_done.body",
        frozenset({"name", "login_name", "time", "link"}),
        "AUTH-8",
    ),
    MailKind(
        "auth.reminder",
        "auth.mail.reminder.subject",
        "auth.mail.reminder.body",
        frozenset({"name", "login_name", "days", "time", "link"}),
        "AUTH-7",
    ),
    MailKind(
        "auth.email_confirm",
        "auth.mail.email_confirm.subject",
        "auth.mail.email_confirm.body",
        frozenset({"name", "login_name", "email", "link", "time"}),
        "AUTH-10",
    ),
    MailKind(
        "auth.email_notice",
        "auth.mail.email_notice.subject",
        "auth.mail.email_notice.body",
        frozenset({"name", "login_name", "email"}),
        "AUTH-10",
    ),
)
"""Every e-mail the sign-in sends, by kind (NOTE-1)."""


def local_time(moment: datetime, zone: tzinfo) -> str:
    """Return *moment* as the portal's users read it: ``01-09-2026 10:15`` in *zone*.

    >>> from datetime import UTC
    >>> from zoneinfo import ZoneInfo
    >>> local_time(datetime(2026, 9, 1, 8, 15, tzinfo=UTC), ZoneInfo("Europe/Amsterdam"))
    '01-09-2026 10:15'
    """
    local = moment.astimezone(zone)  # written out: strftime costs 3 times as much
    return f"{local.day:02d}-{local.month:02d}-{local.year:04d} {local.hour:02d}:{local.minute:02d}"


def whole_minutes(span: timedelta) -> int:
    """Return *span* in whole minutes (rounded down, at least 1)."""
    return max(int(span.total_seconds() // 60), 1)


def compose(kind: str, to: str, lang: Lang, **params: object) -> Message:
    """Return the e-mail *kind* to *to* in *lang*, its templates filled with *params*.

    >>> message = compose("auth.otp", "k@school.nl", "en", name="Karin", code="123456",
    ...                   minutes=15, time="01-09-2026 10:15", application="facet")
    >>> message.subject, message.kind
    ('Your one-time password for facet', 'auth.otp')

    Raises:
        KeyError: *kind* is not in :data:`MAILS` (a programming error).
    """
    mail = MAILS[kind]
    return Message(
        to=to,
        subject=text(mail.subject, lang, **params),
        body=text(mail.body, lang, **params),
        lang=lang,
        kind=mail.kind,
    )
