# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A whole offline exam day, the central system unreachable until after closing, then one sync."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.offline.station.linked import AHEAD, PACKAGE, Linked, linked

from examkit.backends.sql import SQLBackend
from examkit.errors import InvalidState
from examkit.scheduling import Attempt, AttemptState, GroupState, Incident, TestSessionGroup
from examkit.testing.sessions import L00, START


@pytest.fixture
def day(sqlite_url: str, tmp_path: Path) -> Iterator[Linked]:
    """The central system on an SQLite file and its offline server on another."""
    backend = SQLBackend(sqlite_url, migrate=False)
    try:
        with linked(backend, tmp_path) as made:
            yield made
    finally:
        backend.close()


View = tuple[TestSessionGroup, tuple[Attempt, ...]]


def central_view(day: Linked) -> View:
    group = day.central.planning.group(day.group)
    return group, tuple(day.central.planning.attempts(day.group))


def offline_view(day: Linked) -> View:
    kit = day.station.kit
    return kit.planning.group(day.group), tuple(kit.planning.attempts(day.group))


@pytest.mark.req("SCH-7", "SCH-8")
def test_a_whole_offline_exam_day_reaches_the_central_system_in_one_sync_after_closing(
    day: Linked,
) -> None:
    """Sign-ins, answers, an intervention, a late save, the report, the close; then one sync."""
    station, kit, clock = day.station, day.station.kit, day.clock
    ready = station.sync_once()
    assert ("", 1) == (ready.error, ready.packages)
    assert station.kit.planning.group(day.group).held_by is None
    assert day.central.planning.group(day.group).held_by == day.server
    with station.store.begin(readonly=True) as uow:
        (package,) = uow.exam_packages.of_exam("NE-GL-2026")
    assert (package.verified, package.size) == (True, len(PACKAGE))

    day.link.up = False  # the school's connection drops before the session and stays down
    clock.set(START - timedelta(minutes=15))
    code = kit.group_lifecycle.release("proctor", day.group).access_code
    assert code is not None
    attempts = sorted(kit.planning.attempts(day.group), key=lambda a: -a.extra_time_minutes)
    first, second, third = attempts  # the first has 30 minutes extra time
    clock.set(START)
    keys = {
        a.candidate: kit.sitting.sign_in(a.login_name, code).key for a in (first, second, third)
    }
    for n, attempt in enumerate((first, second, third)):
        save = kit.sitting.save_response
        save(
            day.group,
            attempt.candidate,
            "q1",
            {"choice": ["A"]},
            sequence=1,
            key=keys[attempt.candidate],
        )
        save(
            day.group,
            attempt.candidate,
            "q2",
            {"value": str(n)},
            sequence=2,
            key=keys[attempt.candidate],
        )
    clock.advance(minutes=20)
    assert "offline.central.unreachable" == station.sync_once().error
    kit.proctoring.intervene("proctor", day.group, second.candidate, "pause", reason="Toilet")
    clock.advance(minutes=5)
    kit.proctoring.intervene("proctor", day.group, second.candidate, "resume")
    kit.sitting.save_response(
        day.group, second.candidate, "q1", {"choice": ["C"]}, sequence=3, key=keys[second.candidate]
    )
    kit.sitting.submit(day.group, third.candidate, key=keys[third.candidate])
    clock.set(START + timedelta(minutes=121))  # past the deadline of all but the first (extra time)
    with pytest.raises(InvalidState) as late:
        kit.sitting.save_response(
            day.group, second.candidate, "q3", "te laat", sequence=4, key=keys[second.candidate]
        )
    assert "sessions.response.deadline" == late.value.code
    kit.sitting.save_response(
        day.group, first.candidate, "q3", "nog op tijd", sequence=3, key=keys[first.candidate]
    )
    clock.set(START + timedelta(minutes=151))
    kit.sitting.submit(day.group, first.candidate, key=keys[first.candidate])
    kit.sitting.submit(day.group, second.candidate, key=keys[second.candidate])
    kit.session_reports.write_report(
        "proctor",
        day.group,
        started_at=START,
        ended_at=clock.now(),
        notes="Rustig verlopen; internet lag de hele ochtend plat.",
        incidents=[Incident(at=START + timedelta(minutes=20), text="Pauze kandidaat 2.")],
        completed=True,
    )
    kit.group_lifecycle.close("proctor", day.group)
    assert "offline.central.unreachable" == station.sync_once().error
    waiting = station.status().backlog
    assert waiting > 0
    assert day.central.planning.group(day.group).state is GroupState.PLANNED

    day.link.up = True  # back online after closing: one sync
    clock.advance(minutes=30)
    report = station.sync_once()
    assert ("", waiting, 0) == (report.error, report.sent, report.backlog)
    assert central_view(day) == offline_view(day)
    group, stored = central_view(day)
    assert (GroupState.CLOSED, None) == (group.state, group.held_by)
    assert round(AHEAD.total_seconds() * 1000) == group.report.clock_offset_ms
    late_saves = {a.candidate: a.late_saves for a in stored}
    assert {first.candidate: 0, second.candidate: 1, third.candidate: 0} == late_saves
    assert AttemptState.IN_PROGRESS not in {a.state for a in stored}
    (status,) = day.central.offline_sync.status("fao", L00)
    with station.store.begin(readonly=True) as uow:
        queued = uow.offline_stations.get(day.server).up_queued
    offset = round(AHEAD.total_seconds() * 1000)
    assert (queued, 0, offset, 0, ()) == (
        status.up_high_water,
        status.backlog,
        status.clock_offset_ms,
        status.open_conflicts,
        status.held_groups,
    )
    assert (0, offset, ()) == (
        station.status().backlog,
        station.status().clock_offset_ms,
        station.status().conflicts,
    )

    quiet = station.sync_once()  # another sync changes nothing, in one request
    requests = len(day.link.requests)
    assert (0, 0, "") == (quiet.sent, quiet.received, quiet.error)
    assert central_view(day) == offline_view(day)
    station.sync_once()
    assert requests + 1 == len(day.link.requests)
