"""A rate limit on the portal's anonymous forms (the forgotten password), per client address.

Counted in examkit's storage (the unit of work's atomic
:attr:`~examkit.records.UnitOfWork.counters`), so the limit holds across
every process of a portal on PostgreSQL, and across restarts. A form
posted more often than :attr:`FormLimit.attempts` times in
:attr:`FormLimit.window` from one address is refused with 429 and a
``Retry-After`` until the window has passed; the form's own use case is
not called.

(Another area builds the portal's shared limiter, ``portal._limits``; the
two are meant to become one.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Final

import attrs
from starlette.requests import Request
from starlette.responses import Response

from examkit.notifications import local_time
from examkit.storage import AttemptCount
from portal._base import Portal
from portal._security import client_address

_PURPOSE: Final = "portal.form"
"""The counters' purpose; the key is the form's name and the client's address."""


@attrs.frozen
class FormLimit:
    """How often one address may post an anonymous form."""

    attempts: int = 10
    """Posts allowed per address in :attr:`window`."""
    window: timedelta = timedelta(minutes=15)
    """The window (it slides: it ends this long after the last post counted)."""


async def limit(
    portal: Portal, request: Request, form: str, rule: FormLimit = FormLimit()
) -> Response | None:
    """Count this post of *form* from the client's address; return the refusal past the limit.

    ``None`` when the post may go on. Past the limit: a page saying until
    when (local time with its zone), status 429 and ``Retry-After``.
    """
    address = client_address(request, portal.config)
    counted = await portal.call(_record, portal, f"{form}:{address}", rule)
    if counted.count <= rule.attempts:
        return None
    until = counted.expires_at if counted.expires_at is not None else portal.kit.clock.now()
    _ = portal.gettext(request)
    text = _(
        "Too many requests came from your address. Try again from %(time)s.",
        time=local_time(until, portal.kit.sign_in_rules.zone),
    )
    response = portal.message(request, text, 429)
    response.headers["Retry-After"] = format_datetime(until.astimezone(UTC), usegmt=True)
    return response


def _record(portal: Portal, key: str, rule: FormLimit) -> AttemptCount:
    """Count one post under *key* at the kit's clock, in one atomic step (not past the limit)."""
    kit = portal.kit
    now: datetime = kit.clock.now()
    with kit.backend.begin() as uow:
        counted = uow.counters.record(
            _PURPOSE, key, now=now, window=rule.window, limit=rule.attempts, stop_at_limit=True
        )
        uow.commit()
    return counted
