"""Audit, in one module: events, the audit port, the stored trail and refusals.

:class:`AuditLog` is the port a use case records through;
:class:`AuditStore` is the stored trail a backend keeps (``uow.audit``).

An audit event says who did what to what, when, and how it ended; it never
carries a secret. :class:`StoredAuditLog` is the production
:class:`AuditLog`: it appends each event in a unit of work of
its own, so a failure that rolls the use case back is still audited; an
event recorded while the thread holds a writing unit (a refusal made inside
a use case's unit of work) is appended once that unit has closed, never
waiting on the unit's own lock. :func:`record_refusal` audits a refused
request (who, what, why: its error code, when) without the audit log's own
failure ever hiding the refusal's error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, runtime_checkable

import attrs

import examkit.errors
from examkit._fields import require_aware_utc
from examkit.errors import ExamkitError, InvalidInput

if TYPE_CHECKING:
    from examkit.storage import Page

__all__ = [
    "AuditBackend",
    "AuditEvent",
    "AuditLog",
    "AuditOutcome",
    "AuditStore",
    "AuditUnit",
    "StoredAuditLog",
    "current_request",
    "pseudonymised",
    "record_refusal",
    "request_id",
]

AuditOutcome = Literal["success", "failure", "denied"]
"""How an audited action ended."""

_REQUEST: ContextVar[str | None] = ContextVar("examkit_request", default=None)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@contextmanager
def request_id(value: str) -> Iterator[None]:
    """Tag every audit event made inside (in this thread or task) with a portal's request id.

    A portal sets it per request (the id its access log carries) so a log line
    and the audit events of the same request can be found together; the
    events keep it as ``details["request"]``. 1 to 64 letters, digits and
    ``._:-``: nothing personal belongs in it.

    >>> with request_id("req-7f3a"):
    ...     current_request()
    'req-7f3a'
    >>> current_request() is None
    True

    Raises:
        InvalidInput: ``audit.request.invalid``.
    """
    if not isinstance(value, str) or not _REQUEST_ID.fullmatch(value):
        raise InvalidInput("audit.request.invalid", field="request_id")
    token = _REQUEST.set(value)
    try:
        yield
    finally:
        _REQUEST.reset(token)


def current_request() -> str | None:
    """Return the request id set by :func:`request_id` around this call, if any."""
    return _REQUEST.get()


_SECRET_WORDS = re.compile(r"pass|secret|token|otp|code|hash|key", re.IGNORECASE)


def _check_details(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    for key in value:
        if _SECRET_WORDS.search(key):
            raise InvalidInput("audit.details.secret", field=attribute.name, key=key)


def _freeze_details(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted((value or {}).items())))


def _aware_at(value: datetime) -> datetime:
    return require_aware_utc(value, "at")


@attrs.frozen
class AuditEvent:
    """One line of the audit trail: who did what to what, when, and how it ended.

    An audit event never carries a secret: a detail whose key names one
    (password, token, OTP, code, hash, key) is refused.

    >>> from datetime import datetime, timezone
    >>> event = AuditEvent(
    ...     at=datetime(2026, 9, 1, 8, tzinfo=timezone.utc), actor="k.beheerder",
    ...     action="org.institution.registered", subject="institution:22AB")
    >>> event.outcome
    'success'
    """

    at: datetime = attrs.field(converter=_aware_at)
    """When it happened (aware, UTC)."""
    actor: str | None
    """Who did it (an account id or login name); ``None`` for the system itself."""
    action: str
    """What was done, as a dotted code (``auth.sign_in``)."""
    subject: str
    """What it was done to, as ``kind:id`` (``account:abc``, ``institution:22AB``)."""
    outcome: AuditOutcome = "success"
    """How it ended."""
    details: Mapping[str, str] = attrs.field(
        factory=dict, converter=_freeze_details, validator=_check_details
    )
    """Further facts (never a secret)."""

    def __hash__(self) -> int:
        return hash((self.at, self.actor, self.action, self.subject, self.outcome))


@runtime_checkable
class AuditLog(Protocol):
    """The audit port: appends audit events; an audit trail is never edited."""

    def record(self, event: AuditEvent) -> None:
        """Append *event* to the trail."""
        ...


class AuditStore(Protocol):
    """Appends audit events and lists them in time order.

    Nothing is ever edited, but for an erased person's pseudonymisation
    (:meth:`pseudonymise`): events are never removed by it.
    """

    def append(self, event: AuditEvent) -> None:
        """Append *event*."""
        ...

    def list(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AuditEvent]:
        """Return events by time (then by order of appending), filtered.

        Args:
            subject: Only events about this subject.
            actor: Only events by this actor.
            since: Only events at or after this time.
            until: Only events before this time.
            after: The cursor of the previous page.
            limit: At most this many events.
        """
        ...

    def pseudonymise(
        self, names: Collection[str], pseudonym: str, *, details: Collection[str] = ()
    ) -> int:
        """Replace a person's identifying values with *pseudonym* in every event (PRIV-3).

        The one edit of the trail: the events are kept, so the trail survives
        without the person. Each event is rewritten as :func:`pseudonymised`
        says, in this unit (committed or rolled back with it).

        Args:
            names: The values that identify the person (an account id, a
                login name, an e-mail address, an audit subject such as
                ``account:<id>``).
            pseudonym: What replaces them (``pseudonym:<key id>:<hex>``).
            details: Detail keys whose values, in an event that names the
                person, identify them too (``ip``).

        Returns:
            How many events changed.
        """
        ...


def pseudonymised(
    event: AuditEvent, names: Collection[str], pseudonym: str, details: Collection[str] = ()
) -> AuditEvent | None:
    """Return *event* with the person of *names* replaced by *pseudonym*, or ``None``.

    Its actor, its subject and each detail value that equals one of *names*
    becomes *pseudonym*; where the person acted (the actor, or, with no
    actor, the subject named them: a visitor signing in to their account),
    the values of the detail keys in *details* (the address the request came
    from) become *pseudonym* too. ``None``: the event does not name the
    person. Every backend's :meth:`AuditStore.pseudonymise` follows this rule.

    >>> from datetime import datetime, timezone
    >>> event = AuditEvent(at=datetime(2026, 9, 1, tzinfo=timezone.utc), actor="a-17",
    ...     action="auth.sign_in", subject="account:a-17", details={"ip": "192.0.2.1"})
    >>> changed = pseudonymised(event, {"a-17", "account:a-17"}, "pseudonym:1:ab", {"ip"})
    >>> changed.actor, changed.subject, dict(changed.details)
    ('pseudonym:1:ab', 'pseudonym:1:ab', {'ip': 'pseudonym:1:ab'})
    >>> pseudonymised(event, {"a-18"}, "pseudonym:1:cd") is None
    True
    """
    actor = pseudonym if event.actor in names else event.actor
    subject = pseudonym if event.subject in names else event.subject
    values = {key: pseudonym if value in names else value for key, value in event.details.items()}
    if (actor, subject, values) == (event.actor, event.subject, dict(event.details)):
        return None
    acted = event.actor in names or (event.actor is None and event.subject in names)
    for key in details if acted else ():
        if key in values:
            values[key] = pseudonym
    return attrs.evolve(event, actor=actor, subject=subject, details=values)


class AuditUnit(Protocol):
    """What :class:`StoredAuditLog` needs of a unit of work: its audit store, and commit."""

    @property
    def audit(self) -> AuditStore:
        """The audit trail."""
        ...

    def commit(self) -> None:
        """Commit the unit."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class AuditBackend(Protocol):
    """What :class:`StoredAuditLog` needs of a backend (every :class:`~examkit.records.Backend`)."""

    def begin(self, *, readonly: bool = False) -> AuditUnit:
        """Start a unit of work."""
        ...

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once this thread's writing units have closed (``False``: none open)."""
        ...


