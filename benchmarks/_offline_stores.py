"""The offline-sync benchmark's central stores: a fresh copy of a template per run.

Not a benchmark itself (:mod:`benchmarks.offline_sync` uses it). The central
system's store is built once per database kind (a template) and every timed
run gets a fresh copy of it: on SQLite the file copied, on PostgreSQL a
database created from the template (``CREATE DATABASE ... TEMPLATE``). The
baseline gets a database of its own per kind, emptied before every run.
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from pathlib import Path

from examkit.testing.postgres import PostgresCluster


class Stores(ABC):
    """The central stores of one database kind: a template, its copies, the baseline's."""

    name: str
    """``sqlite`` or ``postgres``."""

    def __init__(self) -> None:
        self._count = 0
        self._made: list[str] = []

    @abstractmethod
    def template_url(self) -> str:
        """Return the URL of the (empty) template database, created on the first call."""

    @abstractmethod
    def copy(self, name: str) -> str:
        """Return the URL of a fresh copy of the template, named from *name*."""

    @abstractmethod
    def drop(self, url: str) -> None:
        """Remove the copy at *url*."""

    @abstractmethod
    def baseline_url(self) -> str:
        """Return the URL of the baseline's database (the same every call)."""

    def fresh(self, side: str) -> str:
        """Return a fresh copy of the template for one run of *side*; drop the previous one."""
        self.release()
        self._count += 1
        url = self.copy(f"offline_{side}_{self._count}")
        self._made.append(url)
        return url

    def release(self) -> None:
        """Drop the copies made so far."""
        while self._made:
            self.drop(self._made.pop())

    def close(self) -> None:
        """Drop everything made."""
        self.release()


class SQLiteStores(Stores):
    """SQLite files in *folder*."""

    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def template_url(self) -> str:
        return f"sqlite:///{self.folder / 'central_template.db'}"

    def copy(self, name: str) -> str:
        target = self.folder / f"{name}.db"
        copy_sqlite(self.folder / "central_template.db", target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        remove_sqlite(Path(url.removeprefix("sqlite:///")))

    def baseline_url(self) -> str:
        return f"sqlite:///{self.folder / 'baseline.db'}"


class PostgresStores(Stores):
    """Databases in one cluster."""

    name = "postgres"
    template = "offline_central_template"

    def __init__(self, cluster: PostgresCluster) -> None:
        super().__init__()
        self.cluster = cluster
        self._template_made = False
        self._baseline_made = False

    def template_url(self) -> str:
        if not self._template_made:
            self.cluster.create_database(self.template)
            self._template_made = True
        return self.cluster.url(self.template)

    def copy(self, name: str) -> str:
        return self.cluster.create_database(name, template=self.template)

    def drop(self, url: str) -> None:
        self.cluster.drop_database(url.rsplit("/", 1)[1])

    def baseline_url(self) -> str:
        if not self._baseline_made:
            self.cluster.create_database("offline_baseline")
            self._baseline_made = True
        return self.cluster.url("offline_baseline")


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy the SQLite file *source* (closed, checkpointed) to *target*, replacing it."""
    remove_sqlite(target)
    shutil.copyfile(source, target)


def remove_sqlite(path: Path) -> None:
    """Remove the SQLite file *path* with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
