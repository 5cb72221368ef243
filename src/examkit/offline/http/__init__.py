"""The offline synchronisation over HTTP: the sync client and the sync endpoint (SCH-8).

:class:`SyncClient` is the offline server's side: it speaks the protocol
``examkit-offline/1`` (the "Offline servers" page of the docs) to the central
sync endpoint. :class:`SyncEndpoint` is the central system's: an ASGI
application (Starlette) serving the protocol over a kit; mount it beside the
portal (``Mount("/sync", SyncEndpoint(kit))``) or run it on its own.

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

from examkit.offline.http._client import DownReply, SyncClient, UpReply, clock_offset_ms
from examkit.offline.http._endpoint import MAX_REQUEST, SyncEndpoint, status_of

__all__ = [
    "MAX_REQUEST",
    "DownReply",
    "SyncClient",
    "SyncEndpoint",
    "UpReply",
    "clock_offset_ms",
    "status_of",
]
