"""Fixtures shared by the offline tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from examkit.backends.memory import MemoryBackend
from examkit.records import Backend


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """An empty store, in memory or in a migrated SQLite file (a module may define its own)."""
    if request.param == "memory":
        yield MemoryBackend()
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield backend
    finally:
        backend.close()
