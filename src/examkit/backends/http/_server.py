"""The storage server: an ASGI application over any examkit backend built on the primitives."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.backends.http._operations import Operation, Refused, decode, execute
from examkit.backends.http._tokens import REDACTED, ServiceToken, ServiceTokens
from examkit.backends.http._units import (
    COMMITS,
    CommitEntry,
    Lease,
    Leases,
    RecordingTransaction,
    check_stored,
    purge_keys,
    stored_answer,
)
from examkit.backends.http._wire import (
    ENDS,
    PATH,
    PROTOCOL,
    SCHEMA_PATH,
    WRITES,
    dumps,
    error_body,
    kind_of,
    request_digest,
)
from examkit.clocks import SystemClock
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    ExamkitError,
    InvalidInput,
    NotPermitted,
    StorageError,
)
from examkit.ports import Clock
from examkit.privacy import RetentionPeriod, retention_term
from examkit.records import RECORDS, Backend, RecordsUnit
from examkit.storage import ManyFallback, RecordType

_log = logging.getLogger("examkit.backends.http")

MAX_OPS: Final = 1000
"""The most operations one request may carry."""

_UNIT_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@attrs.frozen
class _Request:
    """A request's checked body."""

    unit: str
    seq: int
    readonly: bool
    ops: tuple[Operation, ...]
    end: str | None
    key: str | None
    reads: tuple[tuple[RecordType[Any, Any], str, int | None], ...]
    digest: str


def _answer(status: int, error: ExamkitError, request: _Request | None = None) -> tuple[int, bytes]:
    return status, dumps(
        {
            "unit": None if request is None else request.unit,
            "seq": None if request is None else request.seq,
            "results": [],
            "error": error_body(error),
            "open": False,
        }
    )


