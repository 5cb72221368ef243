# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The recipe's new record: declared in one place, kept by every backend with no other code.

``Note`` is what a portal or a new package would add: a value class, its
declaration (key, a unique index, a plain one, a time range, a listing
order) and a repository with one named query. Every backend keeps it from
the declaration alone (the SQL backend is told of it and builds its table);
the conformance check for declared records holds each to the same promises.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from tests.contract.minimal_backend import MinimalBackend

from examkit.backends.memory import MemoryBackend
from examkit.errors import ConfigurationError
from examkit.records import Backend
from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Page,
    Records,
    RecordType,
    StoredUnit,
    microseconds,
)
from examkit.testing.conformance import check_declared_record
from examkit.testing.postgres import PostgresCluster

pytestmark = pytest.mark.req("PLAT-2")


@attrs.frozen
class Note:
    """A note on a location, with a title of its own and a due time."""

    id: str
    location: str
    title: str
    due: datetime
    version: int = attrs.field(default=0, eq=False)


NOTES = RecordType(
    "recipe_notes",
    Note,
    kind="note",
    key=lambda note: note.id,
    indexes=(
        Index("title", lambda note: note.title, unique=True),
        Index("location", lambda note: note.location),
        Index("due", lambda note: microseconds(note.due), number=True),
    ),
    order=lambda note: f"{note.location}#{note.id}",
    privacy={
        "id": NotPersonal("a generated id"),
        "location": NotPersonal("the location's code"),
        "title": NotPersonal("the note's title, about the location"),
        "due": NotPersonal("when the note is due"),
        "version": VERSION_FIELD,
    },
)


class NoteRecords(Records[str, Note]):
    """The notes' one named query."""

    def list(self, location: str, *, after: str | None = None, limit: int = 100) -> Page[Note]:
        """Return the notes of *location*, by id."""
        return self._page({"location": location}, after=after, limit=limit)


def stored_unit(uow: object) -> StoredUnit:
    """The unit as every backend here makes it: a :class:`StoredUnit`, for any record."""
    assert isinstance(uow, StoredUnit)
    return uow


NOW = datetime(2026, 9, 1, 8, tzinfo=UTC)
NOTES_MADE = [
    Note(f"n-{n}", "22AB00" if n % 2 else "22AB01", f"t{n}", NOW + timedelta(days=n))
    for n in range(6)
]


@pytest.fixture(
    params=["memory", "minimal", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend()
        return
    if request.param == "minimal":
        yield MinimalBackend()
        return
    from examkit.backends.sql import SQLBackend

    if request.param == "sqlite":
        sqlite = SQLBackend(f"sqlite:///{tmp_path / 'notes.db'}", records=(NOTES,))
        yield sqlite
        sqlite.close()
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"examkit_notes_{tmp_path.name[-12:].replace('-', '_')}".lower()
    postgres = SQLBackend(cluster.create_database(name), records=(NOTES,))
    try:
        yield postgres
    finally:
        postgres.close()
        cluster.drop_database(name)


def test_a_declared_record_keeps_every_promise(backend: Backend) -> None:
    """Versions, unique titles, all-or-nothing bulk adds, every index, paging, ranges."""
    check_declared_record(
        backend, NOTES, NOTES_MADE, lambda note: attrs.evolve(note, location="22AB09")
    )


def test_its_named_query_pages_on_every_backend(backend: Backend) -> None:
    """The one named query, written once on the declared index, pages the same everywhere."""
    with backend.begin() as uow:
        stored_unit(uow).repository(NOTES, NoteRecords).add_many(NOTES_MADE)
        uow.commit()
    with backend.begin(readonly=True) as uow:
        notes = stored_unit(uow).repository(NOTES, NoteRecords)
        first = notes.list("22AB00", limit=2)
        second = notes.list("22AB00", after=first.next_after, limit=2)
    assert ["n-1", "n-3", "n-5"] == [note.id for note in (*first.items, *second.items)]
    assert None is second.next_after


def test_the_sql_backend_refuses_a_record_named_like_one_of_its_own(tmp_path: Path) -> None:
    """A portal's record may not take the name of examkit's (``sql.record.taken``)."""
    from examkit.backends.sql import SQLBackend

    taken = attrs.evolve(NOTES, name="accounts")
    with pytest.raises(ConfigurationError) as refused:
        SQLBackend(f"sqlite:///{tmp_path / 'x.db'}", records=(taken,))
    assert "sql.record.taken" == refused.value.code


def test_a_closed_sql_backend_leaves_nothing_of_its_records_behind(tmp_path: Path) -> None:
    """Caches belong to a backend instance: its own tables go with it (issue 20, point 5)."""
    import gc
    import weakref

    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(f"sqlite:///{tmp_path / 'gone.db'}", records=(NOTES,))
    with backend.begin() as uow:
        notes = stored_unit(uow).repository(NOTES, NoteRecords)
        notes.add(Note(id="n1", location="22AB00", title="Plan", due=NOW))
        assert notes.list("22AB00").items[0].id == "n1"  # a find's statement is compiled
        uow.commit()
    table = weakref.ref(backend.extra_tables["recipe_notes"].table)
    backend.close()
    del backend, uow, notes
    gc.collect()
    assert table() is None


def test_index_text_over_the_limit_is_refused_alike_on_every_backend(backend: Backend) -> None:
    """255 characters are looked up by on every backend; 256 are refused, nothing stored."""
    from examkit.errors import InvalidInput
    from examkit.storage import MAX_INDEX_TEXT

    longest = "t" * MAX_INDEX_TEXT
    with backend.begin() as uow:
        notes = stored_unit(uow).repository(NOTES, NoteRecords)
        notes.add(Note(id="n1", location="22AB00", title=longest, due=NOW))
        with pytest.raises(InvalidInput) as refused:
            notes.add(Note(id="n2", location="22AB00", title=longest + "t", due=NOW))
        uow.commit()
    assert refused.value.code == "storage.value.too_long"
    assert refused.value.field == "title"
    with backend.begin(readonly=True) as uow:
        listed = stored_unit(uow).repository(NOTES, NoteRecords).list("22AB00").items
    assert [(note.id, len(note.title)) for note in listed] == [("n1", MAX_INDEX_TEXT)]
