"""A signed-in browser session as stored, and the settings of its timeouts."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Final

import attrs

from examkit._fields import require_aware_utc
from examkit.errors import ConfigurationError

LAST_SEEN_STEP: Final = timedelta(minutes=1)
"""How stale :attr:`WebSession.last_seen_at` may be before a use is written down.

A session is resolved on every request; writing its last use each time
would make every page view a write (on SQLite, a queue of writers). It is
written at most once per step, so the idle timeout counts from a moment up
to one step before the last use: a session may lapse up to a minute early,
never late.
"""

DEFAULT_IDLE_TIMEOUT: Final = timedelta(minutes=30)
"""A session unused this long has lapsed."""

DEFAULT_ABSOLUTE_TIMEOUT: Final = timedelta(hours=12)
"""A session this old has lapsed, however much it is used."""

DEFAULT_MONITOR_IDLE_TIMEOUT: Final = timedelta(minutes=20)
"""A proctor monitor's session unused this long has lapsed (its open page keeps it in use)."""

DEFAULT_MONITOR_ABSOLUTE_TIMEOUT: Final = timedelta(hours=6)
"""A proctor monitor's session this old has lapsed: a session day, not a working day."""


class SessionScope(enum.Enum):
    """What a web session opens: the whole portal, or only the proctor monitor (WEB-2, AUTH-9).

    A session started after the full sign-in (password and e-mailed code) is
    :attr:`PORTAL`: every page the user's roles allow, the monitor included.
    The monitor's own sign-in asks no code (AUTH-9), so the session it
    starts is :attr:`MONITOR`: it reaches the monitor's pages and nothing
    else, with timeouts of its own.

    >>> SessionScope.PORTAL.reaches(SessionScope.MONITOR), SessionScope.MONITOR.reaches(
    ...     SessionScope.PORTAL)
    (True, False)
    """

    PORTAL = "portal"
    """The whole portal (a full sign-in)."""
    MONITOR = "monitor"
    """The proctor monitor only (the monitor's sign-in, without a code)."""

    def reaches(self, area: SessionScope) -> bool:
        """Return whether a session of this scope may open a page of *area*."""
        return self is SessionScope.PORTAL or self is area


def _aware(moment: datetime) -> datetime:
    return require_aware_utc(moment)


def _optional_aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else require_aware_utc(moment)


@attrs.frozen
class WebSession:
    """A browser signed in to a portal: what its opaque cookie stands for (WEB-2).

    The browser keeps a random session id in a cookie; only its keyed
    digest is stored, as :attr:`id`, so a copy of the data cannot be used
    to take a session over. It is live until it is revoked, unused for its
    idle timeout, or as old as its absolute expiry, whichever comes first
    (:attr:`ends_at`).

    >>> from datetime import UTC, datetime, timedelta
    >>> at = datetime(2026, 9, 1, 8, tzinfo=UTC)
    >>> session = WebSession(id="d" * 64, account_id="a-1", created_at=at, last_seen_at=at,
    ...     idle_timeout=timedelta(minutes=30), expires_at=at + timedelta(hours=12), generation=0)
    >>> session.ends_at == at + timedelta(minutes=30), session.is_live(at + timedelta(minutes=29))
    (True, True)
    """

    id: str
    """The keyed digest of the session id (never the id itself)."""
    account_id: str
    """The signed-in account."""
    created_at: datetime = attrs.field(converter=_aware)
    """When the sign-in happened (kept by a renewal: the same sign-in)."""
    last_seen_at: datetime = attrs.field(converter=_aware)
    """When it was last used, written at most once per :data:`LAST_SEEN_STEP`."""
    idle_timeout: timedelta
    """How long it may go unused (the settings' when it was issued)."""
    expires_at: datetime = attrs.field(converter=_aware)
    """When it lapses however much it is used: the sign-in's time plus the absolute timeout."""
    generation: int
    """The version of the account's grants when it was issued: a session issued before a
    change of grants must be renewed (:meth:`~examkit.websessions.WebSessions.renew`)."""
    revoked_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When it was ended (sign-out, renewal, a change of privileges), or ``None``."""
    scope: SessionScope = SessionScope.PORTAL
    """What it opens: the whole portal, or the proctor monitor only (kept by a renewal)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def ends_at(self) -> datetime:
        """When it stops being usable: revoked, idle or absolutely expired, the earliest."""
        if self.revoked_at is not None:
            return self.revoked_at
        return min(self.last_seen_at + self.idle_timeout, self.expires_at)

    def is_live(self, now: datetime) -> bool:
        """Return whether it may be used at *now*."""
        return now < self.ends_at


