"""The offline server's sync status as the portal shows it (the monitor, the start page).

On an offline server the portal's :attr:`~portal._base.Portal.station` reads
the station state from the local store; the monitor shows the last sync,
the backlog still to send and the clock offset to the central system.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from examkit import Examkit
from examkit.errors import NotFound
from examkit.offline import StationState
from portal._base import Portal
from portal._monitor_views import when


@attrs.frozen
class SyncStatus:
    """What the monitor shows of the station's synchronisation."""

    server: str
    """The station's id in the central registry."""
    last_sync: str
    """When it last synchronised (local time), empty: never."""
    backlog: int
    """How many up entries the central system has not acknowledged yet."""
    offset_ms: int | None
    """Its clock minus the central clock at the last sync, in milliseconds."""
    error: str
    """The catalogue code of the last failed attempt since then, empty: none."""

    @classmethod
    def of(cls, state: StationState) -> SyncStatus:
        """Return the status of *state*."""
        failed = state.last_error if _after(state.last_attempt_at, state.last_sync_at) else ""
        return cls(
            server=state.server,
            last_sync=when(state.last_sync_at) if state.last_sync_at else "",
            backlog=max(0, state.up_queued - state.up_acknowledged),
            offset_ms=state.clock_offset_ms,
            error=failed,
        )


def _after(first: datetime | None, second: datetime | None) -> bool:
    return first is not None and (second is None or first > second)


def station_reader(kit: Examkit, server: str) -> Callable[[], StationState | None]:
    """Return a function that reads the station state of *server* from *kit*'s store."""

    def read() -> StationState | None:
        with kit.backend.begin(readonly=True) as uow:
            try:
                return uow.offline_stations.get(server)
            except NotFound:
                return None

    return read


async def sync_status(portal: Portal) -> SyncStatus | None:
    """Return the station's sync status (a worker thread reads it); centrally ``None``."""
    if portal.station is None:
        return None
    state = await portal.call(portal.station)
    return None if state is None else SyncStatus.of(state)