class StorageServer:
    """The storage port over HTTP: an ASGI application over *backend*.

    Mount it in any ASGI application (it is one: ``app.mount("/storage",
    server)``) or run it with ``examkit storage serve``. Every request is
    authenticated by a service token of *tokens* and limited to its scope;
    each client unit of work is one transaction of *backend*, held under a
    lease of *lease_timeout* idle seconds. *backend* must know the server's
    records (``SQLBackend(url, records=SERVER_RECORDS)``; the memory backend
    knows every record) and the *records* a client declares besides
    examkit's own.

    Args:
        backend: The backend behind the server (memory, SQL, any built on the primitives).
        tokens: The accepted service tokens.
        records: Records declared besides examkit's own (a portal's).
        lease_timeout: Idle seconds after which an open unit is rolled back.
        keep_answers: Seconds a closed unit's last answer is kept for a retry.
        key_retention: How long a commit's idempotency key is kept (at least as long
            as a client retries); by default the ``idempotency`` retention term's period
            (a week, :data:`~examkit.privacy.RETENTION_TERMS`). The server removes the
            older keys when it is made and then every minute (:meth:`purge_keys`).
        max_request: The largest request body accepted, in bytes.
        max_response: The largest answer given, in bytes (a larger one is refused).
        clock: The time the idempotency keys are stamped with.

    Raises:
        ConfigurationError: ``http.server.records``: *backend* cannot keep the server's records;
            ``http.key_retention.too_short``: *key_retention* is shorter than a day.
    """

    def __init__(
        self,
        backend: Backend,
        tokens: ServiceTokens | Iterable[ServiceToken],
        *,
        records: Sequence[RecordType[Any, Any]] = (),
        lease_timeout: float = 30.0,
        keep_answers: float = 300.0,
        key_retention: RetentionPeriod | None = None,
        max_request: int = 8 * 2**20,
        max_response: int = 32 * 2**20,
        clock: Clock | None = None,
    ) -> None:
        check_stored(backend)
        self.backend = backend
        self.tokens = tokens if isinstance(tokens, ServiceTokens) else ServiceTokens(tokens)
        self.records: Mapping[str, RecordType[Any, Any]] = {
            record.name: record for record in (*RECORDS, *records)
        }
        self.max_request = max_request
        self.max_response = max_response
        self.key_retention = check_key_retention(
            key_retention if key_retention is not None else retention_term("idempotency").period
        )
        """How long a commit's idempotency key is kept."""
        self.clock = clock if clock is not None else SystemClock()
        self.purge_keys()
        self._leases = Leases(
            timeout=lease_timeout,
            keep=keep_answers,
            housekeeping=self.purge_keys,
            housekeeping_every=60.0,
        )
        self.app = Starlette(
            routes=[
                Route(PATH, self._endpoint, methods=["POST"]),
                Route(SCHEMA_PATH, self._schema, methods=["GET"]),
            ]
        )
        """The Starlette application (the server itself is the same ASGI application)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI connection."""
        await self.app(scope, receive, send)

    def purge_keys(self) -> int:
        """Remove the idempotency keys older than :attr:`key_retention`; return how many.

        Run by the server itself when it is made and then every minute; safe to
        run at any time, twice and by two servers on one database at once.

        Implements PRIV-4.
        """
        removed = purge_keys(self.backend, self.key_retention.before(self.clock.now()))
        if removed:
            _log.info("removed %d idempotency keys past their retention term", removed)
        return removed

    def close(self) -> None:
        """Roll back every open unit and stop the lease reaper (the backend stays open)."""
        self._leases.close()

    async def _endpoint(self, request: Request) -> Response:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_request:
            status, body = _answer(
                413, InvalidInput("http.request.too_large", maximum=self.max_request)
            )
        else:
            received = bytearray()
            too_large = False
            async for chunk in request.stream():
                received += chunk
                if len(received) > self.max_request:
                    too_large = True
                    break
            if too_large:
                status, body = _answer(
                    413, InvalidInput("http.request.too_large", maximum=self.max_request)
                )
            else:
                authorization = request.headers.get("authorization", "")
                status, body = await run_in_threadpool(self.handle, authorization, bytes(received))
        return Response(
            body,
            status_code=status,
            media_type="application/json",
            headers={"Examkit-Protocol": PROTOCOL, "Cache-Control": "no-store"},
        )

    async def _schema(self, request: Request) -> Response:
        status, body = await run_in_threadpool(
            self.schema_answer, request.headers.get("authorization", "")
        )
        headers = {"Examkit-Protocol": PROTOCOL, "Cache-Control": "no-store"}
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    def schema_answer(self, authorization: str) -> tuple[int, bytes]:
        """Answer ``GET /v1/schema``: where the backend's schema stands (any known token).

        ``{"schema": "current" | "behind" | "ahead" | "not_versioned"}``, as
        :meth:`examkit.Examkit.health` reports it for the backend itself.
        """
        scheme, _, presented = authorization.partition(" ")
        token = self.tokens.find(presented) if scheme.lower() == "bearer" and presented else None
        if token is None:
            return _answer(401, NotPermitted("http.unauthorized"))
        status = getattr(self.backend, "schema_status", None)
        try:
            schema = status() if callable(status) else "not_versioned"
        except ExamkitError as error:
            return _answer(503, error)
        return 200, dumps({"schema": schema})

    # -- one request ------------------------------------------------------------------------

    def handle(self, authorization: str, body: bytes) -> tuple[int, bytes]:  # noqa: PLR0911 - one answer per refusal
        """Answer one request: *authorization* is its header, *body* its content.

        Returns the status and the JSON answer. Nothing reaches the backend
        before the token is recognised, the body checked and its scope allowed.
        """
        scheme, _, presented = authorization.partition(" ")
        token = self.tokens.find(presented) if scheme.lower() == "bearer" and presented else None
        if token is None:
            return _answer(401, NotPermitted("http.unauthorized"))
        try:
            request = self._checked(body)
        except Refused as refused:
            return _answer(400, InvalidInput("http.request.invalid", reason=refused.reason))
        except ExamkitError as refused:  # a value the record's own checks refuse
            return _answer(400, refused)
        try:
            if not request.readonly and token.access != "write":
                raise NotPermitted("http.scope.write")
            for op in request.ops:
                token.check(kind_of({"op": op.name, "record": _name(op)}), writes=op.name in WRITES)
        except NotPermitted as refused:
            return _answer(403, refused, request)
        try:
            status, answer = self._run(token, request)
        except ExamkitError as error:
            return _answer(409 if isinstance(error, InvalidInput) else 404, error, request)
        if len(answer) > self.max_response:
            too_large = StorageError("http.response.too_large", maximum=self.max_response)
            return _answer(500, too_large, request)
        return status, answer

    def _checked(self, body: bytes) -> _Request:  # noqa: PLR0912 - one check per field
        try:
            data = json.loads(body)
        except ValueError:
            raise Refused("the body is not JSON") from None
        if not isinstance(data, dict):
            raise Refused("the body is not an object")
        unit, seq, ops = data.get("unit"), data.get("seq"), data.get("ops", [])
        if not (isinstance(unit, str) and 16 <= len(unit) <= 64 and set(unit) <= _UNIT_CHARS):
            raise Refused("unit must be 16 to 64 URL-safe characters")
        if type(seq) is not int or seq < 1:
            raise Refused("seq must be a whole number from 1")
        readonly = data.get("readonly")
        if not isinstance(readonly, bool):
            raise Refused("readonly must be true or false")
        if not isinstance(ops, list) or len(ops) > MAX_OPS:
            raise Refused(f"ops must be a list of at most {MAX_OPS}")
        end, key = data.get("end"), data.get("key")
        if end is not None and end not in ENDS:
            raise Refused("end must be commit, rollback or commit_if_stored")
        if end in ("commit", "commit_if_stored") and not readonly:
            if not (isinstance(key, str) and 16 <= len(key) <= 64 and set(key) <= _UNIT_CHARS):
                raise Refused("a commit needs a key of 16 to 64 URL-safe characters")
        elif key is not None:
            raise Refused("only a commit carries a key")
        reads = data.get("reads", [])
        if not isinstance(reads, list):
            raise Refused("reads must be a list")
        checked_reads = []
        for read in reads:
            if not (isinstance(read, list) and len(read) == 3):
                raise Refused("each read is a record, a key and a version")
            name, read_key, version = read
            record = self.records.get(name) if isinstance(name, str) else None
            if record is None or not isinstance(read_key, str):
                raise Refused("a read names no known record or key")
            if version is not None and type(version) is not int:
                raise Refused("a read's version must be a whole number")
            checked_reads.append((record, read_key, version))
        return _Request(
            unit=unit,
            seq=seq,
            readonly=readonly,
            ops=tuple(decode(op, self.records) for op in ops),
            end=end,
            key=key,
            reads=tuple(checked_reads),
            digest=request_digest(data),
        )

    def _run(self, token: ServiceToken, request: _Request) -> tuple[int, bytes]:
        lease = self._leases.take(request.unit, token.id, create=request.seq == 1)
        if lease is None or lease.token_id != token.id:
            if request.key is not None:
                stored = stored_answer(self.backend, request.key, request.digest, token.id)
                if stored is not None:
                    return 200, stored
            raise StorageError("http.unit.lost")
        with lease.lock:
            if request.seq == lease.seq and lease.answer is not None:
                if request.digest != lease.digest:
                    raise InvalidInput("http.idempotency.mismatch", field="seq")
                return lease.answer
            if request.seq != lease.seq + 1:
                raise InvalidInput("http.unit.sequence", field="seq")
            if not lease.open:
                raise StorageError("http.unit.lost")
            lease.seq, lease.digest = request.seq, request.digest
            lease.answer = lease.run(lambda: self._step(token, lease, request))
            lease.release_if_closed()
            lease.touched = time.monotonic()
            return lease.answer

    def _step(self, token: ServiceToken, lease: Lease, request: _Request) -> tuple[int, bytes]:
        error: ExamkitError | None = None
        results: list[Any] = []
        try:
            if lease.unit is None:
                inner = self.backend.begin(readonly=request.readonly)
                lease.recording = RecordingTransaction(inner.transaction)  # type: ignore[attr-defined]
                lease.unit = RecordsUnit(lease.recording)  # type: ignore[arg-type]
            elif lease.unit.readonly != request.readonly:
                raise InvalidInput("http.request.invalid", reason="readonly changed")
            for op in request.ops:
                results.append(self._execute(token, lease, op))
        except ExamkitError as refused:
            error = refused
        except Exception:
            _log.exception("storage server: unit %s failed", lease.unit_id)
            error = StorageError("storage.failed")
            lease.roll_back()
        if lease.unit is None:
            lease.open = False
        if request.end == "rollback":
            lease.roll_back()
        elif error is None and lease.open and request.end is not None:
            stored = request.end == "commit" or (
                request.end == "commit_if_stored" and bool(results) and results[-1] is not None
            )
            if stored:
                error = self._commit(token, lease, request, results)
                if error is None and not request.readonly:
                    return 200, self._committed_answer(request, results)
        return 200, dumps(
            {
                "unit": request.unit,
                "seq": request.seq,
                "results": results,
                "error": None if error is None else error_body(error),
                "open": lease.open,
            }
        )

    def _execute(self, token: ServiceToken, lease: Lease, op: Operation) -> Any:
        result = execute(lease.unit, op)
        if op.name == "response.record" and result is not None and lease.recording is not None:
            lease.recording.written.add(("test_attempts", op.args["key"]))
        if token.access != "write" and op.record is not None and op.record.name in REDACTED:
            result = _redacted(op.name, result, REDACTED[op.record.name])
        return result

    @staticmethod
    def _committed_answer(request: _Request, results: list[Any]) -> bytes:
        return dumps(
            {
                "unit": request.unit,
                "seq": request.seq,
                "results": results,
                "error": None,
                "open": False,
            }
        )

    def _commit(
        self, token: ServiceToken, lease: Lease, request: _Request, results: list[Any]
    ) -> ExamkitError | None:
        unit, recording = lease.unit, lease.recording
        try:
            if not request.readonly and request.key is not None and recording is not None:
                stored = recording.get(COMMITS, request.key)
                if stored is not None:
                    raise InvalidInput("http.idempotency.mismatch", field="key")
                self._check_reads(recording, request.reads)
                entry = CommitEntry(
                    key=request.key,
                    digest=request.digest,
                    token=token.id,
                    answer=self._committed_answer(request, results).decode("ascii"),
                    at=self.clock.now(),
                )
                try:
                    recording.insert(COMMITS, [entry])
                except AlreadyExists:
                    raise InvalidInput("http.idempotency.mismatch", field="key") from None
            lease.unit = None
            lease.open = False
            unit.commit()
        except ExamkitError as error:
            lease.unit = unit
            lease.roll_back()
            return error
        return None

    @staticmethod
    def _check_reads(
        recording: RecordingTransaction,
        reads: Sequence[tuple[RecordType[Any, Any], str, int | None]],
    ) -> None:
        """Refuse the commit when a record the unit read has changed since (by someone else)."""
        by_record: dict[str, tuple[RecordType[Any, Any], dict[str, int | None]]] = {}
        for record, key, version in reads:
            if (record.name, key) not in recording.written:
                by_record.setdefault(record.name, (record, {}))[1][key] = version
        for record, versions in by_record.values():
            many = recording.capability("many")
            reader = many if many is not None else ManyFallback(recording)  # type: ignore[arg-type]
            current = reader.get_many(record, list(versions))
            for key, version in versions.items():
                found = current.get(key)
                if (None if found is None else found.version) != version:
                    raise ConcurrentModification(kind=record.kind, key=key)


