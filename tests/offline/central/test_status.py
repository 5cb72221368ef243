# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Each offline server's status for the portal, and the wire values both peers share (SCH-8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.offline.central.conftest import FAO, Room, answer, up

from examkit import Examkit
from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.offline import (
    DownReply,
    DownRequest,
    UpReply,
    UpRequest,
    WireConflict,
    clock_offset_ms,
)
from examkit.scheduling import ServerState
from examkit.testing import ManualClock
from examkit.testing.sessions import L00, START


@pytest.mark.req("SCH-8")
def test_the_status_shows_marks_backlog_clock_offset_and_conflicts(
    kit: Examkit, room: Room, clock: ManualClock
) -> None:
    (fresh,) = kit.offline_sync.status(FAO, L00)
    assert (room.server, "FAO 12", ServerState.ACTIVE) == (fresh.server, fresh.name, fresh.state)
    assert fresh.credential_valid
    assert (None, 0, fresh.down_queued, 0) == (
        fresh.last_sync_at,
        fresh.up_high_water,
        len(kit.planning.attempts(room.group)) + 6,
        fresh.down_acknowledged,
    )
    assert (room.group,) == fresh.held_groups
    central = clock.now()
    offline_clock = central + timedelta(seconds=42)  # the server's clock runs 42 s ahead
    key = f"{room.group}:{room.candidates[0]}:q1"
    batch = UpRequest(room.server, (answer(1, key, "A", sequence=1),), offline_clock, 5)
    kit.offline_sync.receive_up(room.server, batch)
    kit.offline_sync.send_down(room.server, DownRequest(room.server, 3, offline_clock))
    (status,) = kit.offline_sync.status(FAO, L00)
    assert (central, 1, 4, 3, 42_000) == (
        status.last_sync_at,
        status.up_high_water,
        status.backlog,
        status.down_acknowledged,
        status.clock_offset_ms,
    )
    measured = DownRequest(room.server, 3, offline_clock, clock_offset_ms=41_990)
    kit.offline_sync.send_down(room.server, measured)
    assert 41_990 == kit.offline_sync.status(FAO, L00)[0].clock_offset_ms
    kit.offline_servers.server_transition(FAO, room.server, "deactivate")
    (revoked,) = kit.offline_sync.status(FAO, L00)
    assert (ServerState.INACTIVE, False) == (revoked.state, revoked.credential_valid)
    with pytest.raises(NotPermitted):
        kit.offline_sync.status("planner", L00)


@pytest.mark.req("SCH-8")
def test_one_server_s_sync_is_its_status_and_its_conflicts_in_one_read(
    kit: Examkit, room: Room, clock: ManualClock
) -> None:
    key = f"{room.group}:{room.candidates[0]}:q1"
    late = f"{room.group}:{room.candidates[0]}:q2"
    kit.offline_sync.receive_up(
        room.server, UpRequest(room.server, (answer(1, key, "A", sequence=1),), clock.now(), 0)
    )
    kit.offline_sync.receive_up(  # the same number again, another body: a digest conflict
        room.server, UpRequest(room.server, (answer(1, late, "B", sequence=1),), clock.now(), 0)
    )
    found = kit.offline_sync.server_sync(FAO, room.server)
    (status,) = kit.offline_sync.status(FAO, L00)
    assert (room.server, status) == (found.server.id, found.status)
    assert kit.offline_sync.conflicts(FAO, room.server) == found.conflicts
    assert 1 == len(found.conflicts)
    assert 1 == found.status.open_conflicts
    with pytest.raises(NotPermitted):
        kit.offline_sync.server_sync("planner", room.server)
    with pytest.raises(NotFound):
        kit.offline_sync.server_sync(FAO, "no-such-server")


@pytest.mark.req("SCH-8")
def test_a_location_s_servers_and_their_status_are_read_at_once(kit: Examkit, room: Room) -> None:
    spare = kit.offline_servers.add_server(FAO, location=L00, name="FAO 3", address="10.0.0.3")
    listed = kit.offline_sync.location_servers(FAO)
    assert (kit.planning_desk.locations(FAO, ("facet.fao.view",)), L00) == (
        listed.locations,
        listed.location,
    )
    assert kit.offline_servers.servers(FAO, L00) == listed.servers
    assert {room.server, spare.id} == {server.id for server in listed.servers}
    assert {s.server: s for s in kit.offline_sync.status(FAO, L00)} == listed.statuses
    assert ((room.group,), ()) == (
        listed.statuses[room.server].held_groups,
        listed.statuses[spare.id].held_groups,
    )
    # a location chosen that is not theirs (or no code at all) reads the first of theirs
    assert listed == kit.offline_sync.location_servers(FAO, "99ZZ00")
    assert listed == kit.offline_sync.location_servers(FAO, "not a code")
    assert listed == kit.offline_sync.location_servers(FAO, str(L00))
    nowhere = kit.offline_sync.location_servers("planner")
    assert ((), None, (), {}) == (
        nowhere.locations,
        nowhere.location,
        nowhere.servers,
        dict(nowhere.statuses),
    )


@pytest.mark.req("SCH-8")
def test_the_down_mark_cannot_run_ahead_of_the_queue(kit: Examkit, room: Room) -> None:
    (status,) = kit.offline_sync.status(FAO, L00)
    with pytest.raises(InvalidInput) as ahead:
        kit.offline_sync.send_down(
            room.server, DownRequest(room.server, status.down_queued + 1, START)
        )
    assert ("offline.down.applied", "applied") == (ahead.value.code, ahead.value.field)


@pytest.mark.req("SCH-8")
def test_the_wire_values_travel_as_json_and_back(room: Room) -> None:
    key = f"{room.group}:{room.candidates[0]}:q1"
    request = up(room, answer(1, key, {"chosen": ["A"]}, sequence=3))
    assert request == UpRequest.from_json(request.to_json())
    reply = UpReply(
        7, START, START + timedelta(milliseconds=3), (WireConflict("i", "answer", key, 2, "r"),)
    )
    assert reply == UpReply.from_json(reply.to_json())
    down = DownReply(request.entries, 9, START, START)
    assert down == DownReply.from_json(down.to_json())
    asked = DownRequest(room.server, 4, START, clock_offset_ms=-15)
    assert asked == DownRequest.from_json(asked.to_json())


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(("there", "back", "expected"), [(100, 100, -2000), (100, 300, -1900)])
def test_the_clock_offset_is_ntps(there: int, back: int, expected: int) -> None:
    """The offline clock 2 s behind; exact on a symmetric path, off by half the asymmetry."""
    behind = timedelta(seconds=2)
    t0 = START
    t1 = t0 + timedelta(milliseconds=there) + behind
    t2 = t1 + timedelta(milliseconds=50)
    t3 = t2 + timedelta(milliseconds=back) - behind
    assert expected == clock_offset_ms(t0, t1, t2, t3)
