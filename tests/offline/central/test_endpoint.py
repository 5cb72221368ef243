# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The central sync endpoint over HTTP: authentication, protocol, errors, ranges (SCH-8)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.offline.central.conftest import FAO, Room, answer, up

from examkit import Examkit
from examkit.backends.http import InProcessTransport
from examkit.backends.http._wire import error_from
from examkit.offline import (
    PROTOCOL,
    DownReply,
    DownRequest,
    UpReply,
)
from examkit.offline.http import SyncEndpoint
from examkit.testing.sessions import EXAM, FT_EXAM, OPERATOR, START

CONTENT = bytes(range(256)) * 2048 + b"end"
"""Two chunks and three bytes."""


INVALID = "offline.credential.invalid"
WRONG = "offline.wire.protocol"


class Crash(Exception):
    """The test's crash."""


def client_of(kit: Examkit, **options: Any) -> Iterator[httpx.Client]:
    endpoint = SyncEndpoint(kit, **options)
    transport = InProcessTransport(endpoint)
    with httpx.Client(transport=transport, base_url="http://central.test") as client:
        yield client
    transport.close()


@pytest.fixture
def client(kit: Examkit) -> Iterator[httpx.Client]:
    yield from client_of(kit, max_request=64 * 1024)


def headers(room: Room, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {room.credential}", "Examkit-Protocol": PROTOCOL, **more}


def refusal(response: httpx.Response) -> tuple[int, str, str | None]:
    error = error_from(response.json()["error"])
    return response.status_code, error.code, error.field


def post_up(client: httpx.Client, room: Room, *entries: Any, **more: str) -> httpx.Response:
    body = up(room, *entries).to_json()
    return client.post("/v1/up", json=body, headers=headers(room, **more))


@pytest.mark.req("SCH-8")
def test_up_and_down_over_http(kit: Examkit, room: Room, client: httpx.Client) -> None:
    key = f"{room.group}:{room.candidates[0]}:q1"
    response = post_up(client, room, answer(1, key, "A", sequence=1))
    assert 200 == response.status_code
    assert PROTOCOL == response.headers["Examkit-Protocol"]
    reply = UpReply.from_json(response.json())
    assert (1, ()) == (reply.high_water, reply.conflicts)
    asked = DownRequest(room.server, 0, START).to_json()
    down = DownReply.from_json(client.post("/v1/down", json=asked, headers=headers(room)).json())
    assert down.queued == len(down.entries) > 0
    assert "session_groups" in {item.kind for item in down.entries}


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("authorization", "protocol", "expected"),
    [
        (None, PROTOCOL, (401, INVALID, None)),
        ("Basic abc", PROTOCOL, (401, INVALID, None)),
        ("Bearer exo1.fao-x.nope", PROTOCOL, (401, INVALID, None)),
        ("Bearer {credential}", None, (400, "offline.wire.protocol", "Examkit-Protocol")),
        (
            "Bearer {credential}",
            "examkit-offline/0",
            (400, "offline.wire.protocol", "Examkit-Protocol"),
        ),
        ("Bearer eks1.a-storage-token", PROTOCOL, (401, INVALID, None)),
    ],
)
def test_requests_without_the_credential_or_protocol_are_refused(
    room: Room,
    client: httpx.Client,
    authorization: str | None,
    protocol: str | None,
    expected: tuple[int, str, str | None],
) -> None:
    sent: dict[str, str] = {}
    if authorization is not None:
        sent["Authorization"] = authorization.format(credential=room.credential)
    if protocol is not None:
        sent["Examkit-Protocol"] = protocol
    body = DownRequest(room.server, 0, START).to_json()
    response = client.post("/v1/down", json=body, headers=sent)
    assert expected == refusal(response)
    if expected[0] == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"not json", (400, "offline.wire.json", "body")),
        (b"[1, 2]", (400, "offline.wire.json", "body")),
        (b'{"server": "x"}', (400, "offline.wire.field", "entries")),
        (
            b'{"server": "s", "entries": [{"seq": 0}], "sent_at": "x", "backlog": 0}',
            (400, "offline.wire.field", "entries[0].seq"),
        ),
        (
            b'{"server": "s", "entries": [], "sent_at": "2026-05-12T09:00:00", "backlog": 0}',
            (400, "offline.wire.field", "sent_at"),
        ),
        (b"{" + b" " * 70000 + b"}", (413, "offline.wire.too_large", None)),
    ],
)
def test_a_malformed_request_gets_a_clear_error_naming_the_field(
    room: Room, client: httpx.Client, body: bytes, expected: tuple[int, str, str | None]
) -> None:
    response = client.post("/v1/up", content=body, headers=headers(room))
    assert expected == refusal(response)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("body", [b"not json", b"{" + b" " * 70000 + b"}", b"{}"])
