"""The HTTP backend under faults: every step of a unit of work times every fault.

For each step (a request) of representative units of work (a plain write
unit, a unit of capabilities, the exam day's one-request save, a reading
unit) and each :class:`~tests.http.faults.Fault`, injected once (the retry
gets through) and on every try (the retries run out): the outcome is success
exactly once, or examkit's own error with its code; and the state stored on
the server's backend, read there directly, is the whole unit or nothing:
nothing half-written, nothing applied twice.

The expectation is spelled out here, independently of the client's code:
a fault that clears before the retries run out is invisible; one that does
not raises ``storage.outcome_unknown`` on a committing request (a commit,
the save that commits) and ``http.unavailable`` on any other; the unit is
then stored whole exactly when its committing request reached the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.http.faults import Fault, FaultTransport, step_of

from examkit.audit import AuditEvent
from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    StorageServer,
)
from examkit.backends.memory import MemoryBackend
from examkit.backends.sql import SQLBackend
from examkit.errors import ExamkitError, NotPermitted, StorageError
from examkit.identifiers import Brin, LocationCode
from examkit.records import Backend
from examkit.scheduling import Attempt, AttemptState, SavedResponse
from examkit.storage import StoredToken
from examkit.testing import make_kit
from examkit.testing.conformance import NOW, make_institution

pytestmark = pytest.mark.req("PLAT-3")

TOKEN = "eks1.fault-token-not-a-secret"
RETRIES = 2
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Unit:
    """A unit of work to run through faults: its steps, how to run it, what it stores."""

    name: str
    steps: tuple[str, ...]
    committing: frozenset[str]
    run: Callable[[HttpBackend], object]
    expected: object
    """What :attr:`run` returns when it succeeds."""
    state: Callable[[Backend], object]
    """What the server's backend holds of the unit (read there directly)."""
    whole: object
    nothing: object


def seed(inner: Backend) -> None:
    """What every unit starts from: a school, a single-use token, an attempt in progress."""
    with inner.begin() as uow:
        uow.institutions.add(make_institution("22AB", secondary=1))
        uow.tokens.put(StoredToken("reset", "d-1", "acc-1", NOW + timedelta(hours=1)))
        uow.test_attempts.add(
            Attempt(
                group="g-1",
                candidate="c-1",
                exam="NE-GL-2026",
                login_name="KAND0001",
                state=AttemptState.IN_PROGRESS,
                started_at=NOW,
                deadline=NOW + timedelta(minutes=150),
            )
        )
        uow.commit()


def _institutions(inner: Backend) -> object:
    with inner.begin(readonly=True) as uow:
        return [(str(item.code), item.name, item.version) for item in uow.institutions.list().items]


def write_unit(client: HttpBackend) -> object:
    with client.begin() as uow:
        school = uow.institutions.get(Brin("22AB"))  # the request that begins the unit
        uow.institutions.add(make_institution("23CD"))
        uow.institutions.update(attrs.evolve(school, name="Het Lyceum"))
        uow.commit()
    return "done"


def _capabilities(inner: Backend) -> object:
    with inner.begin(readonly=True) as uow:
        count = uow.counters.peek("signin", "acc-1", now=NOW, limit=5).count
        token = uow.tokens.peek("reset", "d-1", now=NOW) if _has_token(uow) else None
        events = [event.action for event in uow.audit.list(limit=100).items]
    return count, token is not None, events


def _has_token(uow: Any) -> bool:
    try:
        uow.tokens.peek("reset", "d-1", now=NOW)
    except ExamkitError:
        return False
    return True


def capability_unit(client: HttpBackend) -> object:
    with client.begin() as uow:
        counted = uow.counters.record("signin", "acc-1", now=NOW, window=WINDOW, limit=5).count
        used = uow.tokens.consume("reset", "d-1", now=NOW).subject
        uow.audit.append(
            AuditEvent(at=NOW, actor="acc-1", action="auth.password.reset", subject="account:acc-1")
        )
        uow.commit()
    return counted, used


def _attempt(inner: Backend) -> object:
    with inner.begin(readonly=True) as uow:
        attempt = uow.test_attempts.get("g-1:c-1")
    return attempt.version, attempt.last_sequence, dict(attempt.responses)


