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
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs
import httpx

from examkit.backends.http import error_from
from examkit.clocks import SystemClock
from examkit.errors import ExamkitError, ServiceUnavailable
from examkit.offline._model import QueuedEntry
from examkit.offline._protocol import DOWN_PATH, PACKAGES_PATH, PROTOCOL, UP_PATH
from examkit.ports import Clock

__all__ = ["DownReply", "SyncClient", "UpReply", "clock_offset_ms"]

_RETRIED: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Statuses that say "not now": sent again (an answer without examkit's error body too)."""


def clock_offset_ms(sent: datetime, received: datetime, replied: datetime, back: datetime) -> int:
    """Return the offline clock minus the central clock (NTP), in whole milliseconds.

    *sent* and *back* are the offline server's clock when the request left and
    its answer arrived; *received* and *replied* the central system's when the
    request arrived and its answer left: ``((sent - received) + (back - replied)) / 2``.

    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2026, 5, 12, 7, 0, tzinfo=timezone.utc)
    >>> ms = timedelta(milliseconds=1)
    >>> clock_offset_ms(t, t - 1000 * ms + 10 * ms, t - 1000 * ms + 12 * ms, t + 22 * ms)
    1000

    Implements SCH-8.
    """
    total = (sent - received) + (back - replied)
    return round(total.total_seconds() * 1000 / 2)


@attrs.frozen
class UpReply:
    """The central system's answer to a batch of up entries.

    Implements SCH-8.
    """

    high_water: int
    """The central system's high-water mark for this server: every number up to it is applied."""
    conflicts: tuple[Mapping[str, Any], ...]
    """The conflicts it found (``id``, ``kind``, ``key``, ``seq``, ``reason``, ``detail``)."""
    clock_offset_ms: int
    """The offline clock minus the central clock, measured by this exchange."""


@attrs.frozen
class DownReply:
    """The central system's answer to a down request.

    Implements SCH-8.
    """

    entries: tuple[Any, ...]
    """The next entries above the number the server applied (as sent, not yet checked)."""
    queued: int
    """The highest down number queued for the server."""
    clock_offset_ms: int
    """The offline clock minus the central clock, measured by this exchange."""


def _instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("not an aware time")
    return parsed


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

    def up(self, server: str, entries: Sequence[QueuedEntry], *, backlog: int) -> UpReply:
        """Send *entries* (in order); return the central system's high-water mark and conflicts.

        Raises:
            ExamkitError: the central system's refusal (``offline.credential.invalid``,
                ``offline.conflict.server_removed``, ...), ``offline.central.unreachable``
                or ``offline.central.invalid``.
        """
        body = {
            "server": server,
            "entries": [
                {
                    "seq": entry.seq,
                    "kind": entry.kind,
                    "key": entry.key,
                    "revision": entry.revision,
                    "body": entry.body,
                    "digest": entry.digest,
                }
                for entry in entries
            ],
            "backlog": backlog,
        }
        answer, offset = self._post(UP_PATH, body)
        high_water, conflicts = answer.get("high_water"), answer.get("conflicts", [])
        if type(high_water) is not int or not isinstance(conflicts, list):
            raise ServiceUnavailable("offline.central.invalid")
        if not all(isinstance(item, dict) for item in conflicts):
            raise ServiceUnavailable("offline.central.invalid")
        return UpReply(high_water=high_water, conflicts=tuple(conflicts), clock_offset_ms=offset)

    def down(self, server: str, applied: int) -> DownReply:
        """Ask for the down entries above *applied*; return them as sent.

        Raises:
            ExamkitError: as :meth:`up`.
        """
        answer, offset = self._post(DOWN_PATH, {"server": server, "applied": applied})
        entries, queued = answer.get("entries"), answer.get("queued")
        if not isinstance(entries, list) or type(queued) is not int:
            raise ServiceUnavailable("offline.central.invalid")
        return DownReply(entries=tuple(entries), queued=queued, clock_offset_ms=offset)

    def fetch_package(self, digest: str, start: int = 0) -> Iterator[bytes]:
        """Yield the content of the package *digest* from byte *start*, piece by piece.

        The request is sent (again, with backoff) until it is answered; once
        the bytes flow, a broken stream ends the iteration early: the caller
        stores what it got and resumes from there (``Range: bytes=<start>-``).

        Raises:
            ExamkitError: the central system's refusal (``NotFound``: unknown, or
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

    def _post(self, path: str, body: dict[str, Any]) -> tuple[Mapping[str, Any], int]:
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(min(self.backoff * 2 ** (attempt - 1), 2.0))
            sent = self.clock.now()
            payload = json.dumps({**body, "sent_at": sent.isoformat()}, separators=(",", ":"))
            self.requests_sent += 1
            try:
                answer = self._client.post(
                    path, content=payload, headers={"Content-Type": "application/json"}
                )
            except httpx.HTTPError:
                continue
            back = self.clock.now()
            try:
                return self._answer(answer, sent, back)
            except _Retry:
                continue
        raise ServiceUnavailable("offline.central.unreachable")

    def _answer(
        self, answer: httpx.Response, sent: datetime, back: datetime
    ) -> tuple[Mapping[str, Any], int]:
        if answer.status_code != 200:
            self._refusal(answer.status_code, answer.content)
        try:
            data = answer.json()
        except ValueError:
            raise _Retry from None
        if not isinstance(data, dict):
            raise _Retry
        try:
            received, replied = _instant(data.get("received_at")), _instant(data.get("replied_at"))
        except ValueError:
            raise ServiceUnavailable("offline.central.invalid") from None
        return data, clock_offset_ms(sent, received, replied, back)

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
