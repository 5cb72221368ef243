"""Fixtures of the central side's tests: a session kit on memory and on an SQLite file.

The kit is the production wiring (the kit's own audit log, kept by the
backend): on the memory backend and on a real, migrated SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.backends.memory import MemoryBackend
from examkit.permissions import Authorization, Grant
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import START, make_session_kit

OPERATOR = "operator"
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
    with made.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=OPERATOR,
                login_name=LoginName("examkit.operator"),
                first_name="Sam",
                last_name="Servicedesk",
                email="desk@examkit.example",
            )
        )
        uow.authorizations.add(
            Authorization(
                account=OPERATOR,
                grants=[Grant.of("examkit.operator", granted_at=START - timedelta(days=100))],
            )
        )
        uow.commit()
    return made
