"""The memory backend: one institution per unit of work, and get by key, vs. a locked dict.

Both sides start from the same prepared list of *n* valid Dutch
institutions (distinct BRINs, one main location each) and an empty store.

Write side (``ratio``): examkit opens *n* writing units of work on a fresh
:class:`~examkit.backends.memory.MemoryBackend`, each adding one institution
and committing. The baseline is a **floor, not the same work**: a plain
``dict`` under a ``threading.Lock`` that, per institution, takes the lock,
checks the code and the location codes are not yet taken and inserts. It
has no unit of work, no overlay, no versions, no snapshot isolation and no
rollback, and it derives the location keys as strings rather than asking
the institution for its :class:`~examkit.org.Location` values. Both end
with the same institutions under the same codes (asserted).

Read side (``read_ratio``): *n* gets by code, each in its own read-only
unit of work, from the filled backend; the floor takes the lock and reads
the dict. Both return the same institutions (asserted).

Targets. On the 2-core machine these were set on (CPython 3.11), a write
costs about 20-25 µs against the floor's ~1.3 µs, a ratio of ~18; a read
costs ~3.7 µs against ~0.41 µs, a ratio of ~9. Every write pays a unit of
work, ``attrs.evolve`` for the version, the institution's locations for the
unique index, the writer lock and a commit that appends one version per
changed key; every read pays a registered snapshot and the overlay lookup.
The targets, 30 (write) and 12 (read), leave room for a noisy machine and
catch a constant-factor regression.

Size must not matter: a commit's cost grows with what it changed, not with
what is stored (the backend keeps short version chains per key instead of
copying tables). ``write_growth`` is examkit's cost per write at *n* over
that at *n*/4; 1.0 is flat, and its target of 1.3 catches a commit that
becomes proportional to the store again (the first design copied every
touched table at commit and measured ~1.5 at 2,000 and ~2.3 at 10,000).

Run as ``python benchmarks/memory_backend.py [--quick | --smoke]``; the last line printed is
one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from benchmarks._harness import Figure, by_mode, compare, measure, parse_mode, report

from examkit.backends.memory import MemoryBackend
from examkit.identifiers import Brin, Postcode
from examkit.org import Address, Institution, InstitutionCode

TARGET = 30.0
READ_TARGET = 12.0
GROWTH_TARGET = 1.3

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def institutions(n: int) -> list[Institution]:
    """Return *n* valid Dutch institutions with distinct BRINs."""
    if n > 100 * 26 * 26:
        raise ValueError("at most 67,600 distinct BRINs")
    out: list[Institution] = []
    for i in range(n):
        brin = f"{i // 676:02d}{_LETTERS[i // 26 % 26]}{_LETTERS[i % 26]}"
        postcode = Postcode(f"{1000 + (i * 7919) % 9000}{_LETTERS[i % 17]}{_LETTERS[i % 23]}")
        out.append(
            Institution(
                code=Brin(brin),
                name=f"School {i}",
                address=Address("Dorpsstraat", str(i % 300 + 1), postcode, "Tzummarum"),
            )
        )
    return out


class FloorStore:
    """The floor: a dict of institutions and a dict of location codes under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.table: dict[InstitutionCode, Institution] = {}
        self.locations: dict[str, Hashable] = {}

    def add(self, item: Institution) -> None:
        """Insert *item*, refusing a taken code or location code."""
        key = item.code
        wanted = [f"{key.value}00", *(str(loc.code) for loc in item.secondary_locations)]
        with self.lock:
            if key in self.table:
                raise KeyError(key)
            for code in wanted:
                if code in self.locations:
                    raise KeyError(code)
            self.table[key] = item
            for code in wanted:
                self.locations[code] = key

    def get(self, key: InstitutionCode) -> Institution:
        """Return the institution with *key*."""
        with self.lock:
            return self.table[key]


class _Stores:
    """The fresh stores each write run starts from."""

    def __init__(self) -> None:
        self.backend = MemoryBackend()
        self.floor = FloorStore()

    def reset(self) -> None:
        self.backend = MemoryBackend()
        self.floor = FloorStore()


def write_examkit(stores: _Stores, items: Sequence[Institution]) -> Callable[[], MemoryBackend]:
    """Return the examkit write run: one unit of work per institution."""

    def run() -> MemoryBackend:
        backend = stores.backend
        for item in items:
            with backend.begin() as uow:
                uow.institutions.add(item)
                uow.commit()
        return backend

    return run


