"""The wire format shared by the client and the server: errors, operations, their record kinds.

One endpoint, ``POST /v1/unit``, carries every request of a unit of work
(see the storage page of the docs, "The HTTP backend"). This module holds
what both sides must agree on: the operations and the record kind each
touches, how an :class:`~examkit.errors.ExamkitError` travels, and the
digest that binds an idempotency key to its request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from examkit.converter import structure, unstructure
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    ExamkitError,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
    ServiceUnavailable,
    StorageError,
)
from examkit.messages import CATALOGUE
from examkit.storage import RecordType, with_version

T = TypeVar("T")

PATH: Final = "/v1/unit"
"""The one endpoint of the storage server, relative to where it is mounted."""

SCHEMA_PATH: Final = "/v1/schema"
"""Where the server says how its backend's schema stands (``GET``), for a portal's health."""

PROTOCOL: Final = "examkit-storage/1"
"""The protocol's name and version, sent as the ``Examkit-Protocol`` header both ways."""

READS: Final = frozenset({"get", "many", "find", "counter.peek", "token.peek", "audit.list"})
"""The operations that only read."""

WRITES: Final = frozenset(
    {
        "insert",
        "replace",
        "delete",
        "counter.record",
        "counter.reset",
        "counter.purge",
        "token.put",
        "token.consume",
        "token.revoke",
        "token.purge",
        "audit.append",
        "audit.pseudonymise",
        "response.record",
    }
)
"""The operations that write (refused in a reading unit and with a read-only token)."""

CAPABILITY_KINDS: Final[Mapping[str, str]] = {
    "counter": "attempt_counters",
    "token": "single_use_tokens",
    "audit": "audit_events",
    "response": "test_attempts",
}
"""The record kind (for a token's scope) each capability's operations touch."""

ENDS: Final = frozenset({"commit", "rollback", "commit_if_stored"})
"""How a request may end its unit: commit, roll back, or commit when the save was stored."""

_ERRORS: Final[dict[str, type[ExamkitError]]] = {
    kind.__name__: kind
    for kind in (
        AlreadyExists,
        ConcurrentModification,
        ConfigurationError,
        InvalidInput,
        InvalidState,
        LimitReached,
        NotFound,
        NotPermitted,
        ServiceUnavailable,
        StorageError,
    )
}


def kind_of(op: Mapping[str, Any]) -> str:
    """Return the record kind operation *op* touches (its ``record``, or its capability's)."""
    name = str(op.get("op", ""))
    if "." in name:
        return CAPABILITY_KINDS[name.split(".", 1)[0]]
    return str(op.get("record", ""))


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def error_body(error: ExamkitError) -> dict[str, Any]:
    """Return *error* as it travels: its kind, code, field, line and parameters.

    The kind is the nearest of examkit's error classes (a subclass travels as its base).
    """
    kind = next(
        (cls.__name__ for cls in type(error).__mro__ if _ERRORS.get(cls.__name__) is cls),
        "InvalidInput",
    )
    return {
        "type": kind,
        "code": error.code,
        "field": error.field,
        "line": error.line,
        "params": {str(name): _plain(value) for name, value in error.params.items()},
    }


def error_from(body: object) -> ExamkitError:
    """Return the :class:`~examkit.errors.ExamkitError` *body* describes.

    Raises:
        ValueError: *body* is not an error as the server sends it (an unknown
            kind or code, a wrong shape).
    """
    if not isinstance(body, dict):
        raise ValueError("not an error")
    kind = _ERRORS.get(str(body.get("type")))
    code = body.get("code")
    params = body.get("params") or {}
    field, line = body.get("field"), body.get("line")
    if kind is None or not isinstance(code, str) or code not in CATALOGUE:
        raise ValueError("unknown error")
    if not isinstance(params, dict) or not all(isinstance(name, str) for name in params):
        raise ValueError("bad parameters")
    if field is not None and not isinstance(field, str):
        raise ValueError("bad field")
    if line is not None and type(line) is not int:
        raise ValueError("bad line")
    try:
        return kind(code, field=field, line=line, **params)
    except (LookupError, TypeError, KeyError) as error:
        raise ValueError("unusable error") from error


def encode_item(item: Any) -> list[Any]:
    """Return a stored record as it travels: ``[version, data]`` (data without the version).

    The version travels beside the data, as the SQL backend keeps it in a
    column of its own: a record whose converter leaves it out still has it.
    """
    data = unstructure(item)
    if isinstance(data, dict):
        data.pop("version", None)
    return [item.version, data]


def decode_item(record: RecordType[Any, T], value: object) -> T:
    """Return the record of *record*'s kind that travelled as *value* (``[version, data]``).

    Raises:
        ValueError: *value* is not such a pair, or its data is not such a record.
    """
    if not (isinstance(value, list) and len(value) == 2 and type(value[0]) is int):
        raise ValueError("not a record")
    version, data = value
    if isinstance(data, dict):
        data = {**data, "version": version}
    try:
        item: T = structure(data, record.cls)
    except Exception as error:
        raise ValueError("not a valid record") from error
    return with_version(item, version)


def dumps(value: object) -> bytes:
    """Return *value* as compact ASCII JSON (sorted keys: the same value, the same bytes).

    Every character travels escaped, lone surrogates too, so any text a
    caller passes reaches the backend as it was (which answers it as it would).
    """
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("ascii")


def request_digest(body: Mapping[str, Any]) -> str:
    """Return the digest that binds a commit's idempotency key to what it asks.

    Everything but the key itself: the unit, its place, the operations, how it ends.
    """
    bound = {name: value for name, value in body.items() if name != "key"}
    return hashlib.sha256(dumps(bound)).hexdigest()
