"""The conformance suite catches the classic races: a deliberately broken backend fails it.

The broken backend does what a careless implementation would: writers do
not exclude one another, its counter reads then writes, and its token store
checks then deletes. If the suite's concurrency checks passed on it, they
would prove nothing.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from examkit.backends.memory import (
    MemoryAttemptCounter,
    MemoryBackend,
    MemoryTokenStore,
    MemoryTransaction,
)
from examkit.records import RecordsUnit
from examkit.storage import AttemptCount, StoredToken
from examkit.testing.conformance import (
    check_concurrent_consumers_one_wins,
    check_concurrent_recording_loses_nothing,
)


class ReadThenWriteCounter(MemoryAttemptCounter):
    """Reads the count, lets other threads run, then writes count + 1."""

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
        seen = self.peek(purpose, key, now=now, limit=limit)
        if stop_at_limit and seen.reached:
            return AttemptCount(count=limit + 1, limit=limit, expires_at=seen.expires_at)
        time.sleep(0.001)
        self.reset(purpose, key)
        for _ in range(seen.count):
            super().record(purpose, key, now=now, window=window, limit=limit)
        return super().record(purpose, key, now=now, window=window, limit=limit)


class CheckThenDeleteTokens(MemoryTokenStore):
    """Checks that the token exists, lets other threads run, then deletes it."""

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        found = self.peek(purpose, digest, now=now)
        time.sleep(0.001)
        self.revoke(purpose, found.subject)
        return found


class BrokenTransaction(MemoryTransaction):
    """A transaction with the racy counter and token store."""

    counters_class = ReadThenWriteCounter
    tokens_class = CheckThenDeleteTokens


class BrokenBackend(MemoryBackend):
    """Writers run side by side on stale snapshots; the last commit wins."""

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        return RecordsUnit(BrokenTransaction(self, readonly=readonly))

    def _release_writer(self) -> None:
        """Nothing was acquired."""


@pytest.mark.req("AUTH-6", "AUTH-12")
def test_the_suite_catches_a_read_then_write_counter() -> None:
    """The concurrent-recording check fails on a counter that loses updates."""
    with pytest.raises(AssertionError, match="lost or doubled updates"):
        check_concurrent_recording_loses_nothing(BrokenBackend())


@pytest.mark.req("AUTH-3", "AUTH-12")
def test_the_suite_catches_a_check_then_delete_token_store() -> None:
    """The one-consumer check fails on a token store that lets two consumers win."""
    with pytest.raises(AssertionError, match="consumers succeeded"):
        check_concurrent_consumers_one_wins(BrokenBackend())


def test_the_same_checks_pass_on_the_real_memory_backend() -> None:
    """The checks are not simply always failing."""
    check_concurrent_recording_loses_nothing(MemoryBackend())
    check_concurrent_consumers_one_wins(MemoryBackend())