@pytest.mark.parametrize("path", ["/v1/up", "/v1/down"])
def test_a_wrong_credential_is_refused_first_whatever_the_body(
    room: Room, client: httpx.Client, body: bytes, path: str
) -> None:
    sent = {"Authorization": "Bearer exo1.fao-x.nope", "Examkit-Protocol": PROTOCOL}
    response = client.post(path, content=body, headers=sent)
    assert (401, INVALID, None) == refusal(response)


@pytest.mark.req("SCH-8")
def test_a_request_naming_another_server_or_from_a_removed_one_is_forbidden(
    kit: Examkit, room: Room, client: httpx.Client
) -> None:
    body = DownRequest("fao-other", 0, START).to_json()
    response = client.post("/v1/down", json=body, headers=headers(room))
    assert (403, "offline.wire.server", None) == refusal(response)
    kit.offline_servers.server_transition(FAO, room.server, "deactivate")
    key = f"{room.group}:{room.candidates[0]}:q1"
    assert (403, "offline.server.removed", None) == refusal(
        post_up(client, room, answer(1, key, "A", sequence=1))
    )
    assert ["offline.conflict.server_removed"] == [
        c.reason for c in kit.offline_sync.conflicts(FAO, room.server)
    ]


@pytest.fixture
def package(kit: Examkit) -> str:
    return kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip").digest


@pytest.mark.req("SCH-8")
def test_a_package_is_fetched_whole_or_resumed_from_a_byte(
    kit: Examkit, room: Room, client: httpx.Client, package: str
) -> None:
    whole = client.get(f"/v1/packages/{package}", headers=headers(room))
    assert (200, CONTENT) == (whole.status_code, whole.content)
    assert "application/zip" == whole.headers["content-type"]
    start = 300_000
    part = client.get(f"/v1/packages/{package}", headers=headers(room, Range=f"bytes={start}-"))
    assert (206, CONTENT[start:]) == (part.status_code, part.content)
    expected_range = f"bytes {start}-{len(CONTENT) - 1}/{len(CONTENT)}"
    assert expected_range == part.headers["Content-Range"]
    beyond = client.get(
        f"/v1/packages/{package}", headers=headers(room, Range=f"bytes={len(CONTENT)}-")
    )
    assert (416, "offline.package.range", "start") == refusal(beyond)
    assert f"bytes */{len(CONTENT)}" == beyond.headers["Content-Range"]
    bad = client.get(f"/v1/packages/{package}", headers=headers(room, Range="bytes=5-9"))
    assert (400, "offline.wire.field", "Range") == refusal(bad)


@pytest.mark.req("SCH-8")
def test_only_packages_of_the_servers_held_groups_tests_are_served(
    kit: Examkit, room: Room, client: httpx.Client
) -> None:
    other = kit.exam_packages.publish(OPERATOR, FT_EXAM.code, b"ft", "application/zip").digest
    response = client.get(f"/v1/packages/{other}", headers=headers(room))
    assert (404, "storage.not_found", None) == refusal(response)
    unknown = client.get(f"/v1/packages/{'0' * 64}", headers=headers(room))
    assert 404 == unknown.status_code
    malformed = client.get("/v1/packages/not-a-digest", headers=headers(room))
    assert (400, "offline.package.digest_form", "digest") == refusal(malformed)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("point", "applied"),
    [("central.up.before_commit", 0), ("central.up.after_commit", 1)],
)
def test_a_crash_at_the_up_points_leaves_a_state_the_next_sync_heals(
    kit: Examkit, room: Room, point: str, applied: int
) -> None:
    def crash(name: str) -> None:
        if name == point:
            raise Crash(name)

    key = f"{room.group}:{room.candidates[0]}:q1"
    for crashing in client_of(kit, crash=crash):
        with pytest.raises(Crash):
            post_up(crashing, room, answer(1, key, "A", sequence=1))
    with kit.backend.begin(readonly=True) as uow:
        assert applied == uow.sync_marks.get(room.server).up_high_water
    for healthy in client_of(kit):
        reply = UpReply.from_json(post_up(healthy, room, answer(1, key, "A", sequence=1)).json())
    assert (1, ()) == (reply.high_water, reply.conflicts)
    (attempt, _) = kit.planning.attempts(room.group)
    assert {"q1": "A"} == {item: saved.value for item, saved in attempt.responses.items()}


@pytest.mark.req("SCH-8")
def test_a_crash_after_reading_the_down_queue_records_nothing(kit: Examkit, room: Room) -> None:
    def crash(name: str) -> None:
        if name == "central.down.after_read":
            raise Crash(name)

    body = DownRequest(room.server, 0, START).to_json()
    for crashing in client_of(kit, crash=crash):
        with pytest.raises(Crash):
            crashing.post("/v1/down", json=body, headers=headers(room))
    with kit.backend.begin(readonly=True) as uow:
        assert uow.sync_marks.get(room.server).last_sync_at is None
    assert json.loads(json.dumps(body)) == body
