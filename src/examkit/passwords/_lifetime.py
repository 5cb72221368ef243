"""How long passwords stay valid, and when the user is reminded: pure functions of dates.

Every function takes the stored :class:`~examkit.accounts.PasswordRecord`
and, where it matters, ``now``; nothing reads a clock.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import attrs

from examkit._fields import require_aware_utc
from examkit.accounts import PasswordRecord
from examkit.errors import ConfigurationError

_DAY = timedelta(days=1)


def _positive(_: object, __: attrs.Attribute[Any], value: timedelta | None) -> None:
    if value is not None and value <= timedelta(0):
        raise ConfigurationError("passwords.lifetime.invalid", field="lifetime")


def _reminders(value: Any) -> tuple[timedelta, ...]:
    return tuple(sorted(value, reverse=True))


class PasswordStatus(enum.Enum):
    """Where a stored password stands at a moment."""

    VALID = "valid"
    """It may be used; no reminder is due."""
    EXPIRING = "expiring"
    """It may be used, and a reminder is due: it expires soon."""
    MUST_CHANGE = "must_change"
    """An initial password, still valid: it must be replaced at sign-in."""
    EXPIRED = "expired"
    """Its lifetime is over: it must be replaced (the old one entered once more)."""


@attrs.frozen
class PasswordLifetime:
    """How long passwords stay valid and when reminders are due; the seed's numbers by default.

    An initial password (made by the system, sent by e-mail) is valid for
    :attr:`initial` and must be changed at the first sign-in; a password the
    user chose is valid for :attr:`chosen` (``None``: it never expires);
    reminders are due :attr:`reminders` before a chosen password expires.

    >>> from examkit.accounts import PasswordRecord
    >>> from datetime import datetime, UTC
    >>> record = PasswordRecord(hash="$argon2id$...", set_at=datetime(2026, 9, 1, tzinfo=UTC))
    >>> lifetime = PasswordLifetime()
    >>> lifetime.expires_at(record).date().isoformat()
    '2027-09-01'
    >>> [moment.date().isoformat() for moment in lifetime.reminder_dates(record)]
    ['2027-08-18', '2027-08-25']

    Implements AUTH-2 and AUTH-7.
    """

    initial: timedelta = attrs.field(default=365 * _DAY, validator=_positive)
    """How long an initial password is valid (365 days)."""
    chosen: timedelta | None = attrs.field(default=365 * _DAY, validator=_positive)
    """How long a chosen password is valid (365 days); ``None``: it never expires."""
    reminders: tuple[timedelta, ...] = attrs.field(
        default=(14 * _DAY, 7 * _DAY), converter=_reminders
    )
    """How long before a chosen password expires a reminder is due (14 and 7 days)."""

    @reminders.validator
    def _check_reminders(self, _: attrs.Attribute[Any], value: tuple[timedelta, ...]) -> None:
        for reminder in value:
            if reminder <= timedelta(0) or (self.chosen is not None and reminder >= self.chosen):
                raise ConfigurationError("passwords.lifetime.invalid", field="reminders")

    def valid_for(self, record: PasswordRecord) -> timedelta | None:
        """Return how long *record* is valid from when it was set (``None``: for ever)."""
        return self.initial if record.must_change else self.chosen

    def expires_at(self, record: PasswordRecord) -> datetime | None:
        """Return when *record* expires, or ``None`` when it never does."""
        valid = self.valid_for(record)
        return None if valid is None else record.set_at + valid

    def is_expired(self, record: PasswordRecord, now: datetime) -> bool:
        """Return whether *record* has expired at *now* (at the moment itself, it has)."""
        expires = self.expires_at(record)
        return expires is not None and require_aware_utc(now, "now") >= expires

    def reminder_dates(self, record: PasswordRecord) -> tuple[datetime, ...]:
        """Return when reminders are due for *record*, earliest first.

        Only a chosen password that expires gets reminders; an initial
        password is replaced at the first sign-in instead.
        """
        expires = self.expires_at(record)
        if expires is None or record.must_change:
            return ()
        return tuple(expires - reminder for reminder in self.reminders)

    def due_reminder(self, record: PasswordRecord, now: datetime) -> timedelta | None:
        """Return the reminder whose moment has come most recently at *now*, if any.

        ``None`` before the first reminder, and once the password has
        expired. A mailer that remembers which reminder it sent last sends
        the one returned when it differs.
        """
        moment = require_aware_utc(now, "now")
        if self.is_expired(record, moment):
            return None
        due = [
            reminder
            for reminder, at in zip(self.reminders, self.reminder_dates(record), strict=False)
            if moment >= at
        ]
        return due[-1] if due else None

    def status(self, record: PasswordRecord, now: datetime) -> PasswordStatus:
        """Return where *record* stands at *now*.

        >>> from examkit.accounts import PasswordRecord
        >>> from datetime import datetime, UTC
        >>> set_at = datetime(2026, 9, 1, tzinfo=UTC)
        >>> record = PasswordRecord(hash="$argon2id$...", set_at=set_at)
        >>> PasswordLifetime().status(record, datetime(2027, 8, 20, tzinfo=UTC))
        <PasswordStatus.EXPIRING: 'expiring'>
        """
        if self.is_expired(record, now):
            return PasswordStatus.EXPIRED
        if record.must_change:
            return PasswordStatus.MUST_CHANGE
        if self.due_reminder(record, now) is not None:
            return PasswordStatus.EXPIRING
        return PasswordStatus.VALID
