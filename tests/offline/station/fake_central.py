"""A small central system for the station's tests: the protocol's three exchanges, in memory.

Not a test module (no ``test_`` prefix). It speaks ``examkit-offline/1`` as
the design states it (entries applied strictly in order with a high-water
mark, down entries above what the server applied, packages by range), over
an ``httpx.MockTransport``; its clock runs :data:`AHEAD` ahead of the
offline server's. It can be made unreachable, refuse, or cut a package's
stream after some bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx

from examkit.backends.http import error_body
from examkit.errors import ExamkitError, NotFound
from examkit.offline import MAX_BATCH, PROTOCOL, entry_digest
from examkit.testing import ManualClock

AHEAD = timedelta(seconds=2)
"""How far the central clock runs ahead of the offline server's."""


class _Cut(httpx.SyncByteStream):
    """A body that breaks off after *keep* bytes (the link dropped mid-transfer)."""

    def __init__(self, data: bytes, keep: int | None) -> None:
        self._data = data
        self._keep = keep

    def __iter__(self) -> Iterator[bytes]:
        if self._keep is None:
            yield self._data
            return
        yield self._data[: self._keep]
        raise httpx.ReadError("the link dropped")


class FakeCentral:
    """The central side of the protocol, in memory (see the module's text)."""

    def __init__(self, clock: ManualClock, server: str = "fao-1") -> None:
        self.clock = clock
        self.server = server
        self.high_water = 0
        self.applied: dict[int, dict[str, Any]] = {}
        self.down: list[dict[str, Any]] = []
        self.packages: dict[str, bytes] = {}
        self.reachable = True
        self.accept_at_most: int | None = None
        self.refuse: ExamkitError | None = None
        self.cut_after: int | None = None
        self.requests: list[tuple[str, str]] = []
        self.ranges: list[str] = []
        self.transport = httpx.MockTransport(self.handle)

    def now(self) -> datetime:
        return self.clock.now() + AHEAD

    def queue_down(self, kind: str, key: str, revision: int, body: Any) -> None:
        """Queue a down entry for the server."""
        self.down.append(
            {
                "seq": len(self.down) + 1,
                "kind": kind,
                "key": key,
                "revision": revision,
                "body": body,
                "digest": entry_digest(kind, key, revision, body),
            }
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if not self.reachable:
            raise httpx.ConnectError("no route to the central system", request=request)
        assert PROTOCOL == request.headers["Examkit-Protocol"]
        assert request.headers["Authorization"].startswith("Bearer exo1.")
        if self.refuse is not None:
            return httpx.Response(403, json={"error": error_body(self.refuse)})
        received = self.now()
        if request.url.path == "/v1/up":
            answer = self._up(json.loads(request.content))
        elif request.url.path == "/v1/down":
            answer = self._down(json.loads(request.content))
        else:
            return self._package(request)
        stamps = {"received_at": received.isoformat(), "replied_at": self.now().isoformat()}
        return httpx.Response(200, json={**answer, **stamps})

    def _up(self, body: dict[str, Any]) -> dict[str, Any]:
        assert self.server == body["server"]
        assert len(body["entries"]) <= MAX_BATCH
        taken = 0
        for entry in body["entries"]:
            if self.accept_at_most is not None and taken >= self.accept_at_most:
                break
            kind, key, revision = entry["kind"], entry["key"], entry["revision"]
            assert entry_digest(kind, key, revision, entry["body"]) == entry["digest"]
            if entry["seq"] == self.high_water + 1:
                self.applied[entry["seq"]] = entry
                self.high_water += 1
                taken += 1
        return {"high_water": self.high_water, "conflicts": []}

    def _down(self, body: dict[str, Any]) -> dict[str, Any]:
        applied = body["applied"]
        return {"entries": self.down[applied : applied + MAX_BATCH], "queued": len(self.down)}

    def _package(self, request: httpx.Request) -> httpx.Response:
        digest = request.url.path.rsplit("/", 1)[-1]
        content = self.packages.get(digest)
        if content is None:
            missing = NotFound(kind="exam package", key=digest)
            return httpx.Response(404, json={"error": error_body(missing)})
        wanted = request.headers.get("Range", "")
        self.ranges.append(wanted)
        start = int(wanted.removeprefix("bytes=").rstrip("-")) if wanted else 0
        data = content[start:]
        status = 206 if wanted else 200
        headers = {"Content-Range": f"bytes {start}-{len(content) - 1}/{len(content)}"}
        return httpx.Response(status, headers=headers, stream=_Cut(data, self.cut_after))
