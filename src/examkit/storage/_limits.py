"""Atomic attempt counters: the basis of every security limit (lockout, access codes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import attrs


@attrs.frozen
class AttemptCount:
    """What an attempt counter says after recording or peeking.

    The window slides: an entry lapses ``window`` after its last recorded
    attempt, and the next attempt then counts as the first again.
    """

    count: int
    """Attempts counted in the current window (0: none)."""
    limit: int
    """The limit the caller asked about."""
    expires_at: datetime | None
    """When the entry lapses; ``None`` when there is none."""

    @property
    def reached(self) -> bool:
        """Whether the limit is reached (``count >= limit``)."""
        return self.count >= self.limit


def next_count(
    current: tuple[int, datetime] | None,
    *,
    now: datetime,
    window: timedelta,
    limit: int,
    stop_at_limit: bool,
) -> tuple[int, datetime]:
    """Return the count and end of an entry after one attempt at *now*: the counter's rule.

    *current* is the stored count and end (``None``: no entry). A lapsed
    entry starts over at 1; with *stop_at_limit* an entry at *limit* is held
    (limit + 1, its end unchanged); otherwise the count grows by one and the
    window slides to end *window* after *now*. A backend counting in one
    statement writes the same rule in it.

    >>> from datetime import UTC
    >>> now, window = datetime(2026, 9, 1, tzinfo=UTC), timedelta(minutes=15)
    >>> next_count(None, now=now, window=window, limit=3, stop_at_limit=False)[0]
    1
    >>> next_count((3, now + window), now=now, window=window, limit=3, stop_at_limit=True)[0]
    4
    """
    if current is None or current[1] <= now:
        return 1, now + window
    count, ends = current
    if stop_at_limit and count >= limit:
        return limit + 1, ends
    return count + 1, now + window


class AttemptCounter(Protocol):
    """Counts attempts per ``(purpose, key)`` atomically: of concurrent recorders none is lost.

    A backend implements :meth:`record` as one atomic step (a conditional
    UPDATE or INSERT ... ON CONFLICT, never read-then-write).
    """

    def record(
        self,
        purpose: str,
        key: str,
        *,
        now: datetime,
        window: timedelta,
        limit: int,
        stop_at_limit: bool = False,
    ) -> AttemptCount:
        """Count one attempt at *now* and say whether *limit* is reached.

        With *stop_at_limit*, an entry that has reached *limit* already is
        not counted and its window not extended; the count returned (and
        kept) is then ``limit + 1``: a caller that refuses past the limit
        needs no :meth:`peek` first, in the same one atomic step.
        """
        ...

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now* without recording an attempt."""
        ...

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key* (after a successful sign-in, say)."""
        ...

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries; return how many."""
        ...
