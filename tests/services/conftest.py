"""Fixtures of the sign-in's service tests: a harness on memory, and on memory and SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from examkit.testing import SignInHarness


@pytest.fixture
def harness() -> SignInHarness:
    """A sign-in harness on the memory backend."""
    return SignInHarness()


@pytest.fixture(params=["memory", "sqlite"])
def any_harness(request: pytest.FixtureRequest) -> Iterator[SignInHarness]:
    """A sign-in harness on the memory backend and on an SQLite file."""
    if request.param == "memory":
        yield SignInHarness()
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield SignInHarness(backend)
    finally:
        backend.close()
