"""Password reset by e-mail: the request, the link's check, the new password (AUTH-8)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from examkit._digests import first_found
from examkit.auth._common import (
    RESET,
    RESET_REQUEST,
    SIGN_IN,
    TOKEN_BYTES,
    AuthCommon,
    account_subject,
    client_ip,
    find_account,
    revoke_after_password_change,
    usable_token,
)
from examkit.auth._rules import SignInRules
from examkit.auth._secrets import lockout_key
from examkit.errors import NotFound
from examkit.messages import Lang, text
from examkit.notifications import compose, language
from examkit.passwords import change_password
from examkit.storage import StoredToken
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.accounts import Account
    from examkit.records import UnitOfWork


class PasswordReset:
    """Resetting a forgotten password through a single-use link mailed to the account.

    Reached through :attr:`examkit.Examkit.password_reset`.

    Args:
        ports: The kit's wired ports.
        rules: The sign-in's numbers (the seed's by default).

    Implements AUTH-8 and the reset e-mails of NOTE-1.
    """

    def __init__(self, ports: Ports, rules: SignInRules | None = None) -> None:
        self._common = AuthCommon(ports, rules)
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = self._common.rules
        """The sign-in's numbers."""

    def request_reset(self, login_name: str, *, ip: str, lang: Lang | None = None) -> str:
        """Mail a reset link for *login_name*; return the one answer for every name (AUTH-8).

        *login_name* may also be an account's e-mail address (a login name
        never holds an ``@``): then every active account with that address
        gets a link of its own, the mail naming its login name.
        Known or not, active or not, the answer is the same text
        (``auth.reset.requested``, in *lang*, or the settings' language: it
        never tells the account's). A known,
        active account gets a single-use link, valid for the rules'
        ``reset_lifetime``, on the portal's own address (from the settings,
        never from the request), in the account's language unless *lang* is
        given; a newer link supersedes the older. More
        than ``reset_requests`` requests per name (or address) in
        ``reset_request_window`` send nothing more.

        Implements AUTH-8.
        """
        address = client_ip(ip)
        rules = self.rules
        key = lockout_key(login_name)
        with UseCase(self.ports, "auth.reset.requested", f"login:{key}", actor=key) as unit:
            now, uow = unit.now, unit.uow
            counted = uow.counters.record(
                RESET_REQUEST,
                key,
                now=now,
                window=rules.reset_request_window,
                limit=rules.reset_requests,
            )
            accounts = [
                account
                for account in _accounts_named(uow, login_name)
                if account.is_active
                and not account.federation_only  # AUTH-13: it has no password to reset
                and counted.count <= rules.reset_requests
            ]
            for account in accounts:
                token = self.ports.secrets.token_urlsafe(TOKEN_BYTES)
                uow.tokens.revoke(RESET, account.id)
                uow.tokens.put(
                    StoredToken(
                        purpose=RESET,
                        digest=self._common.digester.digest(RESET, token),
                        subject=account.id,
                        expires_at=now + rules.reset_lifetime,
                    )
                )
                if len(accounts) == 1:
                    unit.subject, unit.actor_id = account_subject(account.id), account.id
                unit.audit(subject=account_subject(account.id), details={"ip": address})
                unit.send(
                    compose(
                        "auth.reset",
                        account.email,
                        language(account.lang, lang),
                        name=account.first_name,
                        login_name=str(account.login_name),
                        link=self._common.link(self.ports.paths.reset, token),
                        time=self._common.when(now + rules.reset_lifetime),
                    )
                )
            if not accounts:
                unit.audit(outcome="denied", details={"ip": address})
            unit.commit()
        return text("auth.reset.requested", lang if lang is not None else self.ports.lang)

    def check_reset_token(self, token: str) -> None:
        """Check a reset link's token before showing the page to choose a password.

        Raises:
            NotFound: ``auth.reset.unusable``: unknown, used, superseded or expired.
        """
        now = self.ports.clock.now()
        with self.ports.backend.begin(readonly=True) as uow:
            self._reset_token(uow, token, now)

    def reset_password(
        self, token: str, new_password: str, *, ip: str, lang: Lang | None = None
    ) -> None:
        """Set a new password through a reset link (AUTH-8).

        The link works once. The new password must meet the policy (a
        refused password leaves the link usable). Afterwards every trusted
        browser is revoked, every other link, sign-in in progress and web
        session of the account ends, the lockout of the name is lifted, and
        the account holder is told by e-mail (in the account's language unless *lang* is given). The
        next sign-in asks for the second factor again.

        Raises:
            NotFound: ``auth.reset.unusable``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-8.
        """
        address = client_ip(ip)
        now = self.ports.clock.now()
        with self.ports.backend.begin(readonly=True) as uow:
            found = self._reset_token(uow, token, now)
            account = uow.accounts.get(found.subject)
        if not account.is_active or account.federation_only:  # AUTH-13: no password at all
            raise NotFound("auth.reset.unusable")
        changed = change_password(
            account,
            new_password,
            policy=self.ports.password_policy,
            hasher=self.ports.hasher,
            now=now,
        )
        account_id = account.id
        with UseCase(
            self.ports, "auth.reset.used", account_subject(account_id), actor=account_id
        ) as unit:
            uow = unit.uow
            try:
                uow.tokens.consume(RESET, found.digest, now=unit.now)
            except NotFound:
                raise NotFound("auth.reset.unusable") from None
            stored = uow.accounts.update(changed)
            revoked = revoke_after_password_change(uow, account_id, unit.now)
            uow.signins.remove_for_account(account_id)
            uow.counters.reset(SIGN_IN, lockout_key(str(account.login_name)))
            unit.audit(details={"ip": address})
            if revoked:
                unit.audit("auth.browser.revoked", details={"ip": address, "count": str(revoked)})
            unit.send(
                compose(
                    "auth.reset_done",
                    stored.email,
                    language(stored.lang, lang),
                    name=stored.first_name,
                    login_name=str(stored.login_name),
                    time=self._common.when(now),
                    link=self._common.link(self.ports.paths.sign_in),
                )
            )
            unit.commit()

    def _reset_token(self, uow: UnitOfWork, token: str, now: datetime) -> StoredToken:
        usable = usable_token(token)
        try:
            if usable is None:
                raise NotFound("auth.reset.unusable")
            return first_found(
                self._common.digester.digests(RESET, usable),
                lambda digest: uow.tokens.peek(RESET, digest, now=now),
            )
        except NotFound:
            raise NotFound("auth.reset.unusable") from None


def _accounts_named(uow: UnitOfWork, name: str) -> tuple[Account, ...]:
    """Return the account of the login name *name*, else the accounts with it as e-mail address."""
    account = find_account(uow, name)
    if account is not None:
        return (account,)
    if "@" not in name:
        return ()
    return uow.accounts.find_by_email(name)
