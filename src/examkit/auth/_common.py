"""What the sign-in's use cases share: purposes, the password check, events, links, local time.

Every use-case class of :mod:`examkit.auth` holds an :class:`AuthCommon`,
made from the kit's :class:`~examkit.usecase.Ports` and the
:class:`~examkit.auth.SignInRules`. A password hash is never computed inside
a writing unit of work: an argon2 hash takes a quarter of a second and would
hold the database's writer lock (SQLite) or a row lock (PostgreSQL) that long.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, NoReturn

import attrs

from examkit._digests import Digester
from examkit.accounts import Account, LoginName
from examkit.audit import AuditOutcome
from examkit.auth._model import Authenticator
from examkit.auth._rules import SignInRules
from examkit.auth._secrets import lockout_key
from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    InvalidInput,
    LimitReached,
    NotFound,
    NotPermitted,
)
from examkit.notifications import local_time
from examkit.passwords import PasswordContext, PasswordMatch, change_password, verify_password
from examkit.usecase import Ports, UseCase
from examkit.websessions import revoke_web_sessions

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

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
TRANSACTION: Final = "auth.transaction"
"""Digest purpose of sign-in transactions' keys."""
BROWSER: Final = "auth.browser"
"""Digest purpose of trusted browsers' keys."""
TOKEN_BYTES: Final = 32
"""Random bytes of a token (a transaction's, a browser's, a link's)."""
DAY: Final = timedelta(days=1)
"""One day."""
_MAX_TOKEN_LENGTH: Final = 256


def client_ip(value: object) -> str:
    """Return the client's address as Python's ``ipaddress`` module writes it.

    Raises:
        InvalidInput: ``auth.ip.invalid``: *value* is not an IP address.
    """
    try:
        return _compressed(str(value).strip())
    except ValueError:
        raise InvalidInput("auth.ip.invalid", field="ip", value=str(value)[:64]) from None


@functools.lru_cache(maxsize=4096)
def _compressed(text: str) -> str:
    """Return address *text* as :mod:`ipaddress` writes it (a pure function; its parse is slow)."""
    return ipaddress.ip_address(text).compressed


def usable_token(value: object) -> str | None:
    """Return *value* when it can be a token at all, else ``None`` (it matches nothing)."""
    if isinstance(value, str) and 0 < len(value) <= _MAX_TOKEN_LENGTH:
        return value
    return None


def facts(**details: str | None) -> dict[str, str]:
    """Return an event's details: the facts given, without those that are ``None``."""
    return {key: value for key, value in details.items() if value is not None}


def account_subject(account_id: str) -> str:
    """Return the audit subject of an account."""
    return f"account:{account_id}"


def revoke_after_password_change(uow: UnitOfWork, account_id: str, now: datetime) -> int:
    """Revoke what a password change ends: reset links, trusted browsers and web sessions.

    Returns how many trusted browsers were revoked. Every web session of
    the account ends (OWASP ASVS 3.3.3), the one the change was made in too:
    the portal starts a new one for the user who just proved the password.
    """
    revoke_web_sessions(uow, account_id, now=now)
    uow.tokens.revoke(RESET, account_id)
    return uow.trusted_browsers.remove_for_account(account_id)


def find_account(uow: UnitOfWork, login_name: str) -> Account | None:
    """Return the account of *login_name*, or ``None`` (for a name that cannot be one too)."""
    try:
        name = LoginName(login_name)
    except InvalidInput:
        return None
    try:
        return uow.accounts.get_by_login_name(name)
    except NotFound:
        return None


def deny_application(unit: UseCase, application: str, ip: str) -> NoReturn:
    """Refuse in *unit* the account the gate keeps out of *application* (``auth.sign_in``).

    Raises:
        NotPermitted: ``auth.application.denied``, audited ``denied`` under
            ``auth.sign_in`` with the address, environment and reason.
    """
    unit.refuse(
        NotPermitted("auth.application.denied", application=application),
        action="auth.sign_in",
        outcome="denied",
        details={"ip": ip, "application": application, "reason": "auth.application.denied"},
    )


