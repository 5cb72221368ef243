"""Issue 19 points 10-11 as properties: every backend keeps or refuses a value alike.

The same calls go to a kit on the memory backend, on an SQLite file and on
PostgreSQL; for any JSON-ish value, sequence number or typed login name the
three answer the same: stored and returned equal, or refused with the same
class and code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.errors import ExamkitError
from examkit.records import Backend
from examkit.storage import MAX_SEQUENCE, json_value
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group
from examkit.testing.strategies import json_ish_values, typed_login_names

pytestmark = pytest.mark.postgres

SLOW = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Running:
    """A kit with a released group of two candidates; the first signed in."""

    def __init__(self, kit: Examkit) -> None:
        self.kit = kit
        people = add_candidates(kit, 2)
        self.group = plan_group(kit, people)
        code = kit.group_lifecycle.release("proctor", self.group).access_code
        assert code is not None
        self.code = code
        self.person = people[0]
        self.key = kit.sitting.sign_in(self.person.login_name, code).key
        self.sequence = 0

    def outcome(self, call: Any, *args: Any, **kwargs: Any) -> tuple[str, ...]:
        """Return what *call* answers: ``("ok", ...)`` or the error's class and code."""
        try:
            result = call(*args, **kwargs)
        except ExamkitError as error:
            return (type(error).__name__, error.code)
        return ("ok", repr(result))


@pytest.fixture
def worlds(sqlite_url: str, postgres_url: str) -> Iterator[list[Running]]:
    """The same world on memory, SQLite and PostgreSQL."""
    from examkit.backends.sql import SQLBackend

    sql = [SQLBackend(sqlite_url, migrate=False), SQLBackend(postgres_url, migrate=False)]
    backends: list[Backend] = [MemoryBackend(), *sql]
    try:
        yield [
            Running(make_session_kit(ManualClock(START - timedelta(minutes=10)), backend=b))
            for b in backends
        ]
    finally:
        for backend in sql:
            backend.close()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.req("SCH-7", "SCH-4")
@SLOW
@given(value=json_ish_values())
def test_point_10_any_value_is_kept_alike_or_refused_alike(
    worlds: list[Running], value: Any
) -> None:
    """Stored and returned equal on every backend, or refused with the same code."""
    answers = []
    for world in worlds:
        world.sequence += 1
        kit = world.kit
        answer = world.outcome(
            kit.sitting.save_response,
            world.group,
            world.person.id,
            "q1",
            value,
            sequence=world.sequence,
            key=world.key,
        )
        if answer[0] == "ok":
            back = kit.sitting.attempt(world.group, world.person.id).responses["q1"].value
            answer = ("ok", canonical(back))
        answers.append(answer)
    assert answers[0] == answers[1] == answers[2]
    if answers[0][0] == "ok":
        assert answers[0][1] == canonical(json_value(value))


@pytest.mark.req("SCH-7", "SCH-4")
@SLOW
@given(
    sequence=st.one_of(
        st.integers(),
        st.integers(MAX_SEQUENCE - 3, MAX_SEQUENCE + 3),
        st.integers(-2, 3),
        st.sampled_from([2**63, 2**63 - 1, 1_733_300_000_000, True, 1.0, "2"]),
    )
)
def test_point_10_any_sequence_number_is_taken_alike_or_refused_alike(
    worlds: list[Running], sequence: Any
) -> None:
    """Every backend takes, ignores or refuses a sequence number alike; nothing freezes."""
    answers = [
        world.outcome(
            world.kit.sitting.save_response,
            world.group,
            world.person.id,
            "q2",
            "antwoord",
            sequence=sequence,
            key=world.key,
        )
        for world in worlds
    ]
    assert answers[0] == answers[1] == answers[2]
    lasts = {w.kit.sitting.attempt(w.group, w.person.id).last_sequence for w in worlds}
    assert 1 == len(lasts)
    assert lasts.pop() <= MAX_SEQUENCE


@pytest.mark.req("AUTH-12", "SCH-6")
@SLOW
@given(login=typed_login_names(), right=st.booleans())
def test_point_11_any_typed_login_name_gets_the_same_answer_everywhere(
    worlds: list[Running], login: Any, right: bool
) -> None:
    """A typed login name is answered alike by every backend, never with a raw error."""
    answers = []
    for world in worlds:
        code = world.code if right else "CCCC-CCCC"
        answer = world.outcome(world.kit.sitting.sign_in, login, code)
        answers.append(("ok",) if answer[0] == "ok" else answer)
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] in {"NotPermitted", "LimitReached", "InvalidInput"}
