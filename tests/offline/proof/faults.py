"""A fault-injecting httpx transport for the offline synchronisation's proof (SCH-8).

:class:`SyncFaultTransport` wraps any synchronous httpx transport (the
in-process one, :class:`~examkit.backends.http.InProcessTransport`, around
the central :class:`~examkit.offline.http.SyncEndpoint`, or a real
``httpx.HTTPTransport`` to a server on loopback) and injects one
:class:`Fault` into a chosen request: by *step* (``up``, ``down``,
``package``: the protocol's three requests, told apart by path) and by
*index* (the how-manieth request of that step this transport has seen,
from 0, retries included). Every other request passes through untouched.

Every request is recorded (:attr:`SyncFaultTransport.log`): its step, its
index, the fault injected, whether it reached the receiver and its status,
so a test can count a quiet sync's requests and see that every fault it
planned was injected.
"""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Callable
from typing import Any

import attrs
import httpx

STEPS = ("up", "down", "package")
"""The protocol's requests: ``POST /v1/up``, ``POST /v1/down``, ``GET /v1/packages/<digest>``."""


class Fault(enum.Enum):
    """What goes wrong with one request, and whether the receiver saw it."""

    DROP_REQUEST = "drop request"
    """The connection broke before the request reached the receiver."""
    DROP_RESPONSE = "drop response"
    """The receiver ran (and committed) the request; the answer was lost on the way back."""
    DUPLICATE = "duplicate"
    """The request reached the receiver twice (a proxy's retry); the second answer returns."""
    REORDER = "reorder"
    """The request was held back (the client timed out waiting) and delivered after the
    next request that passed, its answer thrown away."""
    DELAY = "delay"
    """The request and its answer were slow (the clocks moved on); both arrive."""
    CORRUPT_REQUEST = "corrupt request"
    """The request reached the receiver altered: an up entry's body changed under its
    digest, a down request's JSON garbled, a package's address altered."""
    CORRUPT_RESPONSE = "corrupt response"
    """The receiver ran the request; its answer arrived altered: an up reply's JSON
    garbled, a down entry's body changed under its digest, a package's byte flipped."""
    SERVER_ERROR = "5xx"
    """A gateway's 503 (no examkit error body); the receiver never saw the request."""

    @property
    def receiver_ran(self) -> bool:
        """Whether the receiver ran the request the fault hit (the reorder: later)."""
        return self not in {Fault.DROP_REQUEST, Fault.SERVER_ERROR}


def step_of(request: httpx.Request) -> str:
    """Return the step *request* is (``up``, ``down``, ``package``), by its path."""
    path = request.url.path
    if path.endswith("/v1/up"):
        return "up"
    if path.endswith("/v1/down"):
        return "down"
    if "/v1/packages/" in path:
        return "package"
    return "other"


@attrs.define
class Planned:
    """One fault planned: on *times* requests of *step* from request *index* (``None``:
    from the next one)."""

    fault: Fault
    step: str
    index: int | None
    times: int = 1
    held_for: int = 1
    """For :attr:`Fault.REORDER`: how many later requests pass before it arrives."""
    fired: int = 0

    def applies(self, step: str, index: int) -> bool:
        """Whether it hits request *index* of *step*."""
        if self.fired >= self.times or step != self.step:
            return False
        if self.index is None:
            return True
        return self.index <= index < self.index + self.times


@attrs.frozen
class Sent:
    """One request as the transport saw it."""

    step: str
    index: int
    fault: Fault | None
    reached: bool
    """Whether it reached the receiver."""
    status: int | None
    """The status the client got (``None``: an exception instead, or none at all)."""
    late: bool = False
    """A request held back (:attr:`Fault.REORDER`), as delivered: the client sent it
    earlier and got no answer."""


def _garble(content: bytes) -> bytes:
    return b"{\x00" + content[len(content) // 2 :]


def _altered_entries(content: bytes, key: str) -> bytes | None:
    """Return *content* (JSON with a list of entries under *key*) with the first entry's
    body altered and its digest kept; ``None`` when there is no entry."""
    data = json.loads(content)
    entries = data.get(key) or []
    if not entries:
        return None
    first = entries[0]
    first["body"] = {"forged": True, "was": first.get("body")}
    return json.dumps(data).encode()


def _flip_byte(content: bytes) -> bytes:
    if not content:
        return b"\x00"
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]


