# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Lockout and enumeration: one message, one hash, three attempts, fifteen minutes, no races."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from examkit.accounts import AccountStatus
from examkit.auth import SignInRules, Step
from examkit.backends.memory import MemoryAttemptCounter, MemoryBackend, MemoryTransaction
from examkit.errors import ExamkitError, LimitReached, NotPermitted
from examkit.ports import PasswordHasher
from examkit.records import Backend, RecordsUnit
from examkit.storage import AttemptCount
from examkit.testing import SignInHarness as Harness
from examkit.testing import cheap_hasher

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
WRONG = "Fout-2026!"


def outcome(error: ExamkitError) -> tuple[Any, ...]:
    """Return everything a portal could show or read of a refusal."""
    return (
        type(error),
        error.code,
        error.field,
        dict(error.params),
        error.message("nl"),
        error.message("en"),
    )


def refusal(harness: Harness, login_name: object, password: object) -> tuple[Any, ...]:
    """Try to sign in; return the refusal and the hash computations it cost."""
    before = Counter(harness.hasher.calls)
    with pytest.raises(ExamkitError) as refused:
        harness.staff_sign_in.submit_credentials(login_name, password, ip=IP)  # type: ignore[arg-type]
    spent = Counter(harness.hasher.calls)
    spent.subtract(before)
    return (*outcome(refused.value), +spent)


@pytest.mark.req("AUTH-5")
def test_unknown_name_wrong_password_and_deactivated_account_are_indistinguishable(
    any_harness: Harness,
) -> None:
    """The same error, message and parameters, after exactly one hash computation each."""
    h = any_harness  # work_plan reads the stored hash's scheme; decoys are made once
    h.add_account()
    h.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
    h.add_account("acc-3", "22AB.Geen.Wachtwoord", initial=True)
    seen = [
        refusal(h, "22AB.Onbekend", PASSWORD),  # unknown name
        refusal(h, LOGIN, WRONG),  # wrong password
        refusal(h, "22AB.Oud.Account", PASSWORD),  # deactivated, right password
        refusal(h, "22AB.Oud.Account", WRONG),  # deactivated, wrong password
        refusal(h, "x", PASSWORD),  # not even a possible login name
        refusal(h, "22AB.Geen.Wachtwoord", WRONG),  # an initial password, wrong
    ]
    assert NotPermitted == seen[0][0]
    assert "auth.credentials.invalid" == seen[0][1]
    assert "Combinatie gebruikersnaam/wachtwoord is ongeldig." == seen[0][4]
    assert [seen[0]] * len(seen) == seen
    assert Counter({"work_plan": 1, "verify": 1}) == seen[0][-1]


@pytest.mark.req("AUTH-5")
def test_an_overlong_password_costs_no_hash_for_any_name(harness: Harness) -> None:
    """Too long to be anyone's password: refused alike, without hashing, known name or not."""
    harness.add_account()
    huge = "x" * 10_000
    assert refusal(harness, LOGIN, huge) == refusal(harness, "22AB.Onbekend", huge)
    assert Counter() == refusal(harness, LOGIN, huge)[-1]


@pytest.mark.req("AUTH-6")
def test_three_failures_block_the_name_for_fifteen_minutes(any_harness: Harness) -> None:
    """The seed's blocked message with the time it ends; the right password waits it out."""
    h = any_harness
    h.add_account()
    start = h.clock.now()
    for _ in range(3):
        with pytest.raises(NotPermitted):
            h.staff_sign_in.submit_credentials(LOGIN, WRONG, ip=IP)
    with pytest.raises(LimitReached) as blocked:
        h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert "auth.sign_in.blocked" == blocked.value.code
    assert start + timedelta(minutes=15) == blocked.value.params["until"]
    assert (
        "Account geblokkeerd: er is 3 keer verkeerd ingelogd. Vanaf 01-09-2026 10:15 CEST kunt u "
        "opnieuw proberen in te loggen." == blocked.value.message("nl")
    )
    for minutes in (5, 10):  # attempts during the block do not extend it
        h.clock.set(start + timedelta(minutes=minutes))
        with pytest.raises(LimitReached):
            h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    h.clock.set(start + timedelta(minutes=15, seconds=-1))
    with pytest.raises(LimitReached):
        h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    h.clock.set(start + timedelta(minutes=15))
    assert Step.SECOND_FACTOR == h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
    assert 1 == len(h.events("auth.sign_in.blocked"))


@pytest.mark.req("AUTH-6")
def test_a_blocked_name_costs_no_hash_and_unknown_names_block_alike(harness: Harness) -> None:
    """A blocked existing name and a blocked unknown name give the same refusal."""
    harness.add_account()
    for name in (LOGIN, "22AB.Onbekend"):
        for _ in range(3):
            with pytest.raises(NotPermitted):
                harness.staff_sign_in.submit_credentials(name, WRONG, ip=IP)
    existing = refusal(harness, LOGIN, PASSWORD)
    unknown = refusal(harness, "22AB.Onbekend", PASSWORD)
    assert existing == unknown
    assert LimitReached == existing[0]
    assert Counter() == existing[-1]


@pytest.mark.req("AUTH-6")
def test_the_name_is_counted_with_case_and_surrounding_space_folded(harness: Harness) -> None:
    """Three spellings of one name are three failures of that name."""
    harness.add_account()
    for spelling in ("22ab.k.beheerder", " 22AB.K.BEHEERDER ", "22AB.K.Beheerder\t"):
        with pytest.raises(NotPermitted):
            harness.staff_sign_in.submit_credentials(spelling, WRONG, ip=IP)
    with pytest.raises(LimitReached):
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)