def save_unit(client: HttpBackend) -> object:
    response = SavedResponse(value={"choice": ["B"]}, sequence=1, saved_at=NOW)
    with client.begin() as uow:
        recorded = uow.test_attempts.record_response(
            "g-1:c-1", "q1", response, now=NOW, then_commit=True
        )
        uow.commit()
    return None if recorded is None else recorded.version


def read_unit(client: HttpBackend) -> object:
    with client.begin(readonly=True) as uow:
        school = uow.institutions.get(Brin("22AB"))
        found = uow.institutions.get_by_location(LocationCode("22AB01"))
        uow.commit()
    return school.name, str(found.code)


UNITS = {
    unit.name: unit
    for unit in (
        Unit(
            "write",
            ("get", "insert", "replace", "commit"),
            frozenset({"commit"}),
            write_unit,
            "done",
            _institutions,
            whole=[("22AB", "Het Lyceum", 2), ("23CD", "School 23CD", 1)],
            nothing=[("22AB", "School 22AB", 1)],
        ),
        Unit(
            "capabilities",
            ("counter.record", "token.consume", "audit.append"),
            frozenset({"audit.append"}),  # the unit's audit events travel with its commit
            capability_unit,
            (1, "acc-1"),
            _capabilities,
            whole=(1, False, ["auth.password.reset"]),
            nothing=(0, True, []),
        ),
        Unit(
            "save",
            ("response.record",),
            frozenset({"response.record"}),
            save_unit,
            2,
            _attempt,
            whole=(2, 1, {"q1": SavedResponse(value={"choice": ["B"]}, sequence=1, saved_at=NOW)}),
            nothing=(1, 0, {}),
        ),
        Unit(
            "read",
            ("get", "find", "commit"),
            frozenset({"commit"}),
            read_unit,
            ("School 22AB", "22AB"),
            _institutions,
            whole=[("22AB", "School 22AB", 1)],
            nothing=[("22AB", "School 22AB", 1)],
        ),
    )
}

STEPS = [(unit.name, step) for unit in UNITS.values() for step in unit.steps]


@attrs.define
class Rig:
    """A storage server over *inner*, and a client whose requests pass a fault injector."""

    inner: Backend
    server: StorageServer
    transport: InProcessTransport
    faults: FaultTransport
    client: HttpBackend
    steps: list[str] = attrs.Factory(list)

    def end_leases(self) -> None:
        """Roll back every unit still open on the server (as its lease lapsing would)."""
        self.server.close()


class Recording(FaultTransport):
    """A fault injector that also notes each request's step."""

    def __init__(self, inner: Any, steps: list[str]) -> None:
        super().__init__(inner)
        self.steps = steps

    def handle_request(self, request: Any) -> Any:
        content = request.read()
        self.steps.append(step_of(json.loads(content) if content else None))
        return super().handle_request(request)


