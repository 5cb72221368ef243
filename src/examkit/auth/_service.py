"""The sign-in use cases: the flow, the proctor monitor, reset, profile, reminders, housekeeping.

Every use case takes the ports it needs through :class:`SignInService` and
follows the same pattern: decide with pure rules (the flow table, the
password lifetime), write in one unit of work, then mail and audit.
A password hash is never computed inside a writing unit of work: an argon2
hash takes a quarter of a second and would hold the database's writer
lock (SQLite) or a row lock (PostgreSQL) that long.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from examkit._fields import check_email, normalise_email
from examkit.accounts import Account, LoginName
from examkit.audit import AuditEvent, AuditOutcome, StoredAuditLog, record_refusal
from examkit.auth._flow import FLOW, Facts
from examkit.auth._gate import SignInGate
from examkit.auth._mail import compose, local_time, whole_minutes
from examkit.auth._model import (
    Action,
    Authenticator,
    AuthenticatorEnrolment,
    EmailChange,
    MonitorSignIn,
    ProfileUpdate,
    Reminder,
    SentReminder,
    SignInProgress,
    SignInTransaction,
    Step,
    TrustedBrowser,
    reminder_id,
)
from examkit.auth._rules import SecondFactor, SignInRules
from examkit.auth._secrets import Digester, lockout_key, matching_step, totp
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
)
from examkit.messages import DEFAULT_LANG, Lang, text
from examkit.passwords import (
    PasswordContext,
    PasswordMatch,
    PasswordPolicy,
    PasswordStatus,
    change_password,
    verify_password,
)
from examkit.ports import AuditLog, Clock, Mailer, Message, PasswordHasher, SecretSource
from examkit.storage import StoredToken

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

# Attempt-counter purposes.
SIGN_IN: Final = "auth.sign_in"
"""Attempt-counter purpose of password checks, keyed by the folded login name (AUTH-6)."""
CODE: Final = "auth.code"
"""Attempt-counter purpose of entries of one code (keyed by transaction and generation)."""
ACCOUNT_CODE: Final = "auth.code.account"
"""Attempt-counter purpose of code entries per account (not reset by a new code)."""
NEW_CODE: Final = "auth.code.new"
"""Attempt-counter purpose of requests for a new code, per account."""
RESET_REQUEST: Final = "auth.reset.request"
"""Attempt-counter purpose of reset requests, per folded login name."""

# Token-store purposes (single-use).
OTP: Final = "auth.otp"
"""Token purpose of e-mailed one-time passwords."""
RESET: Final = "auth.reset"
"""Token purpose of reset links."""
EMAIL_CONFIRM: Final = "auth.email"
"""Token purpose of links confirming a new e-mail address."""

# Digest purposes of multi-use keys.
_TRANSACTION: Final = "auth.transaction"
_BROWSER: Final = "auth.browser"
_TOKEN_BYTES: Final = 32
_MAX_TOKEN_LENGTH: Final = 256
_DAY: Final = timedelta(days=1)


@attrs.frozen
class _Checked:
    """A right password of an active account, counted against the lockout."""

    account: Account
    """The account, with its hash redone when it was outdated."""
    upgraded: bool
    """Whether the hash was redone (the account must be stored)."""
    key: str
    """The lockout key of the login name."""


def _ip(value: object) -> str:
    try:
        return _compressed(str(value).strip())
    except ValueError:
        raise InvalidInput("auth.ip.invalid", field="ip", value=str(value)[:64]) from None


@functools.lru_cache(maxsize=4096)
def _compressed(text: str) -> str:
    """Return address *text* as :mod:`ipaddress` writes it (a pure function; its parse is slow)."""
    return ipaddress.ip_address(text).compressed


def _usable_token(value: object) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= _MAX_TOKEN_LENGTH:
        return value
    return None


class SignInService:
    """Signing in (*inloggen*): the flow, lockout, codes, trusted browsers, reset, monitor, profile.

    Reached through :attr:`examkit.Examkit.signin`. Each step of the flow
    (:data:`~examkit.auth.FLOW`) returns a :class:`~examkit.auth.SignInProgress`
    naming the page to show next; a refused step raises an
    :class:`~examkit.errors.ExamkitError` whose message the portal shows.

    >>> from examkit.testing import make_kit
    >>> kit = make_kit()
    >>> try:
    ...     kit.signin.submit_credentials("22AB.Onbekend", "Zomer2026!", ip="192.0.2.10")
    ... except NotPermitted as error:
    ...     print(error.message("nl"))
    Combinatie gebruikersnaam/wachtwoord is ongeldig.

    Args:
        backend: Where accounts, transactions, counters and tokens are kept.
        clock: The time.
        secrets: Where tokens and codes come from.
        mailer: Sends the e-mails.
        audit: Receives an event for everything that happens.
        hasher: Verifies and hashes passwords.
        policy: The password policy (its lifetime decides expiry).
        gate: Decides who may sign in to which environment.
        token_key: The key of the stored digests (at least 32 bytes).
        base_url: The portal's address, for links in e-mails (never the request's host).
        lang: The language of e-mails.
        rules: The sign-in's numbers.

    Implements AUTH-2 to AUTH-10 and the sign-in's e-mails of NOTE-1.
    """

    def __init__(
        self,
        *,
        backend: Backend,
        clock: Clock,
        secrets: SecretSource,
        mailer: Mailer,
        audit: AuditLog,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        gate: SignInGate,
        token_key: bytes,
        base_url: str,
        lang: Lang = "nl",
        rules: SignInRules | None = None,
    ) -> None:
        self.rules: SignInRules = rules if rules is not None else SignInRules()
        """The sign-in's numbers."""
        self.policy = policy
        """The password policy."""
        self._backend = backend
        self._clock = clock
        self._secrets = secrets
        self._mailer = mailer
        self._audit = audit
        self._audit_inline = isinstance(audit, StoredAuditLog) and audit.stores_in(backend)
        self._hasher = hasher
        self._gate = gate
        self._digester = Digester(token_key)
        self._base_url = base_url.rstrip("/")
        self._lang: Lang = lang

    def __repr__(self) -> str:
        return f"SignInService({self.rules!r})"

    # -- the flow ------------------------------------------------------------------------

    def submit_credentials(
        self,
        login_name: str,
        password: str,
        *,
        ip: str,
        browser_token: str | None = None,
        application: str | None = None,
    ) -> SignInProgress:
        """Check login name and password; return the step that follows (AUTH-2 to AUTH-7).

        The attempt is counted against the login name (folded) before the
        password is checked, whether the account exists or not; a blocked
        name is refused without a check. An unknown name, a wrong password,
        a deactivated account and an e-mailed initial password past its
        validity give the same error after the same work (one hash
        computation at the current cost, whatever scheme the stored hash is
        in). Then: an initial password must be replaced, an expired chosen
        one too (the old one entered once more); a trusted browser
        (*browser_token* from the cookie, from the same *ip*, within 24
        hours) signs in at once; otherwise a one-time password is e-mailed.

        Args:
            login_name: As typed; case and surrounding space do not matter.
            password: As typed.
            ip: The client's address (see the proxy guidance in the docs).
            browser_token: The trusted-browser cookie's value, if the browser sent one.
            application: The environment (the rules' ``application`` by default).

        Raises:
            NotPermitted: ``auth.credentials.invalid`` for an unknown name, a
                wrong password, a deactivated account or an initial password
                past its validity;
                ``auth.application.denied`` when the gate refuses the account.
            LimitReached: ``auth.sign_in.blocked``, with the time the block ends.
            InvalidInput: *ip* is not an IP address.

        Implements AUTH-2, AUTH-3, AUTH-4, AUTH-5, AUTH-6 and AUTH-7.
        """
        address = _ip(ip)
        environment = application if application is not None else self.rules.application
        checked = self._check_password(
            login_name, password, ip=address, application=environment, action=SIGN_IN
        )
        account = checked.account
        now = self._clock.now()
        self._admit(account, environment, address, now)
        record = account.password
        assert record is not None  # noqa: S101 - a right password was checked
        status = self.policy.lifetime.status(record, now)
        token = self._secrets.token_urlsafe(_TOKEN_BYTES)
        transaction_id = self._digester.digest(_TRANSACTION, token)
        factor, generation, code_expires_at, code = SecondFactor.EMAIL, 0, None, None
        events: list[AuditEvent] = []
        with self._backend.begin() as uow:
            uow.attempts.reset(SIGN_IN, checked.key)
            if checked.upgraded:
                self._store_upgrade(uow, account)
            trusted = self._trusted(
                uow,
                browser_token=browser_token,
                account_id=account.id,
                ip=address,
                now=now,
                status=status,
            )
            target = FLOW.next(
                Step.CREDENTIALS,
                Action.SUBMIT_CREDENTIALS,
                Facts(password=status, trusted_browser=trusted),
            )
            if target is Step.SECOND_FACTOR:
                factor, generation, code_expires_at, code = self._new_factor(
                    uow, transaction_id, account.id, 1, now
                )
            transaction = SignInTransaction(  # built once, at its step (a sign-in's hot path)
                id=transaction_id,
                account_id=account.id,
                step=target,
                application=environment,
                ip=address,
                started_at=now,
                expires_at=now + self.rules.transaction_lifetime,
                factor=factor,
                code_generation=generation,
                code_expires_at=code_expires_at,
                password_expires_at=self.policy.lifetime.expires_at(record),
            )
            if target is Step.SECOND_FACTOR:
                if code is not None:
                    events.append(self._code_sent(account.id, transaction, address, now))
            elif target is Step.SIGNED_IN:
                events.append(
                    self._event(
                        "auth.sign_in",
                        now,
                        account=account.id,
                        ip=address,
                        application=environment,
                        factor="trusted_browser",
                    )
                )
            else:
                events.append(
                    self._event(
                        "auth.credentials",
                        now,
                        account=account.id,
                        ip=address,
                        application=environment,
                        step=target.value,
                    )
                )
            if target is not Step.SIGNED_IN:
                uow.signins.add(transaction)
            self._commit(uow, events)
        self._mail_code(account, transaction, code, ip=address, now=now)
        return self._progress(transaction, token, now)

    def change_password(self, transaction: str, new_password: str, *, ip: str) -> SignInProgress:
        """Replace the e-mailed initial password at the first sign-in; a code follows (AUTH-2).

        Raises:
            NotFound: ``auth.transaction.unknown``: no such transaction, or it lapsed.
            InvalidState: ``auth.flow.out_of_order``: the transaction is at another step.
            ExamkitErrorGroup: the new password breaks the policy (every rule at once).

        Implements AUTH-1 and AUTH-2.
        """
        address = _ip(ip)
        now = self._clock.now()
        with self._backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.CHANGE_PASSWORD)
            account = uow.accounts.get(found.account_id)
        changed = change_password(
            account, new_password, policy=self.policy, hasher=self._hasher, now=now
        )
        return self._finish_change(
            found=found,
            token=transaction,
            changed=changed,
            action=Action.CHANGE_PASSWORD,
            ip=address,
            now=now,
        )

    def change_expired_password(
        self, transaction: str, old_password: str, new_password: str, *, ip: str
    ) -> SignInProgress:
        """Replace an expired password, the old one entered once more; a code follows (AUTH-7).

        The old password is counted against the lockout like a sign-in.

        Raises:
            NotFound: ``auth.transaction.unknown``.
            InvalidState: ``auth.flow.out_of_order``.
            NotPermitted: ``auth.password.old_invalid``: the old password is wrong.
            LimitReached: ``auth.sign_in.blocked``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-1 and AUTH-7.
        """
        address = _ip(ip)
        now = self._clock.now()
        with self._backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.CHANGE_EXPIRED_PASSWORD)
            account = uow.accounts.get(found.account_id)
        self._precheck(account, new_password)
        checked = self._check_old_password(account, old_password, ip=address)
        changed = self._changed_or_reset_lockout(checked, new_password, now)
        return self._finish_change(
            found=found,
            token=transaction,
            changed=changed,
            action=Action.CHANGE_EXPIRED_PASSWORD,
            ip=address,
            now=now,
        )

    def submit_code(
        self, transaction: str, code: str, *, ip: str, trust_browser: bool | None = None
    ) -> SignInProgress:
        """Check the one-time password (or the authenticator's code); sign in (AUTH-3).

        The entry is counted per code, then (when the code still works) per
        account, before it is checked; an entry past the code's cap checks
        nothing and does not count against the account. A code works once
        (of simultaneous right entries one wins; the others are refused as
        for a sign-in that ended, and not counted),
        only for its own transaction, only until it expires, and only while
        it is the newest. Signed in, the browser becomes trusted for 24 hours
        (*trust_browser*, the rules' ``trust_browsers`` by default): the
        result carries the cookie's value.

        Raises:
            NotFound: ``auth.transaction.unknown`` (also for the entries that lose
                to a simultaneous right one).
            InvalidState: ``auth.flow.out_of_order``.
            InvalidInput: ``auth.code.invalid`` (or ``auth.authenticator.invalid``).
            LimitReached: ``auth.code.too_many`` (request a new code) or
                ``auth.code.blocked`` (too many wrong codes for the account;
                the transaction ends).

        Implements AUTH-3 and AUTH-4.
        """
        address = _ip(ip)
        now = self._clock.now()
        rules = self.rules
        trust = rules.trust_browsers if trust_browser is None else trust_browser
        browser_token: str | None = None
        browser: TrustedBrowser | None = None
        refusal: ExamkitError | None = None
        events: list[AuditEvent] = []
        with self._backend.begin() as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.SUBMIT_CODE)
            blocked = uow.attempts.peek(
                ACCOUNT_CODE, found.account_id, now=now, limit=rules.account_code_entries
            )
            if blocked.reached:
                refusal = self._end_blocked(uow, found, blocked.expires_at)
            elif found.factor is SecondFactor.EMAIL:
                refusal = self._check_emailed_code(uow, found, code, now)
            else:
                refusal = self._check_authenticator_code(uow, found, code, now)
            if refusal is not None:
                events.append(
                    self._event(
                        "auth.code",
                        now,
                        account=found.account_id,
                        outcome="failure",
                        ip=address,
                        reason=refusal.code,
                    )
                )
                self._commit(uow, events)
                raise refusal
            uow.attempts.reset(ACCOUNT_CODE, found.account_id)
            uow.signins.remove(found.id)
            target = FLOW.next(found.step, Action.SUBMIT_CODE, Facts())
            events.append(
                self._event(
                    "auth.sign_in",
                    now,
                    account=found.account_id,
                    ip=address,
                    application=found.application,
                    factor=found.factor.value,
                )
            )
            if trust:
                browser_token = self._secrets.token_urlsafe(_TOKEN_BYTES)
                browser = TrustedBrowser(
                    id=self._digester.digest(_BROWSER, browser_token),
                    account_id=found.account_id,
                    ip=address,
                    trusted_at=now,
                    expires_at=now + rules.trusted_browser_lifetime,
                )
                uow.trusted_browsers.add(browser)
                events.append(
                    self._event("auth.browser.trusted", now, account=found.account_id, ip=address)
                )
            self._commit(uow, events)
        return SignInProgress(
            step=target,
            transaction=transaction,
            account_id=found.account_id,
            expires_at=found.expires_at,
            browser_token=browser_token,
            browser_expires_at=None if browser is None else browser.expires_at,
            password_expires_at=found.password_expires_at,
        )

    def request_new_code(self, transaction: str, *, ip: str) -> SignInProgress:
        """E-mail a new one-time password; the one before stops working (AUTH-3).

        Rate-limited per account (the rules' ``new_codes`` per
        ``new_code_window``); it does not reset the cap on wrong entries.

        Raises:
            NotFound: ``auth.transaction.unknown``.
            InvalidState: ``auth.flow.out_of_order``, or ``auth.code.not_by_email``
                when the code comes from an authenticator app.
            LimitReached: ``auth.code.new_limit``, with the time it may be asked again.
            ConcurrentModification: ``auth.code.simultaneous``: a simultaneous
                request sent a new code first (that one works; nothing more is sent).

        Implements AUTH-3.
        """
        address = _ip(ip)
        now = self._clock.now()
        rules = self.rules
        with self._backend.begin() as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.REQUEST_NEW_CODE)
            if found.factor is not SecondFactor.EMAIL:
                raise InvalidState("auth.code.not_by_email")
            seen = uow.attempts.peek(NEW_CODE, found.account_id, now=now, limit=rules.new_codes)
            if seen.reached:
                raise LimitReached(
                    "auth.code.new_limit", time=self._when(seen.expires_at), until=seen.expires_at
                )
            counted = uow.attempts.record(
                NEW_CODE,
                found.account_id,
                now=now,
                window=rules.new_code_window,
                limit=rules.new_codes,
            )
            if counted.count > rules.new_codes:  # simultaneous requests passed the peek
                raise LimitReached(
                    "auth.code.new_limit",
                    time=self._when(counted.expires_at),
                    until=counted.expires_at,
                )
            # Read again behind the counter's lock: a simultaneous request or entry that
            # got there first is seen, as when it came first on a serial backend.
            found = self._transaction(uow, transaction, now)
            target = FLOW.next(found.step, Action.REQUEST_NEW_CODE, Facts())
            renewed = attrs.evolve(found, step=target, expires_at=now + rules.transaction_lifetime)
            renewed, code = self._second_factor(uow, renewed, now)
            try:
                renewed = uow.signins.update(renewed)
            except (ConcurrentModification, NotFound):
                self._require_live(uow, found)
                raise ConcurrentModification("auth.code.simultaneous") from None
            account = uow.accounts.get(found.account_id)
            self._commit(uow, [self._code_sent(account.id, renewed, address, now)])
        self._mail_code(account, renewed, code, ip=address, now=now)
        return self._progress(renewed, transaction, now)

    def progress(self, transaction: str) -> SignInProgress:
        """Return where a sign-in in progress stands (for a page that is loaded again).

        Raises:
            NotFound: ``auth.transaction.unknown``.
        """
        now = self._clock.now()
        with self._backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
        return self._progress(found, transaction, now)

    # -- the proctor monitor -------------------------------------------------------------

    def monitor_sign_in(
        self, login_name: str, password: str, *, ip: str, application: str | None = None
    ) -> MonitorSignIn:
        """Sign in to the proctor monitor: the same name and password, no code (AUTH-9).

        The same lockout as the main sign-in. The e-mailed initial password
        is refused (choose your own in the main environment first), and so
        is an expired one until it is changed there; with fewer than 5 days
        left the result says to warn.

        Raises:
            NotPermitted: ``auth.credentials.invalid``, ``auth.monitor.initial_password``,
                ``auth.monitor.expired`` or ``auth.application.denied``.
            LimitReached: ``auth.sign_in.blocked``.

        Implements AUTH-9.
        """
        address = _ip(ip)
        environment = application if application is not None else self.rules.monitor_application
        checked = self._check_password(
            login_name, password, ip=address, application=environment, action="auth.monitor"
        )
        account = checked.account
        now = self._clock.now()
        with self._backend.begin() as uow:
            uow.attempts.reset(SIGN_IN, checked.key)
            if checked.upgraded:
                self._store_upgrade(uow, account)
            uow.commit()
        self._admit(account, environment, address, now)
        record = account.password
        assert record is not None  # noqa: S101 - a right password was checked
        lifetime = self.policy.lifetime
        refusal: str | None = None
        if record.must_change:
            refusal = "auth.monitor.initial_password"
        elif lifetime.is_expired(record, now):
            refusal = "auth.monitor.expired"
        if refusal is not None:
            error = NotPermitted(refusal)
            self._record(
                "auth.monitor.sign_in",
                now,
                account=account.id,
                outcome="denied",
                refusing=error,
                ip=address,
                reason=refusal,
            )
            raise error
        expires = lifetime.expires_at(record)
        left = None if expires is None else expires - now
        warning = left is not None and left < self.rules.monitor_warning
        self._record(
            "auth.monitor.sign_in",
            now,
            account=account.id,
            ip=address,
            application=environment,
            warning="yes" if warning else "no",
        )
        return MonitorSignIn(
            account_id=account.id,
            password_expires_at=expires,
            days_left=None if left is None else left // _DAY,
            warning=warning,
        )

    def monitor_warning(self, result: MonitorSignIn, lang: Lang = DEFAULT_LANG) -> str | None:
        """Return the warning to show for *result* in *lang*, or ``None`` when there is none.

        Implements AUTH-9.
        """
        if not result.warning or result.password_expires_at is None:
            return None
        return text(
            "auth.monitor.warning",
            lang,
            days=result.days_left,
            time=self._when(result.password_expires_at),
        )

    # -- reset (AUTH-8) --------------------------------------------------------------------

    def request_reset(self, login_name: str, *, ip: str, lang: Lang = DEFAULT_LANG) -> str:
        """Mail a reset link for *login_name*; return the one answer for every name (AUTH-8).

        Known or not, active or not, the answer is the same text
        (``auth.reset.requested``, in *lang*). A known,
        active account gets a single-use link, valid for the rules'
        ``reset_lifetime``, on the portal's own address (from the settings,
        never from the request); a newer link supersedes the older. More
        than ``reset_requests`` requests per name in ``reset_request_window``
        send nothing more.

        Implements AUTH-8.
        """
        address = _ip(ip)
        now = self._clock.now()
        rules = self.rules
        key = lockout_key(login_name)
        token: str | None = None
        with self._backend.begin() as uow:
            counted = uow.attempts.record(
                RESET_REQUEST,
                key,
                now=now,
                window=rules.reset_request_window,
                limit=rules.reset_requests,
            )
            account = self._find(uow, login_name)
            if account is not None and account.is_active and counted.count <= rules.reset_requests:
                token = self._secrets.token_urlsafe(_TOKEN_BYTES)
                uow.tokens.revoke(RESET, account.id)
                uow.tokens.put(
                    StoredToken(
                        purpose=RESET,
                        digest=self._digester.digest(RESET, token),
                        subject=account.id,
                        expires_at=now + rules.reset_lifetime,
                    )
                )
            uow.commit()
        if account is not None and token is not None:
            self._mailer.send(
                compose(
                    "auth.reset",
                    account.email,
                    self._lang,
                    name=account.first_name,
                    login_name=str(account.login_name),
                    link=self._link(rules.reset_path, token),
                    time=self._when(now + rules.reset_lifetime),
                )
            )
            self._record("auth.reset.requested", now, account=account.id, ip=address)
        else:
            self._record("auth.reset.requested", now, login=key, outcome="denied", ip=address)
        return text("auth.reset.requested", lang)

    def check_reset_token(self, token: str) -> None:
        """Check a reset link's token before showing the page to choose a password.

        Raises:
            NotFound: ``auth.reset.unusable``: unknown, used, superseded or expired.
        """
        now = self._clock.now()
        with self._backend.begin(readonly=True) as uow:
            self._reset_token(uow, token, now)

    def reset_password(self, token: str, new_password: str, *, ip: str) -> None:
        """Set a new password through a reset link (AUTH-8).

        The link works once. The new password must meet the policy (a
        refused password leaves the link usable). Afterwards every trusted
        browser is revoked, every other link and sign-in in progress ends,
        the lockout of the name is lifted, and the account holder is told
        by e-mail. The next sign-in asks for the second factor again.

        Raises:
            NotFound: ``auth.reset.unusable``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-8.
        """
        address = _ip(ip)
        now = self._clock.now()
        with self._backend.begin(readonly=True) as uow:
            found = self._reset_token(uow, token, now)
            account = uow.accounts.get(found.subject)
        if not account.is_active:
            raise NotFound("auth.reset.unusable")
        changed = change_password(
            account, new_password, policy=self.policy, hasher=self._hasher, now=now
        )
        with self._backend.begin() as uow:
            try:
                uow.tokens.consume(RESET, found.digest, now=now)
            except NotFound:
                raise NotFound("auth.reset.unusable") from None
            stored = uow.accounts.update(changed)
            revoked = self._revoke_after_password_change(uow, account.id)
            uow.signins.remove_for_account(account.id)
            uow.attempts.reset(SIGN_IN, lockout_key(str(account.login_name)))
            uow.commit()
        self._mailer.send(
            compose(
                "auth.reset_done",
                stored.email,
                self._lang,
                name=stored.first_name,
                login_name=str(stored.login_name),
                time=self._when(now),
                link=self._link(self.rules.sign_in_path),
            )
        )
        self._record("auth.reset.used", now, account=account.id, ip=address)
        self._record_revoked(account.id, revoked, now, address)

    # -- profile (AUTH-10) and the user's own password (seed 4.4) ----------------------

    def change_own_password(
        self, account_id: str, old_password: str, new_password: str, *, ip: str
    ) -> Account:
        """Change a signed-in user's password ("Verander wachtwoord", seed 4.4).

        The old password is counted against the lockout like a sign-in.
        Every trusted browser and reset link is revoked.

        Raises:
            NotFound: there is no such account.
            NotPermitted: ``auth.password.old_invalid`` or ``auth.account.inactive``.
            LimitReached: ``auth.sign_in.blocked``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-1 and AUTH-7.
        """
        address = _ip(ip)
        now = self._clock.now()
        account = self._account(account_id)
        self._precheck(account, new_password)
        checked = self._check_old_password(account, old_password, ip=address)
        changed = self._changed_or_reset_lockout(checked, new_password, now)
        with self._backend.begin() as uow:
            stored = uow.accounts.update(changed)
            revoked = self._revoke_after_password_change(uow, account_id)
            uow.attempts.reset(SIGN_IN, checked.key)
            uow.commit()
        self._record("auth.password.changed", now, account=account_id, ip=address)
        self._record_revoked(account_id, revoked, now, address)
        return stored

    def update_profile(
        self,
        account_id: str,
        *,
        first_name: str,
        last_name: str,
        email: str,
        phone: str | None,
        ip: str,
        password: str | None = None,
    ) -> ProfileUpdate:
        """Save the user's own first name, last name, e-mail address and phone (AUTH-10).

        First name, last name and e-mail address are required; every
        problem is reported at once. Names and phone are saved at once. A
        new e-mail address carries the one-time passwords, so asking for one
        takes the current *password* (counted against the lockout like a
        sign-in), and the address is only taken after the link mailed to it
        is used (:meth:`confirm_email`); the current address is told of the
        request. A refused password saves nothing.

        Raises:
            NotFound: there is no such account.
            NotPermitted: ``auth.account.inactive``, or ``auth.password.old_invalid``
                (a new e-mail address with a wrong password).
            LimitReached: ``auth.sign_in.blocked``.
            ExamkitErrorGroup: one problem per field at fault
                (``auth.profile.password_required`` on ``password`` for a new
                e-mail address without the password).

        Implements AUTH-10.
        """
        address = _ip(ip)
        now = self._clock.now()
        account = self._account(account_id)
        edited = _edited(account, first_name=first_name, last_name=last_name, phone=phone)
        wanted = _checked_email(email)
        problems = [problem for problem in (*edited[1], wanted[1]) if problem is not None]
        changing = wanted[0] is not None and wanted[0] != account.email
        if changing and not password:
            problems.append(InvalidInput("auth.profile.password_required", field="password"))
        if problems:
            raise ExamkitErrorGroup(problems, "input.problems")
        updated, new_email = edited[0], wanted[0]
        assert new_email is not None  # noqa: S101 - no problem means an address
        pending = new_email if changing else None
        checked = None
        if pending is not None:
            checked = self._check_old_password(account, str(password), ip=address)
        token: str | None = None
        rules = self.rules
        with self._backend.begin() as uow:
            current = uow.accounts.get(account_id)
            if current.version != account.version:
                raise ConcurrentModification(kind="account", key=account_id)
            if checked is not None:
                uow.attempts.reset(SIGN_IN, checked.key)
            stored = uow.accounts.update(updated) if updated != account else current
            if pending is not None:
                token = self._secrets.token_urlsafe(_TOKEN_BYTES)
                change = EmailChange(
                    account_id=account_id,
                    email=pending,
                    requested_at=now,
                    expires_at=now + rules.email_change_lifetime,
                )
                try:
                    earlier = uow.email_changes.get(account_id)
                except NotFound:
                    uow.email_changes.add(change)
                else:
                    uow.email_changes.update(attrs.evolve(change, version=earlier.version))
                uow.tokens.revoke(EMAIL_CONFIRM, account_id)
                uow.tokens.put(
                    StoredToken(
                        purpose=EMAIL_CONFIRM,
                        digest=self._digester.digest(EMAIL_CONFIRM, token),
                        subject=account_id,
                        expires_at=change.expires_at,
                        data={"email": pending},
                    )
                )
            uow.commit()
        if pending is not None and token is not None:
            params = {"name": stored.first_name, "login_name": str(stored.login_name)}
            self._mailer.send(
                compose(
                    "auth.email_confirm",
                    pending,
                    self._lang,
                    email=pending,
                    link=self._link(rules.email_confirm_path, token),
                    time=self._when(now + rules.email_change_lifetime),
                    **params,
                )
            )
            self._mailer.send(
                compose("auth.email_notice", stored.email, self._lang, email=pending, **params)
            )
        self._record(
            "auth.profile.updated",
            now,
            account=account_id,
            ip=address,
            email_pending="yes" if pending is not None else "no",
        )
        return ProfileUpdate(account=stored, pending_email=pending)

    def confirm_email(self, token: str, *, ip: str) -> Account:
        """Take the new e-mail address whose confirmation link carried *token* (AUTH-10).

        Raises:
            NotFound: ``auth.email.unusable``: unknown, used, superseded or expired.

        Implements AUTH-10.
        """
        address = _ip(ip)
        now = self._clock.now()
        usable = _usable_token(token)
        with self._backend.begin() as uow:
            try:
                if usable is None:
                    raise NotFound("auth.email.unusable")
                found = uow.tokens.consume(
                    EMAIL_CONFIRM, self._digester.digest(EMAIL_CONFIRM, usable), now=now
                )
                change = uow.email_changes.get(found.subject)
            except NotFound:
                raise NotFound("auth.email.unusable") from None
            if not Digester.same(change.email, found.data.get("email", "")):
                raise NotFound("auth.email.unusable")
            account = uow.accounts.get(found.subject)
            stored = uow.accounts.update(attrs.evolve(account, email=change.email))
            uow.email_changes.remove(found.subject)
            uow.commit()
        self._record("auth.email.confirmed", now, account=stored.id, ip=address)
        return stored

    def sign_out_everywhere(self, account_id: str, *, ip: str) -> int:
        """Revoke every trusted browser of the account and end its sign-ins in progress.

        Returns how many trusted browsers were revoked. The portal ends its
        own sessions of the account too.
        """
        address = _ip(ip)
        now = self._clock.now()
        with self._backend.begin() as uow:
            revoked = uow.trusted_browsers.remove_for_account(account_id)
            uow.signins.remove_for_account(account_id)
            uow.commit()
        self._record("auth.signed_out_everywhere", now, account=account_id, ip=address)
        self._record_revoked(account_id, revoked, now, address)
        return revoked

    # -- authenticator apps (the stronger second factor) ---------------------------------

    def enrol_authenticator(self, account_id: str) -> AuthenticatorEnrolment:
        """Start enrolling an authenticator app; show the result's URI as a QR code once.

        Until :meth:`confirm_authenticator` accepts a first code, sign-ins
        keep using e-mail. Enrolling again replaces the app.

        Raises:
            NotFound: there is no such account.
        """
        now = self._clock.now()
        account = self._account(account_id)
        nonce = self._secrets.token_urlsafe(16)
        enrolled = Authenticator(account_id=account_id, nonce=nonce, enrolled_at=now)
        with self._backend.begin() as uow:
            try:
                earlier = uow.authenticators.get(account_id)
            except NotFound:
                uow.authenticators.add(enrolled)
            else:
                uow.authenticators.update(attrs.evolve(enrolled, version=earlier.version))
            uow.commit()
        secret = self._digester.authenticator_secret(account_id, nonce)
        uri = totp(secret).provisioning_uri(
            name=str(account.login_name), issuer_name=self.rules.authenticator_issuer
        )
        self._record("auth.authenticator.enrolled", now, account=account_id)
        return AuthenticatorEnrolment(secret=secret, uri=uri)

    def confirm_authenticator(self, account_id: str, code: str) -> None:
        """Confirm an enrolled authenticator app with a first code from it.

        Raises:
            NotFound: ``auth.authenticator.missing``.
            InvalidInput: ``auth.authenticator.invalid``.
        """
        now = self._clock.now()
        with self._backend.begin() as uow:
            try:
                found = uow.authenticators.get(account_id)
            except NotFound:
                raise NotFound("auth.authenticator.missing") from None
            secret = self._digester.authenticator_secret(account_id, found.nonce)
            step = matching_step(secret, str(code), now, after=found.last_step)
            if step is None:
                raise InvalidInput("auth.authenticator.invalid", field="code")
            uow.authenticators.update(attrs.evolve(found, confirmed_at=now, last_step=step))
            uow.commit()
        self._record("auth.authenticator.confirmed", now, account=account_id)

    def remove_authenticator(self, account_id: str) -> None:
        """Remove the account's authenticator app; sign-ins use e-mail again.

        Raises:
            NotFound: ``auth.authenticator.missing``.
        """
        now = self._clock.now()
        with self._backend.begin() as uow:
            try:
                uow.authenticators.remove(account_id)
            except NotFound:
                raise NotFound("auth.authenticator.missing") from None
            uow.commit()
        self._record("auth.authenticator.removed", now, account=account_id)

    # -- the daily job -------------------------------------------------------------------

    def due_reminders(self, now: datetime | None = None) -> tuple[Reminder, ...]:
        """Send the password-expiry reminders due at *now* and not sent yet; return them (AUTH-7).

        For a portal's scheduler, daily. Each reminder (14 and 7 days before
        a chosen password expires) is claimed in storage before it is
        mailed, so it goes out once however often the job runs, even
        concurrently; a job that runs late still sends it. When the job
        is so late that the 7-day reminder is due as well, only that one is
        mailed and the 14-day one is recorded as overtaken
        (:attr:`Reminder.mailed` false). The mail goes out after the claim is
        committed; a reminder whose mail fails is given back and tried again
        at the next run.

        Implements AUTH-7.
        """
        moment = now if now is not None else self._clock.now()
        lifetime = self.policy.lifetime
        lifetimes = [valid for valid in (lifetime.initial, lifetime.chosen) if valid is not None]
        if not lifetime.reminders or not lifetimes:
            return ()
        # No password set after this moment can be due for a reminder yet: only the
        # accounts before it are read, through the index on when the password was set.
        cutoff = moment - min(lifetimes) + max(lifetime.reminders)
        done: list[Reminder] = []
        after: str | None = None
        while True:
            with self._backend.begin(readonly=True) as uow:
                page = uow.accounts.list_password_set_before(cutoff, after=after, limit=500)
            for account in page.items:
                record = account.password
                if record is None or not account.is_active:
                    continue
                due = lifetime.due_reminder(record, moment)
                expires = lifetime.expires_at(record)
                if due is None or expires is None:
                    continue
                done.extend(self._remind(account, due, expires, moment))
            if page.next_after is None:
                return tuple(done)
            after = page.next_after

    def purge_expired(self, now: datetime | None = None) -> int:
        """Remove lapsed transactions, trusted browsers, counters and tokens; return how many."""
        moment = now if now is not None else self._clock.now()
        with self._backend.begin() as uow:
            removed = (
                uow.signins.purge_expired(moment)
                + uow.trusted_browsers.purge_expired(moment)
                + uow.attempts.purge_expired(moment)
                + uow.tokens.purge_expired(moment)
            )
            uow.commit()
        return removed

    # -- helpers -------------------------------------------------------------------------

    def _check_password(
        self, login_name: str, password: str, *, ip: str, application: str, action: str
    ) -> _Checked:
        """Count the attempt, then check the password with exactly one hash computation."""
        rules = self.rules
        now = self._clock.now()
        key = lockout_key(login_name)
        account: Account | None = None
        with self._backend.begin() as uow:
            # One atomic step: a name blocked already is neither counted nor held longer.
            counted = uow.attempts.record(
                SIGN_IN,
                key,
                now=now,
                window=rules.block,
                limit=rules.max_failures,
                stop_at_limit=True,
            )
            if counted.count <= rules.max_failures:
                account = self._find(uow, login_name)
            uow.commit()
        if counted.count > rules.max_failures:
            until = counted.expires_at
            blocked = self._blocked(until)
            self._record(
                action,
                now,
                login=key,
                outcome="denied",
                refusing=blocked,
                ip=ip,
                reason="auth.sign_in.blocked",
            )
            raise blocked
        match = self._verify(account, password)
        # An e-mailed initial password past its validity is refused like a wrong one (AUTH-2):
        # only the administrator's new one, or a reset link, lets the user in.
        lapsed = match.matches and self._initial_lapsed(match.account, now)
        if account is None or not match.matches or lapsed:
            error = NotPermitted("auth.credentials.invalid")
            self._record(
                action,
                now,
                account=None if account is None else account.id,
                login=key,
                outcome="failure",
                refusing=error,
                ip=ip,
                application=application,
                reason="auth.credentials.invalid",
                initial="expired" if lapsed else None,
            )
            if counted.reached:
                self._record(
                    "auth.sign_in.blocked",
                    now,
                    login=key,
                    outcome="denied",
                    refusing=error,
                    ip=ip,
                    reason="auth.sign_in.blocked",
                )
            raise error
        return _Checked(account=match.account, upgraded=match.upgraded, key=key)

    def _initial_lapsed(self, account: Account, now: datetime) -> bool:
        """Return whether *account*'s password is an e-mailed initial one past its validity."""
        record = account.password
        return (
            record is not None
            and record.must_change
            and self.policy.lifetime.is_expired(record, now)
        )

    def _verify(self, account: Account | None, password: str) -> PasswordMatch | _NoMatch:
        """Check *password* at the same work whatever the account (AUTH-5, issue 19).

        A password over the maximum length costs no hash at all. Otherwise
        every hash of the hasher's work plan is verified: the stored one (if
        any) and the decoys that make an unknown name, a deactivated
        account and a hash imported from another system (bcrypt, PBKDF2)
        cost the same as a current one, so the time tells none apart.
        """
        policy = self.policy
        if not isinstance(password, str) or len(password) > policy.max_length:
            return _NO_MATCH
        normalised = policy.normalise(password)
        stored = None if account is None or account.password is None else account.password.hash
        plan = self._hasher.work_plan(stored)
        for decoy in plan[1:] if stored is not None else plan:
            self._hasher.verify(normalised, decoy)
        if account is None or stored is None:
            return _NO_MATCH
        if not account.is_active:
            self._hasher.verify(normalised, stored)
            return _NO_MATCH
        return verify_password(account, password, policy=policy, hasher=self._hasher)

    def _check_old_password(self, account: Account, old_password: str, *, ip: str) -> _Checked:
        """Check a signed-in user's current password, counted against the lockout."""
        if not account.is_active:
            raise NotPermitted("auth.account.inactive")
        try:
            return self._check_password(
                str(account.login_name),
                old_password,
                ip=ip,
                application=self.rules.application,
                action="auth.password.change",
            )
        except NotPermitted:
            raise NotPermitted("auth.password.old_invalid") from None

    def _precheck(self, account: Account, new_password: str) -> None:
        """Refuse a new password that breaks a rule needing no hash, before anything is counted."""
        verdict = self.policy.check(new_password, context=PasswordContext.of(account))
        error = verdict.error()
        if error is not None:
            raise error

    def _changed_or_reset_lockout(
        self, checked: _Checked, new_password: str, now: datetime
    ) -> Account:
        """Return the account with *new_password*; lift the count of the right old one if not."""
        try:
            return change_password(
                checked.account, new_password, policy=self.policy, hasher=self._hasher, now=now
            )
        except ExamkitError:
            with self._backend.begin() as uow:
                uow.attempts.reset(SIGN_IN, checked.key)
                uow.commit()
            raise

    def _finish_change(
        self,
        *,
        found: SignInTransaction,
        token: str,
        changed: Account,
        action: Action,
        ip: str,
        now: datetime,
    ) -> SignInProgress:
        """Store a password changed during the flow and move the transaction on."""
        with self._backend.begin() as uow:
            current = self._transaction(uow, token, now)
            if current.version != found.version:
                raise ConcurrentModification(kind="sign-in", key=found.account_id)
            stored = uow.accounts.update(changed)
            revoked = self._revoke_after_password_change(uow, changed.id)
            uow.attempts.reset(SIGN_IN, lockout_key(str(changed.login_name)))
            target = FLOW.next(found.step, action, Facts())
            moved = attrs.evolve(
                found,
                step=target,
                expires_at=now + self.rules.transaction_lifetime,
                password_expires_at=self.policy.lifetime.expires_at(stored.password)
                if stored.password is not None
                else None,
            )
            code: str | None = None
            if target is Step.SECOND_FACTOR:
                moved, code = self._second_factor(uow, moved, now)
            moved = uow.signins.update(moved)
            events = [
                self._event(
                    "auth.password.changed",
                    now,
                    account=changed.id,
                    ip=ip,
                    step=found.step.value,
                )
            ]
            if revoked:
                events.append(self._revoked_event(changed.id, revoked, now, ip))
            if code is not None:
                events.append(self._code_sent(changed.id, moved, ip, now))
            self._commit(uow, events)
        self._mail_code(stored, moved, code, ip=ip, now=now)
        return self._progress(moved, token, now)

    def _second_factor(
        self, uow: UnitOfWork, transaction: SignInTransaction, now: datetime
    ) -> tuple[SignInTransaction, str | None]:
        """Choose the second factor and, for e-mail, store a new code; return it to mail."""
        factor, generation, expires, code = self._new_factor(
            uow, transaction.id, transaction.account_id, transaction.code_generation + 1, now
        )
        moved = attrs.evolve(
            transaction, factor=factor, code_generation=generation, code_expires_at=expires
        )
        return moved, code

    def _new_factor(
        self, uow: UnitOfWork, transaction_id: str, account_id: str, generation: int, now: datetime
    ) -> tuple[SecondFactor, int, datetime | None, str | None]:
        """Choose the second factor and, for e-mail, store code *generation*.

        Returns:
            The factor, the code generation, when the code expires and the code to
            mail (the generation unchanged and no code for an authenticator).
        """
        if self.rules.second_factor is SecondFactor.AUTHENTICATOR:
            try:
                if uow.authenticators.get(account_id).confirmed:
                    return SecondFactor.AUTHENTICATOR, generation - 1, None, None
            except NotFound:
                pass
        code = self._secrets.digits(self.rules.code_digits)
        expires = now + self.rules.code_lifetime
        if generation > 1:
            uow.tokens.revoke(OTP, transaction_id)
        uow.tokens.put(
            StoredToken(
                purpose=OTP,
                digest=self._digester.digest(OTP, transaction_id, str(generation), code),
                subject=transaction_id,
                expires_at=expires,
            )
        )
        return SecondFactor.EMAIL, generation, expires, code

    def _check_emailed_code(
        self, uow: UnitOfWork, found: SignInTransaction, code: str, now: datetime
    ) -> ExamkitError | None:
        """Count and check an e-mailed code; return the refusal, or ``None`` when it is right."""
        rules = self.rules
        entries = uow.attempts.record(
            CODE,
            f"{found.id}:{found.code_generation}",
            now=now,
            window=rules.code_lifetime,
            limit=rules.code_entries,
        )
        if entries.count > rules.code_entries:
            uow.tokens.revoke(OTP, found.id)
            return LimitReached("auth.code.too_many")
        over = self._count_for_account(uow, found, now)
        if over is not None:
            return over
        entered = str(code).strip() if isinstance(code, str | int) else ""
        if not entered or len(entered) > 32:
            return InvalidInput("auth.code.invalid", field="code")
        wanted = self._digester.digest(OTP, found.id, str(found.code_generation), entered)
        try:
            used = uow.tokens.consume(OTP, wanted, now=now)
        except NotFound:
            self._require_live(uow, found)
            return InvalidInput("auth.code.invalid", field="code")
        if not Digester.same(used.subject, found.id):  # pragma: no cover - bound by the digest
            return InvalidInput("auth.code.invalid", field="code")
        return None

    def _check_authenticator_code(
        self, uow: UnitOfWork, found: SignInTransaction, code: str, now: datetime
    ) -> ExamkitError | None:
        """Check an authenticator code once per time step; return the refusal, or ``None``."""
        entries = uow.attempts.record(
            CODE,
            f"{found.id}:app",
            now=now,
            window=self.rules.transaction_lifetime,
            limit=self.rules.code_entries,
        )
        if entries.count > self.rules.code_entries:
            return LimitReached("auth.code.too_many")
        over = self._count_for_account(uow, found, now)
        if over is not None:
            return over
        try:
            app = uow.authenticators.get(found.account_id)
        except NotFound:
            return InvalidInput("auth.authenticator.invalid", field="code")
        secret = self._digester.authenticator_secret(found.account_id, app.nonce)
        step = matching_step(secret, str(code).strip(), now, after=app.last_step)
        if step is None:
            return InvalidInput("auth.authenticator.invalid", field="code")
        try:
            uow.authenticators.update(attrs.evolve(app, last_step=step))
        except (ConcurrentModification, NotFound):
            # A simultaneous entry used this time step first (or the app was removed).
            self._require_live(uow, found)
            return InvalidInput("auth.authenticator.invalid", field="code")
        return None

    def _count_for_account(
        self, uow: UnitOfWork, found: SignInTransaction, now: datetime
    ) -> ExamkitError | None:
        """Count a code check against the account's cap; end the sign-in past it.

        Only an entry that is about to be checked against a live code counts:
        one refused before (its code used up, the sign-in ended) checks nothing.
        """
        rules = self.rules
        counted = uow.attempts.record(
            ACCOUNT_CODE,
            found.account_id,
            now=now,
            window=rules.account_code_window,
            limit=rules.account_code_entries,
        )
        if counted.count > rules.account_code_entries:
            return self._end_blocked(uow, found, counted.expires_at)
        return None

    def _end_blocked(
        self, uow: UnitOfWork, found: SignInTransaction, until: datetime | None
    ) -> LimitReached:
        """End a sign-in whose account entered too many codes; return the refusal.

        The code goes before the sign-in: the order in which a request for a
        new code takes them, so the two never wait for each other.
        """
        uow.tokens.revoke(OTP, found.id)
        with contextlib.suppress(NotFound):  # a simultaneous entry ended it already
            uow.signins.remove(found.id)
        return LimitReached("auth.code.blocked", time=self._when(until), until=until)

    def _require_live(self, uow: UnitOfWork, found: SignInTransaction) -> None:
        """Refuse an entry whose sign-in a simultaneous entry ended meanwhile.

        Raised, not returned: the unit of work is rolled back, so an entry that
        lost the race to a right one is not counted (as when it came second).

        Raises:
            NotFound: ``auth.transaction.unknown``.
        """
        try:
            uow.signins.get(found.id)
        except NotFound:
            raise NotFound("auth.transaction.unknown") from None

    def _trusted(
        self,
        uow: UnitOfWork,
        *,
        browser_token: str | None,
        account_id: str,
        ip: str,
        now: datetime,
        status: PasswordStatus,
    ) -> bool:
        """Return whether a trusted browser lets this sign-in skip the second factor."""
        usable = _usable_token(browser_token)
        if usable is None or status in {PasswordStatus.MUST_CHANGE, PasswordStatus.EXPIRED}:
            return False
        try:
            browser = uow.trusted_browsers.get(self._digester.digest(_BROWSER, usable))
        except NotFound:
            return False
        return browser.admits(account_id, ip, now)

    def _admit(self, account: Account, application: str, ip: str, now: datetime) -> None:
        """Refuse an account the gate does not let into *application*."""
        if not self._gate.may_sign_in(account, application):
            error = NotPermitted("auth.application.denied", application=application)
            self._record(
                "auth.sign_in",
                now,
                account=account.id,
                outcome="denied",
                refusing=error,
                ip=ip,
                application=application,
                reason="auth.application.denied",
            )
            raise error

    def _store_upgrade(self, uow: UnitOfWork, account: Account) -> None:
        """Store a hash redone on sign-in; skip it when the account changed meanwhile."""
        with contextlib.suppress(ConcurrentModification, NotFound):
            uow.accounts.update(account)

    def _revoke_after_password_change(self, uow: UnitOfWork, account_id: str) -> int:
        """Revoke what a password change ends: trusted browsers and reset links."""
        uow.tokens.revoke(RESET, account_id)
        return uow.trusted_browsers.remove_for_account(account_id)

    def _transaction(self, uow: UnitOfWork, token: str, now: datetime) -> SignInTransaction:
        usable = _usable_token(token)
        if usable is None:
            raise NotFound("auth.transaction.unknown")
        try:
            found = uow.signins.get(self._digester.digest(_TRANSACTION, usable))
        except NotFound:
            raise NotFound("auth.transaction.unknown") from None
        if now >= found.expires_at:
            raise NotFound("auth.transaction.unknown")
        return found

    def _reset_token(self, uow: UnitOfWork, token: str, now: datetime) -> StoredToken:
        usable = _usable_token(token)
        try:
            if usable is None:
                raise NotFound("auth.reset.unusable")
            return uow.tokens.peek(RESET, self._digester.digest(RESET, usable), now=now)
        except NotFound:
            raise NotFound("auth.reset.unusable") from None

    def _find(self, uow: UnitOfWork, login_name: str) -> Account | None:
        try:
            name = LoginName(login_name)
        except InvalidInput:
            return None
        try:
            return uow.accounts.get_by_login_name(name)
        except NotFound:
            return None

    def _account(self, account_id: str) -> Account:
        with self._backend.begin(readonly=True) as uow:
            account = uow.accounts.get(account_id)
        if not account.is_active:
            raise NotPermitted("auth.account.inactive")
        return account

    def _remind(
        self, account: Account, due: timedelta, expires: datetime, now: datetime
    ) -> list[Reminder]:
        """Claim the reminder *due* (and any earlier one it overtakes); mail it once."""
        record = account.password
        assert record is not None  # noqa: S101 - only accounts with a password are reminded
        lifetime = self.policy.lifetime
        earlier = [r for r in lifetime.reminders if r > due]
        days = due // _DAY
        message = compose(
            "auth.reminder",
            account.email,
            self._lang,
            name=account.first_name,
            login_name=str(account.login_name),
            days=days,
            time=self._when(expires),
            link=self._link(self.rules.sign_in_path),
        )
        claimed: list[str] = []
        done: list[Reminder] = []
        with self._backend.begin() as uow:
            key = reminder_id(account.id, record.set_at, days)
            try:
                uow.sent_reminders.add(
                    SentReminder(
                        id=key,
                        account_id=account.id,
                        password_set_at=record.set_at,
                        days=days,
                        sent_at=now,
                    )
                )
            except AlreadyExists:
                return []
            claimed.append(key)
            for overtaken in earlier:
                overtaken_days = overtaken // _DAY
                overtaken_key = reminder_id(account.id, record.set_at, overtaken_days)
                try:
                    uow.sent_reminders.add(
                        SentReminder(
                            id=overtaken_key,
                            account_id=account.id,
                            password_set_at=record.set_at,
                            days=overtaken_days,
                            sent_at=now,
                            mailed=False,
                        )
                    )
                except AlreadyExists:
                    continue
                claimed.append(overtaken_key)
                done.append(Reminder(account.id, overtaken_days, expires, mailed=False))
            uow.commit()
        # Mailed after the claim is committed (an SMTP server is never waited for inside a
        # writing unit); a failed mail gives the claims back for the next run.
        try:
            self._mailer.send(message)
        except Exception:
            with self._backend.begin() as uow:
                for key in claimed:
                    with contextlib.suppress(NotFound):
                        uow.sent_reminders.remove(key)
                uow.commit()
            raise
        done.append(Reminder(account.id, days, expires, mailed=True))
        self._record("auth.reminder.sent", now, account=account.id, days=str(days))
        return done

    def _code_sent(
        self, account_id: str, transaction: SignInTransaction, ip: str, now: datetime
    ) -> AuditEvent:
        return self._event(
            "auth.otp.sent",
            now,
            account=account_id,
            ip=ip,
            application=transaction.application,
        )

    def _mail_code(
        self,
        account: Account,
        transaction: SignInTransaction,
        code: str | None,
        *,
        ip: str,
        now: datetime,
    ) -> None:
        """Mail the code a step stored; audit a mailer that failed."""
        if code is None or transaction.code_expires_at is None:
            return
        try:
            self._mailer.send(self._code_message(account, transaction, code))
        except Exception:
            self._record("auth.otp.sent", now, account=account.id, outcome="failure", ip=ip)
            raise

    def _code_message(self, account: Account, transaction: SignInTransaction, code: str) -> Message:
        assert transaction.code_expires_at is not None  # noqa: S101 - an e-mailed code
        return compose(
            "auth.otp",
            account.email,
            self._lang,
            name=account.first_name,
            code=code,
            minutes=whole_minutes(self.rules.code_lifetime),
            time=self._when(transaction.code_expires_at),
            application=transaction.application,
        )

    def _progress(
        self, transaction: SignInTransaction, token: str, now: datetime
    ) -> SignInProgress:
        at_factor = transaction.step is Step.SECOND_FACTOR
        return SignInProgress(
            step=transaction.step,
            transaction=token,
            account_id=transaction.account_id,
            expires_at=transaction.expires_at,
            factor=transaction.factor if at_factor else None,
            code_expires_at=transaction.code_expires_at if at_factor else None,
            password_expires_at=transaction.password_expires_at,
        )

    def _blocked(self, until: datetime | None) -> LimitReached:
        moment = until if until is not None else self._clock.now() + self.rules.block
        return LimitReached(
            "auth.sign_in.blocked",
            attempts=self.rules.max_failures,
            time=self._when(moment),
            until=moment,
        )

    def _when(self, moment: datetime | None) -> str:
        return "" if moment is None else local_time(moment, self.rules.zone)

    def _link(self, path: str, token: str | None = None) -> str:
        return f"{self._base_url}{path}" + ("" if token is None else f"?token={token}")

    def _record_revoked(self, account_id: str, revoked: int, now: datetime, ip: str) -> None:
        if revoked:
            self._audit.record(self._revoked_event(account_id, revoked, now, ip))

    def _revoked_event(self, account_id: str, revoked: int, now: datetime, ip: str) -> AuditEvent:
        return self._event(
            "auth.browser.revoked", now, account=account_id, ip=ip, count=str(revoked)
        )

    def _commit(self, uow: UnitOfWork, events: list[AuditEvent]) -> None:
        """Commit *uow* with its audit events.

        When the audit log is the backend's own store, the events are
        appended in the same unit of work, so they are committed with the
        change they describe; otherwise they go to the audit log after the
        commit.
        """
        if self._audit_inline:
            for event in events:
                uow.audit.append(event)
            uow.commit()
            return
        uow.commit()
        for event in events:
            self._audit.record(event)

    def _record(
        self,
        action: str,
        now: datetime,
        *,
        account: str | None = None,
        login: str | None = None,
        outcome: AuditOutcome = "success",
        refusing: ExamkitError | None = None,
        **details: str | None,
    ) -> None:
        """Send an audit event to the audit log (a refusal's: never hiding *refusing*)."""
        event = self._event(action, now, account=account, login=login, outcome=outcome, **details)
        if refusing is None:
            self._audit.record(event)
        else:
            record_refusal(self._audit, refusing, event)

    def _event(
        self,
        action: str,
        now: datetime,
        *,
        account: str | None = None,
        login: str | None = None,
        outcome: AuditOutcome = "success",
        **details: str | None,
    ) -> AuditEvent:
        """Return an audit event: who, what, when, from where, how it ended; never a secret."""
        subject = f"account:{account}" if account is not None else f"login:{login}"
        return AuditEvent(
            at=now,
            actor=account if account is not None else login,
            action=action,
            subject=subject,
            outcome=outcome,
            details={key: value for key, value in details.items() if value is not None},
        )