class SyncFaultTransport(httpx.BaseTransport):
    """Wraps *inner*; injects the faults planned with :meth:`inject`.

    Args:
        inner: The transport that reaches the receiver.
        on_delay: Called (before the request and before the answer) for a
            :attr:`Fault.DELAY`; by default sleeps 20 ms. A test passes one
            that moves its manual clocks on.
        on_reached: Called after every request the receiver ran.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        on_delay: Callable[[], None] | None = None,
        on_reached: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.on_delay = on_delay if on_delay is not None else (lambda: time.sleep(0.02))
        self.on_reached = on_reached
        """Called each time a request has been through the receiver (a test records the
        marks there: between requests, not only between syncs)."""
        self.plans: list[Planned] = []
        self.log: list[Sent] = []
        self.counts: dict[str, int] = dict.fromkeys(STEPS, 0)
        self.enabled = True
        """Faults are injected only while this is true (:meth:`heal` clears it)."""
        self._held: list[list[Any]] = []
        """The requests held back: [request, step, index, requests still to pass]."""

    # -- planning --------------------------------------------------------------------

    def inject(
        self,
        fault: Fault,
        *,
        step: str,
        index: int | None = None,
        times: int = 1,
        held_for: int = 1,
    ) -> None:
        """Inject *fault* into request *index* of *step* (counted from 0; ``None``: the
        next) and the *times* - 1 requests of that step after it (a client's retries).

        A request held back (:attr:`Fault.REORDER`) arrives after *held_for* later
        requests have passed (or when the link heals).
        """
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}")
        self.plans.append(Planned(fault, step, index, times, held_for))

    @property
    def unfired(self) -> list[Planned]:
        """The planned faults never injected (their request never came)."""
        return [plan for plan in self.plans if not plan.fired]

    def heal(self) -> None:
        """Stop injecting, and deliver whatever is still held back."""
        self.enabled = False
        self.flush(everything=True)

    def flush(self, *, everything: bool = False) -> None:
        """Deliver the requests held back (:attr:`Fault.REORDER`) whose turn it is (or
        *everything*), answers thrown away."""
        for held in self._held:
            held[3] -= 1
        due = [held for held in self._held if everything or held[3] <= 0]
        self._held = [held for held in self._held if held not in due]
        for request, step, index, _ in due:
            self._forward(request)
            self.log.append(Sent(step, index, Fault.REORDER, reached=True, status=None, late=True))

    def sent_since(self, mark: int) -> list[Sent]:
        """Return the requests the client sent since the log had *mark* entries."""
        return [sent for sent in self.log[mark:] if not sent.late]

    # -- sending ---------------------------------------------------------------------

    def _forward(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        response.close()
        if self.on_reached is not None:
            self.on_reached()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, content=content)

    def _plan_for(self, step: str, index: int) -> Planned | None:
        if not self.enabled:
            return None
        for plan in self.plans:
            if plan.applies(step, index):
                plan.fired += 1
                return plan
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward *request*, or inject the fault planned for it."""
        request.read()
        step = step_of(request)
        index = self.counts.get(step, 0)
        self.counts[step] = index + 1
        plan = self._plan_for(step, index)
        try:
            if plan is None:
                response = self._forward(request)
                self.log.append(Sent(step, index, None, reached=True, status=response.status_code))
            else:
                response = self._inject(plan, request, step, index)
        finally:
            if plan is None or plan.fault is not Fault.REORDER:
                self.flush()  # a request held back arrives after the next one
        return response

    def _inject(
        self, plan: Planned, request: httpx.Request, step: str, index: int
    ) -> httpx.Response:
        fault = plan.fault

        def sent(reached: bool, status: int | None) -> None:
            self.log.append(Sent(step, index, fault, reached=reached, status=status))

        if fault is Fault.SERVER_ERROR:
            sent(False, 503)
            return httpx.Response(503, text="Service Unavailable")
        if fault is Fault.DROP_REQUEST:
            sent(False, None)
            raise httpx.ConnectError("connection reset before the request was sent")
        if fault is Fault.REORDER:
            self._held.append([_copy(request), step, index, plan.held_for])
            sent(False, None)
            raise httpx.ReadTimeout("no answer in time (the request is held back)")
        if fault is Fault.CORRUPT_REQUEST:
            response = self._forward(_corrupt_request(request, step))
            sent(True, response.status_code)
            return response
        if fault is Fault.DELAY:
            self.on_delay()
        if fault is Fault.DUPLICATE:
            self._forward(_copy(request))
        response = self._forward(request)
        if fault is Fault.DELAY:
            self.on_delay()
        if fault is Fault.DROP_RESPONSE:
            sent(True, None)
            raise httpx.RemoteProtocolError("server disconnected without sending the answer")
        if fault is Fault.CORRUPT_RESPONSE:
            response = _corrupt_response(response, step)
        sent(True, response.status_code)
        return response


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(
        request.method, request.url, headers=request.headers, content=request.content
    )


def _with_content(request: httpx.Request, content: bytes) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
    return httpx.Request(request.method, request.url, headers=headers, content=content)


def _corrupt_request(request: httpx.Request, step: str) -> httpx.Request:
    if step == "package":
        path = request.url.path
        last = path[-1]
        altered = path[:-1] + ("0" if last != "0" else "1")
        return httpx.Request(
            request.method, request.url.copy_with(path=altered), headers=request.headers
        )
    content = request.content
    forged = _altered_entries(content, "entries") if step == "up" else None
    return _with_content(request, forged if forged is not None else _garble(content))


def _corrupt_response(response: httpx.Response, step: str) -> httpx.Response:
    content = response.content
    if step == "package":
        altered = _flip_byte(content)
    elif step == "down" and response.status_code == 200:
        forged = _altered_entries(content, "entries")
        altered = forged if forged is not None else _garble(content)
    else:
        altered = _garble(content)
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    return httpx.Response(response.status_code, headers=headers, content=altered)
