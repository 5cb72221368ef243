"""Rate limits on the portal's anonymous forms, per client address, kept by examkit.

A form anyone may post (the account application, the forgotten password)
is limited per client: a :class:`FormLimit` names the limit once and, in
the endpoint, right after the posted form is accepted, answers the request
past the limit::

    APPLY = FormLimit(RequestLimit("portal.applications.submit", 5, timedelta(hours=1)))

    data = await self.portal.accepted(request, "apply-review")
    if isinstance(data, Response):
        return data
    if (refused := await APPLY.refusal(self.portal, request)) is not None:
        return refused  # 429, Retry-After, the message in the page's language
    ...  # the use case

The client is its address as :func:`~portal._security.client_address` sees
it (the trusted proxy's ``X-Forwarded-For``, else the peer). The count is
examkit's (:class:`kit.request_limits <examkit.websessions.RequestLimits>`,
kept in the database), so the limit holds across every process of a
PostgreSQL deployment; only a keyed digest of the address is stored.
"""

from __future__ import annotations

import attrs
from starlette.requests import Request
from starlette.responses import Response

from examkit.errors import LimitReached
from examkit.problems import problem_response_parts
from examkit.websessions import RequestLimit
from portal._base import Portal
from portal._security import client_address


@attrs.frozen
class FormLimit:
    """A limit on one anonymous form: at most ``limit.requests`` posts per client address."""

    limit: RequestLimit
    """What is limited, how many requests, in which window."""

    async def refusal(self, portal: Portal, request: Request) -> Response | None:
        """Count this request of its client; return the refusal past the limit, else ``None``.

        The refusal is the portal's message page with examkit's message
        (``websessions.limit.reached``, saying from when the client may try
        again) in the page's language, status 429 and ``Retry-After``.
        """
        address = client_address(request, portal.config)
        try:
            await portal.call(portal.kit.request_limits.take, self.limit, address)
        except LimitReached as error:
            lang = portal.lang(request)
            response = portal.refusal(request, error)
            retry_after = problem_response_parts(error, lang)[1].get("Retry-After")
            if retry_after is not None:
                response.headers["Retry-After"] = retry_after
            return response
        return None
