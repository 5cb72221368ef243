"""The proof's worlds, built once per test session (per xdist worker) and copied per test.

- ``handed_over``: the group handed over centrally, the offline server
  never synchronised (the first sync brings the master data and the package);
- ``synced``: synchronised once, nothing happened in the room yet;
- ``day_done``: synchronised once, then the whole exam day in the room with
  the central system unreachable (the next sync brings the results up);
- ``busy_day``: like ``day_done`` with more than one batch of entries
  (so an up sync takes two requests).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.offline.proof.room import ITEMS, Room, whole_day
from tests.offline.proof.world import Paths, Saved, World, build, open_copy, save

from examkit.backends.sql import SQLBackend
from examkit.offline import MAX_BATCH
from examkit.testing.postgres import PostgresCluster


def fresh_paths(template: Path, folder: Path) -> Paths:
    """Two migrated, empty SQLite files in *folder*: the central store and the offline one."""
    folder.mkdir(parents=True, exist_ok=True)
    central, offline = folder / "central.db", folder / "offline.db"
    shutil.copyfile(template, central)
    shutil.copyfile(template, offline)
    return Paths(f"sqlite:///{central}", offline)


def busy_day(room: Room, saves: int) -> None:
    """Release, sign in, save *saves* times in all (round the candidates and items), hand
    in and close."""
    room.release()
    for candidate in room.candidates:
        room.sign_in(candidate)
    for n in range(saves):
        candidate = room.candidates[n % len(room.candidates)]
        room.save(candidate, ITEMS[n % len(ITEMS)], {"n": n})
        if n % 50 == 0:
            room.clock.advance(seconds=30)
    for candidate in room.candidates:
        room.submit(candidate)
    room.close()


@pytest.fixture(scope="session")
def saved_worlds(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Saved]:
    """The proof's worlds (see the module's description), saved to copy from."""
    root = tmp_path_factory.mktemp("offline-worlds")
    worlds = {"handed_over": save(build(fresh_paths(sqlite_template, root / "b")), root / "t0")}
    days: dict[str, Callable[[Room], None]] = {
        "synced": lambda room: None,
        "day_done": whole_day,
        "busy_day": lambda room: busy_day(room, MAX_BATCH + 40),
    }
    for name, day in days.items():
        world = open_copy(worlds["handed_over"], root / f"{name}-work")
        world.sync()
        world.room.load()
        day(world.room)
        worlds[name] = save(world, root / name)
    return worlds


@pytest.fixture
def world_of(saved_worlds: dict[str, Saved], tmp_path: Path) -> Iterator[WorldOf]:
    """Open a copy of a saved world by name (closed after the test)."""
    opened = WorldOf(saved_worlds, tmp_path)
    yield opened
    opened.close()


class WorldOf:
    """Opens copies of the saved worlds for one test."""

    def __init__(self, saved: dict[str, Saved], folder: Path) -> None:
        self.saved, self.folder, self.opened = saved, folder, list[World]()

    def __call__(self, name: str) -> World:
        world = open_copy(self.saved[name], self.folder / f"{name}-{len(self.opened)}")
        self.opened.append(world)
        return world

    def close(self) -> None:
        for world in self.opened:
            world.close()


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
"""This xdist worker's name: its PostgreSQL databases carry it."""


@pytest.fixture(scope="session")
def postgres_saved_worlds(
    postgres_cluster: PostgresCluster,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Saved]]:
    """The proof's worlds ``handed_over`` and ``day_done`` with central on PostgreSQL.

    Each is a database of its own, the template of every test's copy.
    """
    root = tmp_path_factory.mktemp("offline-pg-worlds")
    made: list[str] = []

    def database(name: str, template: str | None = None) -> str:
        made.append(f"offline_{name}_{WORKER}")
        return postgres_cluster.create_database(made[-1], template=template)

    try:
        url = database("t0")
        SQLBackend(url).close()  # migrated
        paths = fresh_paths(sqlite_template, root / "b")
        world = build(Paths(url, paths.offline))
        worlds = {"handed_over": save(world, root / "t0", central=url)}
        url = database("day", template=made[0])
        world = open_copy(worlds["handed_over"], root / "day-work", central=url)
        world.sync()
        world.room.load()
        whole_day(world.room)
        worlds["day_done"] = save(world, root / "day", central=url)
        yield worlds
    finally:
        for name in made:
            postgres_cluster.drop_database(name)


class PostgresWorldOf:
    """Opens copies of the PostgreSQL worlds for one test (each a database, dropped after)."""

    def __init__(self, cluster: PostgresCluster, saved: dict[str, Saved], folder: Path) -> None:
        self.cluster, self.saved, self.folder = cluster, saved, folder
        self.opened: list[tuple[World, str]] = []

    def __call__(self, name: str) -> World:
        database = f"offline_case_{WORKER}_{len(self.opened)}"
        self.cluster.drop_database(database)
        template = self.saved[name].paths.central.rsplit("/", 1)[1]
        url = self.cluster.create_database(database, template=template)
        folder = self.folder / f"pg-{name}-{len(self.opened)}"
        world = open_copy(self.saved[name], folder, central=url)
        self.opened.append((world, database))
        return world

    def close(self) -> None:
        for world, database in self.opened:
            world.close()
            self.cluster.drop_database(database)


@pytest.fixture
def postgres_world_of(
    postgres_cluster: PostgresCluster,
    postgres_saved_worlds: dict[str, Saved],
    tmp_path: Path,
) -> Iterator[PostgresWorldOf]:
    """Open a copy of a PostgreSQL world by name (its database dropped after the test)."""
    opened = PostgresWorldOf(postgres_cluster, postgres_saved_worlds, tmp_path)
    yield opened
    opened.close()
