"""The wall clock: the only module in examkit that reads the real time.

>>> SystemClock().now().tzinfo
datetime.timezone.utc
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["SystemClock"]


class SystemClock:
    """A :class:`examkit.ports.Clock` reading the machine's wall clock, in UTC."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware, in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"
