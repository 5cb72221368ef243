"""Request limits: how often one client may post an anonymous form, counted in storage.

A portal's anonymous forms (an account application, a forgotten password)
need a limit per client that holds across the portal's processes: the count
is kept by the backend's atomic attempt counter
(:class:`~examkit.storage.AttemptCounter`), not in one process's memory.
"""

from __future__ import annotations

import re
from datetime import timedelta, tzinfo
from typing import Any, Final

import attrs

from examkit.errors import ConfigurationError, LimitReached
from examkit.notifications import local_time
from examkit.storage import AttemptCount
from examkit.usecase import Ports

REQUEST_LIMIT: Final = "websessions.limit"
"""The digest purpose of a limited client's key (its address is never stored as it is)."""
_PURPOSE: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
_PURPOSE_LENGTH: Final = 64


def _check_purpose(_: Any, __: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or len(value) > _PURPOSE_LENGTH or not _PURPOSE.fullmatch(value):
        raise ConfigurationError("websessions.limit.purpose", field="purpose", value=str(value))


def _check_requests(_: Any, __: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError("websessions.limit.requests", field="requests", value=value)


def _check_window(_: Any, __: attrs.Attribute[Any], value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ConfigurationError("websessions.limit.window", field="window", value=str(value))


@attrs.frozen
class RequestLimit:
    """At most :attr:`requests` requests per client in :attr:`window`, for one :attr:`purpose`.

    >>> RequestLimit("portal.apply", 5, timedelta(hours=1)).requests
    5

    Raises:
        ConfigurationError: a purpose that is not a dotted code of up to 64
            characters, fewer than one request, or a window that is not positive.

    Implements WEB-2.
    """

    purpose: str = attrs.field(validator=_check_purpose)
    """What is limited, as a dotted code (``portal.applications.submit``)."""
    requests: int = attrs.field(validator=_check_requests)
    """How many requests one client may make in :attr:`window`."""
    window: timedelta = attrs.field(validator=_check_window)
    """The window: it slides with each counted request, and ends :attr:`window` after the last."""


class RequestLimits:
    """Limits per client on a portal's anonymous forms, ``kit.request_limits``.

    :meth:`take` counts one request of a client (its address, say) and
    refuses the one past the limit with
    :class:`~examkit.errors.LimitReached`, whose ``until`` parameter says
    when the client may try again (an HTTP ``Retry-After``:
    :func:`~examkit.problems.problem_response_parts`). A refused request is
    not counted and does not extend the wait. The count is the backend's
    atomic attempt counter, so the limit holds across every process of one
    database; only a keyed digest of the client's key is stored (a new token
    key starts the counts afresh).

    >>> from examkit.testing import make_kit
    >>> limits = make_kit().request_limits
    >>> rule = RequestLimit("portal.apply", 2, timedelta(hours=1))
    >>> [limits.take(rule, "192.0.2.7").count for _ in range(2)]
    [1, 2]
    >>> try:
    ...     limits.take(rule, "192.0.2.7")
    ... except LimitReached as refused:
    ...     print(refused.code, refused.params["until"].isoformat())
    websessions.limit.reached 2026-09-01T09:00:00+00:00
    >>> limits.take(rule, "198.51.100.1").count
    1

    Implements WEB-2.
    """

    def __init__(self, ports: Ports, zone: tzinfo) -> None:
        self._ports = ports
        self._zone = zone

    def take(self, limit: RequestLimit, key: str) -> AttemptCount:
        """Count one request of the client *key* under *limit*; refuse it past the limit.

        Returns:
            The count, this request included.

        Raises:
            LimitReached: ``websessions.limit.reached``: *key* made
                ``limit.requests`` requests in the window already; its
                ``until`` (an aware datetime) and ``time`` (the same in the
                portal's local time) say when it may try again.
        """
        ports = self._ports
        now = ports.clock.now()
        digest = ports.digester.digest(REQUEST_LIMIT, limit.purpose, str(key)[:200])
        with ports.backend.begin() as uow:
            counted = uow.counters.record(
                limit.purpose,
                digest,
                now=now,
                window=limit.window,
                limit=limit.requests,
                stop_at_limit=True,
            )
            uow.commit()
        if counted.count > limit.requests:
            until = counted.expires_at if counted.expires_at is not None else now + limit.window
            raise LimitReached(
                "websessions.limit.reached", until=until, time=local_time(until, self._zone)
            )
        return counted

    def __repr__(self) -> str:
        return f"RequestLimits({self._ports.backend!r})"
