# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Request limits on anonymous forms (issue 22, point 3; WEB-2): per client, kept in storage.

On the doubles and the production wiring (memory, an SQLite file); the
limit holds for two kits (two processes of one portal) on one SQLite file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.errors import ConfigurationError, LimitReached
from examkit.problems import problem_response_parts
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring
from examkit.websessions import RequestLimit

RULE = RequestLimit("portal.apply", 3, timedelta(hours=1))
HERE, THERE = "192.0.2.7", "198.51.100.1"


def kit_on(wiring: Wiring | None = None, *, url: str = "", clock: ManualClock) -> Examkit:
    return Examkit(
        backend=wiring.backend if wiring is not None else SQLBackend(url, migrate=False),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource("limits"),
        audit=wiring.log if wiring is not None else None,
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at("2026-09-01T08:00:00+00:00")


@pytest.fixture
def kit(wiring: Wiring, clock: ManualClock) -> Examkit:
    return kit_on(wiring, clock=clock)


def refusal(kit: Examkit, key: str, rule: RequestLimit = RULE) -> LimitReached:
    with pytest.raises(LimitReached) as caught:
        kit.request_limits.take(rule, key)
    return caught.value


@pytest.mark.req("WEB-2")
def test_the_request_past_the_limit_is_refused_until_the_window_ends(
    kit: Examkit, clock: ManualClock
) -> None:
    assert [1, 2, 3] == [kit.request_limits.take(RULE, HERE).count for _ in range(3)]
    refused = refusal(kit, HERE)
    assert "websessions.limit.reached" == refused.code
    assert datetime(2026, 9, 1, 9, tzinfo=UTC) == refused.params["until"]
    assert "01-09-2026 11:00 CEST" in refused.message("nl")
    assert "Too many requests from your address" in refused.message("en")
    clock.advance(minutes=30)
    # a refused request does not extend the wait
    assert datetime(2026, 9, 1, 9, tzinfo=UTC) == refusal(kit, HERE).params["until"]
    clock.advance(minutes=30)
    assert 1 == kit.request_limits.take(RULE, HERE).count


@pytest.mark.req("WEB-2")
def test_another_client_and_another_purpose_count_apart(kit: Examkit) -> None:
    for _ in range(3):
        kit.request_limits.take(RULE, HERE)
    refusal(kit, HERE)
    assert 1 == kit.request_limits.take(RULE, THERE).count
    other = RequestLimit("portal.password_reset", 3, timedelta(hours=1))
    assert 1 == kit.request_limits.take(other, HERE).count


@pytest.mark.req("WEB-2")
def test_the_refusal_answers_429_with_retry_after(kit: Examkit) -> None:
    for _ in range(3):
        kit.request_limits.take(RULE, HERE)
    status, headers, _ = problem_response_parts(refusal(kit, HERE), "en")
    assert (429, "Tue, 01 Sep 2026 09:00:00 GMT") == (status, headers["Retry-After"])


@pytest.mark.req("WEB-2")
def test_the_limit_holds_across_two_kits_on_one_database(sqlite_url: str) -> None:
    """Two processes of one portal (two kits on one SQLite file) share the count."""
    clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    one, two = kit_on(url=sqlite_url, clock=clock), kit_on(url=sqlite_url, clock=clock)
    try:
        one.request_limits.take(RULE, HERE)
        two.request_limits.take(RULE, HERE)
        one.request_limits.take(RULE, HERE)
        refusal(two, HERE)
    finally:
        one.close()
        two.close()


@pytest.mark.req("WEB-2")
def test_the_client_s_address_is_not_stored_as_it_is(sqlite_url: str) -> None:
    kit = kit_on(url=sqlite_url, clock=ManualClock.at("2026-09-01T08:00:00+00:00"))
    try:
        kit.request_limits.take(RULE, HERE)
    finally:
        kit.close()
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    files = [path for path in database.parent.iterdir() if path.name.startswith(database.name)]
    assert files
    assert not any(HERE.encode() in path.read_bytes() for path in files)


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("purpose", "requests", "window", "field"),
    [
        ("", 3, timedelta(hours=1), "purpose"),
        ("Portal Apply", 3, timedelta(hours=1), "purpose"),
        ("p" * 65, 3, timedelta(hours=1), "purpose"),
        ("portal.apply", 0, timedelta(hours=1), "requests"),
        ("portal.apply", True, timedelta(hours=1), "requests"),
        ("portal.apply", 3, timedelta(0), "window"),
    ],
)
def test_a_limit_that_cannot_be_is_refused_when_made(
    purpose: str, requests: int, window: timedelta, field: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        RequestLimit(purpose, requests, window)
    assert field == caught.value.field
    assert caught.value.message("nl") != caught.value.message("en")
