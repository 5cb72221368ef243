"""A synchronous httpx transport that serves requests with an ASGI application in-process."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx


class InProcessTransport(httpx.BaseTransport):
    """Serve the synchronous client's requests with an ASGI *app*, in this process.

    ``httpx.ASGITransport`` serves only an asynchronous client; this one runs
    it on an event loop of its own, in a background thread, so
    :class:`~examkit.backends.http.HttpBackend` (synchronous, used from
    several threads at once) can talk to a
    :class:`~examkit.backends.http.StorageServer` without a socket: the
    whole protocol, nothing of the network. :meth:`close` stops the loop.
    """

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="examkit-asgi", daemon=True
        )
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send *request* to the application; return its complete answer."""
        future = asyncio.run_coroutine_threadsafe(self._send(request), self._loop)
        return future.result()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        sent = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        response = await self._asgi.handle_async_request(sent)
        content = await response.aread()
        await response.aclose()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def close(self) -> None:
        """Stop the event loop and its thread."""
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        if not self._loop.is_running() and not self._loop.is_closed():
            self._loop.close()