def _timeout(_: WebSessionSettings, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        name = attribute.name
        raise ConfigurationError("websessions.setting.invalid", field=name, setting=name)


@attrs.frozen
class WebSessionSettings:
    """A portal's timeouts of signed-in browser sessions (``Settings.web_sessions``).

    The defaults are those of OWASP ASVS 4.0.3, requirement 3.3.2 at level 2:
    re-authentication at least every 12 hours of use (the absolute timeout)
    or after 30 minutes of inactivity (the idle timeout). A proctor monitor's
    session (:attr:`SessionScope.MONITOR`) has its own pair, shorter: 20
    minutes idle and 6 hours in all (a session day, extra time included). The rest of
    section 3.3 is kept by the use cases: sign-out and expiry end the session
    on the server (3.3.1), and a password change ends every session of the
    account (3.3.3).

    >>> WebSessionSettings().idle_timeout
    datetime.timedelta(seconds=1800)
    >>> try:
    ...     WebSessionSettings(idle_timeout=timedelta(hours=13))
    ... except ConfigurationError as error:
    ...     print(error.code)
    websessions.setting.idle_exceeds_absolute

    Raises:
        ConfigurationError: ``websessions.setting.invalid`` (a timeout that
            is not a positive period), ``websessions.setting.idle_too_short``
            (an idle timeout not longer than :data:`LAST_SEEN_STEP`) or
            ``websessions.setting.idle_exceeds_absolute``.

    Implements WEB-2.
    """

    idle_timeout: timedelta = attrs.field(default=DEFAULT_IDLE_TIMEOUT, validator=_timeout)
    """How long a session may go unused."""
    absolute_timeout: timedelta = attrs.field(default=DEFAULT_ABSOLUTE_TIMEOUT, validator=_timeout)
    """How long a session lives from its sign-in, however much it is used."""
    monitor_idle_timeout: timedelta = attrs.field(
        default=DEFAULT_MONITOR_IDLE_TIMEOUT, validator=_timeout
    )
    """How long a proctor monitor's session may go unused."""
    monitor_absolute_timeout: timedelta = attrs.field(
        default=DEFAULT_MONITOR_ABSOLUTE_TIMEOUT, validator=_timeout
    )
    """How long a proctor monitor's session lives from its sign-in."""

    def __attrs_post_init__(self) -> None:
        for idle, absolute in (
            ("idle_timeout", "absolute_timeout"),
            ("monitor_idle_timeout", "monitor_absolute_timeout"),
        ):
            idle_value: timedelta = getattr(self, idle)
            absolute_value: timedelta = getattr(self, absolute)
            if idle_value <= LAST_SEEN_STEP:
                raise ConfigurationError(
                    "websessions.setting.idle_too_short",
                    field=idle,
                    idle=str(idle_value),
                    step=str(LAST_SEEN_STEP),
                )
            if idle_value > absolute_value:
                raise ConfigurationError(
                    "websessions.setting.idle_exceeds_absolute",
                    field=idle,
                    idle=str(idle_value),
                    absolute=str(absolute_value),
                )

    def timeouts(self, scope: SessionScope) -> tuple[timedelta, timedelta]:
        """Return the idle and the absolute timeout of a new session of *scope*.

        >>> WebSessionSettings().timeouts(SessionScope.MONITOR)
        (datetime.timedelta(seconds=1200), datetime.timedelta(seconds=21600))
        """
        if scope is SessionScope.MONITOR:
            return self.monitor_idle_timeout, self.monitor_absolute_timeout
        return self.idle_timeout, self.absolute_timeout
