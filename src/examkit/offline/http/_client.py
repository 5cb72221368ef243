"""The offline server's sync client: the protocol ``examkit-offline/1`` over httpx.

Every request carries the server's credential and the protocol header, has a
timeout, and is sent again after a lost, cut-off or garbled answer (with
backoff, at most *retries* times): every request is safe to repeat, since
the central system applies entries by number and natural key. A refusal of
the central system comes back as examkit's own error
(:func:`~examkit.backends.http.error_from`); a central system that cannot be
reached as ``offline.central.unreachable``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Final, Generic, TypeVar

import attrs
import httpx

from examkit.backends.http import error_from
from examkit.clocks import SystemClock
from examkit.errors import ExamkitError, InvalidInput, ServiceUnavailable
from examkit.offline._model import QueuedEntry
from examkit.offline._protocol import DOWN_PATH, PACKAGES_PATH, PROTOCOL, UP_PATH
from examkit.offline._wire import (
    DownReply,
    DownRequest,
    UpReply,
    entry_text,
    up_request_text,
)
from examkit.offline._wire import clock_offset_ms as clock_offset_ms_of
from examkit.ports import Clock

__all__ = ["Exchange", "SyncClient"]

R = TypeVar("R")

_RETRIED: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Statuses that say "not now": sent again (an answer without examkit's error body too)."""


@attrs.frozen
class Exchange(Generic[R]):
    """A reply of the central system, with the clock offset its exchange measured.

    Implements SCH-8.
    """

    reply: R
    """The reply (:class:`~examkit.offline.UpReply`, :class:`~examkit.offline.DownReply`)."""
    clock_offset_ms: int
    """The offline clock minus the central clock (:func:`~examkit.offline.clock_offset_ms`)."""


def _read(reader: Callable[[object], R], data: object) -> R:
    """Return the reply *data* describes; an answer of another shape is the centre's fault."""
    try:
        return reader(data)
    except InvalidInput:
        raise ServiceUnavailable("offline.central.invalid") from None


class _Retry(Exception):
    """No answer of the central system's: send again."""


