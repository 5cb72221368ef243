"""The memory backend passes the shipped conformance suite."""

from __future__ import annotations

import pytest

from examkit.backends.memory import MemoryBackend
from examkit.testing.conformance import BackendConformance


class TestMemoryBackend(BackendConformance):
    """MemoryBackend keeps every storage promise."""

    @pytest.fixture
    def backend(self) -> MemoryBackend:
        return MemoryBackend()
