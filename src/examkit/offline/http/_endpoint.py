"""The central sync endpoint: ``POST /v1/up``, ``POST /v1/down``, ``GET /v1/packages/<digest>``.

Every request carries the offline server's credential (``Authorization:
Bearer exo1.<server>.<secret>``) and the ``Examkit-Protocol`` header; the
credential reaches only these three paths and only its own server's data.
A refusal travels as the HTTP backend's error body
(:func:`examkit.backends.http._wire.error_body`) under ``"error"``, with
the status :func:`status_of` gives. The kit's calls run in a worker thread
(:func:`starlette.concurrency.run_in_threadpool`), as the storage server's do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit import Examkit
from examkit.backends.http._wire import dumps, error_body
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ExamkitError,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
    ServiceUnavailable,
    StorageError,
)
from examkit.offline._central import OfflineSync
from examkit.offline._packages import check_digest
from examkit.offline._protocol import DOWN_PATH, PACKAGES_PATH, PROTOCOL, UP_PATH, CrashHook
from examkit.offline._wire import DownRequest, UpRequest

T = TypeVar("T")
R = TypeVar("R")

MAX_REQUEST: Final = 16 * 2**20
"""The largest request body accepted by default, in bytes (a full up batch of answers)."""

_RANGE: Final = re.compile(r"bytes=(\d{1,15})-")
_HEADERS: Final = {"Examkit-Protocol": PROTOCOL, "Cache-Control": "no-store"}


def status_of(error: ExamkitError) -> int:
    """Return the HTTP status an error travels with.

    >>> status_of(NotPermitted("offline.credential.invalid"))
    401
    >>> status_of(NotPermitted("offline.server.removed", server="fao-1"))
    403

    Two requests of one server at once (a retry while the first still runs)
    meet as a version conflict or an inbox row stored already: 409, and the
    retry finds the first one's mark.
    """
    if isinstance(error, NotPermitted):
        return 401 if error.code == "offline.credential.invalid" else 403
    if error.code == "offline.package.range":
        return 416
    if error.code == "offline.wire.too_large":
        return 413
    for kind, status in (
        (NotFound, 404),
        (ConcurrentModification, 409),
        (AlreadyExists, 409),
        (InvalidState, 409),
        (LimitReached, 429),
        (StorageError, 503),
        (ServiceUnavailable, 503),
    ):
        if isinstance(error, kind):
            return status
    return 400


def _refusal(error: ExamkitError) -> Response:
    headers = dict(_HEADERS)
    status = status_of(error)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="examkit-offline"'
    return Response(
        dumps({"error": error_body(error)}),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _bearer(request: Request) -> str:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise NotPermitted("offline.credential.invalid")
    return credential.strip()


def _check_protocol(request: Request) -> None:
    if request.headers.get("examkit-protocol", "") != PROTOCOL:
        raise InvalidInput("offline.wire.protocol", field="Examkit-Protocol", protocol=PROTOCOL)


class SyncEndpoint:
    """The central sync endpoint: an ASGI application over *kit*.

    Args:
        kit: The central system's kit.
        crash: Called at each named crash point (a test's; production: none).
        max_request: The largest request body accepted, in bytes.

    Implements SCH-8.
    """

    def __init__(
        self, kit: Examkit, *, crash: CrashHook | None = None, max_request: int = MAX_REQUEST
    ) -> None:
        self.kit = kit
        """The kit served."""
        self.sync: OfflineSync = (
            kit.offline_sync if crash is None else OfflineSync(kit.ports, crash=crash)
        )
        """The use cases served (the kit's own, or one with the test's crash hook)."""
        self.max_request = max_request
        """The largest request body accepted, in bytes."""
        self.app = Starlette(
            routes=[
                Route(UP_PATH, self._up, methods=["POST"]),
                Route(DOWN_PATH, self._down, methods=["POST"]),
                Route(PACKAGES_PATH + "{digest}", self._package, methods=["GET"]),
            ]
        )
        """The Starlette application (the endpoint itself is the same ASGI application)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI connection."""
        await self.app(scope, receive, send)

    async def _raw(self, request: Request) -> bytes | None:
        """Return the body's bytes, or ``None`` when it is larger than allowed (read no further)."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_request:
            return None
        received = bytearray()
        async for chunk in request.stream():
            received += chunk
            if len(received) > self.max_request:
                return None
        return bytes(received)

    def _json(self, raw: bytes | None) -> object:
        """Return the JSON object *raw* holds (``None``: the body was too large)."""
        if raw is None:
            raise InvalidInput("offline.wire.too_large", maximum=self.max_request)
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise InvalidInput("offline.wire.json", field="body") from None
        if not isinstance(data, dict):
            raise InvalidInput("offline.wire.json", field="body")
        return data

    async def _answer(
        self, request: Request, read: Callable[[object], R], call: Callable[[str, R], T]
    ) -> Response:
        """Authenticate, read the body into its request value (*read*), answer with *call*.

        The body's bytes are received first; then one worker thread
        authenticates the credential (its refusal comes first, whatever the
        body), reads the body into its request value and answers: one hand-over
        to a thread and back per request. The body's JSON data goes as soon
        as it is read: only the request value lives while the kit applies it
        (an up batch's entries would otherwise be kept twice, and collected
        late).
        """
        try:
            _check_protocol(request)
            credential = _bearer(request)
            raw = await self._raw(request)

            def answer() -> T:
                server = self.sync.authenticate(credential)
                return call(server, read(self._json(raw)))

            reply: Any = await run_in_threadpool(answer)
        except ExamkitError as error:
            return _refusal(error)
        return Response(
            dumps(reply.to_json()), media_type="application/json", headers=dict(_HEADERS)
        )

    async def _up(self, request: Request) -> Response:
        return await self._answer(request, UpRequest.from_json, self.sync.receive_up)

    async def _down(self, request: Request) -> Response:
        return await self._answer(request, DownRequest.from_json, self.sync.send_down)

    async def _package(self, request: Request) -> Response:
        try:
            _check_protocol(request)
            credential = _bearer(request)
            digest = check_digest(request.path_params["digest"])
            asked = request.headers.get("range")
            start = 0
            if asked is not None:
                matched = _RANGE.fullmatch(asked.strip())
                if matched is None:
                    raise InvalidInput("offline.wire.field", field="Range")
                start = int(matched.group(1))
            server = await run_in_threadpool(self.sync.authenticate, credential)
            package, content = await run_in_threadpool(
                self.sync.package_range, server, digest, start
            )
        except ExamkitError as error:
            response = _refusal(error)
            if response.status_code == 416:
                response.headers["Content-Range"] = f"bytes */{error.params.get('size', '*')}"
            return response
        headers = {**_HEADERS, "ETag": f'"{package.digest}"', "Accept-Ranges": "bytes"}
        if asked is None:
            return Response(content, media_type=package.media_type, headers=headers)
        headers["Content-Range"] = f"bytes {start}-{package.size - 1}/{package.size}"
        return Response(content, status_code=206, media_type=package.media_type, headers=headers)
