# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The fault-injecting transport does what each fault says, on a receiver that counts.

The receiver here is a small ASGI application that records every request it
runs and answers with JSON, so each fault's two sides are seen: what reached
the receiver, and what the client got back.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tests.offline.proof.faults import Fault, SyncFaultTransport, step_of

from examkit.backends.http import InProcessTransport

pytestmark = pytest.mark.req("SCH-8")

UP = {"server": "fao-1", "entries": [{"seq": 1, "kind": "answer", "body": {"value": "A"}}]}


class Receiver:
    """An ASGI app that records what it runs: up and down posts, package gets."""

    def __init__(self) -> None:
        self.ran: list[tuple[str, Any]] = []

        async def up(request: Request) -> Response:
            body = json.loads(await request.body())
            self.ran.append(("up", body))
            return JSONResponse({"high_water": len(self.ran), "entries": body.get("entries", [])})

        async def down(request: Request) -> Response:
            try:
                body = json.loads(await request.body())
            except ValueError:
                return JSONResponse({"error": "garbled"}, status_code=400)
            self.ran.append(("down", body))
            entries = [{"seq": 1, "kind": "exams", "body": {"code": "NE"}, "digest": "d"}]
            return JSONResponse({"entries": entries, "queued": 1})

        async def package(request: Request) -> Response:
            digest = request.path_params["digest"]
            self.ran.append(("package", digest))
            if digest != "ab" * 32:
                return JSONResponse({"error": "unknown"}, status_code=404)
            return Response(b"0123456789", media_type="application/octet-stream")

        self.app = Starlette(
            routes=[
                Route("/v1/up", up, methods=["POST"]),
                Route("/v1/down", down, methods=["POST"]),
                Route("/v1/packages/{digest}", package, methods=["GET"]),
            ]
        )


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def faults(receiver: Receiver) -> Iterator[SyncFaultTransport]:
    inner = InProcessTransport(receiver.app)
    yield SyncFaultTransport(inner, on_delay=lambda: None)
    inner.close()


def client(transport: SyncFaultTransport) -> httpx.Client:
    return httpx.Client(transport=transport, base_url="http://central")


def up(http: httpx.Client) -> httpx.Response:
    return http.post("/v1/up", json=UP)


def down(http: httpx.Client) -> httpx.Response:
    return http.post("/v1/down", json={"server": "fao-1", "applied": 0})


def package(http: httpx.Client) -> httpx.Response:
    return http.get("/v1/packages/" + "ab" * 32)


def test_requests_are_told_apart_by_path() -> None:
    """The three steps of the protocol, by path, wherever the endpoint is mounted."""
    assert ["up", "down", "package", "other"] == [
        step_of(httpx.Request(method, "http://c/sync" + path))
        for method, path in (
            ("POST", "/v1/up"),
            ("POST", "/v1/down"),
            ("GET", "/v1/packages/" + "ab" * 32),
            ("GET", "/health"),
        )
    ]