def write_floor(stores: _Stores, items: Sequence[Institution]) -> Callable[[], FloorStore]:
    """Return the floor's write run."""

    def run() -> FloorStore:
        floor = stores.floor
        for item in items:
            floor.add(item)
        return floor

    return run


def read_examkit(
    backend: MemoryBackend, keys: Sequence[InstitutionCode]
) -> Callable[[], list[Institution]]:
    """Return the examkit read run: one read-only unit of work per get."""

    def run() -> list[Institution]:
        found: list[Institution] = []
        for key in keys:
            with backend.begin(readonly=True) as uow:
                found.append(uow.institutions.get(key))
        return found

    return run


def read_floor(
    floor: FloorStore, keys: Sequence[InstitutionCode]
) -> Callable[[], list[Institution]]:
    """Return the floor's read run."""

    def run() -> list[Institution]:
        return [floor.get(key) for key in keys]

    return run


def stored(
    backend: MemoryBackend, keys: Sequence[InstitutionCode]
) -> dict[InstitutionCode, Institution]:
    """Return what *backend* holds under *keys*; check it holds nothing else, at version 1."""
    with backend.begin(readonly=True) as uow:
        found = {key: uow.institutions.get(key) for key in keys}
        listed = 0
        after: str | None = None
        while True:
            page = uow.institutions.list(after=after, limit=100)
            listed += len(page.items)
            if page.next_after is None:
                break
            after = page.next_after
    assert listed == len(keys), "examkit stored more than it was given"
    assert all(item.version == 1 for item in found.values())
    return found


def write_cost(items: Sequence[Institution], repeats: int) -> float:
    """Return examkit's best seconds per write of *items*, each run on a fresh backend."""
    stores = _Stores()
    timed = measure(write_examkit(stores, items), repeats=repeats, warmup=0, setup=stores.reset)
    return timed.per_op(len(items))


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    n = by_mode(mode, smoke=200, quick=2_000, full=10_000)
    repeats = by_mode(mode, smoke=3, quick=15, full=9)
    read_repeats = by_mode(mode, smoke=3, quick=25, full=25)
    items = institutions(n)
    keys = [item.code for item in items]
    print(f"memory_backend: mode={mode}, n={n}, repeats={repeats}/{read_repeats}")

    stores = _Stores()
    writes = compare(
        write_examkit(stores, items),
        write_floor(stores, items),
        repeats=repeats,
        warmup=1,
        setup=stores.reset,
        label="write",
        ops=n,
    )
    backend, floor = writes.examkit_result, writes.baseline_result
    assert stored(backend, keys) == floor.table, "examkit and the floor stored different items"

    reads = compare(
        read_examkit(backend, keys),
        read_floor(floor, keys),
        repeats=read_repeats,
        warmup=1,
        label="read",
        ops=n,
    )
    assert reads.examkit_result == reads.baseline_result == list(items)

    quarter = max(n // 4, 1)
    # Interleave the two sizes and keep each one's best, so that load on the
    # shared machine during one measurement does not pass for growth.
    full_costs, quarter_costs = [], []
    for _ in range(by_mode(mode, smoke=1, quick=5, full=5)):
        full_costs.append(write_cost(items, 2))
        quarter_costs.append(write_cost(items[:quarter], 2))
    growth = min(full_costs) / min(quarter_costs)
    print(f"write_growth: examkit's cost per write at n={n} / at n={quarter}: {growth:.2f}")

    figures: dict[str, Figure] = {
        "mode": mode,
        "n": n,
        "repeats": repeats,
        "write_examkit_us_per_op": round(writes.examkit.per_op(n) * 1e6, 3),
        "write_floor_us_per_op": round(writes.baseline.per_op(n) * 1e6, 3),
        "read_examkit_us_per_op": round(reads.examkit.per_op(n) * 1e6, 3),
        "read_floor_us_per_op": round(reads.baseline.per_op(n) * 1e6, 3),
        "read_ratio": round(reads.ratio, 3),
        "write_growth": round(growth, 3),
    }
    report(
        "memory_backend",
        figures,
        writes.ratio,
        TARGET,
        {"read_ratio": READ_TARGET, "write_growth": GROWTH_TARGET},
    )


if __name__ == "__main__":
    main()
