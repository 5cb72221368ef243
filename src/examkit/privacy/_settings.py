"""A portal's privacy settings: its own retention periods and the pseudonym key.

>>> from datetime import datetime, timezone
>>> RetentionPeriod(months=6).after(datetime(2026, 8, 31, tzinfo=timezone.utc)).date()
datetime.date(2027, 2, 28)
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

import attrs


def _not_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{attribute.name} must be a whole number, zero or more")


@attrs.frozen
class RetentionPeriod:
    """A period on the calendar: years, months and days (a month ends on its last day)."""

    years: int = attrs.field(default=0, validator=_not_negative)
    """Whole years."""
    months: int = attrs.field(default=0, validator=_not_negative)
    """Whole months."""
    days: int = attrs.field(default=0, validator=_not_negative)
    """Whole days."""

    def after(self, moment: datetime) -> datetime:
        """Return the moment this period after *moment* (31 Aug + 6 months = 28 Feb)."""
        months = moment.month - 1 + self.months + 12 * self.years
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day) + timedelta(days=self.days)

    def before(self, moment: datetime) -> datetime:
        """Return a moment whose period ends at or before *moment*: *moment* less the period.

        Whatever started at or before it has passed the period at *moment*; at
        a month's end, a little later may have passed too (31 Aug + 6 months is
        28 Feb). For a period of days only, it is exact.

        >>> from datetime import timezone
        >>> RetentionPeriod(months=6).before(datetime(2027, 2, 28, tzinfo=timezone.utc)).date()
        datetime.date(2026, 8, 28)
        """
        months = moment.year * 12 + moment.month - 1 - self.months - 12 * self.years
        year, month = divmod(months, 12)
        day = min(moment.day, calendar.monthrange(year, month + 1)[1])
        return moment.replace(year=year, month=month + 1, day=day) - timedelta(days=self.days)


def _periods(value: Mapping[str, RetentionPeriod]) -> Mapping[str, RetentionPeriod]:
    return MappingProxyType(dict(value))


def _key(_: object, __: attrs.Attribute[bytes | None], value: bytes | None) -> None:
    if value is not None and (not isinstance(value, bytes) or len(value) < 32):
        raise ValueError("the pseudonym key must be at least 32 bytes")


@attrs.frozen(repr=False)
class PrivacySettings:
    """What a portal sets for the privacy operations (PRIV-3, PRIV-4).

    >>> PrivacySettings(retention={"exam_work": RetentionPeriod(years=1)}).retention["exam_work"]
    RetentionPeriod(years=1, months=0, days=0)
    """

    retention: Mapping[str, RetentionPeriod] = attrs.field(factory=dict, converter=_periods)
    """The portal's own periods, by retention term name, in place of the defaults."""
    pseudonym_key: bytes | None = attrs.field(default=None, validator=_key)
    """The secret key (at least 32 bytes, apart from the token key) of the keyed hash that
    pseudonymises an erased person in the audit trail."""
    pseudonym_key_id: str = "1"
    """The id of :attr:`pseudonym_key`, stored beside each pseudonym."""

    def __repr__(self) -> str:
        key = "<hidden>" if self.pseudonym_key is not None else "None"
        return (
            f"PrivacySettings(retention={dict(self.retention)!r}, pseudonym_key={key}, "
            f"pseudonym_key_id={self.pseudonym_key_id!r})"
        )
