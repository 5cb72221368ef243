"""The offline server (*FAO*): an examkit on its own store that synchronises with the centre.

:class:`OfflineStation` runs the exam day on its kit (:attr:`OfflineStation.kit`,
whose backend is the :class:`~examkit.offline.OutboxBackend` around the local
store) whether or not the central system can be reached, and synchronises
when asked (:meth:`OfflineStation.sync_once`) or periodically
(:meth:`OfflineStation.run`): up (the outbox, in batches, from the first
entry the central system has not applied), then down (central master data,
applied in order), then the exam packages still missing. Every step is
resumable: what was done is committed as it is done, and the next sync
starts where the last one stopped.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, TypeVar

import attrs
import httpx

from examkit._kit import Examkit, Settings
from examkit.clocks import SystemClock
from examkit.errors import ExamkitError, InvalidState, NotFound
from examkit.offline._down import apply_down
from examkit.offline._fetch import fetch_package
from examkit.offline._model import ExamPackage, StationState, SyncConflict
from examkit.offline._outbox import OutboxBackend
from examkit.offline._protocol import MAX_BATCH, UP_STREAM, CrashHook
from examkit.offline._records import EXAM_PACKAGES, STATIONS
from examkit.offline._wire import WireConflict
from examkit.offline.http._client import SyncClient
from examkit.ports import Clock, Mailer, SecretSource
from examkit.records import Backend, RecordsUnit, UnitOfWork
from examkit.storage import RecordType

__all__ = ["OfflineStation", "StationStatus", "SyncReport"]


T = TypeVar("T")


def _no_crash(_: str) -> None:
    """The production crash hook: nothing."""


def _every(uow: UnitOfWork, record: RecordType[Any, T]) -> list[T]:
    """Return every record of *record*'s kind in the local store (a few: stations, packages)."""
    if not isinstance(uow, RecordsUnit):
        raise TypeError("the local store's units are RecordsUnit")
    return list(uow.transaction.find(record, where={}))


@attrs.frozen
class SyncReport:
    """What one synchronisation did.

    Implements SCH-8.
    """

    sent: int = 0
    """Up entries the central system applied in this sync."""
    received: int = 0
    """Down entries applied here in this sync."""
    packages: int = 0
    """Exam packages fetched and verified in this sync."""
    conflicts: int = 0
    """Conflicts found in this sync (stored here)."""
    backlog: int = 0
    """Up entries still waiting afterwards (-1: the local store could not say)."""
    clock_offset_ms: int | None = None
    """The offline clock minus the central clock, as last measured."""
    error: str = ""
    """The catalogue code of what stopped the sync (empty: it completed)."""

    @property
    def complete(self) -> bool:
        """Whether the sync ran to the end."""
        return not self.error


@attrs.frozen
class StationStatus:
    """Where the offline server's synchronisation stands (for the portal and the CLI).

    Implements SCH-8.
    """

    server: str
    """The server's id."""
    central_url: str
    """The central sync endpoint."""
    backlog: int
    """Up entries not yet applied centrally (queued minus acknowledged)."""
    last_sync_at: datetime | None
    """When the last sync completed (own clock)."""
    last_attempt_at: datetime | None
    """When the last sync was tried."""
    last_error: str
    """The catalogue code of the last failed sync (empty: none)."""
    clock_offset_ms: int | None
    """The own clock minus the central clock at the last exchange, in milliseconds."""
    conflicts: tuple[SyncConflict, ...]
    """The conflicts not yet resolved."""
    packages_verified: int
    """Exam packages complete and verified here."""
    packages_pending: int
    """Exam packages still to be fetched (never used before they are verified)."""


