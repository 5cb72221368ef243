"""Shared parts of the conformance suite: the fixture to override, sample data, threads."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import attrs
import pytest

from examkit.accounts import Account, LoginName
from examkit.identifiers import BelgianPostcode, Brin, Instellingsnummer, LocationCode, Postcode
from examkit.org import Address, CompetentAuthority, Institution, Location
from examkit.records import Backend

T = TypeVar("T")

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
"""The moment the suite's time-dependent checks start from."""


class BackendFixtures:
    """The one fixture a third party overrides: ``backend``, a fresh empty backend per test."""

    @pytest.fixture
    def backend(self) -> Backend:
        """Return a fresh, empty backend (override this in your subclass)."""
        pytest.fail("override the `backend` fixture to return a fresh, empty backend")

    @staticmethod
    def require_threads(backend: Backend) -> None:
        """Skip the test when *backend* cannot be used from several threads."""
        if not backend.capabilities.threads:
            pytest.skip("the backend does not support threads")


def make_institution(brin: str = "22AB", *, secondary: int = 0, name: str = "") -> Institution:
    """Return a Dutch institution with *secondary* secondary locations."""
    code = Brin(brin)
    return Institution(
        code=code,
        name=name or f"School {brin}",
        address=Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum"),
        competent_authority=CompetentAuthority("J. de Vries", "bestuurder", "bestuur@school.nl"),
        secondary_locations=tuple(
            Location(
                code=LocationCode(f"{brin}{number:02d}"),
                name=f"Locatie {number}",
                address=Address("Schoolstraat", str(number), Postcode("8855AB"), "Sexbierum"),
            )
            for number in range(1, secondary + 1)
        ),
    )


def make_flemish_institution(number: str = "012345") -> Institution:
    """Return a Flemish school."""
    return Institution(
        code=Instellingsnummer(number),
        name=f"Basisschool {number}",
        address=Address("Kerkstraat", "3", BelgianPostcode("9000"), "Gent"),
    )


def make_account(
    account_id: str = "acc-1", login_name: str = "22AB.K.Beheerder", **changes: Any
) -> Account:
    """Return an account; *changes* override fields."""
    fields: dict[str, Any] = {
        "id": account_id,
        "login_name": LoginName(login_name),
        "first_name": "Karin",
        "last_name": "Beheerder",
        "email": "k.beheerder@school.nl",
        "institutions": frozenset({Brin("22AB")}),
    }
    fields.update(changes)
    return Account(**fields)


@contextmanager
def tight_switching() -> Iterator[None]:
    """Make the interpreter switch threads as often as it can, to surface races."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def run_concurrently(count: int, work: Callable[[int], T]) -> list[T | BaseException]:
    """Run ``work(i)`` for i in range(*count*) in as many threads, started together.

    Returns each thread's result or the exception it raised, by index.
    """
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = [RuntimeError("did not run")] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    with tight_switching():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return results


def make_grant(role: str, *at: Any, subject: Any = None, revoked: bool = False) -> Any:
    """Return a grant of *role* at the places or classes *at*, granted at :data:`NOW`."""
    from examkit.permissions import Grant

    grant = Grant.of(role, at, subject=subject, granted_at=NOW, granted_by="acc-admin")
    if revoked:
        return attrs.evolve(grant, revoked_at=NOW, revoked_by="acc-admin")
    return grant