@pytest.mark.req("AUTH-6")
def test_a_right_password_clears_the_failures(harness: Harness) -> None:
    """Two failures, a success, two failures: not blocked."""
    harness.add_account()
    for round_ in range(2):
        for _ in range(2):
            with pytest.raises(NotPermitted):
                harness.staff_sign_in.submit_credentials(LOGIN, WRONG, ip=IP)
        assert (
            Step.SECOND_FACTOR
            == harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
        ), round_


@pytest.mark.req("AUTH-6")
def test_the_limit_and_the_block_are_configurable() -> None:
    """Five failures and half an hour, when the portal says so."""
    harness = Harness(rules=SignInRules(max_failures=5, block=timedelta(minutes=30)))
    harness.add_account()
    start = harness.clock.now()
    for _ in range(5):
        with pytest.raises(NotPermitted):
            harness.staff_sign_in.submit_credentials(LOGIN, WRONG, ip=IP)
    with pytest.raises(LimitReached) as blocked:
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert start + timedelta(minutes=30) == blocked.value.params["until"]
    assert 5 == blocked.value.params["attempts"]


@pytest.mark.req("AUTH-6", "AUTH-9")
def test_the_proctor_monitor_shares_the_lockout(harness: Harness) -> None:
    """Failures at the monitor block the main sign-in and the other way round."""
    harness.add_account()
    for _ in range(3):
        with pytest.raises(NotPermitted):
            harness.sign_in_monitor.monitor_sign_in(LOGIN, WRONG, ip=IP)
    with pytest.raises(LimitReached):
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    with pytest.raises(LimitReached):
        harness.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)


# -- the race ------------------------------------------------------------------------------


class HeldHasher:
    """A hasher that holds every password check until the test releases them all."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.held = 0
        self.finished = 0
        self.changed = threading.Condition()
        self.released = threading.Event()

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        with self.changed:
            self.held += 1
            self.changed.notify_all()
        if not self.released.wait(timeout=120):
            raise TimeoutError("the test never released the password checks")
        return self.inner.verify(password, hashed)

    def needs_update(self, hashed: str) -> bool:
        return self.inner.needs_update(hashed)

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        return self.inner.work_plan(hashed)

    def done(self) -> None:
        """Note that one thread returned."""
        with self.changed:
            self.finished += 1
            self.changed.notify_all()


def race(harness: Harness, held: HeldHasher, threads: int = 50) -> list[object]:
    """Send *threads* wrong passwords at once; return each thread's refusal.

    Waits (with a timeout) until every thread has returned or is held in the
    hasher, checks how many are held, then releases them.
    """
    results: list[object] = [None] * threads
    barrier = threading.Barrier(threads, timeout=60)

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            harness.staff_sign_in.submit_credentials(LOGIN, WRONG, ip=IP)
        except BaseException as error:
            results[index] = error
        finally:
            held.done()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    with held.changed:
        settled = held.changed.wait_for(lambda: held.finished + held.held == threads, timeout=120)
    checks = held.held
    held.released.set()
    for worker in workers:
        worker.join(timeout=120)
    assert settled, f"only {held.finished} returned and {held.held} held"
    results.append(checks)
    return results


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend()
        return
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    backend = SQLBackend(url, migrate=False)
    try:
        yield backend
    finally:
        backend.close()


@pytest.mark.req("AUTH-6")
def test_fifty_parallel_wrong_passwords_get_at_most_three_password_checks(
    race_backend: Backend,
) -> None:
    """The attempt is counted atomically before the check: at most 3 checks, then blocked."""
    held = HeldHasher(cheap_hasher())
    harness = Harness(race_backend, hasher=held)
    harness.add_account()
    start = harness.clock.now()
    results = race(harness, held)
    checks = results.pop()
    assert isinstance(checks, int)
    assert checks <= 3
    kinds = Counter(type(result).__name__ for result in results)
    assert {"NotPermitted": checks, "LimitReached": 50 - checks} == dict(+kinds)
    held.held = 0
    with pytest.raises(LimitReached):
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    harness.clock.set(start + timedelta(minutes=15, seconds=-1))
    with pytest.raises(LimitReached):
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    harness.clock.set(start + timedelta(minutes=15))
    assert (
        Step.SECOND_FACTOR == harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
    )


class ReadThenWriteCounter(MemoryAttemptCounter):
    """A careless counter: every racer reads the count before any of them writes it."""

    barrier: threading.Barrier

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
        self.barrier.wait()
        self.reset(purpose, key)
        for _ in range(seen.count):
            super().record(purpose, key, now=now, window=window, limit=limit)
        return super().record(purpose, key, now=now, window=window, limit=limit)


class CarelessTransaction(MemoryTransaction):
    counters_class = ReadThenWriteCounter


class CarelessBackend(MemoryBackend):
    """Writers run side by side (no writer lock) with the read-then-write counter."""

    transaction_class = CarelessTransaction

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        return RecordsUnit(CarelessTransaction(self, readonly=readonly))

    def _release_writer(self) -> None:
        """Nothing was acquired."""


@pytest.mark.req("AUTH-6")
def test_the_race_test_catches_a_read_then_write_lockout() -> None:
    """On a counter that reads then writes, all racers reach the password check."""
    ReadThenWriteCounter.barrier = threading.Barrier(8, timeout=60)
    held = HeldHasher(cheap_hasher())
    harness = Harness(CarelessBackend(), hasher=held)
    harness.add_account()
    results = race(harness, held, threads=8)
    assert results.pop() == 8
