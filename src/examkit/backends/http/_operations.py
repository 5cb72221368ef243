"""The server side of each operation: the request's values checked, then the backend called.

Every value of a request is checked here (:func:`decode`) before anything
reaches the backend; :func:`execute` then runs the decoded operation in the
unit's server-side transaction and returns its answer as plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

import attrs
import cattrs

from examkit.audit import AuditEvent
from examkit.backends.http._wire import decode_item, encode_item
from examkit.converter import structure, unstructure
from examkit.errors import ExamkitError
from examkit.records import RecordsUnit
from examkit.scheduling import SavedResponse
from examkit.storage import (
    MAX_PAGE_SIZE,
    ManyFallback,
    RecordType,
    StoredToken,
    check_sequence,
    json_value,
)

MAX_KEYS: Final = 5000
"""The most keys one ``many`` operation may ask for."""


class Refused(Exception):
    """A request's value is unusable: answered ``400`` with ``http.request.invalid``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen
class Operation:
    """One checked operation: its name, record kind and arguments as examkit values."""

    name: str
    record: RecordType[Any, Any] | None
    args: Mapping[str, Any]


def _text(op: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = op.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise Refused(f"{name} must be text")
    return value


def _texts(op: Mapping[str, Any], name: str) -> Any:
    value = op.get(name)
    if not isinstance(value, list) or len(value) > MAX_KEYS:
        raise Refused(f"{name} must be a list of at most {MAX_KEYS}")
    if not all(isinstance(item, str) for item in value):
        raise Refused(f"{name} must be text")
    return value


def _number(op: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = op.get(name)
    if value is None and optional:
        return None
    if type(value) is not int:
        raise Refused(f"{name} must be a whole number")
    return value


def _moment(op: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = _text(op, name, optional=optional)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(f"{name} must be a moment") from None
    if moment.tzinfo is None:
        raise Refused(f"{name} must be a moment with its offset")
    return moment


def _value(data: object, cls: type[Any], name: str) -> Any:
    try:
        return structure(data, cls)
    except (ExamkitError, cattrs.BaseValidationError, ValueError, TypeError, KeyError):
        raise Refused(f"{name} is not a valid {cls.__name__}") from None


def _item(record: RecordType[Any, Any], value: object) -> Any:
    try:
        return decode_item(record, value)
    except ValueError:
        raise Refused(f"item is not a valid {record.kind}") from None


def _response(data: object) -> SavedResponse:
    response: SavedResponse = _value(data, SavedResponse, "response")
    try:
        json_value(response.value, field="response")
        check_sequence(response.sequence)
    except ExamkitError:
        raise Refused("response holds a value or sequence no backend stores") from None
    return response


def _index_value(value: object, name: str) -> str | int:
    if isinstance(value, str) or type(value) is int:
        return value
    raise Refused(f"{name} must hold text or whole numbers")


def _record(op: Mapping[str, Any], records: Mapping[str, RecordType[Any, Any]]) -> Any:
    name = op.get("record")
    record = records.get(name) if isinstance(name, str) else None
    if record is None:
        raise Refused("record names no known record kind")
    return record


def _find(op: Mapping[str, Any], record: RecordType[Any, Any]) -> dict[str, Any]:
    where = op.get("where")
    if not isinstance(where, dict):
        raise Refused("where must be an object")
    names = {index.name for index in record.indexes}
    if not all(name in names for name in where):
        raise Refused("where names an index the record does not have")
    bound = op.get("at_most")
    at_most = None
    if bound is not None:
        if not (isinstance(bound, list) and len(bound) == 2 and bound[0] in names):
            raise Refused("at_most must be an index and a value")
        at_most = (bound[0], _index_value(bound[1], "at_most"))
    limit = _number(op, "limit", optional=True)
    if limit is not None and not 0 <= limit <= MAX_PAGE_SIZE + 1:
        raise Refused("limit is out of range")
    return {
        "where": {name: _index_value(value, "where") for name, value in where.items()},
        "at_most": at_most,
        "after": _text(op, "after", optional=True),
        "limit": limit,
    }


def _limit_args(op: Mapping[str, Any]) -> dict[str, Any]:
    window = _number(op, "window_us")
    return {
        "purpose": _text(op, "purpose"),
        "key": _text(op, "key"),
        "now": _moment(op, "now"),
        "window": timedelta(microseconds=window),
        "limit": _number(op, "limit"),
        "stop_at_limit": op.get("stop_at_limit") is True,
    }


def decode(op: object, records: Mapping[str, RecordType[Any, Any]]) -> Operation:  # noqa: PLR0911, PLR0912 - one branch per operation
    """Return *op* checked and as examkit values.

    Raises:
        Refused: a value is missing, of the wrong kind, or unusable.
    """
    if not isinstance(op, dict):
        raise Refused("an operation must be an object")
    name = op.get("op")
    if name in ("get", "many", "find", "insert", "replace", "delete"):
        record = _record(op, records)
        if name == "get":
            return Operation(name, record, {"key": _text(op, "key")})
        if name == "many":
            keys = op.get("keys")
            if not isinstance(keys, list) or len(keys) > MAX_KEYS:
                raise Refused(f"keys must be a list of at most {MAX_KEYS}")
            if not all(isinstance(key, str) for key in keys):
                raise Refused("keys must be text")
            return Operation(name, record, {"keys": keys})
        if name == "find":
            return Operation(name, record, _find(op, record))
        if name == "insert":
            items = op.get("items")
            if not isinstance(items, list):
                raise Refused("items must be a list")
            return Operation(name, record, {"items": [_item(record, i) for i in items]})
        if name == "replace":
            item = _item(record, op.get("item"))
            return Operation(name, record, {"item": item, "version": _number(op, "version")})
        return Operation(
            name,
            record,
            {"key": _text(op, "key"), "version": _number(op, "version", optional=True)},
        )
    if name == "counter.record":
        return Operation(name, None, _limit_args(op))
    if name == "counter.peek":
        args = {
            "purpose": _text(op, "purpose"),
            "key": _text(op, "key"),
            "now": _moment(op, "now"),
            "limit": _number(op, "limit"),
        }
        return Operation(name, None, args)
    if name in ("counter.reset", "token.revoke"):
        second = "key" if name == "counter.reset" else "subject"
        return Operation(name, None, {"purpose": _text(op, "purpose"), second: _text(op, second)})
    if name in ("counter.purge", "token.purge"):
        return Operation(name, None, {"now": _moment(op, "now")})
    if name == "token.put":
        return Operation(name, None, {"token": _value(op.get("token"), StoredToken, "token")})
    if name in ("token.consume", "token.peek"):
        args = {"purpose": _text(op, "purpose"), "digest": _text(op, "digest")}
        return Operation(name, None, {**args, "now": _moment(op, "now")})
    if name == "audit.append":
        return Operation(name, None, {"event": _value(op.get("event"), AuditEvent, "event")})
    if name == "audit.pseudonymise":
        args = {
            "names": _texts(op, "names"),
            "pseudonym": _text(op, "pseudonym"),
            "details": _texts(op, "details"),
        }
        return Operation(name, None, args)
    if name == "audit.list":
        args = {
            "subject": _text(op, "subject", optional=True),
            "actor": _text(op, "actor", optional=True),
            "since": _moment(op, "since", optional=True),
            "until": _moment(op, "until", optional=True),
            "after": _text(op, "after", optional=True),
            "limit": _number(op, "limit"),
        }
        return Operation(name, None, args)
    if name == "response.record":
        args = {
            "key": _text(op, "key"),
            "item": _text(op, "item"),
            "response": _response(op.get("response")),
            "now": _moment(op, "now"),
        }
        return Operation(name, None, args)
    raise Refused("op names no known operation")


def _token(token: StoredToken) -> Any:
    return unstructure(token)


def _count(found: Any) -> Any:
    return {
        "count": found.count,
        "limit": found.limit,
        "expires_at": None if found.expires_at is None else found.expires_at.isoformat(),
    }


def _run_primitive(unit: RecordsUnit, op: Operation) -> Any:
    tx, record, args = unit.transaction, op.record, op.args
    assert record is not None  # noqa: S101 - decode gives every primitive its record
    if op.name == "get":
        found = tx.get(record, args["key"])
        return None if found is None else encode_item(found)
    if op.name == "many":
        many = tx.capability("many")
        reader = many if many is not None else ManyFallback(tx)
        got = reader.get_many(record, args["keys"])
        return [[key, encode_item(item)] for key, item in got.items()]
    if op.name == "find":
        return [encode_item(item) for item in tx.find(record, **args)]
    if op.name == "insert":
        tx.insert(record, args["items"])
    elif op.name == "replace":
        tx.replace(record, args["item"], version=args["version"])
    else:
        tx.delete(record, args["key"], version=args["version"])
    return None


def _recorded(unit: RecordsUnit, args: Mapping[str, Any]) -> Any:
    found = unit.test_attempts.record_response(
        args["key"], args["item"], args["response"], now=args["now"]
    )
    if found is None:
        return None
    deadline = found.deadline
    return {
        "version": found.version,
        "deadline": None if deadline is None else deadline.isoformat(),
    }


_CAPABILITY_CALLS: Final[dict[str, Callable[[RecordsUnit, Mapping[str, Any]], Any]]] = {
    "counter.record": lambda unit, args: _count(unit.counters.record(**args)),
    "counter.peek": lambda unit, args: _count(unit.counters.peek(**args)),
    "counter.reset": lambda unit, args: unit.counters.reset(**args),
    "counter.purge": lambda unit, args: unit.counters.purge_expired(args["now"]),
    "token.put": lambda unit, args: unit.tokens.put(args["token"]),
    "token.consume": lambda unit, args: _token(unit.tokens.consume(**args)),
    "token.peek": lambda unit, args: _token(unit.tokens.peek(**args)),
    "token.revoke": lambda unit, args: unit.tokens.revoke(**args),
    "token.purge": lambda unit, args: unit.tokens.purge_expired(args["now"]),
    "audit.append": lambda unit, args: unit.audit.append(args["event"]),
    "audit.list": lambda unit, args: _page(unit.audit.list(**args)),
    "audit.pseudonymise": lambda unit, args: unit.audit.pseudonymise(
        args["names"], args["pseudonym"], details=args["details"]
    ),
    "response.record": _recorded,
}


def _page(page: Any) -> Any:
    return {"items": [unstructure(event) for event in page.items], "next_after": page.next_after}


def execute(unit: RecordsUnit, op: Operation) -> Any:
    """Run checked operation *op* in *unit*; return its answer as plain data.

    Raises:
        ExamkitError: what the backend raised (the unit goes on, as on the backend itself).
    """
    call = _CAPABILITY_CALLS.get(op.name)
    if call is None:
        return _run_primitive(unit, op)
    return call(unit, op.args)