def test_a_fault_hits_only_the_request_of_its_step_and_index(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    """The second up request fails; the first, the down ones and the third up pass."""
    faults.inject(Fault.SERVER_ERROR, step="up", index=1)
    with client(faults) as http:
        statuses = [up(http).status_code, down(http).status_code, up(http).status_code]
        statuses.append(up(http).status_code)
    assert [200, 200, 503, 200] == statuses
    assert ["up", "down", "up"] == [step for step, _ in receiver.ran]
    assert [] == faults.unfired
    assert [("up", 1, Fault.SERVER_ERROR)] == [
        (sent.step, sent.index, sent.fault) for sent in faults.log if sent.fault
    ]


def test_dropping_the_request_never_reaches_the_receiver(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.DROP_REQUEST, step="up")
    with client(faults) as http, pytest.raises(httpx.ConnectError):
        up(http)
    assert [] == receiver.ran


def test_dropping_the_response_runs_the_request_and_loses_the_answer(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.DROP_RESPONSE, step="down")
    with client(faults) as http, pytest.raises(httpx.RemoteProtocolError):
        down(http)
    assert ["down"] == [step for step, _ in receiver.ran]


def test_a_duplicate_reaches_the_receiver_twice(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.DUPLICATE, step="up")
    with client(faults) as http:
        answer = up(http)
    assert 2 == answer.json()["high_water"]
    assert [("up", UP), ("up", UP)] == receiver.ran


def test_a_reordered_request_arrives_after_the_next_one(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    """The client gets no answer in time; the request arrives after the next one."""
    faults.inject(Fault.REORDER, step="down", index=0)
    with client(faults) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.post("/v1/down", json={"server": "fao-1", "applied": 1})
        assert [] == receiver.ran
        http.post("/v1/down", json={"server": "fao-1", "applied": 2})
    assert [2, 1] == [body["applied"] for _, body in receiver.ran]
    assert [False, False, True] == [sent.late for sent in faults.log]
    assert 2 == len(faults.sent_since(0))


def test_a_request_can_be_held_back_past_several_later_ones(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.REORDER, step="down", held_for=2)
    with client(faults) as http:
        for applied in (1, 2, 3):
            with contextlib.suppress(httpx.ReadTimeout):
                http.post("/v1/down", json={"server": "fao-1", "applied": applied})
    assert [2, 3, 1] == [body["applied"] for _, body in receiver.ran]


def test_healing_delivers_what_is_still_held_back(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.REORDER, step="up")
    faults.inject(Fault.SERVER_ERROR, step="down")
    with client(faults) as http:
        with pytest.raises(httpx.ReadTimeout):
            up(http)
        faults.heal()
        assert ["up"] == [step for step, _ in receiver.ran]
        assert 200 == down(http).status_code  # healed: the planned 5xx never fires
    assert 1 == len(faults.unfired)


def test_a_delay_runs_the_hook_on_the_way_there_and_back(receiver: Receiver) -> None:
    moments: list[int] = []
    inner = InProcessTransport(receiver.app)
    faults = SyncFaultTransport(inner, on_delay=lambda: moments.append(len(receiver.ran)))
    faults.inject(Fault.DELAY, step="up")
    with client(faults) as http:
        assert 200 == up(http).status_code
    inner.close()
    assert [0, 1] == moments


def test_a_corrupt_up_request_changes_an_entry_under_its_digest(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.CORRUPT_REQUEST, step="up")
    with client(faults) as http:
        up(http)
    ((_, body),) = receiver.ran
    forged = body["entries"][0]
    assert {"forged": True, "was": {"value": "A"}} == forged["body"]
    assert {k: v for k, v in UP["entries"][0].items() if k != "body"} == {  # type: ignore[attr-defined]
        k: v for k, v in forged.items() if k != "body"
    }


def test_a_corrupt_down_request_is_garbled_and_a_package_address_altered(
    receiver: Receiver, faults: SyncFaultTransport
) -> None:
    faults.inject(Fault.CORRUPT_REQUEST, step="down")
    faults.inject(Fault.CORRUPT_REQUEST, step="package")
    with client(faults) as http:
        assert 400 == down(http).status_code
        assert 404 == package(http).status_code
    assert [("package", "ab" * 31 + "a0")] == receiver.ran


def test_corrupt_responses(receiver: Receiver, faults: SyncFaultTransport) -> None:
    """An up reply garbled, a down entry changed under its digest, a package byte flipped."""
    for step in ("up", "down", "package"):
        faults.inject(Fault.CORRUPT_RESPONSE, step=step)
    with client(faults) as http:
        with pytest.raises(json.JSONDecodeError):
            up(http).json()
        entry = down(http).json()["entries"][0]
        assert ({"forged": True, "was": {"code": "NE"}}, "d") == (entry["body"], entry["digest"])
        content = package(http).content
    assert 10 == len(content)
    assert 1 == sum(a != b for a, b in zip(content, b"0123456789", strict=True))
    assert 3 == len(receiver.ran)
