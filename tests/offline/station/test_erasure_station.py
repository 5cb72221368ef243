"""An erasure reaches the offline server that ran the candidate's group, all of it (PRIV-3, SCH-8).

A real central system (an SQLite file) and a real offline server (another
SQLite file) linked through the sync endpoint: the candidate sits the test
on the offline server, the room's entries go up, the group comes back; the
central system erases the candidate (first while their exam work is kept,
then after its term); the offline server syncs down. Its file, checkpointed
and vacuumed, then holds none of the candidate's identifying values, and
its audit trail names them by the central system's pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.linked import (
    FAO,
    CrashPoints,
    Linked,
    file_text,
    held,
    interrupted_then_healed,
    linked,
    pseudonym_of,
)

from examkit import Examkit
from examkit.backends.sql import SQLBackend
from examkit.correction import CorrectionGroup
from examkit.errors import InvalidInput, NotPermitted
from examkit.offline import UP_STREAM, CandidateErasure, WireEntry, apply_down, entry_digest
from examkit.privacy import ErasureReport, PersonRef, PrivacyErasure, PrivacySettings
from examkit.scheduling import Incident
from examkit.testing.sessions import START

pytestmark = pytest.mark.req("PRIV-3", "SCH-8")

KEY = b"pseudonym-key-of-the-test-portal"
PRIVACY = PrivacySettings(pseudonym_key=KEY, pseudonym_key_id="k7")
FIRST, LAST, NUMBER = "Zebulon", "Quackenbush", "EX4711"
"""The erased candidate's names and candidate number: nowhere else in either file."""
KEPT_TERM = timedelta(days=200)
"""Past the exam work's six months (Examenbesluit VO art. 57)."""
STORED = (
    "candidates",
    "session_groups",
    "test_attempts",
    "sync_queue",
    "sync_inbox",
    "sync_applied_keys",
    "sync_conflicts",
)
"""The offline server's records an erasure may change (its station state changes every sync)."""


def pseudonym(candidate: str) -> str:
    """The pseudonym as PRIV-3 defines it, computed here on its own: HMAC-SHA256 of the label."""
    return pseudonym_of(KEY, "k7", f"candidate:{candidate}")


@attrs.define
class Day:
    """A linked central system and offline server, and the candidate who sits there."""

    linked: Linked
    central_file: Path
    station_file: Path
    erasure: PrivacyErasure
    candidate: str
    login: str

    def erase(self) -> ErasureReport:
        return self.erasure.erase("administrator", PersonRef.candidate(self.candidate))

    def set_result(self) -> None:
        """The group's result is set centrally now (its correction closed)."""
        central = self.linked.central
        with central.backend.begin() as uow:
            group = uow.session_groups.get(self.linked.group)
            uow.correction_groups.add(
                CorrectionGroup(
                    group=group.id,
                    location=group.location,
                    exam=group.exam,
                    items=(),
                    first="corrector",
                    closed_at=central.clock.now(),
                    closed_by="planner",
                )
            )
            uow.commit()


def _rename(central: Examkit, candidate: str) -> str:
    """Give *candidate* the names and number of this test; return their login name."""
    with central.backend.begin() as uow:
        found = uow.candidates.get(candidate)
        uow.candidates.update(attrs.evolve(found, first_name=FIRST, last_name=LAST, number=NUMBER))
        uow.commit()
    return found.login_name


def sit(day: Linked, candidate: str, login: str) -> None:
    """The exam day on the offline server, the link down: a wrong code, sign-ins, answers, a
    pause, an incident naming the candidate, hand-ins, the report, the close."""
    kit, clock = day.station.kit, day.clock
    day.link.up = False
    clock.set(START - timedelta(minutes=15))
    code = kit.group_lifecycle.release("proctor", day.group).access_code
    assert code is not None
    clock.set(START)
    with pytest.raises(NotPermitted):
        kit.sitting.sign_in(login, "AAAA-AAAA")  # audited under candidate:<login>
    keys = {}
    for n, attempt in enumerate(kit.planning.attempts(day.group)):
        keys[attempt.candidate] = kit.sitting.sign_in(attempt.login_name, code).key
        kit.sitting.save_response(
            day.group,
            attempt.candidate,
            "q1",
            {"choice": ["A"]},
            sequence=1,
            key=keys[attempt.candidate],
        )
        kit.sitting.save_response(
            day.group,
            attempt.candidate,
            "q2",
            {"value": f"antwoord {n}"},
            sequence=2,
            key=keys[attempt.candidate],
        )
    kit.proctoring.intervene("proctor", day.group, candidate, "pause", reason="Toilet")
    kit.proctoring.intervene("proctor", day.group, candidate, "resume")
    clock.set(START + timedelta(minutes=151))
    for person, key in keys.items():
        kit.sitting.submit(day.group, person, key=key)
    kit.session_reports.write_report(
        "proctor",
        day.group,
        started_at=START,
        ended_at=clock.now(),
        notes="Rustig verlopen.",
        incidents=[Incident(at=START + timedelta(minutes=20), text="Pauze.", candidate=candidate)],
        completed=True,
    )
    kit.group_lifecycle.close("proctor", day.group)
    day.link.up = True


