"""The second factor of the staff's sign-in: issuing and checking codes (AUTH-3, AUTH-4)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from examkit._digests import first_found
from examkit.accounts import Account
from examkit.auth._common import ACCOUNT_CODE, CODE, OTP, AuthCommon, authenticator_seed
from examkit.auth._model import SignInProgress, SignInTransaction, Step
from examkit.auth._rules import SecondFactor
from examkit.auth._secrets import Digester, matching_step
from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    InvalidInput,
    LimitReached,
    NotFound,
)
from examkit.messages import Lang
from examkit.notifications import compose, language, whole_minutes
from examkit.storage import StoredToken

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


class CodeSteps:
    """The code steps of :class:`~examkit.auth.StaffSignIn`: issuing, checking, mailing codes.

    Args:
        common: The sign-in's shared parts.
    """

    def __init__(self, common: AuthCommon) -> None:
        self._common = common
        self.ports = common.ports
        """The wired ports."""
        self.rules = common.rules
        """The sign-in's numbers."""

    def new_factor(
        self, uow: UnitOfWork, transaction_id: str, account_id: str, generation: int, now: datetime
    ) -> tuple[SecondFactor, int, datetime | None, str | None]:
        """Choose the second factor and, for e-mail, store code *generation*.

        Returns:
            The factor, the code generation, when the code expires and the code to
            mail (the generation unchanged and no code for an authenticator).
        """
        rules = self.rules
        if rules.second_factor is SecondFactor.AUTHENTICATOR:
            try:
                if uow.authenticators.get(account_id).confirmed:
                    return SecondFactor.AUTHENTICATOR, generation - 1, None, None
            except NotFound:
                pass
        code = self.ports.secrets.digits(rules.code_digits)
        expires = now + rules.code_lifetime
        if generation > 1:
            uow.tokens.revoke(OTP, transaction_id)
        uow.tokens.put(
            StoredToken(
                purpose=OTP,
                digest=self._common.digester.digest(OTP, transaction_id, str(generation), code),
                subject=transaction_id,
                expires_at=expires,
            )
        )
        return SecondFactor.EMAIL, generation, expires, code

    def moved_to(
        self,
        uow: UnitOfWork,
        found: SignInTransaction,
        target: Step,
        now: datetime,
        password_expires_at: datetime | None,
    ) -> tuple[SignInTransaction, str | None]:
        """Return *found* moved to *target* (a new code at the second factor) and the code.

        Built in one step, whatever changes (the transaction's checks run once).
        """
        factor, generation = found.factor, found.code_generation
        expires, code = found.code_expires_at, None
        if target is Step.SECOND_FACTOR:
            factor, generation, expires, code = self.new_factor(
                uow, found.id, found.account_id, generation + 1, now
            )
        moved = attrs.evolve(
            found,
            step=target,
            expires_at=now + self.rules.transaction_lifetime,
            factor=factor,
            code_generation=generation,
            code_expires_at=expires,
            password_expires_at=password_expires_at,
        )
        return moved, code

    def check_emailed_code(
        self, uow: UnitOfWork, found: SignInTransaction, code: str, now: datetime
    ) -> ExamkitError | None:
        """Count and check an e-mailed code; return the refusal, or ``None`` when it is right."""
        rules = self.rules
        entries = uow.counters.record(
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
        wanted = self._common.digester.digests(OTP, found.id, str(found.code_generation), entered)
        try:
            used = first_found(wanted, lambda digest: uow.tokens.consume(OTP, digest, now=now))
        except NotFound:
            self.require_live(uow, found)
            return InvalidInput("auth.code.invalid", field="code")
        if not Digester.same(used.subject, found.id):  # pragma: no cover - bound by the digest
            return InvalidInput("auth.code.invalid", field="code")
        return None

    def check_authenticator_code(
        self, uow: UnitOfWork, found: SignInTransaction, code: str, now: datetime
    ) -> ExamkitError | None:
        """Check an authenticator code once per time step; return the refusal, or ``None``."""
        entries = uow.counters.record(
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
        secret = authenticator_seed(self._common.digester, app)
        step = (
            None
            if secret is None
            else matching_step(secret, str(code).strip(), now, after=app.last_step)
        )
        if step is None:
            return InvalidInput("auth.authenticator.invalid", field="code")
        try:
            uow.authenticators.update(attrs.evolve(app, last_step=step))
        except (ConcurrentModification, NotFound):
            # A simultaneous entry used this time step first (or the app was removed).
            self.require_live(uow, found)
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
        counted = uow.counters.record(
            ACCOUNT_CODE,
            found.account_id,
            now=now,
            window=rules.account_code_window,
            limit=rules.account_code_entries,
        )
        if counted.count > rules.account_code_entries:
            return self.end_blocked(uow, found, counted.expires_at)
        return None

    def end_blocked(
        self, uow: UnitOfWork, found: SignInTransaction, until: datetime | None
    ) -> LimitReached:
        """End a sign-in whose account entered too many codes; return the refusal.

        The code goes before the sign-in: the order in which a request for a
        new code takes them, so the two never wait for each other.
        """
        uow.tokens.revoke(OTP, found.id)
        with contextlib.suppress(NotFound):  # a simultaneous entry ended it already
            uow.signins.remove(found.id)
        return LimitReached("auth.code.blocked", time=self._common.when(until), until=until)

    def require_live(self, uow: UnitOfWork, found: SignInTransaction) -> None:
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

    def mail_code(
        self,
        account: Account,
        transaction: SignInTransaction,
        code: str | None,
        *,
        ip: str,
        lang: Lang | None,
    ) -> None:
        """Mail the code a step stored, in the account's language unless *lang* is given.

        A mailer that fails is audited (``auth.otp.sent``, ``failure``) and its
        error raised.
        """
        expires = transaction.code_expires_at
        if code is None or expires is None:
            return
        message = compose(
            "auth.otp",
            account.email,
            language(account.lang, lang),
            name=account.first_name,
            code=code,
            minutes=whole_minutes(self.rules.code_lifetime),
            time=self._common.when(expires),
            application=transaction.application,
        )
        try:
            self.ports.mailer.send(message)
        except Exception:
            self._common.note("auth.otp.sent", account=account.id, outcome="failure", ip=ip)
            raise

    @staticmethod
    def progress(transaction: SignInTransaction, token: str) -> SignInProgress:
        """Return where *transaction* stands, for the portal (*token* is its cookie's value)."""
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
