"""The kit's health for a portal's health endpoint: its storage reachable, its schema current."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

import attrs

from examkit.errors import ExamkitError, NotFound

if TYPE_CHECKING:
    from examkit.ports import Clock
    from examkit.records import Backend

SchemaState = Literal["current", "behind", "ahead", "not_versioned"]
"""Where the stored schema stands against the shipped migrations."""

_PROBE = "health-check"


@attrs.frozen
class Health:
    """What a health endpoint reports: nothing personal, nothing secret.

    >>> Health(storage="ok", schema="current", checked_at=datetime(2026, 9, 1)).ok
    True
    """

    storage: str
    """``ok``, or the error code of the failed read (``storage.unavailable``, ...)."""
    schema: SchemaState
    """``current``; ``behind`` (run the migrations), ``ahead`` (an older release runs on a
    newer database); ``not_versioned`` for a backend without migrations (memory, yours)."""
    checked_at: datetime
    """When it was checked (the kit's clock)."""

    @property
    def ok(self) -> bool:
        """Whether the kit can serve: storage reachable and its schema neither behind nor ahead."""
        return self.storage == "ok" and self.schema in {"current", "not_versioned"}


def check_health(backend: Backend, clock: Clock) -> Health:
    """Ask the schema (on a versioned backend), then read the way every use case reads.

    Never raises for the storage: a failure is reported as its code.
    """
    schema: SchemaState = "not_versioned"
    storage = "ok"
    status = getattr(backend, "schema_status", None)
    if callable(status):
        try:
            schema = status()
        except ExamkitError as error:
            storage = error.code
    if storage == "ok":
        try:
            with backend.begin(readonly=True) as uow:
                uow.accounts.get(_PROBE)
        except NotFound:
            pass
        except ExamkitError as error:
            storage = error.code
    return Health(storage=storage, schema=schema, checked_at=clock.now())
