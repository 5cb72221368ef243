"""The offline-sync benchmark's data: the central world, the offline server and its day.

Not a benchmark itself (:mod:`benchmarks.offline_sync` uses it).

The central world (:func:`build_central`, the same on every database, so
that every copy agrees with the one offline server): the ready-made staff
and tests of :mod:`examkit.testing.sessions` with a service-desk account, a
test of *answers* items (:func:`day_exam`) with a published exam package,
the offline server ``FAO aula`` registered and activated at 22AB00, *N*
candidates in groups of :data:`PER_GROUP` planned offline on it, its
credential issued, and every group handed over to it; all through the
kit's use cases.

The offline server (:func:`open_station`): a station on its own SQLite
file, synchronised once (everything handed over comes down, the package is
fetched and verified), before its day. Its day (:func:`run_day`), on the
station's kit (so through the :class:`~examkit.offline.OutboxBackend`):
every group released, every candidate signed in, *answers* saves each (the
first groups' through the kit, the others' queued directly as the outbox
would, :func:`save_directly`), then the session report completed and the
group closed (every attempt timed out).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

import attrs

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.offline import (
    MAX_BATCH,
    UP_STREAM,
    OfflineStation,
    QueuedEntry,
    entry_digest,
    room_entries,
)
from examkit.scheduling import Exam, ItemSlot, Mode, SavedResponse, attempt_id
from examkit.testing import ManualClock, RecordingMailer
from examkit.testing.sessions import (
    L00,
    OPERATOR,
    START,
    add_candidates,
    add_operator,
    make_session_kit,
)

PER_GROUP: Final = 50
"""Candidates per group (a large room)."""
"""The service desk's account, which publishes the exam package."""
SERVER_NAME: Final = "FAO aula"
SETTINGS: Final = Settings(token_key=b"k" * 32, base_url="https://portal.example.nl")
"""The kits' settings, central and offline."""


def day_exam(answers: int) -> Exam:
    """Return the day's test: *answers* items of one point each, scored automatically."""
    return Exam(
        code="OFF-2026",
        title="Offline dag",
        subject="Nederlands",
        duration=timedelta(minutes=90),
        items=[ItemSlot(f"v{n:02d}", 1) for n in range(1, answers + 1)],
    )


@dataclass(frozen=True)
class Central:
    """What the central set-up made: the server, its credential, the groups and candidates."""

    server: str
    credential: str
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    """Each group's id with its candidates' ids and login names."""
    items: tuple[str, ...]


def central_kit(url: str, *, seed: str = "central") -> tuple[Examkit, ManualClock]:
    """Return a kit on the central store at *url* (the sync endpoint's), and its clock."""
    clock = ManualClock(START + timedelta(hours=4))
    kit = Examkit(
        backend=SQLBackend(url),
        mailer=RecordingMailer(),
        settings=SETTINGS,
        clock=clock,
    )
    return kit, clock


