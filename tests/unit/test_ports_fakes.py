# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The ports' deterministic fakes, the e-mail message and the audit event."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest

from examkit.audit import AuditEvent, AuditLog
from examkit.clocks import SystemClock
from examkit.errors import InvalidInput
from examkit.ports import Clock, Mailer, Message, SecretSource
from examkit.randomness import SystemSecretSource
from examkit.testing import ManualClock, MemoryAuditLog, RecordingMailer, SequenceSecretSource

START = datetime(2026, 9, 1, 8, tzinfo=UTC)

# --- clock ----------------------------------------------------------------------


def test_manual_clock_stands_still() -> None:
    """A manual clock tells the same time until it is moved."""
    clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    assert START == clock.now() == clock.now()


def test_manual_clock_advances() -> None:
    """advance() moves the clock forward and returns the new time."""
    clock = ManualClock(START)
    assert START + timedelta(minutes=15) == clock.advance(minutes=15)
    assert START + timedelta(minutes=15, days=1) == clock.advance(timedelta(days=1))
    assert START + timedelta(minutes=15, days=1) == clock.now()


def test_manual_clock_can_be_set() -> None:
    """set() puts the clock at any aware time, in UTC."""
    clock = ManualClock(START)
    clock.set(datetime(2027, 1, 1, 12, tzinfo=timezone(timedelta(hours=1))))
    assert datetime(2027, 1, 1, 11, tzinfo=UTC) == clock.now()


def test_manual_clock_refuses_naive_times() -> None:
    """A clock only tells aware times."""
    with pytest.raises(InvalidInput) as info:
        ManualClock(datetime(2026, 9, 1, 8))  # noqa: DTZ001
    assert ("input.time.naive", "now") == (info.value.code, info.value.field)
    with pytest.raises(InvalidInput):
        ManualClock(START).set(datetime(2026, 9, 1, 8))  # noqa: DTZ001


def test_clocks_fit_the_port() -> None:
    """The manual and the system clock are Clocks that tell aware UTC times."""
    assert isinstance(ManualClock(START), Clock)
    assert isinstance(SystemClock(), Clock)
    assert UTC == SystemClock().now().tzinfo


# --- secrets --------------------------------------------------------------------


def draws(source: SequenceSecretSource) -> tuple[object, ...]:
    """Return one draw of every kind from *source*."""
    return (
        source.token_bytes(40),
        source.token_urlsafe(16),
        source.digits(6),
        source.choose("ABCDEFGH", 10),
    )


def test_same_seed_same_draws() -> None:
    """Two sources with one seed draw the same values in the same order."""
    assert draws(SequenceSecretSource("demo")) == draws(SequenceSecretSource("demo"))


def test_draws_do_not_repeat_and_seeds_differ() -> None:
    """Successive draws differ, and another seed draws other values."""
    source = SequenceSecretSource("demo")
    assert source.token_bytes(16) != source.token_bytes(16)
    assert draws(SequenceSecretSource("demo")) != draws(SequenceSecretSource("other"))


@pytest.mark.parametrize("size", [0, 1, 32, 33, 100])
def test_token_bytes_has_the_size_asked(size: int) -> None:
    """token_bytes(n) gives n bytes, also beyond one hash block."""
    assert size == len(SequenceSecretSource().token_bytes(size))


def test_token_urlsafe_uses_the_url_safe_alphabet() -> None:
    """A URL-safe token only has letters, digits, ``-`` and ``_``."""
    token = SequenceSecretSource().token_urlsafe(32)
    assert set(token) <= set(string.ascii_letters + string.digits + "-_")
    assert 43 == len(token)


def test_digits_are_digits() -> None:
    """digits(n) gives n decimal digits."""
    otp = SequenceSecretSource().digits(6)
    assert (6, True) == (len(otp), otp.isdigit())


def test_choose_uses_only_and_all_of_the_alphabet() -> None:
    """choose() draws only from the alphabet and, over many draws, every character of it."""
    alphabet = "ACDEFGHJKLMNPQRTUVWXY34679"
    drawn = SequenceSecretSource("alphabet").choose(alphabet, 1000)
    assert (1000, set(alphabet)) == (len(drawn), set(drawn))


def test_choose_refuses_unusable_alphabets() -> None:
    """An empty alphabet, or one longer than a byte can index, is refused."""
    with pytest.raises(ValueError, match="empty"):
        SequenceSecretSource().choose("", 3)
    with pytest.raises(ValueError, match="256"):
        SequenceSecretSource().choose("".join(chr(0x100 + n) for n in range(300)), 3)


def test_secret_sources_fit_the_port() -> None:
    """Both the deterministic and the system source are SecretSources."""
    assert isinstance(SequenceSecretSource(), SecretSource)
    assert isinstance(SystemSecretSource(), SecretSource)
    assert set(SystemSecretSource().choose("ab", 20)) <= {"a", "b"}


