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
