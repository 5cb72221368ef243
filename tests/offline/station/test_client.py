# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The sync client: retries with backoff, refusals as examkit's errors, ranges, the offset."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from examkit.backends.http import error_body
from examkit.errors import ExamkitError, NotPermitted, ServiceUnavailable
from examkit.offline.http import SyncClient
from examkit.testing import ManualClock
from examkit.testing.sessions import START

Handler = Callable[[httpx.Request], httpx.Response]


def answer(body: dict[str, object], clock: ManualClock) -> httpx.Response:
    at = (clock.now() - timedelta(seconds=1)).isoformat()
    return httpx.Response(200, json={**body, "received_at": at, "replied_at": at})


def client_of(handler: Handler, clock: ManualClock, waits: list[float]) -> SyncClient:
    return SyncClient(
        "http://central.example.nl",
        "exo1.fao-1.secret",
        transport=httpx.MockTransport(handler),
        clock=clock,
        retries=3,
        backoff=0.5,
        sleep=waits.append,
    )


@pytest.mark.req("SCH-8")
def test_lost_requests_and_answers_without_an_error_body_are_sent_again_with_backoff() -> None:
    """A dropped connection, a proxy's 502 page, garbled JSON: sent again, waits doubling."""
    clock = ManualClock(START)
    failures: list[Callable[[httpx.Request], httpx.Response]] = [
        lambda request: (_ for _ in ()).throw(httpx.ConnectError("down", request=request)),
        lambda _: httpx.Response(502, text="<html>Bad gateway</html>"),
        lambda _: httpx.Response(200, content=b"{not json"),
    ]
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        if failures:
            return failures.pop(0)(request)
        return answer({"entries": [], "queued": 0}, clock)

    waits: list[float] = []
    client = client_of(handler, clock, waits)
    exchange = client.down("fao-1", 7)
    assert ((), 0, 1000) == (
        exchange.reply.entries,
        exchange.reply.queued,
        exchange.clock_offset_ms,
    )
    assert [0.5, 1.0, 2.0] == waits
    assert 4 == client.requests_sent
    assert all(7 == body["applied"] and "sent_at" in body for body in seen)


@pytest.mark.req("SCH-8")
def test_a_central_system_that_never_answers_is_unreachable() -> None:
    """After the retries: ``offline.central.unreachable``, a ServiceUnavailable."""
    clock = ManualClock(START)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    client = client_of(handler, clock, [])
    with pytest.raises(ServiceUnavailable) as caught:
        client.up("fao-1", [], backlog=0)
    assert "offline.central.unreachable" == caught.value.code
    assert 4 == client.requests_sent


@pytest.mark.req("SCH-8")
def test_a_refusal_comes_back_as_examkits_error_and_is_not_repeated() -> None:
    """The error body of the HTTP backend's wire decodes to the same error, sent once."""
    clock = ManualClock(START)
    refusal = NotPermitted("offline.conflict.server_removed", server="fao-1")

    def handler(_: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"error": error_body(refusal)})

    client = client_of(handler, clock, [])
    with pytest.raises(NotPermitted) as caught:
        client.up("fao-1", [], backlog=0)
    assert ("offline.conflict.server_removed", {"server": "fao-1"}) == (
        caught.value.code,
        caught.value.params,
    )
    assert 1 == client.requests_sent


@pytest.mark.req("SCH-8")
def test_an_answer_of_another_shape_is_refused_as_invalid() -> None:
    """A 200 without the fields the protocol names is ``offline.central.invalid``."""
    clock = ManualClock(START)
    client = client_of(lambda _: answer({"high_water": "3", "conflicts": []}, clock), clock, [])
    with pytest.raises(ExamkitError) as caught:
        client.up("fao-1", [], backlog=0)
    assert "offline.central.invalid" == caught.value.code
    stamps = client_of(lambda _: httpx.Response(200, json={"queued": 0}), clock, [])
    with pytest.raises(ExamkitError) as caught:
        stamps.down("fao-1", 0)
    assert "offline.central.invalid" == caught.value.code


@pytest.mark.req("SCH-8")
def test_a_package_is_asked_from_its_first_missing_byte_and_a_full_answer_refused() -> None:
    """``Range: bytes=<start>-`` resumes; a 200 (the whole) to a range would misplace bytes."""
    clock = ManualClock(START)
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Range"))
        assert "/v1/packages/abc" == request.url.path
        start = int(request.headers.get("Range", "bytes=0-")[6:-1])
        return httpx.Response(206 if start else 200, content=b"0123456789"[start:])

    client = client_of(handler, clock, [])
    assert b"0123456789" == b"".join(client.fetch_package("abc"))
    assert b"456789" == b"".join(client.fetch_package("abc", 4))
    assert [None, "bytes=4-"] == asked
    whole = client_of(lambda _: httpx.Response(200, content=b"0123456789"), clock, [])
    with pytest.raises(ExamkitError) as caught:
        b"".join(whole.fetch_package("abc", 4))
    assert "offline.central.invalid" == caught.value.code


@pytest.mark.req("SCH-8")
def test_the_credential_is_never_shown() -> None:
    """The client's repr names the central system, not the credential."""
    client = client_of(lambda _: httpx.Response(500), ManualClock(START), [])
    assert "secret" not in repr(client)
