# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The central portal's offline-server pages: credential, hand-over, held groups, conflicts.

What a real synchronisation shows on these pages is the demo day's test
(tests/offline/cli/test_demo_day.py); here the pages and their moves.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as
from tests.portal.test_portal_planning import account_with, operator_of, post_form
from tests.school import L00

from examkit import Examkit
from examkit.offline import SyncConflict
from examkit.scheduling import GroupState, Mode
from portal._offline_packages import MEDIA_TYPE, package_of
from portal._test_content import DEMO_EXAM

pytestmark = pytest.mark.anyio

ACCESS = {
    ("POST", "/planning/servers/{server}/credential"): ("allowed", ("facet.fao.edit",)),
    ("POST", "/planning/servers/{server}/conflicts/{conflict}/resolve"): (
        "allowed",
        ("facet.fao.edit",),
    ),
    ("POST", "/planning/groups/{group}/hand-over"): (
        "allowed",
        ("facet.sessions.plan", "facet.fao.edit"),
    ),
    ("GET", "/desk/packages"): ("allowed", ("examkit.exam_packages.publish",)),
    ("POST", "/desk/packages/{exam}"): ("allowed", ("examkit.exam_packages.publish",)),
}
"""Each route's declared access, written out by hand: the FAO administrator issues the
credential and resolves conflicts; the planner or the FAO administrator hands a group over;
the service desk publishes the test packages."""

STAFF = {"planner": "facet.planner", "proctor": "facet.proctor", "fao": "facet.fao_administrator"}


@pytest.fixture
def offline_group(kit: Examkit) -> tuple[str, str]:
    """An active offline server of 22AB00 and a group planned on it today: their ids."""
    for account, role in STAFF.items():
        account_with(kit, role, account)
    kit.candidates.register_exam(DEMO_EXAM)
    person = kit.candidates.add_candidate(
        "planner", location=L00, first_name="Sem", last_name="Bos"
    )
    server = kit.offline_servers.add_server("fao", location=L00, name="FAO 12", address="10.0.0.2")
    kit.offline_servers.server_transition("fao", server.id, "activate")
    group = kit.planning.plan(
        "planner",
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.OFFLINE,
        offline_server=server.id,
        starts_at=kit.clock.now() + timedelta(hours=1),
        room="Lokaal 12",
        proctor="proctor",
        candidates=[person.id],
    )
    return server.id, group.id