@attrs.frozen
class _NoMatch:
    matches: bool = False
    upgraded: bool = False

    @property
    def account(self) -> Account:  # pragma: no cover - never read when nothing matched
        raise AssertionError("no account when the password did not match")


_NO_MATCH: Final = _NoMatch()


def _edited(
    account: Account, *, first_name: str, last_name: str, phone: str | None
) -> tuple[Account, list[ExamkitError | None]]:
    """Return *account* with the new names and phone, and the problem of each field, if any."""
    problems: list[ExamkitError | None] = []
    edited = account
    steps: list[tuple[str, Callable[[Account], Account]]] = [
        ("first_name", lambda item: attrs.evolve(item, first_name=first_name)),
        ("last_name", lambda item: attrs.evolve(item, last_name=last_name)),
        ("phone", lambda item: attrs.evolve(item, phone=phone)),
    ]
    for field, step in steps:
        try:
            edited = step(edited)
        except InvalidInput as error:
            problems.append(error.with_location(field=field))
        else:
            problems.append(None)
    return edited, problems


def _checked_email(value: str) -> tuple[str | None, ExamkitError | None]:
    """Return the e-mail address normalised, or its problem."""
    try:
        address = normalise_email(value)
        check_email(None, _EMAIL_FIELD, address)
    except InvalidInput as error:
        return None, error.with_location(field="email")
    return address, None


_EMAIL_FIELD: Final = attrs.fields(Account).email