class StoredAuditLog:
    """An :class:`~examkit.audit.AuditLog` that appends to the backend's audit store.

    Each event is written and committed in its own unit of work: at once, or,
    when the calling thread holds a writing unit of the backend (a use case
    that refuses inside its unit of work), as soon as that unit has closed
    (:meth:`~examkit.records.Backend.after_writing`): a second writing unit
    would wait for the first until the busy timeout. An event that cannot be
    written then never replaces the error leaving the unit: the failure is
    added to that error's notes.

    >>> from datetime import datetime, timezone
    >>> from examkit.backends.memory import MemoryBackend
    >>> backend = MemoryBackend(busy_timeout=10)
    >>> log = StoredAuditLog(backend)
    >>> event = AuditEvent(at=datetime(2026, 9, 1, tzinfo=timezone.utc), actor="k.beheerder",
    ...                    action="demo.refused", subject="demo:1", outcome="denied")
    >>> with backend.begin() as uow:
    ...     log.record(event)  # inside the unit: kept until it closes
    ...     with backend.begin(readonly=True) as reading:
    ...         len(reading.audit.list().items)
    0
    >>> with backend.begin(readonly=True) as reading:
    ...     [event.action for event in reading.audit.list().items]
    ['demo.refused']
    """

    def __init__(self, backend: AuditBackend) -> None:
        self._backend = backend

    def stores_in(self, backend: object) -> bool:
        """Return whether this log keeps its events in *backend*'s audit store.

        A use case writing to the same backend may then append its events
        in its own unit of work (``uow.audit``), so they are committed
        together with the change they describe, and not at all when it
        rolls back; what it refuses it still records here.
        """
        return backend is self._backend

    def record(self, event: AuditEvent) -> None:
        """Append *event* to the stored trail (once the thread's writing unit has closed).

        Raises:
            StorageError: the backend failed, when no writing unit was open.
        """
        if not self._backend.after_writing(lambda: self._append_after(event)):
            self._append(event)

    def _append(self, event: AuditEvent) -> None:
        with self._backend.begin() as uow:
            uow.audit.append(event)
            uow.commit()

    def _append_after(self, event: AuditEvent) -> None:
        leaving = sys.exception()
        try:
            self._append(event)
        except Exception as failure:
            if leaving is None:
                raise
            _note_failure(leaving, event, failure)

    def __repr__(self) -> str:
        return f"StoredAuditLog({self._backend!r})"