@pytest.fixture
def make_day(sqlite_url: str, tmp_path: Path) -> Iterator[Callable[..., Day]]:
    """Make the central system on an SQLite file and its offline server on another, synced."""
    backends: list[SQLBackend] = []
    contexts: list[Any] = []

    def make(crash: Any = None) -> Day:
        backend = SQLBackend(sqlite_url, migrate=False)
        backends.append(backend)
        context = linked(backend, tmp_path, crash=crash)
        contexts.append(context)
        made = context.__enter__()
        candidate = made.central.planning.group(made.group).candidates[1]
        login = _rename(made.central, candidate)
        made.central.offline_sync.hand_over(FAO, made.group)  # the new names go down too
        assert "" == made.station.sync_once().error
        return Day(
            made,
            Path(sqlite_url.removeprefix("sqlite:///")),
            tmp_path / "fao" / "station.db",
            PrivacyErasure(made.central.ports, PRIVACY),
            candidate,
            login,
        )

    try:
        yield make
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
        for backend in backends:
            backend.close()


def identifying(text: str, day: Day) -> list[str]:
    """The candidate's identifying values found in *text*."""
    return [value for value in (FIRST, LAST, NUMBER, day.login) if value in text]


def test_an_erasure_reaches_the_station_its_records_its_trail_and_its_sent_entries(
    make_day: Callable[..., Day],
) -> None:
    """Kept while the work is, then gone from every byte; the trail keeps central's pseudonym."""
    day = make_day()
    station, link = day.linked.station, day.linked
    with station.store.begin(readonly=True) as uow:
        assert FIRST == uow.candidates.get(day.candidate).first_name
    sit(link, day.candidate, day.login)
    up = station.sync_once()
    assert ("", 0) == (up.error, up.backlog)
    assert link.central.planning.group(link.group).held_by is None  # it came back closed

    kept = day.erase()  # the exam work is kept: only the trail changes here and there
    assert {"candidates", "test_attempts"} <= {k.record for k in kept.kept}
    assert (1, pseudonym(day.candidate)) == (kept.offline, kept.pseudonym)
    synced = station.sync_once()
    assert ("", 1) == (synced.error, synced.received)
    records, trail = held(station.store, STORED)
    assert [day.candidate] == [c.id for c in records["candidates"] if c.first_name == FIRST]
    named = [e for e in trail if e.subject == kept.pseudonym]
    assert {"sessions.sign_in", "sessions.attempt.pause", "sessions.attempt.resume"} <= {
        e.action for e in named
    }
    assert not [e for e in trail if day.login in repr(e) or day.candidate in repr(e)]
    _, central_trail = held(link.central.backend, STORED)  # the same names, the same pseudonym
    assert not [e for e in central_trail if day.candidate in repr(e) or day.login in repr(e)]
    assert kept.pseudonym in {e.subject for e in central_trail}

    link.clock.advance(minutes=10)
    day.set_result()
    link.clock.advance(days=KEPT_TERM.days)
    gone = day.erase()
    assert gone.erased["candidates"] == 1
    assert gone.offline == 4  # the erasure, the candidate, the attempt, the group
    synced = station.sync_once()
    assert ("", 4, 0) == (synced.error, synced.received, synced.conflicts)
    records, trail_after = held(station.store, STORED)
    assert day.candidate not in {c.id for c in records["candidates"]}
    assert day.candidate not in {a.candidate for a in records["test_attempts"]}
    (group,) = records["session_groups"]
    assert day.candidate not in group.candidates
    assert not [i for i in group.report.incidents if i.candidate == day.candidate]
    assert len(group.candidates) == 2  # the others stay, and their work
    assert len(records["test_attempts"]) == 2
    own = [
        e
        for e in records["sync_queue"]
        if e.stream == UP_STREAM and e.key.split(":")[1:2] == [day.candidate]
    ]
    assert own
    assert all(e.body is None for e in own)
    assert all(e.digest == entry_digest(e.kind, e.key, e.revision, None) for e in own)
    assert len(trail_after) == len(trail)  # the trail keeps every event

    again = day.erase()  # a second erasure changes nothing, here or there
    assert (False, 0) == (again.changed, again.offline)
    quiet = station.sync_once()
    assert (0, "") == (quiet.received, quiet.error)
    assert (records, trail_after) == held(station.store, STORED)

    station.close()
    link.central.backend.close()
    assert [] == identifying(file_text(day.station_file), day)
    assert [] == identifying(file_text(day.central_file), day)


