"""Deterministic fakes of the ports, for tests, doctests and the demo."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import Counter
from datetime import datetime, timedelta

from examkit._fields import require_aware_utc
from examkit.accounts import Account
from examkit.audit import AuditEvent
from examkit.ports import Message, PasswordHasher
from examkit.records import Backend
from examkit.storage import MAX_PAGE_SIZE


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
    """An :class:`~examkit.audit.AuditLog` that keeps events in :attr:`events`."""

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

    def clear(self) -> None:
        """Forget every event recorded so far."""
        with self._lock:
            self.events.clear()


class StoredAuditTrail:
    """Reads back the audit trail a backend keeps, as :class:`MemoryAuditLog` shows its events.

    For tests on the production wiring, where the kit's own
    :class:`~examkit.audit.StoredAuditLog` writes to the backend.

    >>> from examkit.testing import make_kit
    >>> kit = make_kit()
    >>> trail = StoredAuditTrail(kit.backend)
    >>> kit.audit.record(AuditEvent(at=kit.clock.now(), actor="k.beheerder",
    ...                             action="demo.done", subject="demo:1"))
    >>> trail.actions()
    ['demo.done']
    >>> trail.clear()
    >>> trail.actions()
    []

    Args:
        backend: The backend whose audit store is read.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._skip = 0

    @property
    def events(self) -> list[AuditEvent]:
        """Every event stored since the last :meth:`clear`, oldest first."""
        found: list[AuditEvent] = []
        after: str | None = None
        with self._backend.begin(readonly=True) as uow:
            while True:
                page = uow.audit.list(after=after, limit=MAX_PAGE_SIZE)
                found.extend(page.items)
                if page.next_after is None:
                    return found[self._skip :]
                after = page.next_after

    def actions(self) -> list[str]:
        """Return the action codes stored, in order."""
        return [event.action for event in self.events]

    def clear(self) -> None:
        """Leave out every event stored so far (the trail itself is never edited)."""
        self._skip += len(self.events)


class CountingHasher:
    """A :class:`~examkit.ports.PasswordHasher` that counts the calls it passes on to *inner*.

    >>> from examkit.testing import cheap_hasher
    >>> hasher = CountingHasher(cheap_hasher())
    >>> hasher.verify("geheim", hasher.hash("geheim"))
    True
    >>> dict(hasher.calls)
    {'hash': 1, 'verify': 1}
    """

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        """The hasher that does the work."""
        self.calls: Counter[str] = Counter()
        """How often each method was called: ``hash``, ``verify``, ``needs_update``."""
        self._lock = threading.Lock()

    def _count(self, method: str) -> None:
        with self._lock:
            self.calls[method] += 1

    @property
    def total(self) -> int:
        """How many calls were made in all."""
        return sum(self.calls.values())

    def hash(self, password: str) -> str:
        """Count, then hash *password* with the inner hasher."""
        self._count("hash")
        return self.inner.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        """Count, then verify with the inner hasher."""
        self._count("verify")
        return self.inner.verify(password, hashed)

    def needs_update(self, hashed: str) -> bool:
        """Count, then ask the inner hasher."""
        self._count("needs_update")
        return self.inner.needs_update(hashed)

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        """Count, then ask the inner hasher."""
        self._count("work_plan")
        return self.inner.work_plan(hashed)


class StaticGate:
    """A :class:`~examkit.auth.SignInGate` for tests and the demo: everyone, except those denied.

    Never use it in production: the roles package decides who may sign in.

    >>> gate = StaticGate()
    >>> gate.deny("acc-1", "afnamemonitor")
    >>> gate.denied
    frozenset({('acc-1', 'afnamemonitor')})
    """

    def __init__(self, denied: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.denied = frozenset(denied)
        """The ``(account id, application)`` pairs refused."""
        self.asked: list[tuple[str, str]] = []
        """Every ``(account id, application)`` asked about, in order."""
        self._lock = threading.Lock()

    def deny(self, account_id: str, application: str) -> None:
        """Refuse *account_id* in *application* from now on."""
        with self._lock:
            self.denied = self.denied | {(account_id, application)}

    def allow(self, account_id: str, application: str) -> None:
        """Let *account_id* into *application* again."""
        with self._lock:
            self.denied = self.denied - {(account_id, application)}

    def may_sign_in(self, account: Account, application: str) -> bool:
        """Return whether the pair is not denied (and remember the question)."""
        with self._lock:
            self.asked.append((account.id, application))
            return (account.id, application) not in self.denied
