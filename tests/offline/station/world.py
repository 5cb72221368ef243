"""The offline server's test world: a station's store, its kit, an exam day's steps.

Not a test module (no ``test_`` prefix): the set-up the station's tests share.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs

from examkit import Examkit, Settings
from examkit.backends.memory import MemoryBackend
from examkit.backends.sql import SQLBackend
from examkit.converter import unstructure
from examkit.offline import UP_STREAM, OutboxBackend, QueuedEntry, StationState, entry_digest
from examkit.records import RECORDS, Backend
from examkit.scheduling import Candidate
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

SERVER = "fao-1"
"""The offline server's id."""
CENTRAL = "http://central.example.nl"
"""Where its central system is."""


def new_store(kind: str, tmp_path: Path) -> Backend:
    """Return an empty local store: ``memory`` or ``sqlite`` (a file of its own)."""
    if kind == "memory":
        return MemoryBackend()
    return SQLBackend(f"sqlite:///{tmp_path / 'station.db'}")


def init_station(store: Backend, *, offset: int | None = None) -> None:
    """Store the station's state (with a measured clock offset, when given)."""
    with store.begin() as uow:
        uow.offline_stations.add(StationState(SERVER, CENTRAL, clock_offset_ms=offset))
        uow.commit()


def queued(store: Backend, after: int = 0) -> tuple[QueuedEntry, ...]:
    """Return every up entry numbered above *after*."""
    with store.begin(readonly=True) as uow:
        return uow.sync_queue.after(UP_STREAM, after, limit=100_000)


def station_state(store: Backend) -> StationState:
    """Return the station's state."""
    with store.begin(readonly=True) as uow:
        return uow.offline_stations.get(SERVER)


@contextmanager
def room(kind: str, tmp_path: Path) -> Iterator[tuple[Examkit, OutboxBackend, ManualClock]]:
    """Yield a kit on an outbox around a fresh initialised store, with its clock."""
    with room_on(new_store(kind, tmp_path)) as made:
        yield made


@contextmanager
def room_on(store: Backend) -> Iterator[tuple[Examkit, OutboxBackend, ManualClock]]:
    """Yield a kit on an outbox around *store* (empty; initialised here), with its clock."""
    init_station(store, offset=-1500)
    clock = ManualClock(START - timedelta(minutes=10))
    outbox = OutboxBackend(store, clock=clock)
    try:
        yield make_session_kit(clock, backend=outbox), outbox, clock
    finally:
        store.close()


def released(kit: Examkit, count: int = 2) -> tuple[str, list[Candidate], str]:
    """Plan a group of *count* candidates and release it; return its id, people, access code."""
    people = add_candidates(kit, count)
    group = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group).access_code
    assert code is not None
    return group, people, code


def entry(seq: int, kind: str, item: Any, *, key: str | None = None) -> dict[str, Any]:
    """Return the down entry *seq* setting *item* (a stored record) as it travels."""
    record = RECORD_OF[kind]
    body = None if isinstance(item, str) else unstructure(item)
    if isinstance(body, dict):
        body.pop("version", None)
    name = item if isinstance(item, str) else record.key_text(item)
    revision = 0 if isinstance(item, str) else item.version
    return {
        "seq": seq,
        "kind": kind,
        "key": key if key is not None else name,
        "revision": revision,
        "body": body,
        "digest": entry_digest(kind, key if key is not None else name, revision, body),
    }


def hand_over_entries(central: Backend, group_id: str, first: int = 1) -> list[dict[str, Any]]:
    """Return the down entries of a group planned on *central*, as a hand-over queues them."""
    with central.begin(readonly=True) as uow:
        group = attrs.evolve(uow.session_groups.get(group_id), held_by=SERVER)
        items: list[tuple[str, Any]] = [
            ("accounts", uow.accounts.get(group.proctor)),
            ("authorizations", uow.authorizations.get(group.proctor)),
            ("exams", uow.exams.get(group.exam)),
            *(("candidates", uow.candidates.get(c)) for c in group.candidates),
            ("session_groups", group),
            *(("test_attempts", a) for a in uow.test_attempts.list_for_group(group_id)),
        ]
    return [entry(first + n, kind, item) for n, (kind, item) in enumerate(items)]


RECORD_OF = {record.name: record for record in RECORDS}
"""Each stored record's declaration, by name (a down kind is a record's name)."""


SETTINGS = Settings(token_key=b"f" * 32, base_url="https://fao.school.nl")
"""The offline server's kit's settings."""


def station_kit(store: Backend, clock: ManualClock) -> Examkit:
    """Return a kit on an outbox around *store* whose master data came down (nothing added)."""
    return Examkit(
        backend=OutboxBackend(store, clock=clock),
        mailer=RecordingMailer(),
        settings=SETTINGS,
        clock=clock,
        secrets=SequenceSecretSource("fao"),
    )