def build_central(url: str, candidates: int, answers: int) -> Central:
    """Store the central world at *url* through the use cases (see the module's docstring)."""
    clock = ManualClock(START - timedelta(days=1))
    kit = make_session_kit(clock, backend=SQLBackend(url), seed="central")
    try:
        add_operator(kit)
        exam = day_exam(answers)
        kit.candidates.register_exam(exam)
        kit.exam_packages.publish(OPERATOR, exam.code, b"{}" * 1024, "application/json")
        server = kit.offline_servers.add_server(
            "fao", location=L00, name=SERVER_NAME, address="192.168.1.20"
        )
        kit.offline_servers.server_transition("fao", server.id, "activate")
        groups = []
        for number in range(-(-candidates // PER_GROUP)):
            people = add_candidates(kit, min(PER_GROUP, candidates - number * PER_GROUP))
            group = kit.planning.plan(
                "planner",
                location=L00,
                exam=exam.code,
                mode=Mode.OFFLINE,
                starts_at=START,
                room=f"Lokaal {number}",
                proctor="proctor",
                candidates=[p.id for p in people],
                offline_server=server.id,
            )
            groups.append((group.id, tuple((p.id, p.login_name) for p in people)))
        credential = kit.offline_sync.issue_credential("fao", server.id)
        for group_id, _ in groups:
            kit.offline_sync.hand_over("planner", group_id)
    finally:
        kit.close()
    return Central(server.id, credential, tuple(groups), tuple(i.id for i in exam.items))


def open_station(
    path: str, central: Central, url: str, *, transport: Any = None, store: Any = None
) -> tuple[OfflineStation, ManualClock]:
    """Open the offline server on the SQLite file *path* (or *store*), syncing with *url*."""
    clock = ManualClock(START - timedelta(minutes=30))
    if store is None:
        station = OfflineStation.open(
            path,
            server=central.server,
            central_url=url,
            credential=central.credential,
            settings=SETTINGS,
            mailer=RecordingMailer(),
            clock=clock,
            transport=transport,
        )
        return station, clock
    from examkit.offline.http import SyncClient

    client = SyncClient(url, central.credential, transport=transport, clock=clock)
    station = OfflineStation(
        store=store,
        server=central.server,
        central_url=url,
        client=client,
        settings=SETTINGS,
        mailer=RecordingMailer(),
        clock=clock,
    )
    station.init()
    return station, clock


def run_day(
    station: OfflineStation, clock: ManualClock, central: Central, answers: int, *, through_kit: int
) -> float:
    """Run the exam day on the station (see the module's docstring); return a save's seconds.

    The first *through_kit* groups' saves go through the station's kit
    (``kit.sitting.save_response``, one unit each, queued by the outbox);
    the other groups' through :func:`save_directly`. Returns the mean time
    of a save through the kit (0 when none was).
    """
    kit = station.kit
    lifecycle, sitting, reports = kit.group_lifecycle, kit.sitting, kit.session_reports
    clock.set(START - timedelta(minutes=10))
    items = central.items[:answers]
    saving = 0.0
    saved = 0
    for number, (group_id, people) in enumerate(central.groups):
        lifecycle.release("proctor", group_id)
        code = lifecycle.access_code("proctor", group_id)
        keys = {candidate: sitting.sign_in(login, code).key for candidate, login in people}
        clock.advance(minutes=1)
        if number >= through_kit:
            save_directly(station, group_id, [c for c, _ in people], items)
            continue
        started = time.perf_counter()
        for candidate, _ in people:
            for sequence, item in enumerate(items, start=1):
                sitting.save_response(
                    group_id,
                    candidate,
                    item,
                    _value(sequence),
                    sequence=sequence,
                    key=keys[candidate],
                )
        saving += time.perf_counter() - started
        saved += len(people) * len(items)
    clock.advance(hours=3)
    for group_id, _ in central.groups:
        reports.write_report("proctor", group_id, completed=True)
        lifecycle.close("proctor", group_id)
    return saving / saved if saved else 0.0


def _value(sequence: int) -> dict[str, Any]:
    return {"choice": [sequence % 4]}


def save_directly(
    station: OfflineStation, group_id: str, candidates: Sequence[str], items: Sequence[str]
) -> None:
    """Store every candidate's saves of *items* and queue them as the outbox would, at once.

    One unit of the local store (not through the outbox): each attempt gets
    its responses one save after the other (:meth:`~examkit.scheduling.Attempt.with_response`,
    as a save does); its entries are what the outbox queues for that change
    (:func:`~examkit.offline.room_entries` of the attempt before and after:
    one ``answer`` entry per item, the save's number its revision), numbered
    on from the station's ``up_queued``, dated by its clock, stored with the
    counter raised.
    """
    now = station.clock.now()
    with station.store.begin() as uow:
        state = uow.offline_stations.get(station.server)
        seq = state.up_queued
        queued = []
        for candidate in candidates:
            before = uow.test_attempts.get(attempt_id(group_id, candidate))
            after = before
            for sequence, item in enumerate(items, start=1):
                after = after.with_response(item, SavedResponse(_value(sequence), sequence, now))
            for kind, key, revision, body in room_entries(before, after):
                seq += 1
                digest = entry_digest(kind, key, revision, body)
                queued.append(QueuedEntry(UP_STREAM, seq, kind, key, revision, body, digest, now))
            uow.test_attempts.update(after)
        uow.sync_queue.add_many(queued)
        uow.offline_stations.update(attrs.evolve(state, up_queued=seq))
        uow.commit()


def wire_entries(path: Path) -> list[dict[str, Any]]:
    """Return every up entry in the outbox of the station's file *path*, as it travels."""
    entries: list[QueuedEntry] = []
    store = SQLBackend(f"sqlite:///{path}")
    with store.begin(readonly=True) as uow:
        while True:
            found = uow.sync_queue.after(UP_STREAM, entries[-1].seq if entries else 0, limit=5000)
            if not found:
                break
            entries.extend(found)
    store.close()
    return [
        {
            "seq": e.seq,
            "kind": e.kind,
            "key": e.key,
            "revision": e.revision,
            "body": e.body,
            "digest": e.digest,
        }
        for e in entries
    ]


def batches(entries: Sequence[Any]) -> int:
    """Return how many requests *entries* take in batches of MAX_BATCH."""
    return -(-len(entries) // MAX_BATCH)
