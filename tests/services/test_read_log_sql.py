# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A list of 1,000 pupils records its 1,000 reads in one ``INSERT`` on SQLite and PostgreSQL.

PRIV-2.

The statements are counted where the driver receives them: SQLite's trace
callback on every connection the backend opens, and psycopg's
``Connection.execute`` on PostgreSQL. With the kit's own audit log, the
production default.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from examkit import Examkit
from examkit._reading import READ
from examkit.backends.sql import SQLBackend
from examkit.edexml import Group, PersonName, Pupil
from examkit.identifiers import SchoolYear
from examkit.imports import ClassList, EnrolledPupil
from examkit.storage import MAX_PAGE_SIZE
from examkit.testing import ManualClock, store_actor
from examkit.testing.sessions import L00, START, make_session_kit

YEAR = SchoolYear("2025-2026")
PUPILS = 1000
INSERT = "INSERT INTO examkit_audit_events"


class Statements:
    """The statements the drivers received while :attr:`on`."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.on = False

    def note(self, statement: str) -> None:
        if self.on:
            self.seen.append(statement)

    def inserts(self) -> list[str]:
        """The audit trail's ``INSERT`` statements among them."""
        return [s for s in self.seen if s.lstrip().startswith(INSERT)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def counted(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Examkit, Statements]]:
    """A kit on SQLite or PostgreSQL (its own audit log) whose statements are counted."""
    statements = Statements()
    backend = SQLBackend(request.getfixturevalue(f"{request.param}_url"), migrate=False)
    if request.param == "sqlite":
        backend.engine.dispose()

        def trace(connection: Any, _: Any) -> None:
            if isinstance(connection, sqlite3.Connection):
                connection.set_trace_callback(statements.note)

        event.listen(backend.engine, "connect", trace)
    else:
        import psycopg

        execute = psycopg.Connection.execute

        def counting(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            statements.note(str(query))
            return execute(self, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Connection, "execute", counting)
    kit = make_session_kit(ManualClock(START), backend=backend)
    with kit.backend.begin() as uow:
        uow.class_lists.add(
            ClassList(location=L00, school_year=YEAR, groups=(Group("8A", "8A", "8"),))
        )
        uow.pupils.add_many(
            [
                EnrolledPupil(
                    L00,
                    YEAR,
                    Pupil(f"P{n:04}", PersonName(f"Jansen{n}", called_name="Kim"), group="8A"),
                )
                for n in range(PUPILS)
            ]
        )
        uow.commit()
    store_actor(kit.backend, "lvsadmin", [("cito_lvs.administrator", [L00])])
    try:
        yield kit, statements
    finally:
        kit.close()


@pytest.mark.req("PRIV-2", "EDX-3")
def test_a_class_of_a_thousand_pupils_is_one_insert_of_a_thousand_reads(
    counted: tuple[Examkit, Statements],
) -> None:
    kit, statements = counted
    statements.on = True
    page = kit.rosters.class_pupils("lvsadmin", L00, "8A", limit=MAX_PAGE_SIZE)
    statements.on = False
    assert PUPILS == len(page.items)
    (insert,) = statements.inserts()
    assert PUPILS == insert.count("),(") + 1
    with kit.backend.begin(readonly=True) as uow:
        stored = [
            event
            for event in uow.audit.list(actor="lvsadmin", limit=MAX_PAGE_SIZE).items
            if event.action == READ
        ]
    expected = [f"pupil:22AB00/P{n:04}" for n in range(PUPILS)]
    assert expected == [event.subject for event in stored]


@pytest.mark.req("PRIV-2", "EDX-3")
def test_one_pupils_reads_are_found_by_subject(counted: tuple[Examkit, Statements]) -> None:
    """The trail's subject index answers "who read this pupil" without reading every event."""
    kit, _ = counted
    for _ in range(3):  # on three days: a day's read is recorded once (ReadMarks)
        kit.rosters.class_pupils("lvsadmin", L00, "8A", limit=MAX_PAGE_SIZE)
        clock = kit.clock
        assert isinstance(clock, ManualClock)
        clock.advance(days=1)
    with kit.backend.begin(readonly=True) as uow:
        found = uow.audit.list(subject="pupil:22AB00/P0500", limit=10).items
    assert 3 == len([e for e in found if e.action == READ and e.actor == "lvsadmin"])


@pytest.mark.req("PRIV-2")
def test_the_trail_is_read_by_subject_through_its_index(sqlite_url: str) -> None:
    """SQLite plans the audit store's listing by subject on ``ix_examkit_audit_events_subject``."""
    backend = SQLBackend(sqlite_url, migrate=False)
    try:
        with backend.engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT * FROM examkit_audit_events WHERE subject = ?"
                " ORDER BY at_us, seq LIMIT 51",
                ("pupil:22AB00/P0500",),
            ).all()
    finally:
        backend.close()
    assert any("ix_examkit_audit_events_subject" in str(row) for row in plan), plan
