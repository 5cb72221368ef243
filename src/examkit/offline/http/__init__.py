"""The offline synchronisation over HTTP: the central sync endpoint and the offline client (SCH-8).

:class:`SyncEndpoint` is an ASGI application (Starlette) serving the protocol
``examkit-offline/1`` (:mod:`examkit.offline`) over a kit: mount it beside
the portal (``Mount("/sync", SyncEndpoint(kit))``) or run it on its own.
:class:`SyncClient` is the offline server's side: it speaks the same
protocol to that endpoint.

Implements SCH-8.
"""

from examkit.offline.http._client import Exchange, SyncClient
from examkit.offline.http._endpoint import MAX_REQUEST, SyncEndpoint, status_of

__all__ = ["MAX_REQUEST", "Exchange", "SyncClient", "SyncEndpoint", "status_of"]
