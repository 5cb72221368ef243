"""The use-case unit: one transaction per use case, with its actor, its audit and its mail.

Every use case of examkit runs the same way:

1. it opens a :class:`UseCase` over the :class:`Ports` the composition root
   wired once, naming what it does (``action``), to what (``subject``) and
   for whom (``actor``, an account id, or ``None`` for the system or an
   anonymous visitor);
2. inside it, the acting account's grants are loaded **in the same
   transaction** (:attr:`UseCase.actor`): a grant revoked before the unit
   began cannot act, whichever use case is asked;
3. it reads and writes through :attr:`UseCase.uow`, notes its audit events
   (:meth:`UseCase.audit`) and the e-mails it sends (:meth:`UseCase.send`);
4. :meth:`UseCase.commit` appends the audit events to the backend's own
   audit store in the same transaction as the change they describe (or, for
   an audit log kept elsewhere, records them right after the commit), then
   sends the mail: a change that is rolled back leaves no audit event and
   sends no e-mail;
5. an :class:`~examkit.errors.ExamkitError` leaving the unit rolls back
   everything and is audited on its own, after the transaction has closed
   (``denied`` for a :class:`~examkit.errors.NotPermitted`, ``failure``
   otherwise; the error's code is the reason), so a refusal changes nothing
   and never waits on a lock the same call holds. A use case whose refusal
   reads otherwise (another outcome, more events) or keeps what it counted
   (a failed attempt, committed first) raises it through
   :meth:`UseCase.refuse`.

>>> from examkit.backends.memory import MemoryBackend
>>> from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
>>> from examkit.audit import StoredAuditLog
>>> backend = MemoryBackend()
>>> ports = Ports.of(backend=backend, mailer=RecordingMailer(),
...     clock=ManualClock.at("2026-09-01T08:00:00+00:00"), secrets=SequenceSecretSource(),
...     token_key=b"k" * 32, base_url="https://portal.example.nl")
>>> with UseCase(ports, "demo.noted", "demo:1") as unit:
...     unit.audit(details={"what": "a note"})
...     unit.commit()
>>> with backend.begin(readonly=True) as uow:
...     [(event.action, event.outcome) for event in uow.audit.list().items]
[('demo.noted', 'success')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn, Self

import attrs

from examkit._digests import Digester
from examkit._read_marks import ReadMarks
from examkit.audit import (
    AuditEvent,
    AuditLog,
    AuditOutcome,
    StoredAuditLog,
    current_request,
    record_refusal,
)
from examkit.errors import ExamkitError, InvalidState, NotPermitted
from examkit.messages import DEFAULT_LANG, Lang
from examkit.notifications import QueuedMail, next_attempt, seal
from examkit.ports import Clock, Mailer, Message, PasswordHasher, PortalPaths, SecretSource

if TYPE_CHECKING:
    from examkit.passwords import PasswordPolicy
    from examkit.permissions import Actor
    from examkit.records import Backend, UnitOfWork

__all__ = ["Ports", "ReadMarks", "UseCase", "deliver"]


@attrs.frozen
class _Refusal:
    """A refusal raised through :meth:`UseCase.refuse`: the error and its events."""

    error: ExamkitError
    events: tuple[AuditEvent, ...]


@attrs.frozen(repr=False)
class Ports:
    """Everything a use case needs from the world, wired once by the composition root.

    :class:`examkit.Examkit` builds one and hands it to every use case; a
    test may build its own with :meth:`of`, which fills in the production
    defaults for what it is not given.
    """

    backend: Backend
    """Where the data is kept."""
    clock: Clock
    """The time source."""
    secrets: SecretSource
    """The randomness source."""
    mailer: Mailer
    """Sends the e-mails the use cases compose."""
    audit: AuditLog
    """The audit log (the backend's own store in production)."""
    hasher: PasswordHasher
    """Hashes passwords for storage."""
    password_policy: PasswordPolicy
    """The policy chosen passwords must meet."""
    token_key: bytes
    """The key of the keyed digests of stored tokens."""
    base_url: str
    """The portal's address, for links in e-mails."""
    paths: PortalPaths = attrs.field(factory=PortalPaths)
    """The portal's pages the e-mails link to."""
    lang: Lang = DEFAULT_LANG
    """The language of messages and e-mails when an account has none of its own."""
    token_key_id: str = "1"  # noqa: S105 - a key's name, not a secret
    """The current token key's id."""
    retired_token_keys: Mapping[str, bytes] = attrs.field(factory=dict)
    """Earlier token keys by id: tokens issued under them are still recognised."""
    read_marks: ReadMarks = attrs.field(factory=ReadMarks, eq=False, repr=False)
    """The reads of people's data recorded today, so each is recorded once a day
    (:class:`ReadMarks`): one set per kit, in memory."""
    audit_inline: bool = attrs.field(init=False)
    """Whether audit events go into the backend's store in the use case's own transaction."""
    digester: Digester = attrs.field(init=False, repr=False)
    """The keyed digests under the current key and the retired ones."""

    @property
    def token_keys(self) -> dict[str, bytes]:
        """Every configured token key by id, the current one first."""
        return {self.token_key_id: self.token_key, **self.retired_token_keys}

    @digester.default
    def _digester(self) -> Digester:
        return Digester(self.token_key, key_id=self.token_key_id, retired=self.retired_token_keys)

    @audit_inline.default
    def _audit_inline(self) -> bool:
        return isinstance(self.audit, StoredAuditLog) and self.audit.stores_in(self.backend)

    @classmethod
    def of(
        cls,
        *,
        backend: Backend,
        mailer: Mailer,
        token_key: bytes,
        base_url: str,
        clock: Clock | None = None,
        secrets: SecretSource | None = None,
        audit: AuditLog | None = None,
        hasher: PasswordHasher | None = None,
        password_policy: PasswordPolicy | None = None,
        lang: Lang = DEFAULT_LANG,
        token_key_id: str = "1",  # noqa: S107 - a key's name, not a secret
        retired_token_keys: Mapping[str, bytes] | None = None,
        paths: PortalPaths | None = None,
    ) -> Ports:
        """Return ports with the production defaults for what is not given.

        The system clock, the operating system's randomness, the backend's
        own audit store, argon2id and the exam system's password policy
        (``facet``), as :class:`examkit.Examkit` chooses them.
        """
        from examkit.clocks import SystemClock
        from examkit.passwords import PRESETS, Argon2Hasher
        from examkit.randomness import SystemSecretSource

        secrets = secrets if secrets is not None else SystemSecretSource()
        return cls(
            backend=backend,
            clock=clock if clock is not None else SystemClock(),
            secrets=secrets,
            mailer=mailer,
            audit=audit if audit is not None else StoredAuditLog(backend),
            hasher=hasher if hasher is not None else Argon2Hasher(secrets),
            password_policy=password_policy if password_policy is not None else PRESETS["facet"],
            token_key=token_key,
            base_url=base_url,
            paths=paths if paths is not None else PortalPaths(),
            lang=lang,
            token_key_id=token_key_id,
            retired_token_keys=dict(retired_token_keys or {}),
        )

    def link(self, path: str, token: str | None = None) -> str:
        """Return the link to the portal's *path* (one of :attr:`paths`), carrying *token*."""
        return self.paths.link(self.base_url, path, token)

    def __repr__(self) -> str:
        return f"Ports(backend={self.backend!r}, base_url={self.base_url!r}, lang={self.lang!r})"


class UseCase:
    """One use case's unit of work: its transaction, actor, audit events and mail.

    Args:
        ports: The wired ports.
        action: What the use case does, as a dotted code: the action of its
            audit events unless an event names another.
        subject: What it acts on (``kind:id``); a use case that learns it
            later (a new record's id) sets :attr:`subject`.
        actor: The acting account's id; ``None`` for the system itself or
            an anonymous visitor.
        readonly: Open a reading transaction.
        details: Facts for its events, the refusal's included (never a secret).
    """

    __slots__ = (
        "_actor",
        "_after_commit",
        "_committed",
        "_events",
        "_mail",
        "_ports",
        "_reads",
        "_refusal",
        "_uow",
        "action",
        "actor_id",
        "audit_as",
        "details",
        "now",
        "readonly",
        "subject",
    )

    def __init__(
        self,
        ports: Ports,
        action: str,
        subject: str,
        *,
        actor: str | None = None,
        audit_as: str | None = None,
        readonly: bool = False,
        details: Mapping[str, str] | None = None,
        now: datetime | None = None,
    ) -> None:
        self._ports = ports
        self.action = action
        """The use case's action."""
        self.subject = subject
        """What it acts on (it may be set once known)."""
        self.actor_id = actor
        """The acting account's id, or ``None``.

        A use case that learns it inside the unit (a step found by its token)
        sets it before it first reads :attr:`actor`.
        """
        self.audit_as = audit_as
        """Who the unit's events name as their actor when it is not the acting account.

        For a visitor who is not signed in (the login name typed), whose grants
        are never loaded; ``None``: :attr:`actor_id`.
        """
        self.readonly = readonly
        """Whether the transaction only reads."""
        self.details: dict[str, str] = dict(details or {})
        """Facts for every event of the unit, the refusal's included."""
        self.now: datetime = ports.clock.now() if now is None else now
        """The moment the use case runs: the clock is read once (or given, by a use case
        that runs in several units and reads it once for all)."""
        self._uow: UnitOfWork | None = None
        self._actor: Actor | None = None
        self._events: list[AuditEvent] = []
        self._mail: list[Message] = []
        self._committed = False
        self._refusal: _Refusal | None = None
        self._after_commit: list[Callable[[], None]] = []
        self._reads: list[AuditEvent] = []

    # -- the transaction ---------------------------------------------------------

    def __enter__(self) -> Self:
        self._uow = self._ports.backend.begin(readonly=self.readonly).__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        uow, self._uow = self._uow, None
        if uow is not None:
            uow.__exit__(kind, error, trace)
        if kind is None and self._reads:
            self._write_reads()
        if not isinstance(error, ExamkitError):
            return
        refusal = self._refusal
        if refusal is not None and refusal.error is error:
            for event in refusal.events:
                record_refusal(self._ports.audit, error, event)
        elif not self._committed:
            outcome: AuditOutcome = "denied" if isinstance(error, NotPermitted) else "failure"
            record_refusal(self._ports.audit, error, self._event(self.action, outcome, {}))

    @property
    def uow(self) -> UnitOfWork:
        """The open transaction.

        Raises:
            InvalidState: the unit is not open (outside its ``with`` block,
                or after :meth:`commit`).
        """
        if self._uow is None:
            raise InvalidState("storage.unit_closed")
        return self._uow

    @property
    def ports(self) -> Ports:
        """The ports the unit runs on."""
        return self._ports

    @property
    def actor(self) -> Actor:
        """The acting account as permission decisions see it, read in this transaction.

        Loaded once per unit, from the account and its grants as they are
        now: a deactivated account or a revoked grant acts no more. Without
        an acting account (``actor=None``) it is an inactive actor that may
        nothing.
        """
        if self._actor is None:
            from examkit.permissions import Actor, load_actor

            self._actor = (
                Actor("", active=False)
                if self.actor_id is None
                else load_actor(self.uow, self.actor_id)
            )
        return self._actor

    def require(self, action: str, on: Any = None) -> None:
        """Refuse unless the actor may do *action* on *on* (a place, a target, ``None``).

        Raises:
            NotPermitted: ``permission.denied``; the unit rolls back and the
                refusal is audited as ``denied``. The message says nothing
                about *on*.
        """
        if not self.actor.may(action, on):
            raise NotPermitted("permission.denied")

    # -- what it records and sends -----------------------------------------------

    def audit(
        self,
        action: str | None = None,
        *,
        subject: str | None = None,
        outcome: AuditOutcome = "success",
        details: Mapping[str, str] | None = None,
    ) -> None:
        """Note an audit event, written when the unit commits (the unit's action by default)."""
        self._events.append(self._event(action or self.action, outcome, details or {}, subject))

    @property
    def audit_actor(self) -> str | None:
        """Who the unit's events name as their actor: :attr:`audit_as`, else :attr:`actor_id`."""
        return self.actor_id if self.audit_as is None else self.audit_as

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run *action* once :meth:`commit` has committed (never for a unit rolled back).

        In a reading unit: once the reads it recorded are written (:meth:`record_reads`).
        """
        self._after_commit.append(action)

    def record_reads(self, events: Iterable[AuditEvent]) -> None:
        """Record *events*, reads of people's data (``privacy.read``), for the unit's actor.

        A writing unit writes them with its change when it commits. A reading
        unit stays a reading transaction (no write lock taken to read): its
        reads are written as it closes, in a unit of their own (after the
        thread's open writing unit, if it holds one), and one that cannot be
        written raises from the ``with`` block, so what was read is not
        handed out unrecorded.
        """
        if self.readonly:
            self._reads.extend(events)
        else:
            self._events.extend(events)

    def _write_reads(self) -> None:
        reads, self._reads = self._reads, []
        actions, self._after_commit = self._after_commit, []
        ports = self._ports
        backend = ports.backend

        def write() -> None:
            if ports.audit_inline:
                with backend.begin() as uow:
                    for event in reads:
                        uow.audit.append(event)
                    uow.commit()
            else:
                for event in reads:
                    ports.audit.record(event)
            for action in actions:  # once written: the day's marks
                action()

        if not (ports.audit_inline and backend.after_writing(write)):
            write()

    def note(self, event: AuditEvent) -> None:
        """Note *event* (made by :meth:`event`, or from one), written when the unit commits."""
        self._events.append(event)

    def event(
        self,
        action: str | None = None,
        *,
        subject: str | None = None,
        outcome: AuditOutcome = "success",
        details: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        """Return an event of this unit (its moment, actor, subject and details by default)."""
        return self._event(action or self.action, outcome, details or {}, subject)

    def refuse(
        self,
        error: ExamkitError,
        *,
        action: str | None = None,
        subject: str | None = None,
        outcome: AuditOutcome | None = None,
        details: Mapping[str, str] | None = None,
        also: Iterable[AuditEvent] = (),
    ) -> NoReturn:
        """Raise *error*, audited as said here once the unit has closed.

        For a refusal whose event is not the unit's default one: another
        action, outcome (a wrong password is a ``failure``, though it is a
        :class:`~examkit.errors.NotPermitted`), details, or further events
        (*also*: a refusal that blocks the name). It may follow
        :meth:`commit`, for a refusal that keeps what the unit counted (a
        failed attempt): the committed change stays and the refusal is still
        audited, after the transaction closed; without a commit the unit
        rolls back first.

        Raises:
            examkit.errors.ExamkitError: *error*, always.
        """
        default: AuditOutcome = "denied" if isinstance(error, NotPermitted) else "failure"
        first = self.event(
            action, subject=subject, outcome=outcome or default, details=details or {}
        )
        self._refusal = _Refusal(error, (first, *also))
        raise error

    def send(self, message: Message) -> None:
        """Send *message* with the change: stored in the outbox at the commit, then sent.

        Never for a change rolled back; a mail the mailer refuses waits in the
        outbox and is tried again (:class:`~examkit.outbox.MailQueue`).
        """
        self._mail.append(message)

    def commit(self) -> None:
        """Commit the change with its audit events and its mail, then send the mail.

        With the backend's own audit store the events are appended in this
        transaction, so the change and its events are kept together or not
        at all; with another audit log they are recorded right after the
        commit. The unit's e-mails are stored, sealed, in the outbox in this
        transaction (:data:`~examkit.notifications.OUTBOX`) and handed to
        the mailer after the commit: one the mailer refuses waits there for
        :meth:`MailQueue.deliver_due <examkit.outbox.MailQueue.deliver_due>`
        (delayed, never lost; the mailer's error is not raised). The unit is
        closed afterwards. A reading unit has nothing to commit: it stays open
        until its ``with`` block ends, and writes the reads it recorded then
        (:meth:`record_reads`).
        """
        if self.readonly:
            return  # nothing to commit: the reads it recorded are written as it closes
        uow, ports = self.uow, self._ports
        mail, self._mail = self._mail, []
        queued = [self._queued(message) for message in mail] if mail else []
        for item in queued:
            uow.outbox.add(item)
        if ports.audit_inline:
            for event in self._events:
                uow.audit.append(event)
            uow.commit()
        else:
            uow.commit()
            for event in self._events:
                ports.audit.record(event)
        self._events.clear()
        self._committed = True
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()
        if mail:
            for item, message in zip(queued, mail, strict=True):
                deliver(ports, item, message, now=self.now)

    def _queued(self, message: Message) -> QueuedMail:
        ports = self._ports
        return QueuedMail(
            id=ports.secrets.token_urlsafe(16),
            kind=message.kind,
            to=message.to,
            sealed=seal(
                message, ports.token_keys, ports.token_key_id, nonce=ports.secrets.token_bytes(12)
            ),
            queued_at=self.now,
            next_attempt_at=self.now,
        )

    def _event(
        self,
        action: str,
        outcome: AuditOutcome,
        details: Mapping[str, str],
        subject: str | None = None,
    ) -> AuditEvent:
        request = current_request()
        tagged = {} if request is None else {"request": request}
        return AuditEvent(
            at=self.now,
            actor=self.audit_actor,
            action=action,
            subject=self.subject if subject is None else subject,
            outcome=outcome,
            details={**self.details, **details, **tagged},
        )

    def __repr__(self) -> str:
        return f"UseCase({self.action!r}, {self.subject!r}, actor={self.actor_id!r})"


def deliver(ports: Ports, item: QueuedMail, message: Message, *, now: datetime) -> bool:
    """Hand the queued *item* (holding *message*) to the mailer; return whether it took it.

    Taken, the item leaves the outbox; refused (any error of the mailer), it
    stays with its attempt counted and its next attempt set
    (:func:`~examkit.notifications.next_attempt`), in a unit of its own each
    way. The mailer's error is not raised: the mail is delayed, not lost.
    """
    try:
        ports.mailer.send(message)
    except Exception as error:
        reason = error.code if isinstance(error, ExamkitError) else type(error).__name__
        with ports.backend.begin() as uow:
            found = uow.outbox.get(item.id)
            attempts = found.attempts + 1
            uow.outbox.update(
                attrs.evolve(
                    found,
                    attempts=attempts,
                    next_attempt_at=next_attempt(attempts, now),
                    last_error=reason[:80],
                )
            )
            uow.commit()
        return False
    with ports.backend.begin() as uow:
        uow.outbox.remove(item.id)
        uow.commit()
    return True
