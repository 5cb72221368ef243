"""The proof's world: a central system and an offline server on real stores, and a link.

:class:`World` holds the two peers as production wires them (the kits' own
audit logs, SQLite files, or PostgreSQL centrally), each with a manual
clock of its own and a crash switch (:class:`CrashSwitch`) at the named
crash points, and the link between them: the central
:class:`~examkit.offline.http.SyncEndpoint` served in-process
(:class:`~examkit.backends.http.InProcessTransport`) behind the
fault-injecting transport (:class:`~tests.offline.proof.faults.SyncFaultTransport`).

Either peer can be restarted (:meth:`World.restart_central`,
:meth:`World.restart_station`): the old one is dropped as a crashed process
would be, and a new kit or station is made over the same store.

:func:`build` makes a world from scratch: the session world centrally, an
offline server registered and activated, a group of three candidates
planned on it, the test's exam package published, a credential issued and
the group handed over. :func:`copy_world` copies a world's files, so the
matrix starts each case from the same state without building it again.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import httpx
from tests.offline.proof.crashes import Crash, CrashSwitch
from tests.offline.proof.faults import SyncFaultTransport
from tests.offline.proof.invariants import MarkRecorder, check_healed, differences, snapshot
from tests.offline.proof.room import Room
from tests.offline.proof.sync_process import OFFLINE_SETTINGS

from examkit import Examkit, Settings
from examkit.backends.http import InProcessTransport
from examkit.backends.sql import SQLBackend
from examkit.offline import OfflineStation, OfflineSync
from examkit.offline.http import SyncClient, SyncEndpoint
from examkit.scheduling import Mode
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.sessions import (
    EXAM,
    L00,
    OPERATOR,
    START,
    add_candidates,
    add_operator,
    make_session_kit,
)

CENTRAL_URL = "http://central.example.nl"
"""Where the offline server reaches the sync endpoint (in-process: any address)."""
FAO_ADMIN = "fao"
PACKAGE = bytes(range(256)) * 1200
"""The test's exam package: 300 KiB, two chunks."""
CENTRAL_SETTINGS = Settings(token_key=b"k" * 32, base_url="https://portal.example.nl")
"""The settings make_session_kit gives the central kit (its token key digests the credential)."""
ROOM_STATE = ("ledger", "seats", "access_code", "state", "overtime")
"""What a :class:`~tests.offline.proof.room.Room` knows, saved with a world."""
HEAL_ROUNDS = 6
"""Syncs a healed link gets to catch up before the invariants must hold."""


class _CentralLink(httpx.BaseTransport):
    """Reaches the current central endpoint; a central crash reaches the client as a reset."""

    def __init__(self, world: World) -> None:
        self.world = world

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.world.central_crashed:
            raise httpx.ConnectError("the central system is down")
        try:
            return self.world.inner.handle_request(request)
        except Crash:
            self.world.central_crashed = True
            raise httpx.RemoteProtocolError("the central system went away") from None


@dataclass
class Paths:
    """Where a world's stores are: the central URL and the offline server's SQLite file."""

    central: str
    offline: Path

    @property
    def offline_url(self) -> str:
        """The offline server's store as a URL."""
        return f"sqlite:///{self.offline}"