def test_system_digits_are_every_digit_with_leading_zeros_kept() -> None:
    """Codes of any length, each digit from 0 to 9 in every place (zeros in front kept)."""
    source = SystemSecretSource()
    assert ["", "x"] == [source.digits(0), "x"]
    codes = [source.digits(3) for _ in range(4000)]
    assert {3} == {len(code) for code in codes}
    assert all(code.isdigit() for code in codes)
    for place in range(3):
        assert set("0123456789") == {code[place] for code in codes}


# --- mail -----------------------------------------------------------------------


def message(kind: str = "demo", to: str = "a@school.nl", subject: str = "Hoi") -> Message:
    """Return a message."""
    return Message(to=to, subject=subject, body="...", kind=kind)


def test_recording_mailer_keeps_every_message() -> None:
    """A recording mailer keeps what it sends, oldest first."""
    mailer = RecordingMailer()
    first, second = message(subject="1"), message(subject="2")
    mailer.send(first)
    mailer.send(second)
    assert [first, second] == mailer.outbox
    assert isinstance(mailer, Mailer)


def test_last_finds_the_newest_message_by_kind_and_recipient() -> None:
    """last() returns the newest message, of a kind or to a recipient when asked."""
    mailer = RecordingMailer()
    for sent in (
        message("auth.otp", "a@school.nl", "otp a"),
        message("auth.otp", "b@school.nl", "otp b"),
        message("auth.reset", "a@school.nl", "reset a"),
    ):
        mailer.send(sent)
    assert ("reset a", "otp b", "otp a") == (
        mailer.last().subject,
        mailer.last("auth.otp").subject,
        mailer.last("auth.otp", to="a@school.nl").subject,
    )


def test_last_without_a_match_is_a_lookup_error() -> None:
    """last() never returns None: no such message raises LookupError."""
    mailer = RecordingMailer()
    with pytest.raises(LookupError):
        mailer.last()
    mailer.send(message())
    with pytest.raises(LookupError):
        mailer.last("auth.otp")


def test_clear_empties_the_outbox() -> None:
    """clear() forgets every message."""
    mailer = RecordingMailer()
    mailer.send(message())
    mailer.clear()
    assert [] == mailer.outbox


def test_message_recipients_are_a_tuple() -> None:
    """One address or a list of them becomes a tuple of recipients."""
    assert ("a@school.nl",) == message().to
    assert ("a@school.nl", "b@school.nl") == Message(
        to=["a@school.nl", "b@school.nl"], subject="s", body="b"
    ).to
    assert ("nl", "message") == (
        Message(to="a@school.nl", subject="s", body="b").lang,
        message("message").kind,
    )


@pytest.mark.parametrize(
    ("to", "code"),
    [
        ("not an address", "input.email.invalid"),
        (["a@school.nl", "nope"], "input.email.invalid"),
        ([], "input.required"),
    ],
)
def test_message_refuses_unusable_recipients(to: str | list[str], code: str) -> None:
    """Every recipient must look like an e-mail address, and there must be one."""
    with pytest.raises(InvalidInput) as info:
        Message(to=to, subject="s", body="b")
    assert (code, "to") == (info.value.code, info.value.field)


# --- audit ----------------------------------------------------------------------


def event(**details: str) -> AuditEvent:
    """Return an audit event with *details*."""
    return AuditEvent(
        at=START,
        actor="k.beheerder",
        action="org.institution.registered",
        subject="institution:22AB",
        details=details,
    )


def test_audit_event_keeps_its_details_sorted_and_read_only() -> None:
    """Details are kept in key order and cannot be changed afterwards."""
    recorded = event(reason="new school", institution="22AB")
    assert [("institution", "22AB"), ("reason", "new school")] == list(recorded.details.items())
    with pytest.raises(TypeError):
        recorded.details["reason"] = "other"  # type: ignore[index]
    assert "success" == recorded.outcome


@pytest.mark.parametrize(
    "key", ["password", "new_password", "Token", "otp", "access_code", "hash", "api_key", "SECRET"]
)
def test_audit_event_refuses_secret_looking_details(key: str) -> None:
    """A detail whose key names a secret is refused: an audit trail never holds one."""
    with pytest.raises(InvalidInput) as info:
        event(**{key: "x"})
    assert ("audit.details.secret", "details", key) == (
        info.value.code,
        info.value.field,
        info.value.params["key"],
    )


def test_audit_event_refuses_naive_times() -> None:
    """An audit event happens at an aware time."""
    with pytest.raises(InvalidInput) as info:
        AuditEvent(at=datetime(2026, 9, 1), actor=None, action="a.b", subject="x:y")  # noqa: DTZ001
    assert ("input.time.naive", "at") == (info.value.code, info.value.field)


def test_memory_audit_log_keeps_events_in_order() -> None:
    """The memory audit log is an AuditLog keeping every event in order."""
    log = MemoryAuditLog()
    log.record(event())
    log.record(
        AuditEvent(
            at=START, actor=None, action="auth.sign_in", subject="account:1", outcome="denied"
        )
    )
    assert isinstance(log, AuditLog)
    assert ["org.institution.registered", "auth.sign_in"] == log.actions()