class SyncClient:
    """The offline server's client of the central sync endpoint.

    Args:
        central_url: The central sync endpoint's base URL.
        credential: The server's credential (``exo1.<server>.<secret>``).
        transport: The httpx transport (a test's in-process one, a fault injector).
        timeout: Seconds each request may take.
        retries: How often a request is sent again after no answer.
        backoff: Seconds before the first retry (doubling, at most two seconds).
        clock: The offline server's clock (the system clock by default).
        sleep: How to wait between retries (tests pass one that does not).

    Implements SCH-8.
    """

    def __init__(
        self,
        central_url: str,
        credential: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.2,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.central_url = central_url
        self.retries = retries
        self.backoff = backoff
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=central_url,
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {credential}", "Examkit-Protocol": PROTOCOL},
        )
        self.requests_sent = 0
        """How many requests were sent (retries included)."""

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __repr__(self) -> str:
        return f"SyncClient({self.central_url!r}, credential=<hidden>)"

    # -- the exchanges --------------------------------------------------------------------------

    def up(
        self,
        server: str,
        entries: Sequence[QueuedEntry],
        *,
        backlog: int,
        clock_offset_ms: int | None = None,
    ) -> Exchange[UpReply]:
        """Send *entries* (in order); return the central high-water mark and conflicts.

        *clock_offset_ms* is the station's last measurement, for the central
        system's records.

        Raises:
            examkit.errors.ExamkitError: the central system's refusal
                (``offline.credential.invalid``, ``offline.conflict.server_removed``, ...),
                ``offline.central.unreachable`` or ``offline.central.invalid``.
        """
        texts = [entry_text(entry) for entry in entries]
        return self.up_texts(server, texts, backlog=backlog, clock_offset_ms=clock_offset_ms)

    def up_texts(
        self,
        server: str,
        entries: Sequence[str],
        *,
        backlog: int,
        clock_offset_ms: int | None = None,
    ) -> Exchange[UpReply]:
        """Send the entries given as their wire texts, in order; as :meth:`up`.

        The texts are what :meth:`~examkit.offline.QueueRecords.wire_texts`
        reads (:func:`~examkit.offline.entry_text`): joined into the request
        as they are.

        Raises:
            examkit.errors.ExamkitError: as :meth:`up`.
        """

        def request(sent: datetime) -> str:
            return up_request_text(server, entries, sent, backlog, clock_offset_ms)

        data, sent, back = self._post(UP_PATH, request)
        reply = _read(UpReply.from_json, data)
        return Exchange(reply, clock_offset_ms_of(sent, reply.received_at, reply.replied_at, back))

    def down(
        self, server: str, applied: int, *, clock_offset_ms: int | None = None
    ) -> Exchange[DownReply]:
        """Ask for the down entries above *applied*; return them (their shape checked).

        Raises:
            examkit.errors.ExamkitError: as :meth:`up`.
        """

        def request(sent: datetime) -> str:
            data = DownRequest(server, applied, sent, clock_offset_ms).to_json()
            return json.dumps(data, separators=(",", ":"))

        data, sent, back = self._post(DOWN_PATH, request)
        reply = _read(DownReply.from_json, data)
        return Exchange(reply, clock_offset_ms_of(sent, reply.received_at, reply.replied_at, back))

    def fetch_package(self, digest: str, start: int = 0) -> Iterator[bytes]:
        """Yield the content of the package *digest* from byte *start*, piece by piece.

        The request is sent (again, with backoff) until it is answered; once
        the bytes flow, a broken stream ends the iteration early: the caller
        stores what it got and resumes from there (``Range: bytes=<start>-``).

        Raises:
            examkit.errors.ExamkitError: the central system's refusal (``NotFound``: unknown, or
                not a package of the server's groups) or ``offline.central.unreachable``.
        """
        headers = {"Range": f"bytes={start}-"} if start else {}
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(min(self.backoff * 2 ** (attempt - 1), 2.0))
            self.requests_sent += 1
            try:
                with self._client.stream("GET", PACKAGES_PATH + digest, headers=headers) as answer:
                    if answer.status_code not in {200, 206}:
                        answer.read()
                        self._refusal(answer.status_code, answer.content)
                    if answer.status_code == 200 and start:
                        raise ServiceUnavailable("offline.central.invalid")
                    try:
                        yield from answer.iter_bytes()
                    except httpx.HTTPError:
                        return
                    return
            except (httpx.HTTPError, _Retry):
                continue
        raise ServiceUnavailable("offline.central.unreachable")

    # -- sending --------------------------------------------------------------------------------

    def _post(
        self, path: str, request: Callable[[datetime], str]
    ) -> tuple[object, datetime, datetime]:
        """Send the request's JSON text made for its sending time; return the answer and times."""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(min(self.backoff * 2 ** (attempt - 1), 2.0))
            sent = self.clock.now()
            payload = request(sent).encode("utf-8")
            self.requests_sent += 1
            try:
                answer = self._client.post(
                    path, content=payload, headers={"Content-Type": "application/json"}
                )
            except httpx.HTTPError:
                continue
            back = self.clock.now()
            if answer.status_code != 200:
                try:
                    self._refusal(answer.status_code, answer.content)
                except _Retry:
                    continue
            try:
                return answer.json(), sent, back
            except ValueError:
                continue
        raise ServiceUnavailable("offline.central.unreachable")

    def _refusal(self, status: int, content: bytes) -> None:
        """Raise the central system's error, or :class:`_Retry` where there is none to read."""
        try:
            data = json.loads(content)
        except ValueError:
            raise _Retry from None
        problem = data.get("error") if isinstance(data, dict) else None
        if problem is None:
            raise _Retry  # a proxy's page, a crash: no answer of the central system's
        try:
            error: ExamkitError = error_from(problem)
        except ValueError:
            if status in _RETRIED:
                raise _Retry from None
            raise ServiceUnavailable("offline.central.invalid") from None
        raise error
