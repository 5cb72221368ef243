"""The signed-in user's own account: password, profile, e-mail address, authenticator app.

Every use case here acts for the signed-in user on their own account: the
acting account's id comes first (``actor``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from examkit._digests import first_found
from examkit._fields import check_email, normalise_email
from examkit.accounts import Account
from examkit.auth._common import (
    DAY,
    EMAIL_CONFIRM,
    SIGN_IN,
    TOKEN_BYTES,
    AuthCommon,
    account_subject,
    authenticator_seed,
    client_ip,
    revoke_after_password_change,
    usable_token,
)
from examkit.auth._model import Authenticator, AuthenticatorEnrolment, EmailChange, ProfileUpdate
from examkit.auth._rules import SignInRules
from examkit.auth._secrets import Digester, matching_step, totp
from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    NotFound,
)
from examkit.messages import DEFAULT_LANG, Lang, text
from examkit.notifications import compose, language
from examkit.passwords import PasswordStatus
from examkit.storage import StoredToken
from examkit.usecase import Ports, UseCase
from examkit.websessions import revoke_web_sessions


class Profile:
    """The user's own account: password, profile, e-mail address, sign-out, authenticator app.

    Reached through :attr:`examkit.Examkit.profile`.

    Args:
        ports: The kit's wired ports.
        rules: The sign-in's numbers (the seed's by default).

    Implements AUTH-10, the user's own password (seed 4.4) and the e-mail
    confirmation of NOTE-1.
    """

    def __init__(self, ports: Ports, rules: SignInRules | None = None) -> None:
        self._common = AuthCommon(ports, rules)
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = self._common.rules
        """The sign-in's numbers."""

    def change_own_password(
        self, actor: str, old_password: str, new_password: str, *, ip: str
    ) -> Account:
        """Change the signed-in user's password ("Verander wachtwoord", seed 4.4).

        The old password is counted against the lockout like a sign-in.
        Every trusted browser, reset link and web session is revoked, the
        current one too: the portal starts a new session
        (:meth:`kit.web_sessions.start <examkit.websessions.WebSessions.start>`).

        Args:
            actor: The signed-in account's id.
            old_password: The current password, as typed.
            new_password: The new one, as typed.
            ip: The client's address.

        Raises:
            NotFound: there is no such account.
            NotPermitted: ``auth.password.old_invalid`` or ``auth.account.inactive``.
            LimitReached: ``auth.sign_in.blocked``.
            ExamkitErrorGroup: the new password breaks the policy.

        Implements AUTH-1 and AUTH-7.
        """
        address = client_ip(ip)
        account = self._common.active_account(actor)
        self._common.precheck(account, new_password)
        checked = self._common.check_old_password(account, old_password, ip=address)
        changed = self._common.changed_or_reset_lockout(checked, new_password, checked.now)
        with UseCase(
            self.ports, "auth.password.changed", account_subject(actor), actor=actor
        ) as unit:
            uow = unit.uow
            stored = uow.accounts.update(changed)
            revoked = revoke_after_password_change(uow, actor, unit.now)
            uow.counters.reset(SIGN_IN, checked.key)
            unit.audit(details={"ip": address})
            if revoked:
                unit.audit("auth.browser.revoked", details={"ip": address, "count": str(revoked)})
            unit.commit()
        return stored

    def expiry_warning(self, actor: str, lang: Lang = DEFAULT_LANG) -> str | None:
        """Return the warning that *actor*'s password expires soon, in *lang*, or ``None``.

        Due from the policy's first reminder (14 days before the password
        expires, by default) until it expires, as the e-mailed reminders
        are: "Uw wachtwoord verloopt over 9 dag(en), op 10-09-2027 10:00
        CEST." (``auth.password.expires_soon``), for the portal to show on
        its pages after sign-in. An initial password, one that never
        expires, and one already expired (replaced at sign-in) give none.

        Raises:
            NotFound: there is no such account.

        Implements AUTH-7.
        """
        with UseCase(
            self.ports,
            "auth.password.expiry",
            account_subject(actor),
            actor=actor,
            readonly=True,
        ) as unit:
            now, account = unit.now, unit.uow.accounts.get(actor)
        record = account.password
        lifetime = self.ports.password_policy.lifetime
        if record is None or lifetime.status(record, now) is not PasswordStatus.EXPIRING:
            return None
        expires = lifetime.expires_at(record)
        assert expires is not None  # noqa: S101 - an expiring password has an end
        return text(
            "auth.password.expires_soon",
            lang,
            days=(expires - now) // DAY,
            time=self._common.when(expires),
        )

    def update_profile(
        self,
        actor: str,
        *,
        first_name: str,
        last_name: str,
        email: str,
        phone: str | None,
        ip: str,
        password: str | None = None,
        preferred_lang: Lang | None = None,
        lang: Lang | None = None,
    ) -> ProfileUpdate:
        """Save the user's own names, e-mail address, phone and language (AUTH-10, NOTE-1).

        First name, last name and e-mail address are required; every
        problem is reported at once. Names, phone and the preferred
        language are saved at once. A
        new e-mail address carries the one-time passwords, so asking for one
        takes the current *password* (counted against the lockout like a
        sign-in), and the address is only taken after the link mailed to it
        is used (:meth:`confirm_email`); the current address is told of the
        request. A refused password saves nothing. The two e-mails are in the
        account's language (the one chosen here, if any) unless *lang* is given.

        Args:
            actor: The signed-in account's id.
            first_name: The first name.
            last_name: The last name.
            email: The e-mail address (a new one is taken once confirmed).
            phone: The phone number, or ``None``.
            ip: The client's address.
            password: The current password (required for a new e-mail address).
            preferred_lang: The language the account's e-mails are written in
                from now on (:attr:`~examkit.accounts.Account.lang`); ``None``
                keeps it.
            lang: The language of this request's e-mails, overriding the
                account's (the language of the page, as every use case that
                sends an e-mail takes it).

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
        address = client_ip(ip)
        account = self._common.active_account(actor)
        updated, problems = _edited(
            account,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            preferred_lang=account.lang if preferred_lang is None else preferred_lang,
        )
        new_email, wrong_email = _checked_email(email)
        if wrong_email is not None:
            problems.append(wrong_email)
        changing = new_email is not None and new_email != account.email
        if changing and not password:
            problems.append(InvalidInput("auth.profile.password_required", field="password"))
        if problems:
            raise ExamkitErrorGroup(problems, "input.problems")
        pending = new_email if changing else None
        checked = None
        if pending is not None:
            checked = self._common.check_old_password(account, str(password), ip=address)
        rules = self.rules
        with UseCase(
            self.ports, "auth.profile.updated", account_subject(actor), actor=actor
        ) as unit:
            now, uow = unit.now, unit.uow
            current = uow.accounts.get(actor)
            if current.version != account.version:
                raise ConcurrentModification(kind="account", key=actor)
            if checked is not None:
                uow.counters.reset(SIGN_IN, checked.key)
            stored = uow.accounts.update(updated) if updated != account else current
            if pending is not None:
                token = self.ports.secrets.token_urlsafe(TOKEN_BYTES)
                expires = now + rules.email_change_lifetime
                try:
                    earlier = uow.email_changes.get(actor)
                except NotFound:
                    uow.email_changes.add(EmailChange(actor, pending, now, expires))
                else:
                    uow.email_changes.update(
                        EmailChange(actor, pending, now, expires, version=earlier.version)
                    )
                uow.tokens.revoke(EMAIL_CONFIRM, actor)
                uow.tokens.put(
                    StoredToken(
                        purpose=EMAIL_CONFIRM,
                        digest=self._common.digester.digest(EMAIL_CONFIRM, token),
                        subject=actor,
                        expires_at=expires,
                        data={"email": pending},
                    )
                )
                params = {"name": stored.first_name, "login_name": str(stored.login_name)}
                written_in = language(stored.lang, lang)
                unit.send(
                    compose(
                        "auth.email_confirm",
                        pending,
                        written_in,
                        email=pending,
                        link=self._common.link(self.ports.paths.email_confirm, token),
                        time=self._common.when(expires),
                        **params,
                    )
                )
                unit.send(
                    compose("auth.email_notice", stored.email, written_in, email=pending, **params)
                )
            unit.audit(
                details={"ip": address, "email_pending": "yes" if pending is not None else "no"}
            )
            unit.commit()
        return ProfileUpdate(account=stored, pending_email=pending)

    def confirm_email(self, token: str, *, ip: str) -> Account:
        """Take the new e-mail address whose confirmation link carried *token* (AUTH-10).

        Raises:
            NotFound: ``auth.email.unusable``: unknown, used, superseded or expired.

        Implements AUTH-10.
        """
        address = client_ip(ip)
        usable = usable_token(token)
        with UseCase(self.ports, "auth.email.confirmed", "account:unknown") as unit:
            uow = unit.uow
            try:
                if usable is None:
                    raise NotFound("auth.email.unusable")
                found = first_found(
                    self._common.digester.digests(EMAIL_CONFIRM, usable),
                    lambda digest: uow.tokens.consume(EMAIL_CONFIRM, digest, now=unit.now),
                )
                change = uow.email_changes.get(found.subject)
            except NotFound:
                raise NotFound("auth.email.unusable") from None
            if not Digester.same(change.email, found.data.get("email", "")):
                raise NotFound("auth.email.unusable")
            unit.subject, unit.actor_id = account_subject(found.subject), found.subject
            account = uow.accounts.get(found.subject)
            stored = uow.accounts.update(attrs.evolve(account, email=change.email))
            uow.email_changes.remove(found.subject)
            unit.audit(details={"ip": address})
            unit.commit()
        return stored

    def sign_out_everywhere(self, actor: str, *, ip: str) -> int:
        """Revoke every trusted browser of the account and end its sign-ins and web sessions.

        Returns how many trusted browsers were revoked. Every web session of
        the account ends with them, the current one too
        (:func:`~examkit.websessions.revoke_web_sessions`).
        """
        address = client_ip(ip)
        with UseCase(
            self.ports, "auth.signed_out_everywhere", account_subject(actor), actor=actor
        ) as unit:
            revoked = unit.uow.trusted_browsers.remove_for_account(actor)
            unit.uow.signins.remove_for_account(actor)
            revoke_web_sessions(unit.uow, actor, now=unit.now)
            unit.audit(details={"ip": address})
            if revoked:
                unit.audit("auth.browser.revoked", details={"ip": address, "count": str(revoked)})
            unit.commit()
        return revoked

    # -- authenticator apps (the stronger second factor) -----------------------------------

    def enrol_authenticator(self, actor: str) -> AuthenticatorEnrolment:
        """Start enrolling an authenticator app; show the result's URI as a QR code once.

        Until :meth:`confirm_authenticator` accepts a first code, sign-ins
        keep using e-mail. Enrolling again replaces the app.

        Raises:
            NotFound: there is no such account.
        """
        account = self._common.active_account(actor)
        nonce = self.ports.secrets.token_urlsafe(16)
        with UseCase(
            self.ports, "auth.authenticator.enrolled", account_subject(actor), actor=actor
        ) as unit:
            enrolled = Authenticator(
                account_id=actor,
                nonce=nonce,
                enrolled_at=unit.now,
                key_id=self._common.digester.key_id,
            )
            try:
                earlier = unit.uow.authenticators.get(actor)
            except NotFound:
                unit.uow.authenticators.add(enrolled)
            else:
                unit.uow.authenticators.update(attrs.evolve(enrolled, version=earlier.version))
            unit.audit()
            unit.commit()
        secret = self._common.digester.authenticator_secret(actor, nonce)
        uri = totp(secret).provisioning_uri(
            name=str(account.login_name), issuer_name=self.rules.authenticator_issuer
        )
        return AuthenticatorEnrolment(secret=secret, uri=uri)

    def confirm_authenticator(self, actor: str, code: str) -> None:
        """Confirm an enrolled authenticator app with a first code from it.

        Raises:
            NotFound: ``auth.authenticator.missing``.
            InvalidInput: ``auth.authenticator.invalid``.
        """
        with UseCase(
            self.ports, "auth.authenticator.confirmed", account_subject(actor), actor=actor
        ) as unit:
            now = unit.now
            try:
                found = unit.uow.authenticators.get(actor)
            except NotFound:
                raise NotFound("auth.authenticator.missing") from None
            secret = authenticator_seed(self._common.digester, found)
            step = (
                None
                if secret is None
                else matching_step(secret, str(code), now, after=found.last_step)
            )
            if step is None:
                raise InvalidInput("auth.authenticator.invalid", field="code")
            unit.uow.authenticators.update(attrs.evolve(found, confirmed_at=now, last_step=step))
            unit.audit()
            unit.commit()

    def remove_authenticator(self, actor: str) -> None:
        """Remove the account's authenticator app; sign-ins use e-mail again.

        Raises:
            NotFound: ``auth.authenticator.missing``.
        """
        with UseCase(
            self.ports, "auth.authenticator.removed", account_subject(actor), actor=actor
        ) as unit:
            try:
                unit.uow.authenticators.remove(actor)
            except NotFound:
                raise NotFound("auth.authenticator.missing") from None
            unit.audit()
            unit.commit()


def _edited(
    account: Account,
    *,
    first_name: str,
    last_name: str,
    phone: str | None,
    preferred_lang: Lang,
) -> tuple[Account, list[ExamkitError]]:
    """Return *account* with the new names, phone and language, and each field's problem."""
    try:  # one step when nothing is wrong (the usual case)
        edited = attrs.evolve(
            account, first_name=first_name, last_name=last_name, phone=phone, lang=preferred_lang
        )
    except InvalidInput as error:
        refused = error
    else:
        return edited, []
    problems: list[ExamkitError] = []
    steps: list[tuple[str, Callable[[], Account]]] = [
        ("first_name", lambda: attrs.evolve(account, first_name=first_name)),
        ("last_name", lambda: attrs.evolve(account, last_name=last_name)),
        ("phone", lambda: attrs.evolve(account, phone=phone)),
        ("preferred_lang", lambda: attrs.evolve(account, lang=preferred_lang)),
    ]
    for field, step in steps:
        try:
            step()
        except InvalidInput as error:
            problems.append(error.with_location(field=field))
    if not problems:  # pragma: no cover - every check of these fields is the field's own
        raise refused
    return account, problems


def _checked_email(value: str) -> tuple[str | None, ExamkitError | None]:
    """Return the e-mail address normalised, or its problem."""
    try:
        address = normalise_email(value)
        check_email(None, _EMAIL_FIELD, address)
    except InvalidInput as error:
        return None, error.with_location(field="email")
    return address, None


_EMAIL_FIELD: Final = attrs.fields(Account).email
