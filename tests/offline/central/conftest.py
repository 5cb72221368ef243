"""Fixtures of the central side's tests: a session kit on memory and on an SQLite file.

The kit is the production wiring (the kit's own audit log, kept by the
backend): on the memory backend and on a real, migrated SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.converter import unstructure
from examkit.offline import UpRequest, WireEntry, entry_digest
from examkit.scheduling import Attempt, Mode, TestSessionGroup
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import (
    EXAM,
    L00,
    START,
    add_candidates,
    add_operator,
    make_session_kit,
)

"""The account of the service desk (the exam board's supplier publishes packages)."""


@pytest.fixture(params=["memory", "sqlite"])
def wiring(request: pytest.FixtureRequest) -> Iterator[Wiring]:
    """The production wiring on memory and on an SQLite file."""
    if request.param == "memory":
        yield Wiring.production(MemoryBackend())
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield Wiring.production(backend, "sqlite")
    finally:
        backend.close()


@pytest.fixture
def clock() -> ManualClock:
    """The central clock, the day before the session."""
    return ManualClock(START - timedelta(days=1))


@pytest.fixture
def kit(wiring: Wiring, clock: ManualClock) -> Examkit:
    """The session world with an operator."""
    made = make_session_kit(clock, wiring.log, wiring.backend)
    add_operator(made)
    return made


FAO = "fao"
"""The FAO administrator of 22AB00."""


@attrs.frozen
class Room:
    """An offline group at 22AB00 planned on an active server with a credential."""

    server: str
    credential: str
    group: str
    candidates: tuple[str, ...]


def offline_room(kit: Examkit, count: int = 2, *, credential: bool = True) -> Room:
    """Plan an offline group of *count* candidates on a new active server (with a credential)."""
    server = kit.offline_servers.add_server(FAO, location=L00, name="FAO 12", address="10.0.0.12")
    kit.offline_servers.server_transition(FAO, server.id, "activate")
    secret = kit.offline_sync.issue_credential(FAO, server.id) if credential else ""
    people = add_candidates(kit, count)
    group = kit.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.OFFLINE,
        starts_at=START,
        room="Lokaal 12",
        proctor="proctor",
        candidates=[person.id for person in people],
        offline_server=server.id,
        first_corrector="corrector",
    )
    return Room(server.id, secret, group.id, tuple(person.id for person in people))


@pytest.fixture
def room(kit: Examkit) -> Room:
    """An offline group handed over to its server."""
    made = offline_room(kit)
    kit.offline_sync.hand_over("planner", made.group)
    return made


def entry(seq: int, kind: str, key: str, revision: int, body: Any) -> WireEntry:
    """Return an up entry as the offline server sends it (its digest over its content)."""
    return WireEntry(seq, kind, key, revision, body, entry_digest(kind, key, revision, body))


def answer(seq: int, key: str, value: Any, *, sequence: int, at: datetime = START) -> WireEntry:
    """Return the up entry of one saved answer to ``<group>:<candidate>:<item>`` *key*."""
    body = {"value": value, "sequence": sequence, "saved_at": at.isoformat()}
    return entry(seq, "answer", key, sequence, body)


def attempt_entry(seq: int, attempt: Attempt, revision: int) -> WireEntry:
    """Return the up entry of an attempt as the room changed it (without its responses)."""
    body = unstructure(attempt)
    for name in ("responses", "last_sequence", "version"):
        body.pop(name)
    return entry(seq, "attempt", f"{attempt.group}:{attempt.candidate}", revision, body)


def group_entry(seq: int, group: TestSessionGroup, revision: int) -> WireEntry:
    """Return the up entry of a group as the room changed it (its four fields)."""
    data = unstructure(group)
    body = {name: data[name] for name in ("state", "access_code", "log", "report")}
    return entry(seq, "group", group.id, revision, body)


def up(
    room: Room, *entries: WireEntry, at: datetime = START, backlog: int | None = None
) -> UpRequest:
    """Return the up request of *room*'s server carrying *entries*."""
    return UpRequest(room.server, tuple(entries), at, len(entries) if backlog is None else backlog)
