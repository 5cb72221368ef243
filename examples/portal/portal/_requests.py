"""One log line per request, with a request id that examkit's audit events carry too.

The line holds nothing personal: the request id, the method, the route's
pattern (``/sign-in/reset/{token}``, never the token itself), the status
and the time taken; no address, no query string, no account. The same id
goes back to the browser as ``X-Request-Id`` and is set around the request
with :func:`examkit.audit.request_id`, so the audit events the request
causes (written in worker threads: the context goes with them) keep it as
``details["request"]``: a log line and its audit events are found together.
"""

from __future__ import annotations

import logging
import time
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examkit.audit import request_id
from examkit.ports import SecretSource

ACCESS_LOG: Final = logging.getLogger("portal.access")
"""Where the request lines go (one per request, at INFO)."""


def route_pattern(scope: Scope) -> str:
    """Return the pattern of the route that answered (the bare path when none matched)."""
    route = scope.get("route")
    pattern = getattr(route, "path", None)
    return pattern if isinstance(pattern, str) else "-"


class RequestLog:
    """ASGI middleware: a request id per request, set for examkit's audit, logged once."""

    def __init__(self, app: ASGIApp, secrets: SecretSource) -> None:
        self.app = app
        self.secrets = secrets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = self.secrets.token_bytes(8).hex()
        started = time.perf_counter()
        status = 500

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            with request_id(rid):
                await self.app(scope, receive, with_id)
        finally:
            ACCESS_LOG.info(
                "request=%s method=%s route=%s status=%d ms=%.1f",
                rid,
                scope["method"],
                route_pattern(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )
