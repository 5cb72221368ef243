# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The offline-server registry (seed 004 §3.2) and offline groups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import InvalidInput, NotPermitted
from examkit.scheduling import Mode, ServerState, TransitionNotAllowed
from examkit.testing import ManualClock, Wiring
from examkit.testing.sessions import EXAM, L00, L01, START, add_candidates, make_session_kit


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return make_session_kit(ManualClock(START - timedelta(days=1)), wiring.log, wiring.backend)


@pytest.mark.req("SCH-8", "ROLE-1")
def test_the_fao_administrator_manages_the_registry(kit: Examkit) -> None:
    """Add, view, activate, deactivate, reactivate, edit and delete; others may not."""
    fao = "fao"
    server = kit.offline_servers.add_server(
        fao, location=L00, name="FAO lokaal 12", address="10.0.0.5"
    )
    assert ServerState.REGISTERED == server.state
    with pytest.raises(NotPermitted):
        kit.offline_servers.add_server("planner", location=L00, name="X", address="10.0.0.6")
    with pytest.raises(NotPermitted):
        kit.offline_servers.add_server(fao, location=L01, name="X", address="10.0.0.6")
    with pytest.raises(InvalidInput):
        kit.offline_servers.add_server(fao, location=L00, name="X", address="not an address!")
    steps = ["activate", "deactivate", "reactivate", "deactivate"]
    states = [kit.offline_servers.server_transition(fao, server.id, step) for step in steps]
    assert [ServerState.ACTIVE, ServerState.INACTIVE, ServerState.ACTIVE, ServerState.INACTIVE] == [
        s.state for s in states if s is not None
    ]
    with pytest.raises(TransitionNotAllowed):
        kit.offline_servers.server_transition(fao, server.id, "deactivate")
    edited = kit.offline_servers.edit_server(fao, server.id, address="faoid.fao-facet.onl")
    assert "faoid.fao-facet.onl" == edited.address
    assert [edited] == list(kit.offline_servers.servers(fao, L00))
    assert kit.offline_servers.server_transition(fao, server.id, "delete") is None
    assert () == kit.offline_servers.servers(fao, L00)


@pytest.mark.req("SCH-8", "SCH-7")
def test_only_an_active_server_of_the_location_can_be_chosen_for_an_offline_group(
    kit: Examkit,
) -> None:
    """A deactivated server is refused; an active one runs the group, recorded on attempts."""
    fao, planner = "fao", "planner"
    server = kit.offline_servers.add_server(fao, location=L00, name="FAO", address="192.168.1.20")
    people = add_candidates(kit, 1)

    def plan(server_id: str | None) -> str:
        return kit.planning.plan(
            planner,
            location=L00,
            exam=EXAM.code,
            mode=Mode.OFFLINE,
            starts_at=START,
            room="Lokaal 12",
            proctor="proctor",
            candidates=[people[0].id],
            offline_server=server_id,
        ).id

    for chosen in (None, server.id, "fao-unknown"):
        with pytest.raises(InvalidInput):
            plan(chosen)
    kit.offline_servers.server_transition(fao, server.id, "activate")
    group_id = plan(server.id)
    (attempt,) = kit.planning.attempts(group_id)
    assert server.id == attempt.offline_server
