"""A sign-in harness: a deterministic kit, accounts with known passwords, the mailed codes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from examkit._kit import Examkit
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.audit import AuditEvent
from examkit.auth import (
    PasswordReset,
    Profile,
    SignInHousekeeping,
    SignInMonitor,
    SignInProgress,
    SignInRules,
    StaffSignIn,
    Step,
)
from examkit.identifiers import Brin
from examkit.messages import DEFAULT_LANG, Lang
from examkit.passwords import PRESETS, PasswordPolicy, change_password, issue_initial_password
from examkit.ports import Message, PasswordHasher
from examkit.records import Backend
from examkit.testing._fakes import (
    CountingHasher,
    ManualClock,
    MemoryAuditLog,
    RecordingMailer,
    StaticGate,
    StoredAuditTrail,
)

_CODE = re.compile(r"\b(\d{6})\b")
_LINK_TOKEN = re.compile(r"\?token=([A-Za-z0-9_-]+)")


class SignInHarness:
    """A kit ready to sign accounts in, for a portal's tests and examkit's own.

    It has a :class:`ManualClock`, a :class:`RecordingMailer` (the codes and
    links are read back from the e-mails), a :class:`CountingHasher` around
    the cheap test hasher, a :class:`StaticGate` and a
    :class:`MemoryAuditLog` (or, with *stored_audit*, the kit's own audit
    log, read back through a :class:`StoredAuditTrail`).

    >>> harness = SignInHarness()
    >>> _ = harness.add_account()
    >>> harness.sign_in().step
    <Step.SIGNED_IN: 'signed_in'>

    Args:
        backend: Where the data is kept (a new memory backend by default).
        rules: The sign-in's numbers (the seed's by default).
        hasher: The hasher the sign-in uses, counted (the cheap test hasher by
            default); accounts are given their passwords with the cheap
            test hasher whatever this is.
        policy: The password policy of the kit (the ``facet`` preset by default).
        stored_audit: Use the kit's own audit log (the backend's store), as
            in production, instead of a :class:`MemoryAuditLog`.
    """

    IP: ClassVar[str] = "192.0.2.10"
    """The client address used unless a test names another."""
    LOGIN_NAME: ClassVar[str] = "22AB.K.Beheerder"
    """The login name of the default account."""
    PASSWORD: ClassVar[str] = "Zomer2026!x"  # noqa: S105 - a test password, no secret
    """The chosen password accounts get unless a test names another."""
    NEW_PASSWORD: ClassVar[str] = "Herfst2026?y"  # noqa: S105 - a test password, no secret
    """A second password that meets the facet rules."""

    def __init__(
        self,
        backend: Backend | None = None,
        rules: SignInRules | None = None,
        hasher: PasswordHasher | None = None,
        policy: PasswordPolicy | None = None,
        *,
        stored_audit: bool = False,
    ) -> None:
        from examkit.testing import cheap_hasher, make_kit

        self._setup_hasher = cheap_hasher("examkit-harness")
        self.hasher = CountingHasher(hasher if hasher is not None else cheap_hasher())
        """The hasher, counting every hash computation."""
        self.gate = StaticGate()
        """The sign-in gate (everyone, except those denied)."""
        memory = None if stored_audit else MemoryAuditLog()
        self.kit: Examkit = make_kit(
            backend=backend,
            hasher=self.hasher,
            gate=self.gate,
            audit=memory,
            rules=rules,
            policy=policy,
        )
        """The kit."""
        self.audit: MemoryAuditLog | StoredAuditTrail = (
            memory if memory is not None else StoredAuditTrail(self.kit.backend)
        )
        """Where the audit events are read back."""
        clock, mailer = self.kit.clock, self.kit.mailer
        assert isinstance(clock, ManualClock)  # noqa: S101 - make_kit's own fakes
        assert isinstance(mailer, RecordingMailer)  # noqa: S101
        self.clock: ManualClock = clock
        """The clock."""
        self.mailer: RecordingMailer = mailer
        """The outbox."""
        self.staff_sign_in: StaffSignIn = self.kit.staff_sign_in
        """Staff signing in (the kit's)."""
        self.sign_in_monitor: SignInMonitor = self.kit.sign_in_monitor
        """The proctor monitor's sign-in (the kit's)."""
        self.password_reset: PasswordReset = self.kit.password_reset
        """Password reset (the kit's)."""
        self.profile: Profile = self.kit.profile
        """The user's own account (the kit's)."""
        self.sign_in_housekeeping: SignInHousekeeping = self.kit.sign_in_housekeeping
        """The sign-in's daily job (the kit's)."""

    def add_account(
        self,
        account_id: str = "acc-1",
        login_name: str | None = None,
        *,
        initial: bool = False,
        password: str | None = None,
        set_at: datetime | None = None,
        status: AccountStatus = AccountStatus.ACTIVE,
        email: str = "k.beheerder@school.nl",
        lang: Lang = DEFAULT_LANG,
    ) -> tuple[Account, str]:
        """Store an account with a chosen password (or an e-mailed initial one); return both.

        The password is set at *set_at* (now by default); its e-mails are
        written in *lang*.
        """
        account = Account(
            id=account_id,
            login_name=LoginName(login_name or self.LOGIN_NAME),
            first_name="Karin",
            last_name="Beheerder",
            email=email,
            status=status,
            institutions=frozenset({Brin("22AB")}),
            lang=lang,
        )
        moment = set_at if set_at is not None else self.clock.now()
        policy = PRESETS["facet"]
        if initial:
            account, chosen = issue_initial_password(
                account,
                policy=policy,
                hasher=self._setup_hasher,
                secrets=self.kit.secrets,
                now=moment,
            )
        else:
            chosen = password or self.PASSWORD
            account = change_password(
                account, chosen, policy=policy, hasher=self._setup_hasher, now=moment
            )
        with self.kit.backend.begin() as uow:
            stored = uow.accounts.add(account)
            uow.commit()
        return stored, chosen

    def account(self, account_id: str = "acc-1") -> Account:
        """Return the account as stored now."""
        with self.kit.backend.begin(readonly=True) as uow:
            return uow.accounts.get(account_id)

    def last_mail(self, kind: str, to: str | None = None) -> Message:
        """Return the newest e-mail of *kind* (to *to*)."""
        return self.mailer.last(kind, to=to)

    def code(self, to: str | None = None) -> str:
        """Return the one-time password of the newest code e-mail (to *to*)."""
        found = _CODE.search(self.last_mail("auth.otp", to).body)
        if found is None:  # pragma: no cover - the template always has one
            raise LookupError("no code in the newest code e-mail")
        return found.group(1)

    def link_token(self, kind: str) -> str:
        """Return the token of the link in the newest e-mail of *kind*."""
        found = _LINK_TOKEN.search(self.last_mail(kind).body)
        if found is None:
            raise LookupError(f"no link with a token in the newest {kind} e-mail")
        return found.group(1)

    def at_code(
        self, login_name: str | None = None, password: str | None = None, ip: str | None = None
    ) -> SignInProgress:
        """Sign in up to the second factor (the code has been mailed)."""
        progress = self.staff_sign_in.submit_credentials(
            login_name or self.LOGIN_NAME, password or self.PASSWORD, ip=ip or self.IP
        )
        if progress.step is not Step.SECOND_FACTOR:
            raise AssertionError(f"expected the second factor, got {progress.step}")
        return progress

    def sign_in(
        self, login_name: str | None = None, password: str | None = None, ip: str | None = None
    ) -> SignInProgress:
        """Sign in completely with the e-mailed code; return the signed-in result."""
        progress = self.at_code(login_name, password, ip)
        return self.staff_sign_in.submit_code(progress.transaction, self.code(), ip=ip or self.IP)

    def events(self, action: str | None = None) -> list[AuditEvent]:
        """Return the audit events (of *action*), oldest first."""
        return [event for event in self.audit.events if action is None or event.action == action]

    def hashes(self) -> int:
        """Return how many hash computations (hashes and verifications) were made so far."""
        return self.hasher.calls["hash"] + self.hasher.calls["verify"]
