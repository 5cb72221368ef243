"""The sign-in's numbers: lockout, code lifetimes and caps, trusted browsers, reset links.

Every number the seed gives is the default; a portal changes them in one
:class:`SignInRules` value, checked when it is made.
"""

from __future__ import annotations

import enum
import functools
from datetime import timedelta, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from examkit.errors import ConfigurationError

_MINUTE: Final = timedelta(minutes=1)
_HOUR: Final = timedelta(hours=1)
_DAY: Final = timedelta(days=1)

MAX_RESET_LIFETIME: Final = timedelta(hours=24)
"""The longest a reset link may be valid (AUTH-8: a limited time, at most 24 hours)."""


class SecondFactor(enum.Enum):
    """How the second step of a sign-in proves the user (*tweede factor*)."""

    EMAIL = "email"
    """A one-time password (*eenmalig wachtwoord*) sent by e-mail (AUTH-3)."""
    AUTHENTICATOR = "authenticator"
    """A time-based code from an authenticator app (TOTP, RFC 6238): the stronger option."""


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, timedelta):
        usable = value > timedelta(0)
    else:
        usable = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if not usable:
        raise ConfigurationError("auth.rules.invalid", field=attribute.name, setting=attribute.name)


def _name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError("auth.rules.invalid", field=attribute.name, setting=attribute.name)


@functools.cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            "auth.rules.invalid", field="timezone", setting="timezone"
        ) from None


def _check_zone(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    _zone(value)


@attrs.frozen
class SignInRules:
    """The numbers of the sign-in: the seed's by default.

    >>> rules = SignInRules()
    >>> rules.max_failures, rules.block, rules.code_lifetime
    (3, datetime.timedelta(seconds=900), datetime.timedelta(seconds=900))
    >>> try:
    ...     SignInRules(reset_lifetime=timedelta(hours=48))
    ... except ConfigurationError as error:
    ...     print(error.message("en"))
    The sign-in setting reset_lifetime is unusable.

    Raises:
        ConfigurationError: a number is not positive, a reset link would be
            valid longer than 24 hours, or the time zone is unknown.

    Implements AUTH-3, AUTH-4, AUTH-6, AUTH-8 and AUTH-9 (their numbers).
    """

    max_failures: int = attrs.field(default=3, validator=_positive)
    """Failed sign-ins after which a login name is blocked (3)."""
    block: timedelta = attrs.field(default=15 * _MINUTE, validator=_positive)
    """How long a login name stays blocked (15 minutes); attempts meanwhile do not extend it.

    (An attempt racing the one that starts the block is counted too, and
    may move the end by as long as the race took: milliseconds.)
    """
    code_lifetime: timedelta = attrs.field(default=15 * _MINUTE, validator=_positive)
    """How long an e-mailed one-time password is valid (15 minutes)."""
    code_digits: int = attrs.field(default=6, validator=_positive)
    """How many digits a one-time password has (6)."""
    code_entries: int = attrs.field(default=5, validator=_positive)
    """Entries allowed per code; then the code stops working and a new one must be requested."""
    account_code_entries: int = attrs.field(default=10, validator=_positive)
    """Code checks allowed per account in :attr:`account_code_window`; a new code does not reset it.

    Only an entry checked against a live code counts: one refused before (its
    code ended by :attr:`code_entries`, its sign-in ended by a simultaneous
    entry) checks nothing and is not counted, so simultaneous entries never
    block an account sooner than this many checks.
    """
    account_code_window: timedelta = attrs.field(default=_HOUR, validator=_positive)
    """The window of :attr:`account_code_entries` (an hour); also how long the cap then holds."""
    new_codes: int = attrs.field(default=3, validator=_positive)
    """How many new codes an account may request in :attr:`new_code_window` (3)."""
    new_code_window: timedelta = attrs.field(default=15 * _MINUTE, validator=_positive)
    """The window of :attr:`new_codes` (15 minutes)."""
    transaction_lifetime: timedelta = attrs.field(default=15 * _MINUTE, validator=_positive)
    """How long a sign-in in progress waits for its next step (15 minutes, renewed per step)."""
    trusted_browser_lifetime: timedelta = attrs.field(default=24 * _HOUR, validator=_positive)
    """How long a browser skips the code after a sign-in with one (24 hours)."""
    trust_browsers: bool = True
    """Whether a sign-in with a code makes the browser trusted (the seed: always, with cookies)."""
    reset_lifetime: timedelta = attrs.field(default=_HOUR, validator=_positive)
    """How long a reset link is valid (an hour; at most 24 hours)."""
    reset_requests: int = attrs.field(default=3, validator=_positive)
    """Reset links mailed per login name in :attr:`reset_request_window`; more are dropped."""
    reset_request_window: timedelta = attrs.field(default=_HOUR, validator=_positive)
    """The window of :attr:`reset_requests` (an hour)."""
    email_change_lifetime: timedelta = attrs.field(default=24 * _HOUR, validator=_positive)
    """How long the link confirming a new e-mail address is valid (24 hours)."""
    monitor_warning: timedelta = attrs.field(default=5 * _DAY, validator=_positive)
    """The proctor monitor warns when the password has less validity left than this (5 days)."""
    second_factor: SecondFactor = SecondFactor.EMAIL
    """The second factor: e-mail, or an authenticator app for accounts that enrolled one."""
    application: str = attrs.field(default="facet", validator=_name)
    """The name of the main environment, as the sign-in gate knows it."""
    monitor_application: str = attrs.field(default="afnamemonitor", validator=_name)
    """The name of the proctor monitor, as the sign-in gate knows it."""
    timezone: str = attrs.field(default="Europe/Amsterdam", validator=_check_zone)
    """The time zone in which messages and e-mails show times."""
    authenticator_issuer: str = attrs.field(default="examkit", validator=_name)
    """The issuer shown in authenticator apps."""

    @reset_lifetime.validator
    def _at_most_a_day(self, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
        if value > MAX_RESET_LIFETIME:
            raise ConfigurationError(
                "auth.rules.invalid", field=attribute.name, setting=attribute.name
            )

    @property
    def zone(self) -> tzinfo:
        """The time zone of :attr:`timezone`."""
        return _zone(self.timezone)