@pytest.fixture(params=["memory", "sqlite"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    inner: Backend
    if request.param == "memory":
        inner = MemoryBackend()
    else:
        inner = SQLBackend(f"sqlite:///{tmp_path / 'storage.db'}", records=SERVER_RECORDS)
    seed(inner)
    server = StorageServer(inner, [ServiceToken.of("portal", TOKEN, access="write")])
    transport = InProcessTransport(server)
    steps: list[str] = []
    faults = Recording(transport, steps)
    client = HttpBackend(
        "http://storage.test", token=TOKEN, transport=faults, retries=RETRIES, backoff=0.0005
    )
    yield Rig(inner, server, transport, faults, client, steps)
    client.close()
    transport.close()
    server.close()
    if isinstance(inner, SQLBackend):
        inner.close()


@pytest.mark.parametrize("unit_name", list(UNITS))
def test_each_unit_sends_the_steps_the_matrix_names(rig: Rig, unit_name: str) -> None:
    unit = UNITS[unit_name]
    assert unit.run(rig.client) == unit.expected
    assert tuple(rig.steps) == unit.steps
    assert unit.state(rig.inner) == unit.whole


@pytest.mark.parametrize("fault", list(Fault), ids=[fault.value for fault in Fault])
@pytest.mark.parametrize(("unit_name", "step"), STEPS, ids=[f"{u}-{s}" for u, s in STEPS])
def test_a_fault_that_clears_is_invisible_and_nothing_is_applied_twice(
    rig: Rig, unit_name: str, step: str, fault: Fault
) -> None:
    unit = UNITS[unit_name]
    rig.faults.inject(fault, step=step, times=RETRIES)
    assert unit.run(rig.client) == unit.expected
    assert rig.faults.hits == RETRIES
    rig.end_leases()
    assert unit.state(rig.inner) == unit.whole


@pytest.mark.parametrize("fault", list(Fault), ids=[fault.value for fault in Fault])
@pytest.mark.parametrize(("unit_name", "step"), STEPS, ids=[f"{u}-{s}" for u, s in STEPS])
def test_a_fault_that_stays_is_examkits_error_and_the_unit_is_whole_or_absent(
    rig: Rig, unit_name: str, step: str, fault: Fault
) -> None:
    unit = UNITS[unit_name]
    rig.faults.inject(fault, step=step, times=RETRIES + 1)
    with pytest.raises(ExamkitError) as failed:
        unit.run(rig.client)
    committing = step in unit.committing
    assert failed.value.code == ("storage.outcome_unknown" if committing else "http.unavailable")
    assert rig.faults.hits == RETRIES + 1
    assert rig.steps[-1] == step  # the unit stopped where the fault stayed
    rig.end_leases()
    applied = committing and fault.server_ran
    assert unit.state(rig.inner) == (unit.whole if applied else unit.nothing)


DOCUMENTED = {
    "5xx without an examkit error": Fault.SERVER_ERROR,
    "timeout": Fault.TIMEOUT,
    "connection reset before the request": Fault.RESET_BEFORE,
    "connection reset after the server answered": Fault.RESET_AFTER,
    "a previous answer, replayed": Fault.DUPLICATE,
    "garbled JSON": Fault.GARBLED,
    "an answer cut off": Fault.CUT_OFF,
    "a proxy's HTML page": Fault.PROXY_PAGE,
    "another place's answer (wrong `seq`)": Fault.WRONG_ECHO,
}


def test_the_storage_page_s_fault_table_says_what_the_matrix_shows() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "storage.md"
    section = page.read_text(encoding="utf-8").split("### Faults", 1)[1].split("\n### ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith(("| Fault", "| ---"))
    ]
    assert {row[0] for row in rows} == set(DOCUMENTED)
    for name, ran, other, last in rows:
        fault = DOCUMENTED[name]
        assert ran == ("yes" if fault.server_ran else "no"), name
        assert other == "`http.unavailable`; nothing stored", name
        stored = "the unit stored, once" if fault.server_ran else "nothing stored"
        assert last == f"`storage.outcome_unknown`; {stored}", name


# -- the schema, for a portal's health (found by the portal's route tests on HttpBackend) ---------


def test_the_kit_s_health_reports_the_server_s_schema(rig: Rig) -> None:
    health = make_kit(backend=rig.client).health()
    expected = "not_versioned" if isinstance(rig.inner, MemoryBackend) else "current"
    assert (health.ok, health.storage, health.schema) == (True, "ok", expected)


@pytest.mark.parametrize("fault", list(Fault), ids=[fault.value for fault in Fault])
def test_the_schema_is_asked_again_after_a_fault_and_unavailable_when_it_stays(
    rig: Rig, fault: Fault
) -> None:
    rig.faults.inject(fault, step="schema", times=RETRIES)
    assert rig.client.schema_status() in {"not_versioned", "current"}
    rig.faults.inject(fault, step="schema", times=RETRIES + 1)
    if fault is Fault.DUPLICATE:  # the last GET's answer, replayed: still the schema's answer
        assert rig.client.schema_status() in {"not_versioned", "current"}
        return
    with pytest.raises(StorageError) as failed:
        rig.client.schema_status()
    assert failed.value.code == "http.unavailable"


def test_the_schema_needs_a_known_token(rig: Rig) -> None:
    stranger = HttpBackend("http://storage.test", token="eks1.unknown", transport=rig.faults)
    with pytest.raises(NotPermitted) as refused:
        stranger.schema_status()
    assert refused.value.code == "http.unauthorized"
