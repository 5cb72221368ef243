"""The offline synchronisation over HTTP: the central sync endpoint and the offline client (SCH-8).

:class:`SyncEndpoint` is an ASGI application (Starlette) serving the protocol
``examkit-offline/1`` (:mod:`examkit.offline`) over a kit: mount it beside
the portal (``Mount("/sync", SyncEndpoint(kit))``) or run it on its own.
:class:`SyncClient` is the offline server's side: it speaks the same
protocol to that endpoint.

Needs the ``http`` extra (``pip install "examkit[http]"``).

Implements SCH-8.
"""

try:
    import httpx  # noqa: F401
    import starlette  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise ModuleNotFoundError(
        "examkit.offline.http needs the 'http' extra: pip install examkit[http]"
        f" ({missing.name} is not installed)",
        name=missing.name,
    ) from missing

from examkit.offline.http._client import Exchange, SyncClient
from examkit.offline.http._endpoint import MAX_REQUEST, SyncEndpoint, status_of

__all__ = ["MAX_REQUEST", "Exchange", "SyncClient", "SyncEndpoint", "status_of"]
