"""The web sessions' use cases: start, resolve, renew, end, revoke all, purge."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Final

import attrs

from examkit._digests import first_found
from examkit.accounts import Account
from examkit.errors import (
    ConcurrentModification,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.permissions import Actor, load_actor
from examkit.usecase import UseCase
from examkit.websessions._model import (
    LAST_SEEN_STEP,
    SessionScope,
    WebSession,
    WebSessionSettings,
)
from examkit.websessions._revoke import grants_generation, revoke_web_sessions

if TYPE_CHECKING:
    from datetime import datetime

    from examkit.records import UnitOfWork
    from examkit.usecase import Ports

PURPOSE: Final = "websessions.session"
"""What the session ids' digests are bound to: a digest of another purpose never matches."""

TOKEN_BYTES: Final = 32
"""Random bytes in a session id: 256 bits, twice ASVS 3.2.2's 64 bits of entropy and more."""

_TOKEN_LENGTH: Final = range(16, 201)


@attrs.frozen
class SessionUser:
    """A signed-in request's user: the live session, the account and its grants (WEB-2).

    What :meth:`WebSessions.user` returns.
    """

    session: WebSession
    """The live session (its last use written down when a minute old)."""
    account: Account
    """The account as stored now (active)."""
    actor: Actor
    """Its grants, indexed: ``actor.may("facet.users.add")`` guards a page or a link."""


def _subject(account_id: str) -> str:
    return f"account:{account_id}"


def _invalid() -> NotPermitted:
    """The one refusal of an unusable session: it never says why (unknown, ended, lapsed)."""
    return NotPermitted("websessions.session.invalid")


