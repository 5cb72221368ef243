# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Correction's and imports' changes and their audit events are kept together or not at all.

PLAT-2 (issue 21): with the production wiring (the backend's own audit
store), a failure injected after a use case made its change and noted its
event, just before the commit, leaves neither the change nor the event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.services.test_revoked_grant_correction import ADMIN, edexml

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.identifiers import SchoolYear
from examkit.records import Backend, UnitOfWork
from examkit.testing import ManualClock, Wiring, store_actor
from examkit.testing.correction import corrected_group, make_correction_kit
from examkit.testing.sessions import L00, START


@pytest.fixture(params=["memory", "sqlite"])
def production(request: pytest.FixtureRequest) -> Iterator[Wiring]:
    """The production wiring (the backend's own audit store) on memory and on an SQLite file."""
    if request.param == "memory":
        yield Wiring.production(MemoryBackend())
        return
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield Wiring.production(backend, "sqlite")
    finally:
        backend.close()


class FailingCommit(Exception):
    """Injected between the change and its commit."""


def failing_commits(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every writing unit of work on *backend* fail when it commits (it then rolls back)."""
    begin = backend.begin

    def fail() -> None:
        raise FailingCommit

    class Failing:
        def __init__(self, readonly: bool) -> None:
            self.inner = begin(readonly=readonly)
            self.readonly = readonly

        def __enter__(self) -> UnitOfWork:
            uow = self.inner.__enter__()
            if not self.readonly:
                monkeypatch.setattr(uow, "commit", fail)
            return uow

        def __exit__(self, *exc: Any) -> Any:
            return self.inner.__exit__(*exc)

    monkeypatch.setattr(backend, "begin", lambda readonly=False: Failing(readonly))


@pytest.mark.req("PLAT-2")
@pytest.mark.parametrize("name", ["score", "close", "replace", "confirm", "preview"])
def test_a_failure_before_the_commit_leaves_neither_change_nor_event(
    name: str, production: Wiring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change made and its event noted, the commit fails: the trail and the data as before."""
    wiring = production
    kit = make_correction_kit(ManualClock(START), wiring.log, wiring.backend)
    group, people = corrected_group(kit, 1, second=False)
    kit.corrections.open("corrector", group)
    store_actor(kit.backend, ADMIN, [("cito_lvs.administrator", [L00])], granted_at=START)
    year = SchoolYear.at(kit.clock.now())
    preview = kit.edexml_imports.preview(ADMIN, edexml(year)).id
    if name == "close":
        kit.correction_work.score("corrector", group, people[0].id, {"o1": 1, "o2": 2})
    calls: dict[str, Callable[[], object]] = {
        "score": lambda: kit.correction_work.score("corrector", group, people[0].id, {"o1": 1}),
        "close": lambda: kit.correction_work.close("corrector", group),
        "replace": lambda: kit.correctors.replace("planner", group, "first", "corrector4"),
        "confirm": lambda: kit.edexml_imports.confirm(ADMIN, preview),
        "preview": lambda: kit.edexml_imports.preview(ADMIN, edexml(year)),
    }
    before = snapshot(kit, group, year)
    failing_commits(kit.backend, monkeypatch)
    with pytest.raises(FailingCommit):
        calls[name]()
    monkeypatch.undo()
    assert before == snapshot(kit, group, year)


def snapshot(kit: Examkit, group: str, year: SchoolYear) -> tuple[Any, ...]:
    """What the use cases of the test change, and the audit trail."""
    with kit.backend.begin() as uow:  # never committed: counting the previews erases none
        pending = uow.pending_imports.purge_expired(START + timedelta(days=3650))
    with kit.backend.begin(readonly=True) as uow:
        return (
            uow.correction_groups.get(group),
            uow.correction_sheets.list_for_group(group),
            uow.session_groups.get(group),
            pending,
            uow.pupils.list(L00, year, archived=None, limit=100).items,
            uow.audit.list(limit=1000).items,
        )