def _name(op: Operation) -> str:
    return "" if op.record is None else op.record.name


def _blank(pair: list[Any], blanks: Mapping[str, Any]) -> list[Any]:
    version, data = pair
    return [version, {**data, **blanks}]


def _redacted(name: str, result: Any, blanks: Mapping[str, Any]) -> Any:
    if result is None:
        return None
    if name == "get":
        return _blank(result, blanks)
    if name == "many":
        return [[key, _blank(pair, blanks)] for key, pair in result]
    if name == "find":
        return [_blank(pair, blanks) for pair in result]
    return result


def check_key_retention(period: RetentionPeriod, field: str = "key_retention") -> RetentionPeriod:
    """Return *period* if it keeps idempotency keys for at least a day.

    A client sends a commit again within minutes; a day leaves room for a
    client that was cut off overnight.

    >>> check_key_retention(RetentionPeriod(days=7))
    RetentionPeriod(years=0, months=0, days=7)

    Raises:
        ConfigurationError: ``http.key_retention.too_short``: *period* is shorter than a day.

    Implements PLAT-3 and PRIV-4.
    """
    if (period.years, period.months, period.days) == (0, 0, 0):
        value = f"{period.years}y{period.months}m{period.days}d"
        raise ConfigurationError("http.key_retention.too_short", field=field, value=value)
    return period
