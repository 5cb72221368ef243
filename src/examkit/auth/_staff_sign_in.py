"""The staff's sign-in: password, a new password where due, the second factor (AUTH-2 to AUTH-7).

Candidates sign in to a test session elsewhere (:mod:`examkit.scheduling`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from examkit._digests import first_found
from examkit.auth._codes import CodeSteps
from examkit.auth._common import (
    ACCOUNT_CODE,
    BROWSER,
    NEW_CODE,
    SIGN_IN,
    TOKEN_BYTES,
    TRANSACTION,
    AuthCommon,
    account_subject,
    client_ip,
    deny_application,
    revoke_after_password_change,
    store_upgrade,
    usable_token,
)
from examkit.auth._flow import FLOW, Facts
from examkit.auth._gate import SignInGate
from examkit.auth._model import Action, SignInProgress, SignInTransaction, Step, TrustedBrowser
from examkit.auth._rules import SecondFactor, SignInRules
from examkit.auth._secrets import lockout_key
from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    InvalidState,
    LimitReached,
    NotFound,
)
from examkit.messages import Lang
from examkit.passwords import PasswordStatus, change_password
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.accounts import Account
    from examkit.records import UnitOfWork

_NO_FACTS = Facts()
"""No facts: the steps after the credentials need none."""
_UNKNOWN_SIGN_IN = "sign-in:unknown"
"""The subject of a flow step until its sign-in transaction is found."""


class StaffSignIn:
    """Signing in (*inloggen*) of staff: the flow, lockout, codes and trusted browsers.

    Reached through :attr:`examkit.Examkit.staff_sign_in`. Each step of the
    flow (:data:`~examkit.auth.FLOW`) returns a
    :class:`~examkit.auth.SignInProgress` naming the page to show next; a
    refused step raises an :class:`~examkit.errors.ExamkitError` whose
    message the portal shows.

    >>> from examkit.errors import NotPermitted
    >>> from examkit.testing import make_kit
    >>> kit = make_kit()
    >>> try:
    ...     kit.staff_sign_in.submit_credentials("22AB.Onbekend", "Zomer2026!", ip="192.0.2.10")
    ... except NotPermitted as error:
    ...     print(error.message("nl"))
    Combinatie gebruikersnaam/wachtwoord is ongeldig.

    Args:
        ports: The kit's wired ports.
        gate: Decides who may sign in to which environment.
        rules: The sign-in's numbers (the seed's by default).

    Implements AUTH-2 to AUTH-7 and the code e-mail of NOTE-1.
    """

    def __init__(self, ports: Ports, gate: SignInGate, rules: SignInRules | None = None) -> None:
        self._common = AuthCommon(ports, rules)
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = self._common.rules
        """The sign-in's numbers."""
        self._gate = gate
        self._codes = CodeSteps(self._common)

    def submit_credentials(
        self,
        login_name: str,
        password: str,
        *,
        ip: str,
        browser_token: str | None = None,
        application: str | None = None,
        lang: Lang | None = None,
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
            lang: The language of the code's e-mail (the account's own by default).

        Raises:
            NotPermitted: ``auth.credentials.invalid`` for an unknown name, a
                wrong password, a deactivated account or an initial password
                past its validity;
                ``auth.application.denied`` when the gate refuses the account.
            LimitReached: ``auth.sign_in.blocked``, with the time the block ends.
            InvalidInput: *ip* is not an IP address.

        Implements AUTH-2, AUTH-3, AUTH-4, AUTH-5, AUTH-6 and AUTH-7.
        """
        address = client_ip(ip)
        rules = self.rules
        environment = application if application is not None else rules.application
        checked = self._common.check_password(
            login_name, password, ip=address, application=environment, action=SIGN_IN
        )
        account = checked.account
        admitted = self._gate.may_sign_in(account, environment)
        with UseCase(self.ports, SIGN_IN, account_subject(account.id), actor=account.id) as unit:
            if not admitted:  # nothing is changed: the right password's count stays
                deny_application(unit, environment, address)
            now = unit.now
            record = account.password
            assert record is not None  # noqa: S101 - a right password was checked
            lifetime = self.ports.password_policy.lifetime
            status = lifetime.status(record, now)
            token = self.ports.secrets.token_urlsafe(TOKEN_BYTES)
            transaction_id = self._common.digester.digest(TRANSACTION, token)
            factor, generation, code_expires_at, code = SecondFactor.EMAIL, 0, None, None
            uow = unit.uow
            uow.counters.reset(SIGN_IN, checked.key)
            if checked.upgraded:
                store_upgrade(uow, account)
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
                factor, generation, code_expires_at, code = self._codes.new_factor(
                    uow, transaction_id, account.id, 1, now
                )
            transaction = SignInTransaction(  # built once, at its step (a sign-in's hot path)
                id=transaction_id,
                account_id=account.id,
                step=target,
                application=environment,
                ip=address,
                started_at=now,
                expires_at=now + rules.transaction_lifetime,
                factor=factor,
                code_generation=generation,
                code_expires_at=code_expires_at,
                password_expires_at=lifetime.expires_at(record),
            )
            if target is Step.SECOND_FACTOR:
                if code is not None:
                    unit.audit("auth.otp.sent", details={"ip": address, "application": environment})
            elif target is Step.SIGNED_IN:
                unit.audit(
                    details={
                        "ip": address,
                        "application": environment,
                        "factor": "trusted_browser",
                    }
                )
            else:
                unit.audit(
                    "auth.credentials",
                    details={"ip": address, "application": environment, "step": target.value},
                )
            if target is not Step.SIGNED_IN:
                uow.signins.add(transaction)
            unit.commit()
        self._codes.mail_code(account, transaction, code, ip=address, lang=lang)
        return self._codes.progress(transaction, token)

    def change_password(
        self, transaction: str, new_password: str, *, ip: str, lang: Lang | None = None
    ) -> SignInProgress:
        """Replace the e-mailed initial password at the first sign-in; a code follows (AUTH-2).

        The code's e-mail is in the account's language unless *lang* is given.

        Raises:
            NotFound: ``auth.transaction.unknown``: no such transaction, or it lapsed.
            InvalidState: ``auth.flow.out_of_order``: the transaction is at another step.
            ExamkitErrorGroup: the new password breaks the policy (every rule at once).

        Implements AUTH-1 and AUTH-2.
        """
        address = client_ip(ip)
        now = self.ports.clock.now()
        with self.ports.backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.CHANGE_PASSWORD)
            account = uow.accounts.get(found.account_id)
        changed = change_password(
            account,
            new_password,
            policy=self.ports.password_policy,
            hasher=self.ports.hasher,
            now=now,
        )
        return self._finish_change(
            found, transaction, changed, Action.CHANGE_PASSWORD, ip=address, lang=lang
        )

    def change_expired_password(
        self,
        transaction: str,
        old_password: str,
        new_password: str,
        *,
        ip: str,
        lang: Lang | None = None,
    ) -> SignInProgress:
        """Replace an expired password, the old one entered once more; a code follows (AUTH-7).

        The old password is counted against the lockout like a sign-in. The
        code's e-mail is in the account's language unless *lang* is given.

        Raises:
            NotFound: ``auth.transaction.unknown``.
            InvalidState: ``auth.flow.out_of_order``.
            NotPermitted: ``auth.password.old_invalid``: the old password is wrong.
            LimitReached: ``auth.sign_in.blocked``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-1 and AUTH-7.
        """
        address = client_ip(ip)
        now = self.ports.clock.now()
        with self.ports.backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
            FLOW.require(found.step, Action.CHANGE_EXPIRED_PASSWORD)
            account = uow.accounts.get(found.account_id)
        self._common.precheck(account, new_password)
        checked = self._common.check_old_password(account, old_password, ip=address)
        changed = self._common.changed_or_reset_lockout(checked, new_password, now)
        return self._finish_change(
            found, transaction, changed, Action.CHANGE_EXPIRED_PASSWORD, ip=address, lang=lang
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
        address = client_ip(ip)
        rules = self.rules
        trust = rules.trust_browsers if trust_browser is None else trust_browser
        browser_token: str | None = None
        browser: TrustedBrowser | None = None
        refusal: ExamkitError | None = None
        with UseCase(self.ports, "auth.code", _UNKNOWN_SIGN_IN) as unit:
            now, uow = unit.now, unit.uow
            found = self._transaction(uow, transaction, now)
            account_id = found.account_id
            unit.subject, unit.actor_id = account_subject(account_id), account_id
            target = FLOW.next(found.step, Action.SUBMIT_CODE, _NO_FACTS)  # refused out of order
            blocked = uow.counters.peek(
                ACCOUNT_CODE, account_id, now=now, limit=rules.account_code_entries
            )
            if blocked.reached:
                refusal = self._codes.end_blocked(uow, found, blocked.expires_at)
            elif found.factor is SecondFactor.EMAIL:
                refusal = self._codes.check_emailed_code(uow, found, code, now)
            else:
                refusal = self._codes.check_authenticator_code(uow, found, code, now)
            if refusal is not None:
                # The entry stays counted: the refusal is committed with its event.
                unit.audit(outcome="failure", details={"ip": address, "reason": refusal.code})
                unit.commit()
                raise refusal
            uow.counters.reset(ACCOUNT_CODE, account_id)
            uow.signins.remove(found.id)
            unit.audit(
                SIGN_IN,
                details={
                    "ip": address,
                    "application": found.application,
                    "factor": found.factor.value,
                },
            )
            if trust:
                browser_token = self.ports.secrets.token_urlsafe(TOKEN_BYTES)
                browser = TrustedBrowser(
                    id=self._common.digester.digest(BROWSER, browser_token),
                    account_id=account_id,
                    ip=address,
                    trusted_at=now,
                    expires_at=now + rules.trusted_browser_lifetime,
                )
                uow.trusted_browsers.add(browser)
                unit.audit("auth.browser.trusted", details={"ip": address})
            unit.commit()
        return SignInProgress(
            step=target,
            transaction=transaction,
            account_id=account_id,
            expires_at=found.expires_at,
            browser_token=browser_token,
            browser_expires_at=None if browser is None else browser.expires_at,
            password_expires_at=found.password_expires_at,
        )

    def request_new_code(
        self, transaction: str, *, ip: str, lang: Lang | None = None
    ) -> SignInProgress:
        """E-mail a new one-time password; the one before stops working (AUTH-3).

        In the account's language unless *lang* is given. Rate-limited per
        account (the rules' ``new_codes`` per ``new_code_window``); it does not
        reset the cap on wrong entries.

        Raises:
            NotFound: ``auth.transaction.unknown``.
            InvalidState: ``auth.flow.out_of_order``, or ``auth.code.not_by_email``
                when the code comes from an authenticator app.
            LimitReached: ``auth.code.new_limit``, with the time it may be asked again.
            ConcurrentModification: ``auth.code.simultaneous``: a simultaneous
                request sent a new code first (that one works; nothing more is sent).

        Implements AUTH-3.
        """
        address = client_ip(ip)
        rules = self.rules
        with UseCase(self.ports, NEW_CODE, _UNKNOWN_SIGN_IN) as unit:
            now, uow = unit.now, unit.uow
            found = self._transaction(uow, transaction, now)
            unit.subject, unit.actor_id = account_subject(found.account_id), found.account_id
            FLOW.require(found.step, Action.REQUEST_NEW_CODE)
            if found.factor is not SecondFactor.EMAIL:
                raise InvalidState("auth.code.not_by_email")
            seen = uow.counters.peek(NEW_CODE, found.account_id, now=now, limit=rules.new_codes)
            if seen.reached:
                raise self._new_code_limit(seen.expires_at)
            counted = uow.counters.record(
                NEW_CODE,
                found.account_id,
                now=now,
                window=rules.new_code_window,
                limit=rules.new_codes,
            )
            if counted.count > rules.new_codes:  # simultaneous requests passed the peek
                raise self._new_code_limit(counted.expires_at)
            # Read again behind the counter's lock: a simultaneous request or entry that
            # got there first is seen, as when it came first on a serial backend.
            found = self._transaction(uow, transaction, now)
            target = FLOW.next(found.step, Action.REQUEST_NEW_CODE, _NO_FACTS)
            renewed, code = self._codes.moved_to(uow, found, target, now, found.password_expires_at)
            try:
                renewed = uow.signins.update(renewed)
            except (ConcurrentModification, NotFound):
                self._codes.require_live(uow, found)
                raise ConcurrentModification("auth.code.simultaneous") from None
            account = uow.accounts.get(found.account_id)
            unit.audit("auth.otp.sent", details={"ip": address, "application": renewed.application})
            unit.commit()
        self._codes.mail_code(account, renewed, code, ip=address, lang=lang)
        return self._codes.progress(renewed, transaction)

    def progress(self, transaction: str) -> SignInProgress:
        """Return where a sign-in in progress stands (for a page that is loaded again).

        Raises:
            NotFound: ``auth.transaction.unknown``.
        """
        now = self.ports.clock.now()
        with self.ports.backend.begin(readonly=True) as uow:
            found = self._transaction(uow, transaction, now)
        return self._codes.progress(found, transaction)

    # -- helpers ---------------------------------------------------------------------------

    def _finish_change(
        self,
        found: SignInTransaction,
        token: str,
        changed: Account,
        action: Action,
        *,
        ip: str,
        lang: Lang | None,
    ) -> SignInProgress:
        """Store a password changed during the flow and move the transaction on."""
        account_id = changed.id
        with UseCase(
            self.ports, "auth.password.changed", account_subject(account_id), actor=account_id
        ) as unit:
            now, uow = unit.now, unit.uow
            current = self._transaction(uow, token, now)
            if current.version != found.version:
                raise ConcurrentModification(kind="sign-in", key=found.account_id)
            stored = uow.accounts.update(changed)
            revoked = revoke_after_password_change(uow, account_id, now)
            uow.counters.reset(SIGN_IN, lockout_key(str(changed.login_name)))
            target = FLOW.next(found.step, action, _NO_FACTS)
            record = stored.password
            moved, code = self._codes.moved_to(
                uow,
                found,
                target,
                now,
                password_expires_at=None
                if record is None
                else self.ports.password_policy.lifetime.expires_at(record),
            )
            moved = uow.signins.update(moved)
            unit.audit(details={"ip": ip, "step": found.step.value})
            if revoked:
                unit.audit("auth.browser.revoked", details={"ip": ip, "count": str(revoked)})
            if code is not None:
                unit.audit("auth.otp.sent", details={"ip": ip, "application": moved.application})
            unit.commit()
        self._codes.mail_code(stored, moved, code, ip=ip, lang=lang)
        return self._codes.progress(moved, token)

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
        usable = usable_token(browser_token)
        if usable is None or status in {PasswordStatus.MUST_CHANGE, PasswordStatus.EXPIRED}:
            return False
        try:
            browser = first_found(
                self._common.digester.digests(BROWSER, usable), uow.trusted_browsers.get
            )
        except NotFound:
            return False
        return browser.admits(account_id, ip, now)

    def _transaction(self, uow: UnitOfWork, token: str, now: datetime) -> SignInTransaction:
        usable = usable_token(token)
        if usable is None:
            raise NotFound("auth.transaction.unknown")
        try:
            found = first_found(self._common.digester.digests(TRANSACTION, usable), uow.signins.get)
        except NotFound:
            raise NotFound("auth.transaction.unknown") from None
        if now >= found.expires_at:
            raise NotFound("auth.transaction.unknown")
        return found

    def _new_code_limit(self, until: datetime | None) -> LimitReached:
        return LimitReached("auth.code.new_limit", time=self._common.when(until), until=until)