class WebSessions:
    """Signed-in browser sessions: a portal keeps only their opaque id in a cookie (WEB-2).

    ``kit.web_sessions``. After examkit's sign-in says the user is signed in,
    the portal calls :meth:`start` and puts the returned id in its cookie;
    on every request it calls :meth:`resolve` with the cookie's value; on
    sign-out :meth:`end`. Only a keyed digest of the id is stored (under
    the kit's token key, so a rotated key keeps sessions working while it is
    kept as a retired key). No use case here takes ``lang=``: none sends
    mail. No permission is asked: each acts only on the session its id
    names, or (:meth:`revoke_all`) for the portal on the account it names.

    >>> from examkit.accounts import Account, LoginName
    >>> from examkit.backends.memory import MemoryBackend
    >>> from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
    >>> from examkit.usecase import Ports
    >>> clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    >>> ports = Ports.of(backend=MemoryBackend(), mailer=RecordingMailer(), clock=clock,
    ...     secrets=SequenceSecretSource(), token_key=b"k" * 32,
    ...     base_url="https://portal.example.nl")
    >>> with ports.backend.begin() as uow:
    ...     _ = uow.accounts.add(Account(id="a-1", login_name=LoginName("22AB.K.Jansen"),
    ...         first_name="Jan", last_name="Jansen", email="jan@school.example.nl"))
    ...     uow.commit()
    >>> sessions = WebSessions(ports)
    >>> token, session = sessions.start("a-1")
    >>> sessions.resolve(token).account_id
    'a-1'
    >>> _ = clock.advance(minutes=31)
    >>> sessions.resolve(token)
    Traceback (most recent call last):
    ...
    examkit.errors.NotPermitted: This session is no longer valid; please sign in again.

    Args:
        ports: The wired ports.
        settings: The timeouts (30 minutes idle, 12 hours absolute by default).

    Implements WEB-2.
    """

    def __init__(self, ports: Ports, settings: WebSessionSettings | None = None) -> None:
        self.ports = ports
        """The wired ports."""
        self.settings: WebSessionSettings = (
            settings if settings is not None else WebSessionSettings()
        )
        """The timeouts."""

    def start(
        self, account: str, *, scope: SessionScope = SessionScope.PORTAL
    ) -> tuple[str, WebSession]:
        """Start a session for *account*, just signed in; return its id and the session.

        Call it when the sign-in flow ends signed in, and put the id (only)
        in the cookie: a new id at every sign-in, never one the browser
        brought, so a planted id is worthless (session fixation). The id is
        drawn from the ports' randomness (256 bits); only its keyed digest
        is stored. After the proctor monitor's sign-in
        (:meth:`SignInMonitor.monitor_sign_in <examkit.auth.SignInMonitor.monitor_sign_in>`,
        no code) start it with *scope* :attr:`~SessionScope.MONITOR`: it opens
        the monitor only, with the monitor's timeouts.

        Raises:
            NotFound: there is no such account.
            NotPermitted: ``websessions.account.inactive``.
        """
        with UseCase(
            self.ports, "websessions.session.started", _subject(account), actor=account
        ) as unit:
            token, session = self._issue(unit.uow, account, unit.now, scope=scope)
            unit.audit(details={"scope": scope.value})
            unit.commit()
        return token, session

    def resolve(self, token: str, *, area: SessionScope = SessionScope.PORTAL) -> WebSession:
        """Return the live session of the id *token*, for a request that brought it.

        The last use is written at most once a minute
        (:data:`~examkit.websessions.LAST_SEEN_STEP`): a reading transaction
        answers most requests, and a writing one follows only when the
        stored last use is a minute old or more, so page views do not queue
        as writes. A session may therefore lapse up to a minute early on
        its idle timeout, never late. A successful resolution is not
        audited (it happens on every request); a refusal is.

        *area* is the part of the portal the request is for: a monitor
        session (:attr:`SessionScope.MONITOR`) resolves only for the
        monitor's own pages; a portal session resolves for every area.

        Raises:
            NotPermitted: ``websessions.session.invalid``: the id is unknown,
                ended, unused for the idle timeout, past its absolute
                expiry, or of a scope that does not reach *area*; the error
                does not say which. Sign in again.
            InvalidState: ``websessions.session.renew_required``: the
                account's grants changed since the session was issued; call
                :meth:`renew` and send the browser the new id.
        """
        with UseCase(
            self.ports, "websessions.session.resolved", "web-session", readonly=True
        ) as unit:
            session = self._current(unit, token, area)
        return self._seen(session, unit.now)

    def user(self, token: str, *, area: SessionScope = SessionScope.PORTAL) -> SessionUser:
        """Return the session of *token* with its account and what the account may do.

        What a portal needs on every signed-in request, read in one
        transaction: :meth:`resolve`'s checks and answers, and also the
        account as stored now (a session of an account that is no longer
        active is refused, however its status was changed) and its grants
        (:class:`~examkit.permissions.Actor`) to guard pages and build a menu.
        *area* as for :meth:`resolve`.

        Raises:
            NotPermitted: ``websessions.session.invalid`` (as :meth:`resolve`,
                and for an inactive or removed account).
            InvalidState: ``websessions.session.renew_required`` (as :meth:`resolve`).
        """
        with UseCase(
            self.ports, "websessions.session.resolved", "web-session", readonly=True
        ) as unit:
            session = self._current(unit, token, area)
            try:
                account = unit.uow.accounts.get(session.account_id)
            except NotFound:
                raise _invalid() from None
            if not account.is_active:
                raise _invalid()
            actor = load_actor(unit.uow, account.id)
        return SessionUser(session=self._seen(session, unit.now), account=account, actor=actor)

    def renew(self, token: str) -> str:
        """Give the sign-in of *token* a new id, ending the old one; return the new id.

        For a change of the user's privileges (a role granted, when
        :meth:`resolve` asks for it, or any change the portal makes for the
        user): the new session keeps the sign-in's time, absolute expiry and
        scope (a renewal never lengthens a sign-in nor widens it) and records
        the grants as they are now.

        Raises:
            NotPermitted: ``websessions.session.invalid`` (as :meth:`resolve`)
                or ``websessions.account.inactive``.
        """
        with UseCase(self.ports, "websessions.session.renewed", "web-session") as unit:
            uow, now = unit.uow, unit.now
            old = self._live(uow, token, now)
            unit.subject, unit.actor_id = _subject(old.account_id), old.account_id
            uow.web_sessions.update(attrs.evolve(old, revoked_at=now))
            new_token, _ = self._issue(
                uow,
                old.account_id,
                now,
                scope=old.scope,
                created_at=old.created_at,
                expires_at=old.expires_at,
            )
            unit.audit()
            unit.commit()
        return new_token

    def end(self, token: str) -> bool:
        """End the session of *token* (sign-out); return whether a live session was ended.

        An id that is unknown or already ended ends nothing and is no error:
        a browser signing out with a stale cookie is signed out all the same.
        """
        with UseCase(self.ports, "websessions.session.ended", "web-session") as unit:
            uow, now = unit.uow, unit.now
            try:
                session = self._live(uow, token, now)
            except NotPermitted:
                return False
            unit.subject, unit.actor_id = _subject(session.account_id), session.account_id
            uow.web_sessions.update(attrs.evolve(session, revoked_at=now))
            unit.audit()
            unit.commit()
        return True

    def revoke_all(self, account: str) -> int:
        """End every live session of *account*; return how many.

        The use cases that change an account's privileges (deactivation, a
        password change or reset, a role revocation) already do this in
        their own transaction (:func:`~examkit.websessions.revoke_web_sessions`);
        this is for the portal's own reasons ("sign me out everywhere" is
        :meth:`Profile.sign_out_everywhere <examkit.auth.Profile.sign_out_everywhere>`).
        """
        with UseCase(self.ports, "websessions.session.revoked_all", _subject(account)) as unit:
            count = revoke_web_sessions(unit.uow, account, now=unit.now)
            unit.audit(details={"count": str(count)})
            unit.commit()
        return count

    def purge_ended(self) -> int:
        """Remove every session ended by now (revoked, idle or expired); return how many.

        For a periodic job (once an hour or a day): an ended session is of
        no use, and removing it keeps the table small.
        """
        with UseCase(self.ports, "websessions.session.purged", "web-sessions") as unit:
            count = unit.uow.web_sessions.purge_ended(unit.now)
            unit.audit(details={"count": str(count)})
            unit.commit()
        return count

    # -- internals ---------------------------------------------------------------

    def _issue(
        self,
        uow: UnitOfWork,
        account_id: str,
        now: datetime,
        *,
        scope: SessionScope,
        created_at: datetime | None = None,
        expires_at: datetime | None = None,
    ) -> tuple[str, WebSession]:
        if not isinstance(scope, SessionScope):
            raise InvalidInput("websessions.session.scope", field="scope")
        if not uow.accounts.get(account_id).is_active:
            raise NotPermitted("websessions.account.inactive")
        idle, absolute = self.settings.timeouts(scope)
        token = self.ports.secrets.token_urlsafe(TOKEN_BYTES)
        session = WebSession(
            id=self.ports.digester.digest(PURPOSE, token),
            account_id=account_id,
            created_at=now if created_at is None else created_at,
            last_seen_at=now,
            idle_timeout=idle,
            expires_at=now + absolute if expires_at is None else expires_at,
            generation=grants_generation(uow, account_id),
            scope=scope,
        )
        return token, uow.web_sessions.add(session)

    def _live(self, uow: UnitOfWork, token: str, now: datetime) -> WebSession:
        if not isinstance(token, str) or len(token) not in _TOKEN_LENGTH or not token.isascii():
            raise _invalid()
        digests = self.ports.digester.digests(PURPOSE, token)
        try:
            session = first_found(digests, uow.web_sessions.get)
        except NotFound:
            raise _invalid() from None
        if not session.is_live(now):
            raise _invalid()
        return session

    def _current(self, unit: UseCase, token: str, area: SessionScope) -> WebSession:
        """Return the live session of *token* in *unit* reaching *area*, its grants unchanged."""
        session = self._live(unit.uow, token, unit.now)
        if not isinstance(area, SessionScope) or not session.scope.reaches(area):
            raise _invalid()
        unit.subject = _subject(session.account_id)
        if session.generation != grants_generation(unit.uow, session.account_id):
            raise InvalidState("websessions.session.renew_required")
        return session

    def _seen(self, session: WebSession, now: datetime) -> WebSession:
        """Write down a use of *session* at *now* when the last one written is a minute old.

        Another request may have written it first. A fresher use is left as it is
        (no write), so most requests are answered by a reading transaction only.
        """
        if now - session.last_seen_at < LAST_SEEN_STEP:
            return session
        with UseCase(self.ports, "websessions.session.seen", _subject(session.account_id)) as unit:
            uow = unit.uow
            try:
                current = uow.web_sessions.get(session.id)
            except NotFound:
                raise _invalid() from None
            if not current.is_live(now):
                raise _invalid()
            if now - current.last_seen_at < LAST_SEEN_STEP:
                return current
            with contextlib.suppress(ConcurrentModification):
                current = uow.web_sessions.update(attrs.evolve(current, last_seen_at=now))
            unit.commit()
        return current

    def __repr__(self) -> str:
        return f"WebSessions(settings={self.settings!r})"