def record_refusal(audit: AuditLog, error: examkit.errors.ExamkitError, event: AuditEvent) -> None:
    """Audit a refused request: *event* with the error's code as its reason.

    The event says who (``actor``), what (``action``, ``subject``), when
    (``at``) and why (``details["reason"]``: *error*'s code, unless the event
    names another reason); its outcome is ``denied`` unless it says otherwise.
    The caller raises *error* next: a failing audit log never hides it, its
    failure is added to *error*'s notes.

    >>> from datetime import datetime, timezone
    >>> from examkit.errors import NotPermitted
    >>> from examkit.testing import MemoryAuditLog
    >>> log, error = MemoryAuditLog(), NotPermitted("permission.denied")
    >>> record_refusal(log, error, AuditEvent(
    ...     at=datetime(2026, 9, 1, tzinfo=timezone.utc), actor="k.beheerder",
    ...     action="sessions.group.plan", subject="location:22AB00"))
    >>> log.events[0].outcome, dict(log.events[0].details)
    ('denied', {'reason': 'permission.denied'})
    """
    refused = attrs.evolve(
        event,
        outcome="denied" if event.outcome == "success" else event.outcome,
        details={"reason": error.code, **event.details},
    )
    try:
        audit.record(refused)
    except Exception as failure:
        _note_failure(error, refused, failure)


def _note_failure(error: BaseException, event: AuditEvent, failure: Exception) -> None:
    """Add to *error*'s notes that *event* could not be audited, and why."""
    code = failure.code if isinstance(failure, ExamkitError) else type(failure).__name__
    error.add_note(f"audit: {event.action} on {event.subject} was not recorded ({code})")