@pytest.mark.parametrize(
    "point", ["offline.down.after_reply", "offline.down.before_commit", "link"]
)
def test_a_sync_killed_midway_through_the_erasure_heals_on_the_next(
    make_day: Callable[..., Day], point: str
) -> None:
    """Killed after the reply, before the commit, or the link cut: nothing half done; it heals."""
    crashes = CrashPoints()
    day = make_day(crashes)
    station, link = day.linked.station, day.linked
    sit(link, day.candidate, day.login)
    assert "" == station.sync_once().error
    day.set_result()
    link.clock.advance(days=KEPT_TERM.days)
    day.erase()
    healed = interrupted_then_healed(link, crashes, point, STORED)
    assert ("", 4) == (healed.error, healed.received)
    records, _ = held(station.store, STORED)
    assert day.candidate not in {c.id for c in records["candidates"]}
    inbox = sorted(e.seq for e in records["sync_inbox"])
    assert inbox == list(range(1, len(inbox) + 1))  # each down entry applied once
    assert 0 == station.sync_once().received
    station.close()
    assert [] == identifying(file_text(day.station_file), day)


def test_entries_not_yet_sent_lose_their_body_and_central_reports_them(
    make_day: Callable[..., Day],
) -> None:
    """Erased before the room's entries went up: they go up empty, central records conflicts."""
    day = make_day()
    station, link = day.linked.station, day.linked
    sit(link, day.candidate, day.login)  # nothing of it has gone up
    report = day.erase()  # centrally nothing was sat: nothing is kept
    assert report.kept == ()
    with link.central.backend.begin() as uow:  # the down reply, as the station will get it
        queued = uow.sync_queue.after(f"down:{link.server}", 0, limit=1000)
    waiting = station.status().backlog
    with station.store.begin(readonly=True) as uow:
        high = uow.offline_stations.get(link.server).down_high_water
    entries = [WireEntry.of(e) for e in queued if e.seq > high]
    assert "erasure" == entries[0].kind
    applied = apply_down(station.store, link.server, entries, now=link.clock.now())
    assert not applied.conflicts
    records, _ = held(station.store, STORED)
    own = [e for e in records["sync_queue"] if e.key.split(":")[1:2] == [day.candidate]]
    assert own
    assert all(e.body is None for e in own)
    synced = station.sync_once()  # they go up, in order, without a gap
    assert (waiting, 0, "") == (synced.sent, synced.backlog, synced.error)
    conflicts = link.central.offline_sync.conflicts(FAO, link.server)
    assert {c.key.split(":")[1] for c in conflicts} == {day.candidate}
    assert {c.reason for c in conflicts} == {"offline.conflict.not_held"}
    station.close()
    link.central.backend.close()
    assert [] == identifying(file_text(day.station_file), day)
    assert [] == identifying(file_text(day.central_file), day)


def test_an_erasure_entry_that_is_no_erasure_applies_nothing(make_day: Callable[..., Day]) -> None:
    """A body without a pseudonym, or a revision not its stage's: offline.entry.body."""
    day = make_day()
    station, link = day.linked.station, day.linked
    with station.store.begin(readonly=True) as uow:
        high = uow.offline_stations.get(link.server).down_high_water
    good = CandidateErasure(day.candidate, pseudonym(day.candidate), work_kept=False).body()
    for body, revision in (
        ({**good, "pseudonym": day.login}, 2),
        ({**good, "exam_work": "kept"}, 2),
        ({key: value for key, value in good.items() if key != "details"}, 2),
    ):
        entry = WireEntry(
            high + 1,
            "erasure",
            day.candidate,
            revision,
            body,
            entry_digest("erasure", day.candidate, revision, body),
        )
        with pytest.raises(InvalidInput) as refused:
            apply_down(station.store, link.server, [entry], now=link.clock.now())
        assert "offline.entry.body" == refused.value.code
    with station.store.begin(readonly=True) as uow:
        assert high == uow.offline_stations.get(link.server).down_high_water
        assert FIRST == uow.candidates.get(day.candidate).first_name


def test_a_stage_not_above_the_one_applied_changes_nothing(make_day: Callable[..., Day]) -> None:
    """An erasure applied at ``erased`` is not undone by a ``kept`` one: superseded."""
    day = make_day()
    station, link = day.linked.station, day.linked
    with station.store.begin(readonly=True) as uow:
        high = uow.offline_stations.get(link.server).down_high_water

    def entry(seq: int, work_kept: bool) -> WireEntry:
        made = CandidateErasure(day.candidate, pseudonym(day.candidate), work_kept=work_kept)
        return WireEntry.of(made.entry("down:x", seq, link.clock.now()))

    apply_down(station.store, link.server, [entry(high + 1, False)], now=link.clock.now())
    records = held(station.store, STORED)
    apply_down(station.store, link.server, [entry(high + 2, True)], now=link.clock.now())
    with station.store.begin(readonly=True) as uow:
        inbox = uow.sync_inbox.get(f"down:{link.server}:{high + 2:012d}")
    assert "superseded" == inbox.effect
    after, trail = held(station.store, STORED)
    assert records[1] == trail
    assert {k: v for k, v in records[0].items() if k != "sync_inbox"} == {
        k: v for k, v in after.items() if k != "sync_inbox"
    }
