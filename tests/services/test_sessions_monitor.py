# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The proctor monitor and the session report's data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.converter import unstructure
from examkit.errors import NotPermitted
from examkit.scheduling import AttemptState, GroupState, Incident
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


@pytest.mark.req("SCH-4", "SCH-6")
def test_the_monitor_shows_the_proctors_groups_of_the_day(kit: Examkit, clock: ManualClock) -> None:
    """Today's groups of this proctor, each candidate's state and time left, and the code."""
    people = add_candidates(kit, 3, extra=30)
    today = plan_group(kit, people[:2])
    plan_group(kit, people[2:], starts_at=START + timedelta(days=1))
    proctor = "proctor"
    code = kit.group_lifecycle.release(proctor, today).access_code
    assert code is not None
    kit.sitting.sign_in(people[0].login_name, code)
    clock.advance(minutes=30)
    monitor = kit.proctoring.monitor(proctor)
    assert "2026-05-12" == monitor.day
    (group,) = monitor.groups
    assert (today, GroupState.RELEASED, code) == (group.id, group.state, group.access_code)
    lines = {line.candidate: line for line in group.candidates}
    working, waiting = lines[people[0].id], lines[people[1].id]
    assert (AttemptState.IN_PROGRESS, (150 - 30) * 60) == (working.state, working.seconds_left)
    assert (AttemptState.REGISTERED, 120 * 60) == (waiting.state, waiting.seconds_left)
    assert "Kandidaat0 de Vries" == working.name
    assert "released" == unstructure(monitor)["groups"][0]["state"]
    assert () == kit.proctoring.monitor("planner").groups
    assert monitor.groups == kit.proctoring.monitor(proctor, group=today).groups
    assert () == kit.proctoring.monitor(proctor, group="g-elsewhere").groups


@pytest.mark.req("SCH-4")
def test_a_group_s_monitor_reads_that_group_s_candidates_only(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A monitor page of one group does not read the other groups of the day."""
    from examkit.scheduling._records import AttemptRecords

    people = add_candidates(kit, 2)
    first = plan_group(kit, people[:1])
    plan_group(kit, people[1:], starts_at=START + timedelta(hours=3))
    read: list[str] = []
    listed = AttemptRecords.list_for_group

    def counted(self: AttemptRecords, group: str) -> object:
        read.append(group)
        return listed(self, group)

    monkeypatch.setattr(AttemptRecords, "list_for_group", counted)
    (shown,) = kit.proctoring.monitor("proctor", group=first).groups
    assert ([first], first) == (read, shown.id)
    assert 2 == len(kit.proctoring.monitor("proctor").groups)
    read.clear()
    day = kit.proctoring.monitor("proctor", lines=False)
    assert ([], [(), ()], [1, 1]) == (
        read,
        [g.candidates for g in day.groups],
        [g.planned for g in day.groups],
    )
    assert [1] == [g.planned for g in kit.proctoring.monitor("proctor", group=first).groups]
    read.clear()
    (alone,) = kit.proctoring.monitor("proctor", group=first, candidate=people[0].id).groups
    assert ([], [people[0].id]) == (read, [line.candidate for line in alone.candidates])
    assert shown.candidates == alone.candidates
    (other,) = kit.proctoring.monitor("proctor", group=first, candidate=people[1].id).groups
    assert () == other.candidates


@pytest.mark.req("SCH-5")
def test_the_session_report_holds_attendance_incidents_and_remarks(kit: Examkit) -> None:
    """Present and absent, incidents per candidate and for the group, the log, the remarks."""
    people = add_candidates(kit, 3)
    group_id = plan_group(kit, people)
    proctor, planner = "proctor", "planner"
    code = kit.group_lifecycle.release(proctor, group_id).access_code
    assert code is not None
    key = kit.sitting.sign_in(people[0].login_name, code).key
    kit.sitting.sign_in(people[1].login_name, code)
    kit.sitting.submit(group_id, people[0].id, key=key)
    kit.proctoring.intervene(proctor, group_id, people[1].id, "terminate", reason="onwel")
    kit.session_reports.write_report(
        proctor,
        group_id,
        incidents=[
            Incident(at=START, text="Onwel geworden", candidate=people[1].id),
            Incident(at=START, text="Stroomstoring van 2 minuten"),
        ],
        notes="Verder rustig.",
        completed=True,
    )
    kit.group_lifecycle.close(proctor, group_id)
    kit.session_reports.add_remark(planner, group_id, "Gezien.")
    report = kit.session_reports.session_report(planner, group_id)
    assert (2, 1) == (report.present, report.absent)
    by_id = {line.candidate: line for line in report.attendance}
    assert (AttemptState.TERMINATED, "onwel") == (
        by_id[people[1].id].state,
        by_id[people[1].id].end_reason,
    )
    assert ["Onwel geworden"] == [i.text for i in by_id[people[1].id].incidents]
    assert ["Stroomstoring van 2 minuten"] == [i.text for i in report.incidents]
    assert ["release", "close"] == [r.event for r in report.log]
    assert ["Gezien."] == [r.text for r in report.remarks]
    assert report == kit.session_reports.session_report(proctor, group_id)
    with pytest.raises(NotPermitted):
        kit.session_reports.session_report("corrector", group_id)


@pytest.mark.req("SCH-4", "SCH-1")
def test_a_group_s_pages_read_its_candidates_in_one_go(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The monitor and the group's details read a group's candidates with one ``get_many``."""
    from examkit.storage import Records

    people = add_candidates(kit, 6)
    group = plan_group(kit, people[:5])
    one_by_one: list[str] = []
    at_once: list[list[str]] = []
    get, get_many = Records.get, Records.get_many

    def counted_get(self: Records[object, object], key: object) -> object:
        if self.record.kind == "candidate":
            one_by_one.append(str(key))
        return get(self, key)

    def counted_many(self: Records[object, object], keys: object) -> object:
        asked = [str(key) for key in keys]  # type: ignore[attr-defined]
        if self.record.kind == "candidate":
            at_once.append(sorted(asked))
        return get_many(self, asked)

    monkeypatch.setattr(Records, "get", counted_get)
    monkeypatch.setattr(Records, "get_many", counted_many)
    (shown,) = kit.proctoring.monitor("proctor", group=group).groups
    details = kit.planning_desk.group_details("planner", group)
    expected = sorted(person.id for person in people[:5])
    assert ([], [expected, expected]) == (one_by_one, at_once)
    assert 5 == len(shown.candidates) == len(details.candidates)
    assert all(line.name for line in shown.candidates)