class OfflineStation:
    """The offline server: its kit on the local store, its station state, its sync client.

    Build it with :meth:`open`; tests may build it from parts.

    Args:
        store: The local store (the outbox wraps it; the down applier writes to it).
        server: The server's id in the central registry.
        central_url: The central sync endpoint.
        client: The sync client.
        settings: The kit's settings.
        mailer: The kit's mailer.
        clock: The offline server's clock: the room's times and deadlines follow it.
        secrets: The kit's randomness (the system's by default).
        crash: Called at each crash point (tests crash there).

    Implements SCH-7 and SCH-8.
    """

    def __init__(
        self,
        *,
        store: Backend,
        server: str,
        central_url: str,
        client: SyncClient,
        settings: Settings,
        mailer: Mailer,
        clock: Clock | None = None,
        secrets: SecretSource | None = None,
        crash: CrashHook | None = None,
    ) -> None:
        self.server = server
        self.central_url = central_url
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.crash: CrashHook = crash if crash is not None else _no_crash
        self.store = store
        """The local store underneath the outbox."""
        self.backend = OutboxBackend(store, crash=self.crash, clock=self.clock)
        """The kit's backend: the local store whose room changes are queued up."""
        self.client = client
        self.kit = Examkit(
            backend=self.backend,
            mailer=mailer,
            settings=settings,
            clock=self.clock,
            secrets=secrets,
        )
        """The offline server's kit: the exam day runs on it."""
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path_or_url: str,
        *,
        server: str,
        central_url: str,
        credential: str,
        settings: Settings,
        mailer: Mailer,
        clock: Clock | None = None,
        secrets: SecretSource | None = None,
        crash: CrashHook | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.2,
    ) -> OfflineStation:
        """Open the offline server on its store and initialise its station state.

        *path_or_url* is an SQLite file's path (the default store) or an
        SQLAlchemy URL.

        Raises:
            InvalidState: ``offline.station.other``: the store is another server's.
            ConfigurationError: the store cannot be opened.
        """
        from examkit.backends.sql import SQLBackend

        url = path_or_url if "://" in path_or_url else f"sqlite:///{path_or_url}"
        store = SQLBackend(url)
        own_clock = clock if clock is not None else SystemClock()
        client = SyncClient(
            central_url,
            credential,
            transport=transport,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            clock=own_clock,
        )
        station = cls(
            store=store,
            server=server,
            central_url=central_url,
            client=client,
            settings=settings,
            mailer=mailer,
            clock=own_clock,
            secrets=secrets,
            crash=crash,
        )
        try:
            station.init()
        except BaseException:
            station.close()
            raise
        return station

    def close(self) -> None:
        """Close the sync client and the local store."""
        self.client.close()
        self.store.close()

    def init(self) -> StationState:
        """Store the station's state if it has none; return it (the central URL kept current).

        Raises:
            InvalidState: ``offline.station.other``: the store is another server's.
        """
        with self.store.begin() as uow:
            stations = self._stations(uow)
            if stations and stations[0].server != self.server:
                raise InvalidState(
                    "offline.station.other", stored=stations[0].server, server=self.server
                )
            if not stations:
                found = uow.offline_stations.add(StationState(self.server, self.central_url))
            elif stations[0].central_url != self.central_url:
                found = uow.offline_stations.update(
                    attrs.evolve(stations[0], central_url=self.central_url)
                )
            else:
                found = stations[0]
            uow.commit()
        return found

    @staticmethod
    def _stations(uow: UnitOfWork) -> list[StationState]:
        return _every(uow, STATIONS)

    # -- synchronising ---------------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """Synchronise once: up, then down, then the missing packages; return what it did.

        An error of the protocol, the central system or the link stops the
        sync where it is (what was done stays done) and is recorded as the
        station's ``last_error`` and in the report; only programming errors
        pass.
        """
        with self._lock:
            return _Sync(self).run()

    def run(self, every: timedelta, stop: threading.Event) -> None:
        """Synchronise every *every* until *stop* is set (the first sync at once)."""
        while not stop.is_set():
            self.sync_once()
            stop.wait(every.total_seconds())

    def status(self) -> StationStatus:
        """Return where the synchronisation stands."""
        with self.store.begin(readonly=True) as uow:
            state = uow.offline_stations.get(self.server)
            conflicts = tuple(
                item
                for item in uow.sync_conflicts.for_server(self.server)
                if item.resolved_at is None
            )
            packages = self._packages(uow)
        verified = sum(1 for item in packages if item.verified)
        return StationStatus(
            server=state.server,
            central_url=state.central_url,
            backlog=state.up_queued - state.up_acknowledged,
            last_sync_at=state.last_sync_at,
            last_attempt_at=state.last_attempt_at,
            last_error=state.last_error,
            clock_offset_ms=state.clock_offset_ms,
            conflicts=conflicts,
            packages_verified=verified,
            packages_pending=len(packages) - verified,
        )

    @staticmethod
    def _packages(uow: UnitOfWork) -> list[ExamPackage]:
        return _every(uow, EXAM_PACKAGES)

    def __repr__(self) -> str:
        return f"OfflineStation({self.server!r}, central_url={self.central_url!r})"


class _Sync:
    """One synchronisation, step by step."""

    def __init__(self, station: OfflineStation) -> None:
        self.station = station
        self.sent = self.received = self.packages = self.conflicts = 0
        self.offset: int | None = None

    def run(self) -> SyncReport:
        station = self.station
        error = ""
        try:
            self._note(last_attempt_at=station.clock.now())
            self._up()
            self._down()
            self._fetch()
        except ExamkitError as failure:
            error = failure.code
        state: StationState | None = None
        try:
            if error:
                self._note(last_error=error)
            else:
                self._note(last_error="", last_sync_at=station.clock.now())
            with station.store.begin(readonly=True) as uow:
                state = uow.offline_stations.get(station.server)
        except ExamkitError as failure:  # the local store itself fails: say so, raise nothing
            error = error or failure.code
        return SyncReport(
            sent=self.sent,
            received=self.received,
            packages=self.packages,
            conflicts=self.conflicts,
            backlog=-1 if state is None else state.up_queued - state.up_acknowledged,
            clock_offset_ms=None if state is None else state.clock_offset_ms,
            error=error,
        )

    def _note(self, **changes: Any) -> None:
        store, server = self.station.store, self.station.server
        with store.begin() as uow:
            state = uow.offline_stations.get(server)
            uow.offline_stations.update(attrs.evolve(state, **changes))
            uow.commit()

    def _up(self) -> None:
        station = self.station
        while True:
            with station.store.begin(readonly=True) as uow:
                state = uow.offline_stations.get(station.server)
                if state.up_acknowledged >= state.up_queued:
                    return
                batch = uow.sync_queue.wire_texts(
                    UP_STREAM,
                    state.up_acknowledged + 1,
                    min(state.up_queued, state.up_acknowledged + MAX_BATCH),
                )
            if not batch:
                return
            backlog = state.up_queued - state.up_acknowledged
            exchange = station.client.up_texts(
                station.server, batch, backlog=backlog, clock_offset_ms=state.clock_offset_ms
            )
            station.crash("offline.up.after_reply")
            reply = exchange.reply
            progress = self._acknowledge(
                reply.high_water, reply.conflicts, exchange.clock_offset_ms
            )
            if progress <= 0:
                return  # the central system accepts nothing more now: try again later

    def _acknowledge(
        self, high_water: int, conflicts: tuple[WireConflict, ...], offset: int
    ) -> int:
        """Store the central high-water mark, the conflicts and the offset; return the progress."""
        station = self.station
        now = station.clock.now()
        with station.store.begin() as uow:
            state = uow.offline_stations.get(station.server)
            acknowledged = max(state.up_acknowledged, min(high_water, state.up_queued))
            for raw in conflicts:
                self._keep_conflict(uow, raw, now)
            uow.offline_stations.update(
                attrs.evolve(state, up_acknowledged=acknowledged, clock_offset_ms=offset)
            )
            uow.commit()
        progress = acknowledged - state.up_acknowledged
        self.sent += progress
        return progress

    def _keep_conflict(self, uow: Any, found: WireConflict, now: datetime) -> None:
        conflict = SyncConflict(
            id=found.id,
            server=self.station.server,
            kind=found.kind,
            key=found.key,
            seq=found.seq,
            reason=found.reason,
            detected_at=now,
            detail=found.detail,
        )
        if not uow.sync_conflicts.get_many([conflict.id]):
            uow.sync_conflicts.add(conflict)
            self.conflicts += 1

    def _down(self) -> None:
        station = self.station
        while True:
            with station.store.begin(readonly=True) as uow:
                state = uow.offline_stations.get(station.server)
            applied = state.down_high_water
            exchange = station.client.down(
                station.server, applied, clock_offset_ms=state.clock_offset_ms
            )
            station.crash("offline.down.after_reply")
            reply = exchange.reply
            result = apply_down(
                station.store,
                station.server,
                reply.entries,
                now=station.clock.now(),
                clock_offset_ms=exchange.clock_offset_ms,
                crash=station.crash,
            )
            self.received += result.high_water - applied
            self.conflicts += len(result.conflicts)
            if result.high_water <= applied or result.high_water >= reply.queued:
                return

    def _fetch(self) -> None:
        station = self.station
        with station.store.begin(readonly=True) as uow:
            pending = [item for item in OfflineStation._packages(uow) if not item.verified]
        for package in pending:
            try:
                done = fetch_package(
                    station.store, package, station.client.fetch_package, crash=station.crash
                )
            except NotFound:
                continue  # no longer a package of this server's groups: nothing to fetch
            self.packages += int(done)
