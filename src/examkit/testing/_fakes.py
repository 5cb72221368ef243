"""Deterministic fakes of the ports, for tests, doctests and the demo."""

from __future__ import annotations

import base64
import hashlib
import threading
from datetime import datetime, timedelta

from examkit._fields import require_aware_utc
from examkit.accounts import Account
from examkit.audit import AuditEvent
from examkit.errors import InvalidInput
from examkit.ports import Message, SecretSource


class ManualClock:
    """A :class:`~examkit.ports.Clock` that stands still until it is moved.

    >>> clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    >>> clock.advance(minutes=15).isoformat()
    '2026-09-01T08:15:00+00:00'
    """

    def __init__(self, now: datetime) -> None:
        self._now = require_aware_utc(now, "now")
        self._lock = threading.Lock()

    @classmethod
    def at(cls, iso: str) -> ManualClock:
        """Return a clock set to the ISO 8601 time *iso* (with an offset)."""
        return cls(datetime.fromisoformat(iso))

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move the clock forward by *delta* (or ``timedelta(**parts)``); return the new time."""
        step = delta if delta is not None else timedelta(**parts)
        with self._lock:
            self._now = self._now + step
            return self._now

    def set(self, moment: datetime) -> None:
        """Set the clock to *moment* (aware)."""
        with self._lock:
            self._now = require_aware_utc(moment, "now")

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()!r})"


class SequenceSecretSource:
    """A deterministic :class:`~examkit.ports.SecretSource`: the same seed, the same draws.

    Each draw hashes the seed and a counter, so values look random but repeat
    from run to run (doctests, the demo, reproducible tests).

    >>> source = SequenceSecretSource(seed="demo")
    >>> source.digits(6) == SequenceSecretSource(seed="demo").digits(6)
    True
    """

    def __init__(self, seed: str = "examkit") -> None:
        self._seed = seed.encode()
        self._counter = 0
        self._lock = threading.Lock()

    def _block(self) -> bytes:
        with self._lock:
            self._counter += 1
            counter = self._counter
        return hashlib.sha256(self._seed + counter.to_bytes(8, "big")).digest()

    def token_bytes(self, size: int) -> bytes:
        """Return *size* deterministic bytes."""
        out = b""
        while len(out) < size:
            out += self._block()
        return out[:size]

    def token_urlsafe(self, size: int) -> str:
        """Return a URL-safe token carrying *size* deterministic bytes."""
        return base64.urlsafe_b64encode(self.token_bytes(size)).rstrip(b"=").decode()

    def digits(self, count: int) -> str:
        """Return *count* deterministic decimal digits."""
        return self.choose("0123456789", count)

    def choose(self, alphabet: str, count: int) -> str:
        """Return *count* characters of *alphabet*, drawn deterministically without bias."""
        if not alphabet:
            raise ValueError("alphabet must not be empty")
        size = len(alphabet)
        limit = 256 - 256 % size if size <= 256 else 0
        chosen: list[str] = []
        while len(chosen) < count:
            for byte in self._block():
                if size > 256:
                    raise ValueError("alphabet longer than 256 characters")
                if byte < limit:
                    chosen.append(alphabet[byte % size])
                    if len(chosen) == count:
                        break
        return "".join(chosen)

    def __repr__(self) -> str:
        return f"SequenceSecretSource(seed={self._seed.decode()!r})"


class RecordingMailer:
    """A :class:`~examkit.ports.Mailer` that keeps every message in :attr:`outbox`.

    >>> mailer = RecordingMailer()
    >>> mailer.send(Message(to="a@school.nl", subject="Hoi", body="...", kind="demo"))
    >>> mailer.last().subject, len(mailer.outbox)
    ('Hoi', 1)
    """

    def __init__(self) -> None:
        self.outbox: list[Message] = []
        """Every message sent, oldest first."""
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        """Keep *message*."""
        with self._lock:
            self.outbox.append(message)

    def last(self, kind: str | None = None, *, to: str | None = None) -> Message:
        """Return the newest message (of *kind*, to *to*, when given).

        Raises:
            LookupError: there is none.
        """
        for message in reversed(self.outbox):
            if (kind is None or message.kind == kind) and (to is None or to in message.to):
                return message
        raise LookupError(f"no message of kind {kind!r} to {to!r} was sent")

    def clear(self) -> None:
        """Empty the outbox."""
        with self._lock:
            self.outbox.clear()


class MemoryAuditLog:
    """An :class:`~examkit.ports.AuditLog` that keeps events in :attr:`events`."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        """Every event recorded, oldest first."""
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        """Keep *event*."""
        with self._lock:
            self.events.append(event)

    def actions(self) -> list[str]:
        """Return the action codes recorded, in order."""
        return [event.action for event in self.events]


_INITIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fake_initial_password(secrets: SecretSource) -> str:
    """A test double of the initial-password generator: 12 characters drawn from *secrets*.

    Deterministic over a :class:`SequenceSecretSource`. Production wires in
    the passwords package's generator.

    >>> fake_initial_password(SequenceSecretSource("demo")) == fake_initial_password(
    ...     SequenceSecretSource("demo"))
    True
    """
    return secrets.choose(_INITIAL_ALPHABET, 10) + secrets.digits(2)


def fake_hash_password(password: str) -> str:
    """A test double of the password hasher: NOT a password hash (a fast, unsalted digest).

    Only for tests, doctests and the demo, where a real hash (argon2id)
    would cost time for nothing. Production wires in the passwords package's
    hasher.

    >>> fake_hash_password("geheim!12").startswith("fake-unsalted-sha256$")
    True
    """
    digest = hashlib.sha256(password.encode()).hexdigest()
    return f"fake-unsalted-sha256${digest}"


def fake_check_password(password: str, account: Account) -> None:
    """A test double of the password policy: accepts any password that is not empty.

    Raises:
        InvalidInput: *password* is empty.
    """
    if not password:
        raise InvalidInput("input.required", field="password")
