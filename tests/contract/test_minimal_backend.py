"""A backend of the primitives alone passes the whole conformance suite (PLAT-2).

:class:`MinimalBackend` offers no capability: the attempt counter, tokens,
audit trail and response save all run on the storage core's fallbacks, and
the suite skips nothing.
"""

from __future__ import annotations

import pytest
from tests.contract.minimal_backend import MinimalBackend

from examkit.testing.conformance import BackendConformance

pytestmark = pytest.mark.req("PLAT-2")


class TestMinimalBackend(BackendConformance):
    """The primitives alone keep every storage promise."""

    @pytest.fixture
    def backend(self) -> MinimalBackend:
        return MinimalBackend()


def test_the_minimal_backend_offers_no_capability() -> None:
    """Every capability of its units is the storage core's fallback."""
    from examkit.storage import AuditFallback, CounterFallback, TokenFallback

    with MinimalBackend().begin(readonly=True) as uow:
        assert (CounterFallback, TokenFallback, AuditFallback) == (
            type(uow.counters),
            type(uow.tokens),
            type(uow.audit),
        )
