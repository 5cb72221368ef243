"""The sign-in's values: steps, the stored aggregates, and what each use case returns.

Stored aggregates (each with a ``version``, 0 when never stored):
:class:`SignInTransaction`, :class:`TrustedBrowser`, :class:`SentReminder`,
:class:`EmailChange` and :class:`Authenticator`. None of them holds a
secret: a transaction and a trusted browser are keyed by the keyed digest
of their token, and an authenticator's seed is derived from the portal's
token key when it is needed.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final

import attrs

from examkit._fields import check_email, normalise_email, require_aware_utc, required_text
from examkit.accounts import Account
from examkit.auth._rules import SecondFactor
from examkit.messages import DEFAULT_LANG, Lang, text


class Step(enum.Enum):
    """Where a sign-in stands: the page the portal shows next (*stap*)."""

    CREDENTIALS = "credentials"
    """Login name and password (*inloggen*)."""
    CHANGE_PASSWORD = "change_password"  # noqa: S105 - a step's name, not a password
    """Replace the e-mailed initial password by one of the user's own (AUTH-2)."""
    CHANGE_EXPIRED_PASSWORD = "change_expired_password"  # noqa: S105 - a name, not a password
    """Enter the expired password once more and choose a new one (AUTH-7)."""
    SECOND_FACTOR = "second_factor"
    """Enter the one-time password (*eenmalig wachtwoord*) or the authenticator's code (AUTH-3)."""
    SIGNED_IN = "signed_in"
    """Done: the portal starts its session."""

    def title(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the step's name as the user reads it.

        >>> Step.SECOND_FACTOR.title("nl")
        'eenmalig wachtwoord invoeren'
        """
        return text(_STEP_TITLES[self], lang)


_STEP_TITLES: Final = {
    Step.CREDENTIALS: "auth.step.credentials",
    Step.CHANGE_PASSWORD: "auth.step.change_password",
    Step.CHANGE_EXPIRED_PASSWORD: "auth.step.change_expired_password",
    Step.SECOND_FACTOR: "auth.step.second_factor",
    Step.SIGNED_IN: "auth.step.signed_in",
}


class Action(enum.Enum):
    """What the portal submits for the user at a step."""

    SUBMIT_CREDENTIALS = "submit_credentials"
    """Login name and password (*Inloggen*)."""
    CHANGE_PASSWORD = "change_password"  # noqa: S105 - a step's name, not a password
    """A new password instead of the initial one."""
    CHANGE_EXPIRED_PASSWORD = "change_expired_password"  # noqa: S105 - a name, not a password
    """The expired password once more, and a new one."""
    SUBMIT_CODE = "submit_code"
    """The one-time password or authenticator code (*Versturen*)."""
    REQUEST_NEW_CODE = "request_new_code"
    """Ask for a new one-time password (*Nieuwe aanvragen*)."""


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value)


_key = attrs.validators.and_(attrs.validators.instance_of(str), required_text(128))


@attrs.frozen
class SignInTransaction:
    """A sign-in in progress (*inlogpoging*): which account, which step, until when.

    The portal holds the transaction's token (in its server-side session);
    only its keyed digest is stored, as :attr:`id`. A transaction exists
    from a right password until the user is signed in, gives up, or it
    lapses; it is never reachable at a step other than :attr:`step`.
    """

    id: str = attrs.field(validator=_key)
    """The keyed digest of the transaction's token."""
    account_id: str = attrs.field(validator=_key)
    """The account signing in."""
    step: Step
    """The step the transaction waits at."""
    application: str
    """The environment signed in to (the sign-in gate's name for it)."""
    ip: str
    """The client address the portal passed at the first step."""
    started_at: datetime = attrs.field(converter=_aware)
    """When the password was accepted."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When it lapses; every step renews it."""
    factor: SecondFactor = SecondFactor.EMAIL
    """The second factor asked for at :attr:`Step.SECOND_FACTOR`."""
    code_generation: int = 0
    """How many codes were sent (each new code supersedes the one before)."""
    code_expires_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the current e-mailed code stops working."""
    password_expires_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When the account's password expires (``None``: never), for the portal to show."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class TrustedBrowser:
    """A browser that may skip the second factor for a while (*vertrouwde browser*, AUTH-4).

    The browser keeps a random token in a cookie; only its keyed digest is
    stored, as :attr:`id`. It counts for the one account, from the one IP
    address, until :attr:`expires_at`, and is revoked by a password change,
    a reset and "sign out everywhere".
    """

    id: str = attrs.field(validator=_key)
    """The keyed digest of the browser's token."""
    account_id: str = attrs.field(validator=_key)
    """The account it was trusted for."""
    ip: str
    """The client address it was trusted from."""
    trusted_at: datetime = attrs.field(converter=_aware)
    """When the sign-in with a second factor happened."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When it stops counting (24 hours later by default)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    def admits(self, account_id: str, ip: str, now: datetime) -> bool:
        """Return whether it lets *account_id* skip the second factor from *ip* at *now*."""
        return self.account_id == account_id and self.ip == ip and now < self.expires_at


def reminder_id(account_id: str, set_at: datetime, days: int) -> str:
    """Return the key of the reminder *days* before the password set at *set_at* expires.

    >>> from datetime import UTC
    >>> reminder_id("acc-1", datetime(2026, 9, 1, 8, tzinfo=UTC), 14)
    'acc-1@2026-09-01T08:00:00.000000Z-14d'
    """
    stamp = require_aware_utc(set_at).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{account_id}@{stamp}-{days}d"


@attrs.frozen
class SentReminder:
    """A password-expiry reminder that was dealt with: sent, or overtaken by a later one.

    Its key, :func:`reminder_id`, names the account, the password (by when
    it was set) and the reminder, so each reminder of each password is
    claimed once, however often the daily job runs.
    """

    id: str = attrs.field(validator=_key)
    """The key (:func:`reminder_id`)."""
    account_id: str
    """The account reminded."""
    password_set_at: datetime = attrs.field(converter=_aware)
    """When the password it is about was set."""
    days: int
    """How many days before the expiry it is due (14 or 7)."""
    sent_at: datetime = attrs.field(converter=_aware)
    """When it was dealt with."""
    mailed: bool = True
    """Whether it was mailed (``False``: a later reminder was due too and went instead)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class EmailChange:
    """A new e-mail address waiting for confirmation through itself (AUTH-10).

    The address carries the one-time passwords, so it replaces the current
    one only when the link mailed to it is used.
    """

    account_id: str = attrs.field(validator=_key)
    """The account (one pending change per account)."""
    email: str = attrs.field(converter=normalise_email, validator=check_email)
    """The new address."""
    requested_at: datetime = attrs.field(converter=_aware)
    """When the change was asked for."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When the confirmation link stops working."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


@attrs.frozen
class Authenticator:
    """An authenticator app enrolled for an account (TOTP, RFC 6238).

    Its seed is not stored: it is derived from the portal's token key, the
    account and :attr:`nonce` whenever a code is checked.
    """

    account_id: str = attrs.field(validator=_key)
    """The account."""
    nonce: str
    """The random value the seed is derived from (not a secret without the token key)."""
    enrolled_at: datetime = attrs.field(converter=_aware)
    """When it was enrolled."""
    confirmed_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When a first code confirmed it; only a confirmed app is asked for."""
    last_step: int = -1
    """The last 30-second time step whose code was accepted: a code works once."""
    key_id: str | None = None
    """The id of the token key the seed is derived under (``None``: the current key)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def confirmed(self) -> bool:
        """Whether a first code confirmed the enrolment."""
        return self.confirmed_at is not None


@attrs.frozen
class SignInProgress:
    """What a sign-in step returns: the page the portal shows next, and for which transaction.

    Keep :attr:`transaction` in the server-side session (never in a URL):
    it is the key to the next step. Set :attr:`browser_token`, when there is
    one, as the trusted-browser cookie (see the cookie guidance in the
    documentation).
    """

    step: Step
    """The page to show next."""
    transaction: str = attrs.field(repr=False)
    """The transaction's token, for the next step."""
    account_id: str
    """The account signing in (its password was right)."""
    expires_at: datetime
    """When the transaction lapses if the user does nothing."""
    factor: SecondFactor | None = None
    """At :attr:`Step.SECOND_FACTOR`: what code to ask for."""
    code_expires_at: datetime | None = None
    """At :attr:`Step.SECOND_FACTOR` by e-mail: when the code sent stops working."""
    browser_token: str | None = attrs.field(default=None, repr=False)
    """At :attr:`Step.SIGNED_IN` after a second factor: the trusted-browser cookie's value."""
    browser_expires_at: datetime | None = None
    """When the trusted-browser cookie stops counting."""
    password_expires_at: datetime | None = None
    """When the password expires (``None``: never)."""


@attrs.frozen
class MonitorSignIn:
    """A sign-in to the proctor monitor (*afnamemonitor*, AUTH-9): no code, maybe a warning."""

    account_id: str
    """The account signed in."""
    password_expires_at: datetime | None
    """When the password expires (``None``: never)."""
    days_left: int | None
    """Whole days of validity left (``None``: it never expires)."""
    warning: bool
    """Whether to warn: fewer than 5 days of validity left."""


@attrs.frozen
class Reminder:
    """A password-expiry reminder dealt with by the daily job (``due_reminders``)."""

    account_id: str
    """The account reminded."""
    days: int
    """The reminder: 14 or 7 days before the expiry."""
    expires_at: datetime
    """When the password expires."""
    mailed: bool
    """Whether it was mailed (``False``: overtaken by a later reminder due too)."""


@attrs.frozen
class ProfileUpdate:
    """The outcome of editing a profile (AUTH-10)."""

    account: Account
    """The account as stored now."""
    pending_email: str | None = None
    """A new e-mail address waiting for confirmation through the link mailed to it."""


@attrs.frozen
class AuthenticatorEnrolment:
    """An authenticator app being enrolled: show :attr:`uri` as a QR code once."""

    secret: str = attrs.field(repr=False)
    """The base32 seed to type in by hand; shown once, never stored."""
    uri: str = attrs.field(repr=False)
    """The ``otpauth://`` provisioning URI (for a QR code)."""
