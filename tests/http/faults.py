"""A fault-injecting httpx transport for the HTTP backend's tests.

:class:`FaultTransport` wraps any synchronous httpx transport (the
in-process one around ``httpx.ASGITransport`` and a
:class:`~examkit.backends.http.StorageServer`, or a real
``httpx.HTTPTransport``) and, on the requests of a named *step* (the first
operation a request carries, or how it ends the unit when it carries none),
injects one :class:`Fault` a given number of times; every other request
passes through untouched.
"""

from __future__ import annotations

import enum
import json
from typing import Any

import attrs
import httpx

PROXY_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


class Fault(enum.Enum):
    """What goes wrong with one request, and whether the server ran it."""

    SERVER_ERROR = "5xx"
    """A 503 without an examkit error (a gateway's); the server never saw the request."""
    TIMEOUT = "timeout"
    """The server ran the request; its answer came too late (a read timeout)."""
    RESET_BEFORE = "reset before"
    """The connection broke before the request reached the server."""
    RESET_AFTER = "reset after"
    """The server ran (and committed) the request; the connection broke on the way back."""
    DUPLICATE = "duplicate"
    """The server ran the request; the answer delivered is a previous answer, replayed."""
    GARBLED = "garbled"
    """The server ran the request; its answer arrives with garbage in the JSON."""
    CUT_OFF = "cut off"
    """The server ran the request; its answer arrives cut off halfway."""
    PROXY_PAGE = "proxy page"
    """A proxy's HTML error page (502); the server never saw the request."""
    WRONG_ECHO = "wrong echo"
    """The server ran the request; the answer echoes another place (``seq``) of the unit."""

    @property
    def server_ran(self) -> bool:
        """Whether the server ran the request the fault hit."""
        return self not in {Fault.SERVER_ERROR, Fault.RESET_BEFORE, Fault.PROXY_PAGE}


def step_of(body: dict[str, Any] | None) -> str:
    """Return the step a request body is: its first operation, or its end when it has none.

    A request without a body (``GET /v1/schema``) is the step ``schema``.
    """
    if body is None:
        return "schema"
    ops = body.get("ops") or []
    return str(ops[0]["op"]) if ops else str(body.get("end"))


@attrs.define
class _Plan:
    step: str
    fault: Fault
    left: int


class FaultTransport(httpx.BaseTransport):
    """Wraps *inner*; injects the faults planned with :meth:`inject`.

    ``hits`` counts the faults injected, ``passed`` the requests that reached
    *inner* (a fault the server ran counts in both).
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.plans: list[_Plan] = []
        self.hits = 0
        self.passed = 0
        self._previous: bytes | None = None

    def inject(self, fault: Fault, *, step: str, times: int = 1) -> None:
        """Inject *fault* into the next *times* requests of *step* (retries included)."""
        self.plans.append(_Plan(step, fault, times))

    def _forward(self, request: httpx.Request) -> httpx.Response:
        self.passed += 1
        response = self.inner.handle_request(request)
        content = response.read()
        response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward *request*, or inject the fault planned for its step."""
        content = request.read()
        body = json.loads(content) if content else None
        plan = next((p for p in self.plans if p.left and p.step == step_of(body)), None)
        if plan is None:
            response = self._forward(request)
            self._previous = response.content
            return response
        plan.left -= 1
        self.hits += 1
        return self._inject(plan.fault, request)

    def _inject(self, fault: Fault, request: httpx.Request) -> httpx.Response:
        if fault is Fault.SERVER_ERROR:
            return httpx.Response(503, text="Service Unavailable")
        if fault is Fault.RESET_BEFORE:
            raise httpx.ConnectError("connection reset before the request was sent")
        if fault is Fault.PROXY_PAGE:
            return httpx.Response(502, headers={"Content-Type": "text/html"}, content=PROXY_PAGE)
        answer = self._forward(request)
        content = answer.content
        if fault is Fault.TIMEOUT:
            raise httpx.ReadTimeout("the answer came too late")
        if fault is Fault.RESET_AFTER:
            raise httpx.RemoteProtocolError("server disconnected without sending the answer")
        if fault is Fault.GARBLED:
            content = content.replace(b'"', b"'", 3) + b"\x00}"
        elif fault is Fault.CUT_OFF:
            content = content[: len(content) // 2]
        elif fault is Fault.DUPLICATE and self._previous is not None:
            content = self._previous
        else:  # WRONG_ECHO (and a duplicate with nothing before it)
            data = json.loads(content)
            data["seq"] = int(data.get("seq") or 0) + 1
            data.pop("schema", None)
            content = json.dumps(data).encode()
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        return httpx.Response(answer.status_code, headers=headers, content=content)