def store_upgrade(uow: UnitOfWork, account: Account) -> None:
    """Store a hash redone on sign-in; skip it when the account changed meanwhile."""
    with contextlib.suppress(ConcurrentModification, NotFound):
        uow.accounts.update(account)


@attrs.frozen
class Checked:
    """A right password of an active account, counted against the lockout."""

    account: Account
    """The account, with its hash redone when it was outdated."""
    upgraded: bool
    """Whether the hash was redone (the account must be stored)."""
    key: str
    """The lockout key of the login name."""
    now: datetime
    """When the attempt was counted."""


@attrs.frozen
class _NoMatch:
    matches: bool = False
    upgraded: bool = False

    @property
    def account(self) -> Account:  # pragma: no cover - never read when nothing matched
        raise AssertionError("no account when the password did not match")


_NO_MATCH: Final = _NoMatch()


class AuthCommon:
    """What the sign-in's use-case classes share: the ports, the rules and their helpers.

    Args:
        ports: The kit's wired ports.
        rules: The sign-in's numbers (the seed's by default).
    """

    def __init__(self, ports: Ports, rules: SignInRules | None = None) -> None:
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = rules if rules is not None else SignInRules()
        """The sign-in's numbers."""
        self.policy = ports.password_policy
        """The password policy (its lifetime decides expiry)."""
        self.digester = ports.digester

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.rules!r})"

    # -- events after a unit: what the mailer did ---------------------------------------------

    def note(
        self,
        action: str,
        *,
        account: str | None = None,
        login: str | None = None,
        outcome: AuditOutcome = "success",
        **details: str | None,
    ) -> None:
        """Audit what happened after a unit closed (a mail sent or failed) in a unit of its own.

        The sign-in mails a code or a reminder itself, once its unit has
        committed, to audit what the mailer did: :meth:`UseCase.send
        <examkit.usecase.UseCase.send>` sends after the commit too, but an
        error of the mailer then is neither audited nor answered (a
        reminder's claim given back), so these two keep their own step.
        """
        actor = account if account is not None else login
        subject = account_subject(account) if account is not None else f"login:{login}"
        with UseCase(self.ports, action, subject, actor=actor) as unit:
            unit.audit(outcome=outcome, details=facts(**details))
            unit.commit()

    # -- the password check ----------------------------------------------------------------

    def check_password(
        self, login_name: str, password: str, *, ip: str, application: str, action: str
    ) -> Checked:
        """Count the attempt, then check the password with exactly one hash computation.

        The attempt is committed before the hash is computed (never inside a
        writing transaction), so a refusal keeps it counted: the unit refuses
        after its commit. A refusal is audited under the login name; a wrong
        password of a known account under the account, with a second event
        when it blocks the name.
        """
        rules = self.rules
        key = lockout_key(login_name)
        account: Account | None = None
        with UseCase(self.ports, action, f"login:{key}", audit_as=key) as unit:
            # One atomic step: a name blocked already is neither counted nor held longer.
            counted = unit.uow.counters.record(
                SIGN_IN,
                key,
                now=unit.now,
                window=rules.block,
                limit=rules.max_failures,
                stop_at_limit=True,
            )
            if counted.count <= rules.max_failures:
                account = find_account(unit.uow, login_name)
            unit.commit()
            now = unit.now
            if counted.count > rules.max_failures:
                unit.refuse(
                    self._blocked(counted.expires_at, now),
                    outcome="denied",
                    details={"ip": ip, "reason": "auth.sign_in.blocked"},
                )
            match = self._verify(account, password)
            # An e-mailed initial password past its validity is refused like a wrong one
            # (AUTH-2): only the administrator's new one, or a reset link, lets the user in.
            lapsed = match.matches and self._initial_lapsed(match.account, now)
            if account is None or not match.matches or lapsed:
                blocking = (
                    [
                        unit.event(
                            "auth.sign_in.blocked",
                            outcome="denied",
                            details={"ip": ip, "reason": "auth.sign_in.blocked"},
                        )
                    ]
                    if counted.reached
                    else []
                )
                if account is not None:  # a known account's wrong password names the account
                    unit.audit_as = account.id
                unit.refuse(
                    NotPermitted("auth.credentials.invalid"),
                    subject=None if account is None else account_subject(account.id),
                    outcome="failure",
                    details=facts(
                        ip=ip,
                        application=application,
                        reason="auth.credentials.invalid",
                        initial="expired" if lapsed else None,
                    ),
                    also=blocking,
                )
        return Checked(account=match.account, upgraded=match.upgraded, key=key, now=now)

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
        hasher = self.ports.hasher
        if not isinstance(password, str) or len(password) > policy.max_length:
            return _NO_MATCH
        stored = None if account is None or account.password is None else account.password.hash
        plan = hasher.work_plan(stored)
        decoys = plan[1:] if stored is not None else plan
        if decoys or account is None or stored is None or not account.is_active:
            normalised = policy.normalise(password)
            for decoy in decoys:
                hasher.verify(normalised, decoy)
            if account is None or stored is None:
                return _NO_MATCH
            if not account.is_active:
                hasher.verify(normalised, stored)
                return _NO_MATCH
        return verify_password(account, password, policy=policy, hasher=hasher)

    def check_old_password(self, account: Account, old_password: str, *, ip: str) -> Checked:
        """Check a signed-in user's current password, counted against the lockout."""
        if not account.is_active:
            raise NotPermitted("auth.account.inactive")
        try:
            return self.check_password(
                str(account.login_name),
                old_password,
                ip=ip,
                application=self.rules.application,
                action="auth.password.change",
            )
        except NotPermitted:
            raise NotPermitted("auth.password.old_invalid") from None

    def precheck(self, account: Account, new_password: str) -> None:
        """Refuse a new password that breaks a rule needing no hash, before anything is counted."""
        verdict = self.policy.check(new_password, context=PasswordContext.of(account))
        error = verdict.error()
        if error is not None:
            raise error

    def changed_or_reset_lockout(
        self, checked: Checked, new_password: str, now: datetime
    ) -> Account:
        """Return the account with *new_password*; lift the count of the right old one if not."""
        try:
            return change_password(
                checked.account,
                new_password,
                policy=self.policy,
                hasher=self.ports.hasher,
                now=now,
            )
        except ExamkitError:
            with UseCase(self.ports, "auth.password.change", f"login:{checked.key}") as unit:
                unit.uow.counters.reset(SIGN_IN, checked.key)
                unit.commit()
            raise

    def active_account(self, account_id: str) -> Account:
        """Return the account *account_id*, refusing one that is not active."""
        with self.ports.backend.begin(readonly=True) as uow:
            account = uow.accounts.get(account_id)
        if not account.is_active:
            raise NotPermitted("auth.account.inactive")
        return account

    # -- words and links -------------------------------------------------------------------

    def _blocked(self, until: datetime | None, now: datetime) -> LimitReached:
        moment = until if until is not None else now + self.rules.block
        return LimitReached(
            "auth.sign_in.blocked",
            attempts=self.rules.max_failures,
            time=self.when(moment),
            until=moment,
        )

    def when(self, moment: datetime | None) -> str:
        """Return *moment* in the portal's local time, as the e-mails and messages show it."""
        return "" if moment is None else local_time(moment, self.rules.zone)

    def link(self, path: str, token: str | None = None) -> str:
        """Return the portal's link to *path* (one of the ports' paths), carrying *token*."""
        return self.ports.link(path, token)


def authenticator_seed(digester: Digester, app: Authenticator) -> str | None:
    """Return *app*'s seed under the key it was enrolled with; ``None`` once that key is gone.

    An authenticator enrolled under a token key that is no longer configured
    (neither current nor retired) gives no code that works: its user enrols
    it again (:class:`~examkit.auth.Profile`).
    """
    try:
        return digester.authenticator_secret(app.account_id, app.nonce, app.key_id)
    except KeyError:
        return None
