"""Composing e-mails from the catalogue: the table of every kind, its language, its times."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Final

import attrs

from examkit.messages import CATALOGUE, DEFAULT_LANG, Lang, placeholders, text
from examkit.ports import Message


@attrs.frozen
class Notification:
    """One kind of e-mail: its kind, its templates, the parameters they take, its requirement."""

    kind: str
    """The message's kind (``auth.otp``), for routing and tests."""
    subject: str
    """The catalogue code of the subject line."""
    body: str
    """The catalogue code of the body."""
    params: frozenset[str]
    """The parameters the templates take (each must be given)."""
    requirement: str
    """The requirement it serves."""


def _table(*kinds: Notification) -> Mapping[str, Notification]:
    for mail in kinds:
        for code in (mail.subject, mail.body):
            if code not in CATALOGUE:
                raise AssertionError(f"{mail.kind}: {code} is not in the catalogue")
            used = placeholders(CATALOGUE[code].nl) | placeholders(CATALOGUE[code].en)
            if not used <= mail.params:
                raise AssertionError(f"{mail.kind}: {code} uses {sorted(used - mail.params)}")
    return MappingProxyType({mail.kind: mail for mail in kinds})


def _mail(kind: str, codes: str, params: Iterable[str], requirement: str) -> Notification:
    return Notification(kind, f"{codes}.subject", f"{codes}.body", frozenset(params), requirement)


NOTIFICATIONS: Final[Mapping[str, Notification]] = _table(
    _mail(
        "auth.otp",
        "auth.mail.otp",
        {"name", "code", "minutes", "time", "application"},
        "AUTH-3",
    ),
    _mail("auth.reset", "auth.mail.reset", {"name", "login_name", "link", "time"}, "AUTH-8"),
    _mail(
        "auth.reset_done",
        "auth.mail.reset_done",
        {"name", "login_name", "time", "link"},
        "AUTH-8",
    ),
    _mail(
        "auth.reminder",
        "auth.mail.reminder",
        {"name", "login_name", "days", "time", "link"},
        "AUTH-7",
    ),
    _mail(
        "auth.email_confirm",
        "auth.mail.email_confirm",
        {"name", "login_name", "email", "link", "time"},
        "AUTH-10",
    ),
    _mail(
        "auth.email_notice",
        "auth.mail.email_notice",
        {"name", "login_name", "email"},
        "AUTH-10",
    ),
    _mail(
        "roles.credentials",
        "roles.mail.credentials",
        {"name", "application", "login_name", "password", "expires", "url"},
        "AUTH-2",
    ),
    _mail(
        "roles.invitation",
        "roles.mail.invitation",
        {"name", "inviter", "application", "institution", "url", "expires"},
        "ROLE-3",
    ),
    _mail(
        "applications.confirmation",
        "applications.mail.confirmation",
        {"name", "application", "school", "locations", "administrator", "login_name", "email"},
        "ACC-6",
    ),
    _mail(
        "applications.account_kept",
        "applications.mail.kept",
        {"name", "application", "school", "locations", "login_name"},
        "ACC-7",
    ),
    _mail(
        "applications.rejected",
        "applications.mail.rejected",
        {"name", "authority", "application", "school", "reason"},
        "ACC-6",
    ),
)
"""Every e-mail examkit sends, by kind (NOTE-1)."""


def language(account_lang: Lang | None, lang: Lang | None = None) -> Lang:
    """Return the language of an e-mail: *lang* when the use case was given one, else the account's.

    >>> language("en"), language("en", "nl"), language(None)
    ('en', 'nl', 'nl')
    """
    if lang is not None:
        return lang
    return account_lang if account_lang is not None else DEFAULT_LANG


def compose(kind: str, to: str | tuple[str, ...], lang: Lang, **params: object) -> Message:
    """Return the e-mail *kind* to *to* in *lang*, its templates filled with *params*.

    Raises:
        KeyError: *kind* is not in :data:`NOTIFICATIONS`, or a parameter it
            takes is missing (a programming error).
    """
    mail = NOTIFICATIONS[kind]
    missing = mail.params - params.keys()
    if missing:
        raise KeyError(f"{kind}: missing {sorted(missing)}")
    return Message(
        to=to,
        subject=text(mail.subject, lang, **params),
        body=text(mail.body, lang, **params),
        lang=lang,
        kind=mail.kind,
    )


def local_time(moment: datetime, zone: tzinfo) -> str:
    """Return *moment* as the portal's users read it: ``01-09-2026 10:15 CEST`` in *zone*.

    The zone's abbreviation is written out (summer and winter time differ,
    and a reader abroad must not guess).

    >>> from datetime import UTC
    >>> from zoneinfo import ZoneInfo
    >>> amsterdam = ZoneInfo("Europe/Amsterdam")
    >>> local_time(datetime(2026, 9, 1, 8, 15, tzinfo=UTC), amsterdam)
    '01-09-2026 10:15 CEST'
    >>> local_time(datetime(2026, 12, 1, 8, 15, tzinfo=UTC), amsterdam)
    '01-12-2026 09:15 CET'
    """
    local = moment.astimezone(zone)  # written out: strftime costs 3 times as much
    day = f"{local.day:02d}-{local.month:02d}-{local.year:04d}"
    return f"{day} {local.hour:02d}:{local.minute:02d} {local.tzname() or 'UTC'}"


def whole_minutes(span: timedelta) -> int:
    """Return *span* in whole minutes (rounded down, at least 1)."""
    return max(int(span.total_seconds() // 60), 1)
