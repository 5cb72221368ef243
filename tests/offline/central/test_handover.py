# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Handing a group to its offline server: its master data queued down, once per version (SCH-8)."""

from __future__ import annotations

import attrs
import pytest
from tests.offline.central.conftest import FAO, Room, answer, offline_room, up

from examkit import Examkit
from examkit.converter import structure
from examkit.errors import InvalidInput, InvalidState, NotPermitted
from examkit.identifiers import Brin, Postcode
from examkit.offline import DownRequest, entry_digest
from examkit.org import Address, Institution
from examkit.records import RECORDS
from examkit.scheduling import Mode
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import EXAM, OPERATOR, START, add_candidates, plan_group

RECORD = {record.name: record for record in RECORDS}


def down(kit: Examkit, room: Room, applied: int = 0) -> list[tuple[str, str, int]]:
    reply = kit.offline_sync.send_down(room.server, DownRequest(room.server, applied, START))
    for item in reply.entries:
        assert entry_digest(item.kind, item.key, item.revision, item.body) == item.digest
    return [(item.kind, item.key, item.revision) for item in reply.entries]


@pytest.mark.req("SCH-8", "SCH-7")
def test_a_hand_over_holds_the_group_and_queues_every_master_record(
    kit: Examkit, wiring: Wiring
) -> None:
    with kit.backend.begin() as uow:
        uow.institutions.add(
            Institution(
                code=Brin("22AB"),
                name="Het Lyceum",
                address=Address("Schoolstraat", "12", Postcode("8855AB"), "Sexbierum"),
            )
        )
        uow.commit()
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, b"the test", "application/zip")
    room = offline_room(kit)
    done = kit.offline_sync.hand_over("planner", room.group)
    group = kit.planning.group(room.group)
    assert room.server == group.held_by
    attempts = kit.planning.attempts(room.group)
    expected = [
        ("institutions", "22AB", 1),
        ("accounts", "proctor", 1),
        ("authorizations", "proctor", 1),
        ("exams", EXAM.code, 1),
        ("exam_packages", package.digest, 1),
        *[("candidates", person, 1) for person in room.candidates],
        ("session_groups", room.group, group.version),
        *[("test_attempts", f"{a.group}:{a.candidate}", a.version) for a in attempts],
    ]
    assert expected == down(kit, room)
    assert (len(expected), len(expected)) == (done.queued, done.down_queued)
    reply = kit.offline_sync.send_down(room.server, DownRequest(room.server, 0, START))
    (sent,) = [item for item in reply.entries if item.kind == "session_groups"]
    copy = structure(sent.body, RECORD["session_groups"].cls)
    assert (None, group.candidates) == (copy.held_by, copy.candidates)  # its own, offline
    assert 1 == wiring.audit.actions().count("offline.handover")


@pytest.mark.req("SCH-8")
def test_handing_over_again_queues_only_what_changed_since(
    kit: Examkit, clock: ManualClock
) -> None:
    room = offline_room(kit)
    first = kit.offline_sync.hand_over("planner", room.group)
    assert 0 == kit.offline_sync.hand_over("planner", room.group).queued
    with kit.backend.begin() as uow:  # the proctor's name corrected centrally
        proctor = uow.accounts.get("proctor")
        uow.accounts.update(attrs.evolve(proctor, first_name="Kees"))
        uow.commit()
    key = f"{room.group}:{room.candidates[0]}:q1"  # the room saved an answer meanwhile
    kit.offline_sync.receive_up(room.server, up(room, answer(1, key, "A", sequence=1)))
    again = kit.offline_sync.hand_over("planner", room.group)
    assert (1, first.down_queued + 1) == (again.queued, again.down_queued)
    assert [("accounts", "proctor", 2)] == down(kit, room, first.down_queued)


@pytest.mark.req("SCH-8", "ROLE-1")
def test_a_hand_over_is_refused_unless_everything_fits(kit: Examkit) -> None:
    online = plan_group(kit, add_candidates(kit, 1))
    with pytest.raises(InvalidInput) as mode:
        kit.offline_sync.hand_over("planner", online)
    assert "offline.handover.mode" == mode.value.code
    without = offline_room(kit, credential=False)
    with pytest.raises(InvalidState) as credential:
        kit.offline_sync.hand_over("planner", without.group)
    assert "offline.handover.server" == credential.value.code
    room = offline_room(kit)
    for who in ("proctor", "elsewhere"):
        with pytest.raises(NotPermitted):
            kit.offline_sync.hand_over(who, room.group)
    assert kit.offline_sync.hand_over(FAO, room.group).queued > 0
    cancelled = offline_room(kit)
    kit.group_lifecycle.transition("planner", cancelled.group, "cancel")
    with pytest.raises(InvalidState) as state:
        kit.offline_sync.hand_over("planner", cancelled.group)
    assert "offline.handover.state" == state.value.code
    kit.offline_servers.server_transition(FAO, cancelled.server, "deactivate")
    assert Mode.OFFLINE is kit.planning.group(without.group).mode
    for refused in (without, cancelled):
        assert kit.planning.group(refused.group).held_by is None


class Crash(Exception):
    """The test's crash."""


@pytest.mark.req("SCH-8")
def test_a_crash_before_the_hand_over_commits_leaves_nothing(kit: Examkit) -> None:
    from examkit.offline import OfflineSync

    room = offline_room(kit)

    def crash(point: str) -> None:
        if point == "central.handover.before_commit":
            raise Crash(point)

    with pytest.raises(Crash):
        OfflineSync(kit.ports, crash=crash).hand_over("planner", room.group)
    assert kit.planning.group(room.group).held_by is None
    with kit.backend.begin(readonly=True) as uow:
        assert () == uow.sync_queue.after(f"down:{room.server}", 0, limit=10)
    assert kit.offline_sync.hand_over("planner", room.group).queued > 0
