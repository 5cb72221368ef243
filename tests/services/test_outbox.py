# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""No e-mail is lost (issue 22, point 2): stored with its change, sealed, sent after the commit.

Run on the doubles and the production wiring (memory, an SQLite file). The
mails come from a real use case (adding a user mails the login name and an
initial password); the mail server is a recorder that can be told to fail.
"""

from __future__ import annotations

import json

import pytest
from tests.school import L00, add_school

from examkit import Examkit, Settings
from examkit.accounts import LoginName
from examkit.errors import ConfigurationError, NotPermitted
from examkit.ports import Message
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring, cheap_hasher


class FlakyMailer(RecordingMailer):
    """A recorder that refuses the next *failures* messages as a mail server would."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def send(self, message: Message) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("smtp.school.nl:587")
        super().send(message)


def kit_on(wiring: Wiring, mailer: FlakyMailer, clock: ManualClock) -> Examkit:
    return Examkit(
        backend=wiring.backend,
        mailer=mailer,
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource("outbox"),
        audit=wiring.log,
        hasher=cheap_hasher("outbox"),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at("2026-09-01T08:00:00+00:00")


@pytest.fixture
def mailer() -> FlakyMailer:
    return FlakyMailer()


@pytest.fixture
def kit(wiring: Wiring, mailer: FlakyMailer, clock: ManualClock) -> Examkit:
    kit = kit_on(wiring, mailer, clock)
    add_school(kit)
    mailer.clear()
    return kit


def operator(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id


def add_user(kit: Examkit, login: str = "22AB.P.Planner") -> str:
    return kit.users.add_user(
        "admin",
        application="facet",
        at=L00,
        login_name=login,
        first_name="Piet",
        last_name="Planner",
        email="piet@school.nl",
    ).id


def waiting(kit: Examkit) -> list[tuple[str, int, str]]:
    page = kit.mail_queue.waiting(operator(kit))
    return [(mail.kind, mail.attempts, mail.last_error) for mail in page.items]


@pytest.mark.req("NOTE-1", "WEB-1")
def test_a_mail_sent_at_once_leaves_nothing_behind(kit: Examkit, mailer: FlakyMailer) -> None:
    add_user(kit)
    assert ["roles.credentials"] == [message.kind for message in mailer.outbox]
    assert [] == waiting(kit)


@pytest.mark.req("NOTE-1", "WEB-1")
def test_a_refused_mail_waits_sealed_and_goes_when_the_server_is_back(
    kit: Examkit, mailer: FlakyMailer, clock: ManualClock
) -> None:
    """The user is added; the mail waits 1, then 2 minutes; then it is delivered, once."""
    mailer.failures = 2
    account = add_user(kit)
    with kit.backend.begin(readonly=True) as uow:
        assert "22AB.P.Planner" == str(uow.accounts.get(account).login_name)
        (stored,) = uow.outbox.list().items
    assert [] == mailer.outbox
    assert [("roles.credentials", 1, "ConnectionRefusedError")] == waiting(kit)
    assert "22AB.P.Planner" not in stored.sealed
    assert "Wachtwoord" not in json.dumps([stored.sealed, stored.kind, stored.last_error])
    assert 0 == kit.mail_queue.deliver_due()  # not due yet: the first retry is after a minute
    clock.advance(minutes=1)
    assert 0 == kit.mail_queue.deliver_due()  # refused again: now two minutes
    assert [("roles.credentials", 2, "ConnectionRefusedError")] == waiting(kit)
    clock.advance(minutes=1)
    assert 0 == kit.mail_queue.deliver_due()
    clock.advance(minutes=1)
    assert 1 == kit.mail_queue.deliver_due()
    (message,) = mailer.outbox
    assert ("roles.credentials", ("piet@school.nl",)) == (message.kind, message.to)
    assert "22AB.P.Planner" in message.body
    assert [] == waiting(kit)
    clock.advance(hours=2)
    assert 0 == kit.mail_queue.deliver_due()
    assert 1 == len(mailer.outbox)


@pytest.mark.req("NOTE-1", "PLAT-2")
def test_a_refused_use_case_stores_no_mail(kit: Examkit, mailer: FlakyMailer) -> None:
    add_user(kit)
    mailer.clear()
    with pytest.raises(Exception):  # noqa: B017, PT011 - the login name is taken: any refusal
        add_user(kit)
    assert [] == mailer.outbox
    assert [] == waiting(kit)


@pytest.mark.req("NOTE-1", "ROLE-5")
def test_only_the_service_desk_sees_the_waiting_mails(kit: Examkit, mailer: FlakyMailer) -> None:
    mailer.failures = 1
    add_user(kit)
    with pytest.raises(NotPermitted):
        kit.mail_queue.waiting("admin")
    (seen,) = kit.mail_queue.waiting(operator(kit)).items
    assert ("roles.credentials", ("piet@school.nl",), 1) == (seen.kind, seen.to, seen.attempts)
    assert not hasattr(seen, "body")
    assert not hasattr(seen, "sealed")


@pytest.mark.req("NOTE-1", "WEB-2")
def test_a_waiting_mail_follows_the_token_key_s_rotation(
    kit: Examkit, wiring: Wiring, clock: ManualClock
) -> None:
    """Sealed under the old key: delivered by a kit that keeps it retired; kept, with its error,
    by a kit that dropped it."""
    mailer = kit.mailer
    assert isinstance(mailer, FlakyMailer)
    mailer.failures = 1
    add_user(kit)
    clock.advance(minutes=5)
    fresh = FlakyMailer()
    rotated = Examkit(
        backend=wiring.backend,
        mailer=fresh,
        settings=Settings(
            token_key=b"n" * 32,
            token_key_id="2",
            retired_token_keys={"1": b"k" * 32},
            base_url="https://portal.example.nl",
        ),
        clock=clock,
        secrets=SequenceSecretSource("rotated"),
        audit=wiring.log,
    )
    unreadable = Examkit(
        backend=wiring.backend,
        mailer=fresh,
        settings=Settings(
            token_key=b"n" * 32, token_key_id="2", base_url="https://portal.example.nl"
        ),
        clock=clock,
        secrets=SequenceSecretSource("dropped"),
        audit=wiring.log,
    )
    assert 0 == unreadable.mail_queue.deliver_due()
    with kit.backend.begin(readonly=True) as uow:
        (kept,) = uow.outbox.list().items
    assert "config.outbox.key" == kept.last_error
    assert 1 == rotated.mail_queue.deliver_due()
    assert ["roles.credentials"] == [message.kind for message in fresh.outbox]


def test_unsealing_with_the_wrong_keys_is_a_configuration_error() -> None:
    from examkit.notifications import seal, unseal

    message = Message(to="k@school.nl", subject="S", body="B")
    sealed = seal(message, {"1": b"k" * 32}, "1", nonce=b"0" * 12)
    with pytest.raises(ConfigurationError):
        unseal(sealed, {"1": b"x" * 32})
    with pytest.raises(ConfigurationError):
        unseal(sealed, {"2": b"k" * 32})
    with pytest.raises(ConfigurationError):
        unseal(sealed.replace("1:", "1:AAAA", 1), {"1": b"k" * 32})
    assert message == unseal(sealed, {"1": b"k" * 32, "2": b"x" * 32})