@dataclass
class World:
    """The two peers and the link; see the module's description."""

    paths: Paths
    server: str
    group: str
    credential: str
    central_clock: ManualClock
    offline_clock: ManualClock
    central_crash: CrashSwitch = field(default_factory=CrashSwitch)
    offline_crash: CrashSwitch = field(default_factory=CrashSwitch)
    generation: int = 0
    central_crashed: bool = False
    closed: bool = False
    central: Examkit = field(init=False)
    endpoint: Any = field(init=False)
    inner: InProcessTransport = field(init=False)
    faults: SyncFaultTransport = field(init=False)
    station: OfflineStation = field(init=False)
    room: Room = field(init=False)
    marks: MarkRecorder = field(init=False)

    def __post_init__(self) -> None:
        self.faults = SyncFaultTransport(
            _CentralLink(self), on_delay=self._slow_link, on_reached=self._reached
        )
        self._start_central()
        self._start_station()
        self.room = Room(
            lambda: self.station.kit, self.group, self.offline_clock, recover=self.restart_station
        )
        self.marks = MarkRecorder(self.central.backend, self.station.store, self.server)

    # -- the peers --------------------------------------------------------------------------

    def _reached(self) -> None:
        """After each request central ran: the marks, recorded (they never go back)."""
        if hasattr(self, "marks"):
            self.marks.record()

    def _slow_link(self) -> None:
        self.central_clock.advance(seconds=2)
        self.offline_clock.advance(seconds=2)

    def _start_central(self) -> None:
        self.generation += 1
        self.central = central_kit(self.paths.central, self.central_clock, self.generation)
        self.endpoint = SyncEndpoint(self.central, crash=self.central_crash)
        self.inner = InProcessTransport(self.endpoint)
        self.central_crashed = False

    def _start_station(self) -> None:
        self.generation += 1
        client = SyncClient(
            CENTRAL_URL,
            self.credential,
            transport=self.faults,
            clock=self.offline_clock,
            retries=1,
            backoff=0.0,
            sleep=lambda _: None,
        )
        self.station = OfflineStation(
            store=SQLBackend(self.paths.offline_url, migrate=False),
            server=self.server,
            central_url=CENTRAL_URL,
            client=client,
            settings=OFFLINE_SETTINGS,
            mailer=RecordingMailer(),
            clock=self.offline_clock,
            secrets=SequenceSecretSource(f"fao-{self.generation}"),
            crash=self.offline_crash,
        )
        self.station.init()

    def hand_over_another_group(self, candidates: int = 2) -> str:
        """Plan another offline group on the server centrally and hand it over; its id."""
        people = add_candidates(self.central, candidates)
        group = self.central.planning.plan(
            "planner",
            location=L00,
            exam=EXAM.code,
            mode=Mode.OFFLINE,
            offline_server=self.server,
            starts_at=START + timedelta(hours=4),
            room="Lokaal 12",
            proctor="proctor",
            candidates=[person.id for person in people],
            first_corrector="corrector",
        )
        self.central.offline_sync.hand_over(FAO_ADMIN, group.id)
        return group.id

    def restart_central(self) -> None:
        """Drop the central kit as a crash would, and start a new one over the same store."""
        self.inner.close()
        self.central.close()
        self._start_central()
        self.marks.central = self.central.backend

    def restart_station(self) -> None:
        """Drop the offline server as a crash would, and start a new one over the same file."""
        self.station.close()
        self._start_station()
        self.marks.offline = self.station.store

    def close(self) -> None:
        """Close both peers (again: nothing)."""
        if self.closed:
            return
        self.closed = True
        self.station.close()
        self.inner.close()
        self.central.close()

    # -- synchronising ----------------------------------------------------------------------

    def sync(self) -> Any:
        """Synchronise once; a peer that crashed is restarted (the report is then ``None``)."""
        try:
            report = self.station.sync_once()
        except Crash:
            report = None
            self.restart_station()
        if self.central_crashed:
            self.restart_central()
        self.marks.record()
        return report

    def heal(self) -> None:
        """Faults off, held requests delivered, crashed peers restarted; sync until caught up."""
        self.faults.heal()
        self.central_crash.armed = self.offline_crash.armed = None
        if self.central_crashed:
            self.restart_central()
        for _ in range(HEAL_ROUNDS):
            report = self.sync()
            if report is not None and report.complete and not (report.backlog or report.received):
                return
        raise AssertionError(f"still not caught up after {HEAL_ROUNDS} healed syncs: {report}")

    def quiet_sync(self) -> None:
        """A sync with nothing new: at most two requests, and it changes nothing stored."""
        before = self.snapshots()
        mark = len(self.faults.log)
        report = self.sync()
        sent = self.faults.sent_since(mark)
        assert report is not None, "a quiet sync crashed"
        assert report.complete, report
        assert len(sent) <= 2, f"a quiet sync made {len(sent)} requests: {sent}"
        after = self.snapshots()
        changed = [*differences(before[0], after[0]), *differences(before[1], after[1])]
        assert not changed, f"a quiet sync changed the stores: {changed}"

    def snapshots(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Raw dumps of the central store and the offline server's."""
        return snapshot(self.paths.central), snapshot(self.paths.offline_url)

    def check(self, *, expected_conflicts: int = 0) -> None:
        """Heal, sync quietly, and hold both stores to every invariant."""
        self.heal()
        self.quiet_sync()
        check_healed(
            self.central.backend,
            self.station.store,
            self.server,
            ledger=self.room.ledger,
            expected_conflicts=expected_conflicts,
        )


# -- building ----------------------------------------------------------------------------


def central_kit(url: str, clock: ManualClock, generation: int) -> Examkit:
    """Return the central kit over the store at *url* (production wiring, own audit log)."""
    return Examkit(
        backend=SQLBackend(url, migrate=False),
        mailer=RecordingMailer(),
        settings=CENTRAL_SETTINGS,
        clock=clock,
        secrets=SequenceSecretSource(f"central-{generation}"),
    )


def _hand_over(
    kit: Examkit, paths: Paths, group: str, server: str, crash: CrashSwitch | None
) -> Examkit:
    """Hand *group* over; when *crash* crashes central in the middle, check that nothing of
    it was stored, restart central and hand over again. Return the central kit."""
    if crash is None:
        kit.offline_sync.hand_over(FAO_ADMIN, group)
        return kit
    try:
        OfflineSync(kit.ports, crash=crash).hand_over(FAO_ADMIN, group)
    except Crash:
        kit.close()
        kit = central_kit(paths.central, cast(ManualClock, kit.clock), generation=-1)
        with kit.backend.begin(readonly=True) as uow:
            assert uow.session_groups.get(group).held_by is None
            assert () == uow.sync_queue.after(f"down:{server}", 0, limit=1)
        kit.offline_sync.hand_over(FAO_ADMIN, group)
    return kit


def build(paths: Paths, *, candidates: int = 3, crash: CrashSwitch | None = None) -> World:
    """Build a world from scratch on *paths* (both stores migrated and empty).

    *crash*: central's crash hook while handing the group over.
    """
    central_clock = ManualClock(START - timedelta(days=1))
    offline_clock = ManualClock(START - timedelta(days=1, seconds=-3))  # 3 s ahead
    kit = make_session_kit(
        central_clock, backend=SQLBackend(paths.central, migrate=False), seed="central-0"
    )
    try:
        add_operator(kit)
        server = kit.offline_servers.add_server(
            FAO_ADMIN, location=L00, name="FAO Aula", address="fao.school.example.nl"
        )
        kit.offline_servers.server_transition(FAO_ADMIN, server.id, "activate")
        people = add_candidates(kit, candidates, extra=30)
        group = kit.planning.plan(
            "planner",
            location=L00,
            exam=EXAM.code,
            mode=Mode.OFFLINE,
            offline_server=server.id,
            starts_at=START,
            room="Aula",
            proctor="proctor",
            candidates=[person.id for person in people],
            first_corrector="corrector",
        )
        kit.exam_packages.publish(OPERATOR, EXAM.code, PACKAGE, "application/octet-stream")
        credential = kit.offline_sync.issue_credential(FAO_ADMIN, server.id)
        kit = _hand_over(kit, paths, group.id, server.id, crash)
    finally:
        kit.close()
    return World(paths, server.id, group.id, credential, central_clock, offline_clock)


@dataclass(frozen=True)
class Saved:
    """A world's files and what it needs to be opened again."""

    paths: Paths
    server: str
    group: str
    credential: str
    central_now: Any
    offline_now: Any
    room: dict[str, Any]
    """What the room knew (:data:`ROOM_STATE`), copied."""


def save(world: World, folder: Path, *, central: str | None = None) -> Saved:
    """Close *world* and copy its SQLite files into *folder* (a template to copy from).

    *central*: where a copy of the central store was made instead (PostgreSQL).
    """
    world.close()
    folder.mkdir(parents=True, exist_ok=True)
    if central is None:
        target = folder / "central.db"
        shutil.copyfile(world.paths.central.removeprefix("sqlite:///"), target)
        central = f"sqlite:///{target}"
    offline = folder / "offline.db"
    shutil.copyfile(world.paths.offline, offline)
    return Saved(
        Paths(central, offline),
        world.server,
        world.group,
        world.credential,
        world.central_clock.now(),
        world.offline_clock.now(),
        {name: copy.deepcopy(getattr(world.room, name)) for name in ROOM_STATE},
    )


def open_world(saved: Saved, paths: Paths) -> World:
    """Open the *saved* world's peers over the stores at *paths* (the room as it was)."""
    world = World(
        paths,
        saved.server,
        saved.group,
        saved.credential,
        ManualClock(saved.central_now),
        ManualClock(saved.offline_now),
    )
    for name, value in saved.room.items():
        setattr(world.room, name, copy.deepcopy(value))
    return world


def copy_files(saved: Saved, folder: Path, *, central: str | None = None) -> Paths:
    """Copy the *saved* world's SQLite files into *folder*; return where they are.

    *central*: a copy of the central store made elsewhere (a PostgreSQL database
    created from the saved one as its template), used instead.
    """
    folder.mkdir(parents=True, exist_ok=True)
    offline = folder / "offline.db"
    shutil.copyfile(saved.paths.offline, offline)
    if central is None:
        target = folder / "central.db"
        shutil.copyfile(saved.paths.central.removeprefix("sqlite:///"), target)
        central = f"sqlite:///{target}"
    return Paths(central, offline)


def open_copy(saved: Saved, folder: Path, *, central: str | None = None) -> World:
    """Open a copy of the *saved* world in *folder* (its central store *central*, if given)."""
    return open_world(saved, copy_files(saved, folder, central=central))
