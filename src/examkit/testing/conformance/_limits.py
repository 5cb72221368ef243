"""Conformance: the atomic attempt counter (lockout, access-code attempts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest

from examkit.errors import ExamkitError, InvalidInput
from examkit.records import Backend
from examkit.storage import AttemptCount
from examkit.testing.conformance._support import NOW, BackendFixtures, run_concurrently

WINDOW = timedelta(minutes=15)


def record(backend: Backend, key: str = "k", *, minutes: float = 0, limit: int = 3) -> AttemptCount:
    """Record one attempt in a unit of its own, *minutes* after :data:`NOW`."""
    with backend.begin() as uow:
        result = uow.counters.record(
            "auth.sign_in", key, now=NOW + timedelta(minutes=minutes), window=WINDOW, limit=limit
        )
        uow.commit()
    return result


def _record_ignoring_index(backend: Backend, key: str, _: int) -> AttemptCount:
    return record(backend, key, limit=3)


def check_concurrent_recording_loses_nothing(
    backend: Backend, threads: int = 16, rounds: int = 3
) -> None:
    """Of *threads* simultaneous recorders none is lost: counts 1..n each come back once."""
    for round_ in range(rounds):
        key = f"race-{round_}"
        results = run_concurrently(threads, partial(_record_ignoring_index, backend, key))
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, f"recorders failed: {errors!r}"
        counts = sorted(r.count for r in results if isinstance(r, AttemptCount))
        assert counts == list(range(1, threads + 1)), f"lost or doubled updates: {counts}"
        reached = sum(1 for r in results if isinstance(r, AttemptCount) and r.reached)
        assert reached == threads - 2
        with backend.begin(readonly=True) as uow:
            assert uow.counters.peek("auth.sign_in", key, now=NOW, limit=3).count == threads


class AttemptCounterContract(BackendFixtures):
    """``uow.counters``: record, peek, reset, window, atomic under concurrency."""

    @pytest.mark.req("AUTH-6")
    def test_counts_up_to_the_limit(self, backend: Backend) -> None:
        """The third attempt of three reaches the limit."""
        verdicts = [record(backend, minutes=m) for m in (0, 1, 2)]
        assert [v.count for v in verdicts] == [1, 2, 3]
        assert [v.reached for v in verdicts] == [False, False, True]

    @pytest.mark.req("AUTH-6")
    def test_the_window_slides_from_the_last_attempt(self, backend: Backend) -> None:
        """An entry lapses a window after its last attempt; then counting starts over."""
        record(backend, minutes=0)
        second = record(backend, minutes=10)
        assert second.count == 2
        assert second.expires_at == NOW + timedelta(minutes=10) + WINDOW
        assert record(backend, minutes=24).count == 3
        assert record(backend, minutes=24 + 15).count == 1

    @pytest.mark.req("AUTH-6")
    def test_stop_at_limit_neither_counts_nor_extends_a_held_entry(self, backend: Backend) -> None:
        """Past the limit the count reads limit + 1 and the window ends when it did."""

        def attempt(minutes: float) -> AttemptCount:
            with backend.begin() as uow:
                found = uow.counters.record(
                    "auth.sign_in",
                    "held",
                    now=NOW + timedelta(minutes=minutes),
                    window=WINDOW,
                    limit=3,
                    stop_at_limit=True,
                )
                uow.commit()
            return found

        counted = [attempt(m) for m in (0, 1, 2)]
        assert [c.count for c in counted] == [1, 2, 3]
        third_ends = NOW + timedelta(minutes=2) + WINDOW
        held = [attempt(m) for m in (3, 10)]
        assert [(h.count, h.expires_at) for h in held] == [(4, third_ends), (4, third_ends)]
        with backend.begin(readonly=True) as uow:
            seen = uow.counters.peek("auth.sign_in", "held", now=NOW, limit=3)
        assert (seen.count, seen.expires_at) == (4, third_ends)
        assert attempt(2 + 15).count == 1

    @pytest.mark.req("AUTH-6")
    def test_peek_does_not_count(self, backend: Backend) -> None:
        """Peeking reports the count without adding to it; a lapsed entry reads 0."""
        record(backend)
        record(backend)
        with backend.begin(readonly=True) as uow:
            now = uow.counters.peek("auth.sign_in", "k", now=NOW, limit=2)
            later = uow.counters.peek("auth.sign_in", "k", now=NOW + WINDOW, limit=2)
        assert (now.count, now.reached) == (2, True)
        assert (later.count, later.reached, later.expires_at) == (0, False, None)

    @pytest.mark.req("AUTH-6")
    def test_reset_forgets(self, backend: Backend) -> None:
        """After a reset the next attempt is the first again."""
        record(backend)
        record(backend)
        with backend.begin() as uow:
            uow.counters.reset("auth.sign_in", "k")
            uow.commit()
        assert record(backend).count == 1

    def test_keys_and_purposes_are_independent(self, backend: Backend) -> None:
        """Each (purpose, key) pair counts on its own."""
        record(backend, "a")
        record(backend, "a")
        assert record(backend, "b").count == 1
        with backend.begin() as uow:
            other = uow.counters.record(
                "sessions.access_code", "a", now=NOW, window=WINDOW, limit=3
            )
            uow.commit()
        assert other.count == 1

    def test_an_uncommitted_attempt_does_not_count(self, backend: Backend) -> None:
        """Attempts are part of the unit of work: a rollback forgets them."""
        with backend.begin() as uow:
            uow.counters.record("auth.sign_in", "k", now=NOW, window=WINDOW, limit=3)
        assert record(backend).count == 1

    def test_purge_expired_removes_only_lapsed_entries(self, backend: Backend) -> None:
        """Purging removes what lapsed and keeps what is live."""
        record(backend, "old", minutes=0)
        record(backend, "new", minutes=20)
        with backend.begin() as uow:
            removed = uow.counters.purge_expired(NOW + timedelta(minutes=30))
            uow.commit()
        assert removed == 1
        with backend.begin(readonly=True) as uow:
            live = uow.counters.peek(
                "auth.sign_in", "new", now=NOW + timedelta(minutes=30), limit=3
            )
        assert live.count == 1

    def test_bad_arguments_are_invalid_input(self, backend: Backend) -> None:
        """A limit below 1 or an empty window is refused with InvalidInput."""
        with backend.begin() as uow:
            with pytest.raises(InvalidInput):
                uow.counters.record("p", "k", now=NOW, window=WINDOW, limit=0)
            with pytest.raises(InvalidInput):
                uow.counters.record("p", "k", now=NOW, window=timedelta(0), limit=3)

    @pytest.mark.req("AUTH-6", "AUTH-12")
    def test_concurrent_attempts_are_all_counted(self, backend: Backend) -> None:
        """Simultaneous recorders in separate units each get their own count; none is lost."""
        self.require_threads(backend)
        check_concurrent_recording_loses_nothing(backend)

    def test_every_failure_is_an_examkit_error(self, backend: Backend) -> None:
        """No foreign exception escapes the counter."""
        with backend.begin(readonly=True) as uow:
            calls: list[Callable[[], object]] = [
                lambda: uow.counters.record("p", "k", now=NOW, window=WINDOW, limit=3),
                lambda: uow.counters.peek("p", "k", now=NOW, limit=0),
            ]
            for call in calls:
                with pytest.raises(ExamkitError):
                    call()
