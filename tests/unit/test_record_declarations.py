# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Records declared once (issue 20): the declarations, and a new record on the memory backend."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from examkit.backends.memory import MemoryBackend
from examkit.errors import AlreadyExists, ConcurrentModification, NotFound
from examkit.records import RECORDS, RecordsUnit, UnitOfWork
from examkit.storage import Index, Page, Records, RecordType, microseconds

pytestmark = pytest.mark.req("PLAT-2")

SRC = Path(__file__).resolve().parents[2] / "src" / "examkit"
DOMAIN = (
    "accounts",
    "applications",
    "auth",
    "correction",
    "documents",
    "edexml",
    "imports",
    "org",
    "roles",
    "scoring",
    "sessions",
)


def test_every_repository_of_the_port_is_declared_once() -> None:
    """The unit of work's repositories are the port's, each from one declaration."""
    port = {
        name
        for name, value in vars(UnitOfWork).items()
        if isinstance(value, property) and name not in {"attempts", "tokens", "audit", "readonly"}
    }
    declared = {name for name, value in vars(RecordsUnit).items() if hasattr(value, "record")}
    assert port == declared
    names = [record.name for record in RECORDS]
    assert len(names) == len(set(names))


@attrs.frozen
class Note:
    """A record the recipe adds: a note on a location, with a due time."""

    id: str
    location: str
    title: str
    due: datetime
    version: int = attrs.field(default=0, eq=False)


NOTES = RecordType(
    "notes",
    Note,
    kind="note",
    key=lambda note: note.id,
    indexes=(
        Index("title", lambda note: note.title, unique=True),
        Index("location", lambda note: note.location),
        Index("due", lambda note: microseconds(note.due)),
    ),
)


class NoteRecords(Records[str, Note]):
    """The notes' one named query, written once."""

    def list(self, location: str, *, after: str | None = None, limit: int = 100) -> Page[Note]:
        return self._page({"location": location}, after=after, limit=limit)


NOW = datetime(2026, 9, 1, 8, tzinfo=UTC)


def test_a_new_record_needs_only_its_declaration_on_the_memory_backend() -> None:
    """Versions, unique values, a named query with paging and a range: no backend code."""
    backend = MemoryBackend()
    notes = [
        Note(f"n-{n}", "22AB00" if n % 2 else "22AB01", f"t{n}", NOW + timedelta(days=n))
        for n in range(7)
    ]
    with backend.begin() as uow:
        repo = uow.repository(NOTES, NoteRecords)
        repo.add_many(notes)
        uow.commit()
    with backend.begin() as uow:
        repo = uow.repository(NOTES, NoteRecords)
        first = repo.list("22AB00", limit=2)
        second = repo.list("22AB00", after=first.next_after, limit=2)
        assert ["n-1", "n-3", "n-5"] == [n.id for n in (*first.items, *second.items)]
        assert None is second.next_after
        due = repo._find(at_most=("due", microseconds(NOW + timedelta(days=1))))
        assert ["n-0", "n-1"] == [n.id for n in due]
        stored = repo.update(attrs.evolve(repo.get("n-0"), title="nieuw"))
        assert 2 == stored.version
        with pytest.raises(ConcurrentModification):
            repo.update(attrs.evolve(notes[0], version=1))
        with pytest.raises(AlreadyExists) as clash:
            repo.add(Note("n-9", "22AB00", "t1", NOW))
        assert ("storage.unique", "title") == (clash.value.code, clash.value.params["index"])
        with pytest.raises(AlreadyExists):
            repo.add_many([Note("n-10", "22AB00", "x", NOW), Note("n-10", "22AB00", "y", NOW)])
        with pytest.raises(NotFound):
            repo.get("n-10")
        uow.commit()
    with backend.begin(readonly=True) as uow:
        assert "nieuw" == uow.repository(NOTES, NoteRecords).get("n-0").title


def test_the_storage_port_imports_no_domain_package() -> None:
    """No module of examkit.storage imports a domain package, not even for types."""
    found = []
    for path in sorted((SRC / "storage").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if len(parts) > 1 and parts[0] == "examkit" and parts[1] in DOMAIN:
                    found.append(f"{path.name}: {node.module}")
    assert [] == found
