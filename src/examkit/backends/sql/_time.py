"""Times as integer microseconds since the epoch: portable and comparable in every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """Return *moment* (aware) as microseconds since the epoch."""
    return (moment - _EPOCH) // _MICROSECOND


def from_us(value: int) -> datetime:
    """Return microseconds since the epoch as an aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=value)
