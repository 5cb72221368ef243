"""User accounts: login name, names, contact details, status, password state, institutions."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import datetime

import attrs

from examkit._fields import (
    check_email,
    check_lang,
    clean_text,
    normalise_email,
    optional_text,
    require_aware_utc,
    required_text,
)
from examkit.errors import InvalidInput
from examkit.messages import DEFAULT_LANG, Lang
from examkit.org import InstitutionCode

_LOGIN_NAME = re.compile(r"[A-Za-z0-9.]{8,20}")
_ACCOUNT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _login_text(value: str) -> str:
    text = clean_text(value)
    if not _LOGIN_NAME.fullmatch(text):
        raise InvalidInput("accounts.login_name.invalid", field="login_name", value=text)
    return text


@attrs.frozen(eq=False, order=False)
class LoginName:
    """A login name (*gebruikersnaam*): 8 to 20 letters, digits and dots.

    Case is kept as written (``22AB.K.Beheerder``) but ignored when
    comparing: two login names that differ only in case are the same, and a
    backend keeps them unique case-folded.

    >>> LoginName("22AB.K.Beheerder") == LoginName("22ab.k.beheerder")
    True

    Implements ACC-2.
    """

    value: str = attrs.field(converter=_login_text)
    """The login name as written."""

    @property
    def folded(self) -> str:
        """The case-folded form, the key of uniqueness."""
        return self.value.casefold()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoginName):
            return NotImplemented
        return self.folded == other.folded

    def __lt__(self, other: LoginName) -> bool:
        return self.folded < other.folded

    def __hash__(self) -> int:
        return hash(self.folded)

    def __str__(self) -> str:
        return self.value


def _account_id(value: str) -> str:
    text = clean_text(value)
    if not _ACCOUNT_ID.fullmatch(text):
        raise InvalidInput("accounts.id.invalid", field="id", value=text)
    return text


class AccountStatus(enum.Enum):
    """Whether an account can be used."""

    ACTIVE = "active"
    """The account can sign in."""
    DEACTIVATED = "deactivated"
    """The administrator deactivated it; it cannot sign in."""


def _aware_set_at(value: datetime) -> datetime:
    return require_aware_utc(value, "set_at")


@attrs.frozen
class PasswordRecord:
    """The account's current password, as stored: its hash, never the password."""

    hash: str = attrs.field(validator=required_text(512))
    """The password hash (a passlib/argon2 hash string)."""
    set_at: datetime = attrs.field(converter=_aware_set_at)
    """When it was set; its lifetime counts from here."""
    must_change: bool = False
    """Whether it must be replaced at the next sign-in (an initial password)."""


def _as_hashes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _institutions(value: Iterable[InstitutionCode]) -> frozenset[InstitutionCode]:
    return frozenset(value)


def _phone(value: str | None) -> str | None:
    if value is None:
        return None
    text = clean_text(value)
    return text or None


@attrs.frozen
class Account:
    """A user account (*gebruikersaccount*): one person, one login name, one password.

    One account can be linked to several institutions (AUTH-11).

    Implements ACC-2 (login name) and AUTH-11.
    """

    id: str = attrs.field(converter=_account_id)
    """The stable account id (letters, digits, ``-`` and ``_``)."""
    login_name: LoginName
    """The login name, unique case-folded."""
    first_name: str = attrs.field(converter=clean_text, validator=required_text(80))
    """The first name."""
    last_name: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The last name, with any prefix (``van der Berg``)."""
    email: str = attrs.field(converter=normalise_email, validator=check_email)
    """The e-mail address; it carries one-time passwords, so it must be current."""
    phone: str | None = attrs.field(
        default=None, converter=_phone, validator=attrs.validators.optional(optional_text(32))
    )
    """The phone number as entered, if any."""
    status: AccountStatus = AccountStatus.ACTIVE
    """Whether the account can be used."""
    password: PasswordRecord | None = None
    """The current password, or ``None`` before one is set."""
    password_history: tuple[str, ...] = attrs.field(default=(), converter=_as_hashes)
    """Hashes of previous passwords, newest first."""
    institutions: frozenset[InstitutionCode] = attrs.field(
        factory=frozenset, converter=_institutions
    )
    """The institutions the account is linked to."""
    lang: Lang = attrs.field(default=DEFAULT_LANG, validator=check_lang)
    """The language the account's e-mails are written in (Dutch unless chosen otherwise)."""
    federation_only: bool = False
    """Whether the account signs in only through the federation (AUTH-13): it has no
    password, gets no password-expiry reminders, and can neither sign in with a password
    nor reset one (:mod:`examkit.federation`)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version, bumped by the backend at every write (0: never stored)."""

    @property
    def full_name(self) -> str:
        """First and last name, as printed."""
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        """Whether the account can be used."""
        return self.status is AccountStatus.ACTIVE