@pytest.mark.req("SCH-8")
async def test_the_credential_is_shown_once_and_replaces_the_one_before(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, _ = offline_group
    enter_as(client, kit, "fao")
    page = f"/planning/servers/{server}"
    before = await client.get(page + "?lang=en")
    assert "Not yet synchronised" in before.text
    assert "None valid" in before.text
    issued = await post_form(client, page, f"{page}/credential")
    assert 200 == issued.status_code
    (first,) = re.findall(rf"exo1\.{re.escape(server)}\.[A-Za-z0-9_-]+", issued.text)
    assert server == kit.offline_sync.authenticate(first)
    again = await client.get(page)
    assert first not in again.text  # shown once, never again
    assert "Issued" in again.text
    second = await post_form(client, page, f"{page}/credential")
    (new,) = re.findall(rf"exo1\.{re.escape(server)}\.[A-Za-z0-9_-]+", second.text)
    assert first != new
    with pytest.raises(Exception, match="credential"):
        kit.offline_sync.authenticate(first)


@pytest.mark.req("SCH-8")
async def test_a_planner_cannot_issue_a_credential_nor_resolve_a_conflict(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, _ = offline_group
    enter_as(client, kit, "planner")
    for path in (
        f"/planning/servers/{server}/credential",
        f"/planning/servers/{server}/conflicts/x/resolve",
    ):
        answer = await client.post(path, data={}, headers={"Origin": ORIGIN})
        assert 403 == answer.status_code, path


@pytest.mark.req("SCH-7", "SCH-8")
async def test_the_hand_over_needs_the_test_s_package_then_holds_the_group(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, group = offline_group
    kit.offline_sync.issue_credential("fao", server)
    enter_as(client, kit, "planner")
    page = f"/planning/groups/{group}"
    shown = await client.get(page + "?lang=en")
    assert "Hand over to the offline server" in shown.text
    refused = await post_form(client, page, f"{page}/hand-over")
    assert 409 == refused.status_code
    assert "exam package is not published yet" in refused.text
    assert kit.planning.group(group).held_by is None
    assert 403 == (await client.get("/desk/packages")).status_code  # the desk's page
    enter_as(client, kit, operator_of(kit))
    desk = await client.get("/desk/packages")
    assert f'action="/desk/packages/{DEMO_EXAM.code}"' in desk.text
    published = await post_form(client, "/desk/packages", f"/desk/packages/{DEMO_EXAM.code}")
    assert (303, f"/desk/packages?done={DEMO_EXAM.code}") == (
        published.status_code,
        published.headers["location"],
    )
    (package,) = kit.exam_packages.packages(DEMO_EXAM.code)
    assert package_of(DEMO_EXAM.code) == kit.exam_packages.content(package.digest)
    shown = await client.get(published.headers["location"])
    assert f"The package of {DEMO_EXAM.code} is published." in shown.text
    assert f'action="/desk/packages/{DEMO_EXAM.code}"' not in shown.text
    enter_as(client, kit, "planner")
    handed = await post_form(client, page, f"{page}/hand-over")
    assert (303, f"{page}?handed=1") == (handed.status_code, handed.headers["location"])
    assert server == kit.planning.group(group).held_by
    held = await client.get(f"{page}?handed=1&lang=en")
    assert "The group is handed over" in held.text
    assert f"held by the offline server {server}" in held.text
    assert "Send the changes to the offline server" in held.text
    with kit.backend.begin(readonly=True) as uow:
        queued = uow.sync_queue.after(f"down:{server}", 0, limit=100)
    kinds = {entry.kind for entry in queued}
    assert {"exams", "exam_packages", "candidates", "session_groups", "test_attempts"} <= kinds


@pytest.mark.req("SCH-7", "SCH-8")
async def test_a_held_group_s_monitor_says_so_and_offers_no_moves(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, group = offline_group
    kit.offline_sync.issue_credential("fao", server)
    content = package_of(DEMO_EXAM.code)
    assert content is not None
    kit.exam_packages.publish(operator_of(kit), DEMO_EXAM.code, content, MEDIA_TYPE)
    enter_as(client, kit, "proctor")
    page = f"/monitor/groups/{group}"
    before = await client.get(page + "?lang=en")
    assert f'action="{page}/release"' in before.text
    (attempt,) = kit.planning.attempts(group)
    person = f"{page}/candidates/{attempt.candidate}"
    assert f'action="{person}/end"' in (await client.get(person)).text
    kit.offline_sync.hand_over("planner", group)
    held = await client.get(page + "?lang=en")
    assert 200 == held.status_code
    assert f"held by the offline server {server}" in held.text
    assert f'action="{page}/release"' not in held.text
    refused = await client.post(f"{page}/release", data={}, headers={"Origin": ORIGIN})
    assert refused.status_code in {403, 409}
    assert GroupState.PLANNED == kit.planning.group(group).state
    one = await client.get(f"{person}?lang=en")
    assert 200 == one.status_code
    assert f"held by the offline server {server}" in one.text
    assert f'action="{person}/' not in one.text  # no move offered


@pytest.mark.req("SCH-8")
async def test_the_server_pages_show_its_conflicts_and_one_is_marked_resolved(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, group = offline_group
    conflict = SyncConflict(
        id=f"{server}:7:offline.conflict.digest",
        server=server,
        kind="answer",
        key=f"{group}:c-1:v1",
        seq=7,
        reason="offline.conflict.digest",
        detected_at=kit.clock.now(),
        detail="sha256 1f2e… then 9a8b…",
    )
    with kit.backend.begin() as uow:
        uow.sync_conflicts.add(conflict)
        uow.commit()
    enter_as(client, kit, "fao")
    listed = await client.get("/planning/servers?lang=en")
    assert "Last sync" in listed.text
    assert re.search(r"<td>1</td></tr>", listed.text)  # one open conflict
    page = f"/planning/servers/{server}"
    shown = await client.get(page + "?lang=en")
    assert "The same entry arrived twice with different content" in shown.text
    action = f"{page}/conflicts/{conflict.id}/resolve"
    resolved = await post_form(client, page, action)
    assert (303, f"{page}?resolved=1") == (resolved.status_code, resolved.headers["location"])
    (stored,) = kit.offline_sync.conflicts("fao", server)
    assert "fao" == stored.resolved_by
    after = await client.get(f"{page}?resolved=1&lang=en")
    assert "The conflict is marked resolved." in after.text
    assert "Mark resolved" not in after.text


@pytest.mark.req("SCH-8", "WEB-2")
async def test_the_sync_endpoint_beside_the_portal_has_its_own_authentication(
    client: httpx.AsyncClient, kit: Examkit, offline_group: tuple[str, str]
) -> None:
    server, _ = offline_group
    enter_as(client, kit, "fao")  # a portal session is no credential for it
    body = {"server": server, "applied": 0, "sent_at": kit.clock.now().isoformat()}
    headers = {"Examkit-Protocol": "examkit-offline/1"}
    refused = await client.post("/offline-sync/v1/down", json=body, headers=headers)
    assert 401 == refused.status_code
    assert "offline.credential.invalid" in refused.text
    credential = kit.offline_sync.issue_credential("fao", server)
    answered = await client.post(
        "/offline-sync/v1/down",
        json=body,
        # another origin changes nothing: the endpoint is no page of the portal
        headers={**headers, "Authorization": f"Bearer {credential}", "Origin": "https://fao.local"},
    )
    assert 200 == answered.status_code, answered.text
    assert [] == answered.json()["entries"]
