"""The use-case unit: actor loaded in the transaction, audit with the change, refusals apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.audit import AuditEvent
from examkit.backends.memory import MemoryBackend
from examkit.errors import InvalidInput, NotPermitted
from examkit.identifiers import LocationCode
from examkit.permissions import Authorization, Grant
from examkit.ports import Message
from examkit.records import Backend
from examkit.testing import ManualClock, MemoryAuditLog, RecordingMailer, SequenceSecretSource
from examkit.testing.conformance import make_account
from examkit.usecase import Ports, UseCase

NOW = "2026-09-01T08:00:00+00:00"
PLACE = LocationCode("22AB00")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend()
        return
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue(f"{request.param}_url")
    sql = SQLBackend(url, migrate=request.param == "postgres")
    yield sql
    sql.close()


def kit_on(backend: Backend, mailer: RecordingMailer | None = None) -> Examkit:
    """The production wiring (the backend's own audit store), a fixed clock."""
    return Examkit(
        backend=backend,
        mailer=mailer or RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at(NOW),
        secrets=SequenceSecretSource(),
    )


def trail(backend: Backend) -> list[tuple[str, str, str]]:
    with backend.begin(readonly=True) as uow:
        return [(e.action, e.subject, e.outcome) for e in uow.audit.list(limit=100).items]


def stored_accounts(backend: Backend) -> list[str]:
    with backend.begin(readonly=True) as uow:
        return [account.id for account in uow.accounts.list().items]


class FailingCommit(Exception):
    """Injected between the change and its commit."""


@pytest.mark.req("PLAT-2")
def test_change_and_its_audit_event_are_committed_together(backend: Backend) -> None:
    kit = kit_on(backend)
    with UseCase(kit.ports, "demo.account.added", "account:a", actor="op") as unit:
        unit.uow.accounts.add(make_account("a"))
        unit.audit(details={"via": "test"})
        unit.commit()
    assert stored_accounts(backend) == ["a"]
    assert trail(backend) == [("demo.account.added", "account:a", "success")]


@pytest.mark.req("PLAT-2")
def test_a_failure_after_the_change_and_before_the_commit_leaves_neither(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = kit_on(backend)

    def fail() -> None:
        raise FailingCommit

    def add_then_fail_to_commit() -> None:
        with UseCase(kit.ports, "demo.account.added", "account:a") as unit:
            unit.uow.accounts.add(make_account("a"))
            unit.audit()
            # the events are appended, then the commit fails: the transaction rolls back
            monkeypatch.setattr(unit.uow, "commit", fail)
            unit.commit()

    with pytest.raises(FailingCommit):
        add_then_fail_to_commit()
    assert stored_accounts(backend) == []
    assert trail(backend) == []


@pytest.mark.req("PLAT-2")
def test_a_refusal_rolls_back_and_is_audited_on_its_own(backend: Backend) -> None:
    mailer = RecordingMailer()
    kit = kit_on(backend, mailer)

    def add_then_refuse() -> None:
        with UseCase(kit.ports, "demo.account.added", "account:a", actor="op") as unit:
            unit.uow.accounts.add(make_account("a"))
            unit.audit()
            unit.send(Message(to="a@school.nl", subject="Hallo", body="Welkom"))
            raise InvalidInput("input.required", field="name")

    with pytest.raises(InvalidInput):
        add_then_refuse()
    assert stored_accounts(backend) == []
    assert trail(backend) == [("demo.account.added", "account:a", "failure")]
    with backend.begin(readonly=True) as uow:
        (event,) = uow.audit.list().items
    assert event.actor == "op"
    assert dict(event.details) == {"reason": "input.required"}
    assert mailer.outbox == []


@pytest.mark.req("PLAT-2")
def test_mail_leaves_only_after_the_commit(backend: Backend) -> None:
    mailer = RecordingMailer()
    kit = kit_on(backend, mailer)
    with UseCase(kit.ports, "demo.mailed", "account:a") as unit:
        unit.send(Message(to="a@school.nl", subject="Hallo", body="Welkom"))
        assert mailer.outbox == []
        unit.commit()
    assert [message.to for message in mailer.outbox] == [("a@school.nl",)]


@pytest.mark.req("PLAT-2", "ROLE-5")
def test_a_grant_revoked_before_the_unit_began_cannot_act(backend: Backend) -> None:
    kit = kit_on(backend)
    at = datetime(2026, 8, 1, tzinfo=UTC)
    grant = Grant.of("facet.planner", [PLACE], granted_at=at)
    with backend.begin() as uow:
        uow.accounts.add(make_account("planner"))
        uow.authorizations.add(Authorization(account="planner", grants=(grant,)))
        uow.commit()
    with UseCase(kit.ports, "demo.plan", f"location:{PLACE}", actor="planner") as unit:
        unit.require("facet.sessions.plan", PLACE)
    with backend.begin() as uow:
        held = uow.authorizations.get("planner")
        revoked = attrs.evolve(held.grants[0], revoked_at=at, revoked_by="op")
        uow.authorizations.update(attrs.evolve(held, grants=(revoked,)))
        uow.commit()
    with (
        pytest.raises(NotPermitted),
        UseCase(kit.ports, "demo.plan", f"location:{PLACE}", actor="planner") as unit,
    ):
        unit.require("facet.sessions.plan", PLACE)
    assert trail(backend)[-1] == ("demo.plan", f"location:{PLACE}", "denied")


@pytest.mark.req("PLAT-2")
def test_with_an_audit_log_kept_elsewhere_events_follow_the_commit() -> None:
    backend, log = MemoryBackend(), MemoryAuditLog()
    ports = Ports.of(
        backend=backend,
        mailer=RecordingMailer(),
        token_key=b"k" * 32,
        base_url="https://portal.example.nl",
        audit=log,
        clock=ManualClock.at(NOW),
        secrets=SequenceSecretSource(),
    )
    assert not ports.audit_inline
    with UseCase(ports, "demo.account.added", "account:a") as unit:
        unit.uow.accounts.add(make_account("a"))
        unit.audit()
        assert log.events == []
        unit.commit()
    assert [(e.action, e.outcome) for e in log.events] == [("demo.account.added", "success")]
    assert trail(backend) == []
    assert isinstance(log.events[0], AuditEvent)


@pytest.mark.req("PLAT-2")
def test_a_refusal_after_the_commit_keeps_what_was_counted_and_is_audited_as_said(
    backend: Backend,
) -> None:
    kit = kit_on(backend)

    def count_then_refuse() -> None:
        with UseCase(kit.ports, "demo.sign_in", "login:k", audit_as="k.jansen") as unit:
            unit.uow.accounts.add(make_account("a"))  # stands in for a counted attempt
            unit.commit()
            unit.refuse(
                NotPermitted("permission.denied"),
                outcome="failure",
                details={"why": "wrong password"},
                also=[unit.event("demo.blocked", outcome="denied")],
            )

    with pytest.raises(NotPermitted):
        count_then_refuse()
    assert stored_accounts(backend) == ["a"]
    assert trail(backend) == [
        ("demo.sign_in", "login:k", "failure"),
        ("demo.blocked", "login:k", "denied"),
    ]
    with backend.begin(readonly=True) as uow:
        first, second = uow.audit.list().items
    assert first.actor == second.actor == "k.jansen"
    assert dict(first.details) == {"why": "wrong password", "reason": "permission.denied"}


@pytest.mark.req("PLAT-2")
def test_a_refusal_without_a_commit_rolls_back_and_takes_its_own_action(backend: Backend) -> None:
    kit = kit_on(backend)
    moment = datetime(2026, 9, 2, 10, tzinfo=UTC)

    def add_then_refuse() -> None:
        with UseCase(kit.ports, "demo.add", "account:a", actor="op", now=moment) as unit:
            unit.uow.accounts.add(make_account("a"))
            unit.refuse(InvalidInput("input.required", field="name"), action="demo.checked")

    with pytest.raises(InvalidInput):
        add_then_refuse()
    assert stored_accounts(backend) == []
    with backend.begin(readonly=True) as uow:
        (event,) = uow.audit.list().items
    assert (event.action, event.outcome, event.actor, event.at) == (
        "demo.checked",
        "failure",
        "op",
        moment,
    )


@pytest.mark.req("PLAT-2", "WEB-2")
def test_the_request_id_around_a_call_tags_its_events_and_its_refusal(backend: Backend) -> None:
    """Inside request_id the change's event and a refusal carry it; outside, no event does."""
    from concurrent.futures import ThreadPoolExecutor

    from examkit.audit import current_request, request_id

    kit = kit_on(backend)

    def add(account: str, *, refuse: bool = False) -> None:
        with UseCase(kit.ports, "demo.account.added", f"account:{account}", actor="op") as unit:
            unit.uow.accounts.add(make_account(account, f"22AB.Acc.{account}"))
            unit.audit()
            if refuse:
                raise InvalidInput("input.required", field="name")
            unit.commit()

    with request_id("req-1"):
        add("a")
        with pytest.raises(InvalidInput):
            add("b", refuse=True)
    add("c")

    def in_thread(n: int) -> str | None:
        with request_id(f"req-t{n}"):
            add(f"t{n}")
            return current_request()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert [f"req-t{n}" for n in range(8)] == list(pool.map(in_thread, range(8)))
    with backend.begin(readonly=True) as uow:
        tagged = {(e.subject, e.outcome): e.details.get("request") for e in uow.audit.list().items}
    assert {
        ("account:a", "success"): "req-1",
        ("account:b", "failure"): "req-1",
        ("account:c", "success"): None,
        **{(f"account:t{n}", "success"): f"req-t{n}" for n in range(8)},
    } == tagged
    with pytest.raises(InvalidInput) as refused, request_id("a user's e-mail@school.nl"):
        pass
    assert "audit.request.invalid" == refused.value.code


@pytest.mark.req("PLAT-2", "PRIV-2")
def test_after_commit_runs_once_committed_and_never_for_a_unit_rolled_back(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a unit leaves for after its commit (the day's read marks) waits for the commit."""
    kit = kit_on(backend)
    ran: list[str] = []

    def refused() -> None:
        with UseCase(kit.ports, "demo.account.added", "account:a", actor="op") as unit:
            unit.after_commit(lambda: ran.append("refused"))
            raise InvalidInput("input.required", field="name")

    def failing_commit() -> None:
        def fail() -> None:
            raise FailingCommit

        with UseCase(kit.ports, "demo.account.added", "account:a") as unit:
            unit.uow.accounts.add(make_account("a"))
            unit.after_commit(lambda: ran.append("failed"))
            monkeypatch.setattr(unit.uow, "commit", fail)
            unit.commit()

    with pytest.raises(InvalidInput):
        refused()
    with pytest.raises(FailingCommit):
        failing_commit()
    assert [] == ran
    with UseCase(kit.ports, "demo.account.added", "account:a") as unit:
        unit.uow.accounts.add(make_account("a"))
        unit.after_commit(lambda: ran.append("committed"))
        assert [] == ran
        unit.commit()
    assert ["committed"] == ran
