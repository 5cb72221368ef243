"""The client: :class:`HttpBackend`, a backend whose units of work live on a storage server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, TypeVar, cast

import httpx

from examkit.backends.http._wire import (
    PATH,
    PROTOCOL,
    SCHEMA_PATH,
    decode_item,
    dumps,
    encode_item,
    error_from,
)
from examkit.errors import ExamkitError, InvalidInput, InvalidState, StorageError
from examkit.ports import SecretSource
from examkit.randomness import SystemSecretSource
from examkit.records import RecordsUnit
from examkit.storage import (
    Capabilities,
    HeldUnit,
    IndexValue,
    RecordType,
    WritingUnits,
    distinct_keys,
)

T = TypeVar("T")

_COMMITS: Final = frozenset({"commit", "commit_if_stored"})


class _Retry(Exception):
    """An answer that is no answer (lost, cut off, garbled, another's): send again."""


SchemaState = Literal["current", "behind", "ahead", "not_versioned"]
_SCHEMAS: Final = frozenset({"current", "behind", "ahead", "not_versioned"})

_UNTOUCHED: Final = frozenset({400, 401, 403, 413})
"""Statuses of a request refused before it reached the unit: the unit goes on."""


class RequestRefused(Exception):
    """The server refused a request as a whole; :attr:`error` is examkit's error for it."""

    def __init__(self, error: ExamkitError, status: int) -> None:
        super().__init__(error.code)
        self.error = error
        self.untouched = status in _UNTOUCHED
        """Whether the refused request left the server's unit as it was."""


class HttpBackend:
    """A backend on a storage server: every use case works, as on any other backend.

    ``Examkit(backend=HttpBackend(url, token=...))``: each unit of work is a
    transaction of the server's backend, begun by its first request and
    ended by its commit (one request, carrying an idempotency key and the
    version of every record the unit read). The server's refusals come back
    as examkit's own errors (conflict, not found, busy, invalid input,
    refused), never as HTTP details.

    Every call has a timeout; what is safe to send again (every request:
    each carries its unit and place, and the server answers a repeat with
    its first answer) is sent again after a lost or garbled answer, with
    backoff, at most *retries* times; then a commit raises
    ``storage.outcome_unknown`` and any other request ``http.unavailable``.

    Args:
        url: The storage server's address (``https://storage.example.nl/``).
        token: The service token (keep it out of the code: an environment
            variable or a secret store).
        transport: The httpx transport (a test's in-process one, a fault injector).
        timeout: Seconds each call may take.
        retries: How often a request is sent again.
        backoff: Seconds before the first retry (doubling, at most two seconds).
        max_request: The largest request sent, in bytes.
        max_response: The largest answer read, in bytes.
        secrets: Where unit ids and idempotency keys come from (the system's
            randomness by default).
    """

    capabilities = Capabilities(threads=True, snapshot_reads=True)

    def __init__(
        self,
        url: str,
        *,
        token: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.05,
        max_request: int = 8 * 2**20,
        max_response: int = 32 * 2**20,
        secrets: SecretSource | None = None,
    ) -> None:
        self.url = url
        if transport is None:  # requests go out whole: no Nagle delay between head and body
            transport = httpx.HTTPTransport(
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            )
        self._client = httpx.Client(
            base_url=url,
            transport=transport,
            timeout=timeout,
            headers={
                "Authorization": f"Bearer {token}",
                "Examkit-Protocol": PROTOCOL,
                "Content-Type": "application/json",
            },
        )
        self.retries = retries
        self.backoff = backoff
        self.max_request = max_request
        self.max_response = max_response
        self.secrets = secrets if secrets is not None else SystemSecretSource()
        self._writing = WritingUnits()
        self._count_lock = threading.Lock()
        self._sent = 0

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this backend has sent (retries included)."""
        return self._sent

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work (a reading one with *readonly*); nothing is sent yet."""
        held = None if readonly else self._writing.opened()
        return RecordsUnit(HttpTransaction(self, readonly=readonly, held=held))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing unit this thread holds has closed (``False``: none)."""
        return self._writing.after(action)

    def close(self) -> None:
        """Close the connections to the server."""
        self._client.close()

    def schema_status(self) -> SchemaState:
        """Return where the server's backend's schema stands, for :meth:`examkit.Examkit.health`.

        One ``GET /v1/schema`` (retried as any request): ``current``,
        ``behind``, ``ahead``, or ``not_versioned`` (a backend without migrations).

        Raises:
            examkit.errors.ExamkitError: the server's refusal (an unknown token),
                or ``http.unavailable`` once the retries are spent.
        """
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), 2.0))
            with self._count_lock:
                self._sent += 1
            try:
                response = self._client.get(SCHEMA_PATH)
                answer = response.json()
            except (httpx.HTTPError, ValueError):
                continue
            if not isinstance(answer, dict):
                continue
            if response.status_code == 200 and answer.get("schema") in _SCHEMAS:
                return cast("SchemaState", answer["schema"])
            try:
                error = error_from(answer.get("error"))
            except ValueError:
                continue
            raise error
        raise StorageError("http.unavailable")

    def exchange(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        """Send one request of a unit; return the server's answer.

        A refusal of the request as a whole is raised as ``RequestRefused``
        (carrying examkit's error, and whether the unit is untouched).

        Raises:
            StorageError: ``storage.outcome_unknown`` (a commit) and
                ``http.unavailable`` (anything else) once the retries are spent.
        """
        payload = dumps(body)
        if len(payload) > self.max_request:
            raise InvalidInput("http.request.too_large", maximum=self.max_request)
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), 2.0))
            try:
                return self._send_once(payload, body)
            except _Retry:
                continue
        if body.get("end") in _COMMITS:
            raise StorageError("storage.outcome_unknown")
        raise StorageError("http.unavailable")

    def _send_once(self, payload: bytes, body: Mapping[str, Any]) -> Mapping[str, Any]:
        with self._count_lock:
            self._sent += 1
        try:
            with self._client.stream("POST", PATH, content=payload) as response:
                content = bytearray()
                for chunk in response.iter_bytes():
                    content += chunk
                    if len(content) > self.max_response:
                        raise StorageError("http.response.too_large", maximum=self.max_response)
                status = response.status_code
        except httpx.HTTPError:
            raise _Retry from None
        try:
            answer = json.loads(content)
        except ValueError:
            raise _Retry from None
        if not isinstance(answer, dict):
            raise _Retry
        problem = answer.get("error")
        if status != 200:
            if problem is None:
                raise _Retry  # a proxy's page, a server's crash: no answer of the server's
            try:
                error = error_from(problem)
            except ValueError:
                raise _Retry from None
            raise RequestRefused(error, status)
        if answer.get("unit") != body["unit"] or answer.get("seq") != body["seq"]:
            raise _Retry  # another request's answer (duplicated, crossed)
        if not isinstance(answer.get("results"), list) or not isinstance(answer.get("open"), bool):
            raise _Retry
        return answer


class HttpTransaction:
    """One unit of work on the storage server: the primitives and capabilities, as requests.

    Nothing is sent until the unit first reads or writes; its first request
    begins the server's transaction, each later one continues it, and its
    commit (or rollback) ends it. A unit that never asked the server commits
    and rolls back without a request.
    """

    def __init__(self, backend: HttpBackend, *, readonly: bool, held: HeldUnit | None) -> None:
        self._backend = backend
        self.readonly = readonly
        self._held = held
        self._unit: str | None = None
        self._seq = 0
        self._open = False
        self._closed = False
        self._settled = False
        self._lost = False
        self._reads: dict[tuple[str, str], int | None] = {}
        self.pending: list[Mapping[str, Any]] = []
        """Operations sent with the unit's next request (its audit events, appended at its
        commit): a list read of 1,000 people is one request, not 1,000."""

    # -- sending -----------------------------------------------------------------------------

    def check_usable(self) -> None:
        """Refuse a closed unit (``storage.unit_closed``) and a lost one (``http.unit.lost``)."""
        if self._closed or self._settled:
            raise InvalidState("storage.unit_closed")
        if self._lost:
            raise StorageError("http.unit.lost")

    def check_writable(self) -> None:
        """Refuse as :meth:`check_usable` does, and a reading unit (``storage.readonly``)."""
        self.check_usable()
        if self.readonly:
            raise InvalidState("storage.readonly")

    def send(self, ops: Sequence[Mapping[str, Any]], *, end: str | None = None) -> list[Any]:
        """Send *ops* (and how the unit ends, if it does); return their answers in order.

        The :attr:`pending` operations go first, in the same request.

        Raises:
            examkit.errors.ExamkitError: what the server's backend raised for an operation (the
                unit goes on unless the server closed it), or a refusal of the request.
        """
        if self._unit is None:
            self._unit = self._backend.secrets.token_urlsafe(18)
        self._seq += 1
        pending, self.pending = self.pending, []
        body: dict[str, Any] = {
            "unit": self._unit,
            "seq": self._seq,
            "readonly": self.readonly,
            "ops": [*pending, *ops],
        }
        if end is not None:
            body["end"] = end
            if end in _COMMITS and not self.readonly:
                body["key"] = self._backend.secrets.token_urlsafe(18)
                body["reads"] = [
                    [name, key, version] for (name, key), version in self._reads.items()
                ]
        try:
            answer = self._backend.exchange(body)
        except RequestRefused as refused:
            if refused.untouched:
                self._seq -= 1  # the server's unit never saw it
                self.pending = [*pending, *self.pending]
            else:
                self._lost = True
                self._open = False
            raise refused.error from None
        except ExamkitError:
            self._lost = True
            self._open = False
            raise
        self._open = answer["open"]
        problem = answer.get("error")
        if not self._open and end is None:
            self._lost = problem is not None or self._lost
        if problem is not None:
            try:
                error = error_from(problem)
            except ValueError:
                error = StorageError("http.response.invalid")
            raise error
        results: list[Any] = answer["results"]
        if len(results) != len(pending) + len(ops):
            self._lost = True
            raise StorageError("http.response.invalid")
        return results[len(pending) :]

    def send_one(self, op: Mapping[str, Any]) -> Any:
        """Send one operation of an open unit; return its answer."""
        self.check_usable()
        return self.send([op])[0]

    def _read(self, record: RecordType[Any, Any], key: str, item: Any) -> None:
        if not self.readonly:
            self._reads[(record.name, key)] = None if item is None else item.version

    def _decode(self, record: RecordType[Any, T], data: Any) -> T:
        try:
            return decode_item(record, data)
        except ValueError:
            raise StorageError("http.response.invalid") from None

    # -- the primitives ------------------------------------------------------------------------

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None`` (one request)."""
        data = self.send_one({"op": "get", "record": record.name, "key": key})
        item = None if data is None else self._decode(record, data)
        self._read(record, key, item)
        return item

    def get_many(self, record: RecordType[Any, T], keys: Iterable[str]) -> Mapping[str, T]:
        """Return the records with *keys*, by key, in the order asked (one request)."""
        asked = distinct_keys(keys)
        if not asked:
            self.check_usable()
            return {}
        rows = self.send_one({"op": "many", "record": record.name, "keys": asked})
        found = {str(key): self._decode(record, data) for key, data in rows}
        for key in asked:
            self._read(record, key, found.get(key))
        return found

    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items*, all or nothing."""
        self.check_writable()
        if not items:
            return
        self.send(
            [
                {
                    "op": "insert",
                    "record": record.name,
                    "items": [encode_item(item) for item in items],
                }
            ]
        )

    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record at *version*."""
        self.check_writable()
        op = {"op": "replace", "record": record.name, "item": encode_item(item), "version": version}
        self.send([op])

    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key* (only at *version*, when given)."""
        self.check_writable()
        self.send([{"op": "delete", "record": record.name, "key": key, "version": version}])

    def find(
        self,
        record: RecordType[Any, T],
        *,
        where: Mapping[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Sequence[T]:
        """Return the records with every value of *where*, in listing order (one request)."""
        op = {
            "op": "find",
            "record": record.name,
            "where": dict(where),
            "at_most": None if at_most is None else list(at_most),
            "after": after,
            "limit": limit,
        }
        found = [self._decode(record, data) for data in self.send_one(op)]
        for item in found:
            self._read(record, record.key_text(item), item)
        return found

    def capability(self, name: str) -> Any:
        """Return the capability *name*, each call one request (``None`` for an unknown name)."""
        self.check_usable()
        from examkit.backends.http._capabilities import CAPABILITIES

        kind = CAPABILITIES.get(name)
        return None if kind is None else kind(self)

    def commit(self) -> None:
        """Commit the unit on the server (one request; none when it never asked the server).

        Raises:
            ConcurrentModification: a record the unit read was changed meanwhile.
            StorageError: ``storage.outcome_unknown``: no answer after every retry.
        """
        if self._settled and not self._closed:
            self._end()
            return
        self.check_usable()
        try:
            if self._open or self.pending:
                self.send([], end="commit")
        finally:
            self._end()

    def rollback(self) -> None:
        """Roll the unit back on the server and close it (an unreachable server lets it lapse)."""
        if self._closed:
            return
        self.pending = []
        try:
            if self._open and not self._lost and not self._settled:
                self.send([], end="rollback")
        except ExamkitError:
            pass  # the server rolls back a unit whose lease lapses
        finally:
            self._end()

    def _end(self) -> None:
        self._closed = True
        self._open = False
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def settle(self) -> None:
        """Note that the server committed the unit with its last request (a save)."""
        self._settled = True
        self._open = False
