# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A server's credential: shown once, kept as a digest, revoked with the server (SCH-8)."""

from __future__ import annotations

import attrs
import pytest
from tests.offline.central.conftest import FAO, Room, answer, offline_room, up

from examkit import Examkit
from examkit.errors import InvalidState, NotPermitted
from examkit.offline import DownRequest
from examkit.testing import Wiring
from examkit.testing.sessions import L00, START


def refused_code(kit: Examkit, credential: str) -> str:
    with pytest.raises(NotPermitted) as refused:
        kit.offline_sync.authenticate(credential)
    return refused.value.code


@pytest.mark.req("SCH-8")
def test_a_credential_is_shown_once_and_stored_only_as_a_keyed_digest(
    kit: Examkit, wiring: Wiring
) -> None:
    room = offline_room(kit)
    prefix, server, secret = room.credential.split(".")
    assert ("exo1", room.server) == (prefix, server)
    assert len(secret) >= 40
    with kit.backend.begin(readonly=True) as uow:
        stored = uow.offline_credentials.get(room.server)
    assert secret not in stored.secret_digest
    assert 64 == len(stored.secret_digest)
    assert (FAO, None) == (stored.issued_by, stored.revoked_at)
    assert room.server == kit.offline_sync.authenticate(room.credential)
    assert 1 == wiring.audit.actions().count("offline.credential.issued")


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    "wrong",
    [
        "",
        "Bearer",
        "exo1",
        "exo1.fao-x",
        "exo2.{server}.{secret}",
        "exo1.{server}.x{secret}",
        "exo1.fao-other.{secret}",
    ],
)
def test_an_unknown_or_wrong_credential_is_refused(kit: Examkit, wrong: str) -> None:
    room = offline_room(kit)
    _, server, secret = room.credential.split(".")
    assert "offline.credential.invalid" == refused_code(
        kit, wrong.format(server=server, secret=secret)
    )


@pytest.mark.req("SCH-8")
def test_a_new_credential_replaces_the_old_one(kit: Examkit) -> None:
    room = offline_room(kit)
    newer = kit.offline_sync.issue_credential(FAO, room.server)
    assert room.server == kit.offline_sync.authenticate(newer)
    assert "offline.credential.invalid" == refused_code(kit, room.credential)


@pytest.mark.req("SCH-8", "ROLE-1")
def test_only_the_fao_administrator_issues_and_only_for_an_active_server(kit: Examkit) -> None:
    server = kit.offline_servers.add_server(FAO, location=L00, name="FAO", address="10.0.0.9")
    with pytest.raises(InvalidState) as inactive:
        kit.offline_sync.issue_credential(FAO, server.id)
    assert "offline.credential.inactive" == inactive.value.code
    kit.offline_servers.server_transition(FAO, server.id, "activate")
    with pytest.raises(NotPermitted):
        kit.offline_sync.issue_credential("planner", server.id)
    with pytest.raises(NotPermitted):
        kit.offline_sync.issue_credential("elsewhere", server.id)


@pytest.mark.req("SCH-8")
def test_deactivating_revokes_in_the_same_unit_and_reactivating_needs_a_new_credential(
    kit: Examkit, room: Room
) -> None:
    kit.offline_servers.server_transition(FAO, room.server, "deactivate")
    with kit.backend.begin(readonly=True) as uow:
        assert uow.offline_credentials.get(room.server).revoked_at is not None
    # recognised, so that what it still sends is refused and reported
    assert room.server == kit.offline_sync.authenticate(room.credential)
    with pytest.raises(NotPermitted) as late:
        kit.offline_sync.receive_up(
            room.server, up(room, answer(1, f"{room.group}:x:q1", 1, sequence=1))
        )
    assert "offline.server.removed" == late.value.code
    with pytest.raises(NotPermitted):
        kit.offline_sync.send_down(room.server, DownRequest(room.server, 0, START))
    (conflict,) = kit.offline_sync.conflicts(FAO, room.server)
    assert ("offline.conflict.server_removed", 1) == (conflict.reason, conflict.seq)
    assert [] == [a.responses for a in kit.planning.attempts(room.group) if a.responses]
    kit.offline_servers.server_transition(FAO, room.server, "reactivate")
    assert "offline.credential.invalid" == refused_code(kit, room.credential)
    newer = kit.offline_sync.issue_credential(FAO, room.server)
    assert room.server == kit.offline_sync.authenticate(newer)


@pytest.mark.req("SCH-8", "SCH-7")
def test_a_server_holding_groups_is_not_deleted_and_a_deleted_ones_late_upload_is_reported(
    kit: Examkit, room: Room
) -> None:
    kit.offline_servers.server_transition(FAO, room.server, "deactivate")
    with pytest.raises(InvalidState) as holds:
        kit.offline_servers.server_transition(FAO, room.server, "delete")
    assert ("offline.server.holds", room.group) == (holds.value.code, holds.value.params["groups"])
    with kit.backend.begin() as uow:  # as if its closed group had come back
        group = uow.session_groups.get(room.group)
        uow.session_groups.update(attrs.evolve(group, held_by=None))
        uow.commit()
    assert kit.offline_servers.server_transition(FAO, room.server, "delete") is None
    assert room.server == kit.offline_sync.authenticate(room.credential)
    late = up(room, answer(7, f"{room.group}:{room.candidates[0]}:q1", "late", sequence=1))
    with pytest.raises(NotPermitted) as refused:
        kit.offline_sync.receive_up(room.server, late)
    assert "offline.server.removed" == refused.value.code
    (conflict,) = kit.offline_sync.conflicts(FAO, room.server)
    assert ("offline.conflict.server_removed", 7) == (conflict.reason, conflict.seq)
    with pytest.raises(NotPermitted):
        kit.offline_sync.conflicts("elsewhere", room.server)


@pytest.mark.req("SCH-8")
def test_a_refused_deactivation_leaves_the_credential_valid(kit: Examkit, room: Room) -> None:
    with pytest.raises(NotPermitted):
        kit.offline_servers.server_transition("planner", room.server, "deactivate")
    with kit.backend.begin(readonly=True) as uow:
        assert uow.offline_credentials.get(room.server).revoked_at is None
    kit.offline_servers.server_transition(FAO, room.server, "deactivate")
    with kit.backend.begin(readonly=True) as uow:
        revoked = uow.offline_credentials.get(room.server).revoked_at
        server = uow.offline_servers.get(room.server)
    assert (kit.clock.now(), "inactive") == (revoked, server.state.value)
