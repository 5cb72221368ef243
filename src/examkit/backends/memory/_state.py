"""Multi-version storage of the memory backend, and the overlay a unit of work writes to.

Each key keeps a short chain of ``(commit number, value)`` versions. A unit
of work reads as of the commit number current when it began (its
snapshot); a commit appends one version per changed key, so its cost grows
with what it changed, not with what is stored. Versions no open unit can
see any more are pruned as keys are written.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, Final

from examkit.audit import AuditEvent


class _Gone:
    """Marks a key removed (in a chain or in a unit's overlay)."""

    def __repr__(self) -> str:
        return "GONE"


GONE: Final = _Gone()

Chain = list[tuple[int, Any]]


def _as_of(chain: Chain | None, seq: int) -> Any:
    if chain is None:
        return GONE
    for version, value in reversed(chain[:]):  # a copy: a writer may prune meanwhile
        if version <= seq:
            return value
    return GONE


class Store:
    """The committed data of one memory backend, in every version still needed."""

    def __init__(self) -> None:
        self.seq = 0
        self.tables: dict[str, dict[Hashable, Chain]] = {}
        self.indexes: dict[tuple[str, str], dict[Hashable, Chain]] = {}
        self.audit: list[tuple[int, AuditEvent]] = []
        self.audit_versions: dict[int, Chain] = {}
        """The events pseudonymised while an open unit may still see them as they were, by
        place in :attr:`audit`: their versions (once no unit can, the newest replaces it)."""
        self._readers: dict[int, int] = {}
        self._readers_lock = threading.Lock()

    def open_snapshot(self) -> Snapshot:
        """Return a view as of the newest commit, registered until closed."""
        with self._readers_lock:
            seq = self.seq
            self._readers[seq] = self._readers.get(seq, 0) + 1
        return Snapshot(self, seq)

    def close_snapshot(self, seq: int) -> None:
        """Forget a closed view."""
        with self._readers_lock:
            left = self._readers[seq] - 1
            if left:
                self._readers[seq] = left
            else:
                del self._readers[seq]

    def _floor(self) -> int:
        with self._readers_lock:
            return min(self._readers, default=self.seq)

    def publish(self, overlay: Overlay) -> None:
        """Append the overlay's changes as the next commit (the caller holds the writer lock)."""
        seq = self.seq + 1
        floor = min(self._floor(), seq)
        for name, changes in overlay.tables.items():
            _append(self.tables.setdefault(name, {}), changes, seq, floor)
        for name_index, changes in overlay.indexes.items():
            _append(self.indexes.setdefault(name_index, {}), changes, seq, floor)
        for place, event in overlay.audit_rewrites.items():
            appended, original = self.audit[place]
            chain = self.audit_versions.setdefault(place, [(appended, original)])
            chain.append((seq, event))
        self.audit.extend((seq, event) for event in overlay.audit)
        self.seq = seq
        if self.audit_versions:
            self._settle_audit(self._floor())

    def _settle_audit(self, floor: int) -> None:
        """Keep only the newest version of each rewritten event every open unit sees."""
        for place, chain in list(self.audit_versions.items()):
            if chain[-1][0] <= floor:  # every open unit sees the newest: keep only that
                self.audit[place] = (self.audit[place][0], chain[-1][1])
                del self.audit_versions[place]


def _append(
    table: dict[Hashable, Chain], changes: Mapping[Hashable, Any], seq: int, floor: int
) -> None:
    for key, value in changes.items():
        chain = table.get(key)
        if chain is None:
            if value is not GONE:
                table[key] = [(seq, value)]
            continue
        chain.append((seq, value))
        keep_from = 0
        for position, (version, _) in enumerate(chain):
            if version <= floor:
                keep_from = position
        if keep_from:
            del chain[:keep_from]
        if len(chain) == 1 and chain[0][1] is GONE and chain[0][0] <= floor:
            del table[key]


class Snapshot:
    """The committed data as of one commit number."""

    def __init__(self, store: Store, seq: int) -> None:
        self.store = store
        self.seq = seq

    def get(self, table: str, key: Hashable) -> Any:
        return _as_of(self.store.tables.get(table, {}).get(key), self.seq)

    def index_owner(self, table: str, index: str, value: Hashable) -> Any:
        return _as_of(self.store.indexes.get((table, index), {}).get(value), self.seq)

    def items(self, table: str) -> Iterator[tuple[Hashable, Any]]:
        for key, chain in list(self.store.tables.get(table, {}).items()):
            value = _as_of(chain, self.seq)
            if value is not GONE:
                yield key, value

    def audit(self) -> list[AuditEvent]:
        versions = dict(self.store.audit_versions)
        return [
            _as_of(versions[place], self.seq) if place in versions else event
            for place, (seq, event) in enumerate(list(self.store.audit))
            if seq <= self.seq
        ]

    def close(self) -> None:
        self.store.close_snapshot(self.seq)


class Overlay:
    """What one unit of work wrote, on top of the snapshot it reads."""

    def __init__(self, base: Snapshot) -> None:
        self.base = base
        self.tables: dict[str, dict[Hashable, Any]] = {}
        self.indexes: dict[tuple[str, str], dict[Hashable, Hashable]] = {}
        self.audit: list[AuditEvent] = []
        self.audit_rewrites: dict[int, AuditEvent] = {}
        """The committed events this unit pseudonymised, by place in the trail."""

    def get(self, table: str, key: Hashable) -> Any:
        changes = self.tables.get(table)
        if changes is not None and key in changes:
            return changes[key]
        return self.base.get(table, key)

    def put(self, table: str, key: Hashable, value: Any) -> None:
        self.tables.setdefault(table, {})[key] = value

    def index_owner(self, table: str, index: str, value: Hashable) -> Any:
        changes = self.indexes.get((table, index))
        if changes is not None and value in changes:
            return changes[value]
        return self.base.index_owner(table, index, value)

    def set_index(self, table: str, index: str, value: Hashable, owner: Any) -> None:
        self.indexes.setdefault((table, index), {})[value] = owner

    def items(self, table: str) -> Iterator[tuple[Hashable, Any]]:
        changes = self.tables.get(table, {})
        for key, value in self.base.items(table):
            if key not in changes:
                yield key, value
        for key, value in changes.items():
            if value is not GONE:
                yield key, value

    def values(self, table: str) -> Iterator[Any]:
        return (value for _, value in self.items(table))
