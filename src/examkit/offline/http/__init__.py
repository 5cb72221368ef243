"""The offline synchronisation over HTTP: the offline server's sync client (SCH-8).

:class:`SyncClient` speaks the protocol ``examkit-offline/1`` (the
"Offline servers" page of the docs) to the central sync endpoint.
"""

from examkit.offline.http._client import DownReply, SyncClient, UpReply, clock_offset_ms

__all__ = ["DownReply", "SyncClient", "UpReply", "clock_offset_ms"]
