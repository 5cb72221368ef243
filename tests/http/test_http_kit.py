"""The kit on HttpBackend: the exam day's use cases work, and a save is one request.

Production wiring: the kit's own audit store (the backend's, through the
server), a real SQLite file behind the storage server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    StorageServer,
)
from examkit.backends.sql import SQLBackend
from examkit.errors import InvalidInput, NotPermitted
from examkit.scheduling import AttemptState
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

TOKEN = "eks1.kit-token-not-a-secret"


@pytest.fixture
def kit(sqlite_url: str) -> Iterator[Examkit]:
    inner = SQLBackend(sqlite_url, migrate=False, records=SERVER_RECORDS)
    server = StorageServer(inner, [ServiceToken.of("portal", TOKEN, access="write")])
    transport = InProcessTransport(server)
    backend = HttpBackend("http://storage.test", token=TOKEN, transport=transport)
    kit = make_session_kit(ManualClock(START - timedelta(minutes=10)), backend=backend)
    yield kit
    kit.close()
    transport.close()
    server.close()
    inner.close()


@pytest.mark.req("PLAT-3")
def test_the_exam_day_runs_on_the_http_backend_and_a_save_is_one_request(kit: Examkit) -> None:
    backend = kit.backend
    assert isinstance(backend, HttpBackend)
    people = add_candidates(kit, 2)
    group = plan_group(kit, people)
    kit.group_lifecycle.release("proctor", group)
    code = kit.group_lifecycle.access_code("proctor", group)
    with pytest.raises(NotPermitted):
        kit.sitting.sign_in(people[0].login_name, "WRONG1")
    keys = {person.id: kit.sitting.sign_in(person.login_name, code).key for person in people}
    first = people[0].id
    kit.sitting.save_response(group, first, "q1", {"choice": [1]}, sequence=1, key=keys[first])
    counts = []
    for sequence in range(2, 6):
        before = backend.requests_sent
        receipt = kit.sitting.save_response(
            group, first, "q2", {"choice": [sequence]}, sequence=sequence, key=keys[first]
        )
        counts.append(backend.requests_sent - before)
        assert receipt.stored
    assert counts == [1, 1, 1, 1]
    stale = kit.sitting.save_response(
        group, first, "q2", {"choice": [0]}, sequence=3, key=keys[first]
    )
    assert not stale.stored  # not stored: the unit read the attempt to say why
    with pytest.raises(InvalidInput):
        kit.sitting.save_response(group, first, "q9", "x", sequence=9, key=keys[first])
    (attempt,) = [a for a in kit.planning.attempts(group) if a.candidate == first]
    assert attempt.state is AttemptState.IN_PROGRESS
    assert attempt.last_sequence == 5
    assert attempt.responses["q2"].value == {"choice": [5]}
    with backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
    outcomes = {(event.action, event.outcome) for event in events}
    assert ("sessions.group.release", "success") in outcomes
    assert ("sessions.sign_in", "denied") in outcomes  # the refusal, audited after its unit
    assert ("sessions.response", "failure") in outcomes  # the unknown item
