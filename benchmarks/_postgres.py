"""Shared PostgreSQL part of the database benchmarks: the cluster they run on.

Not a benchmark itself. A benchmark run from the command line starts a
throwaway :class:`~examkit.testing.postgres.PostgresCluster` of its own and
stops it at the end. The smoke test (tests/benchmarks) runs every benchmark
with ``--smoke`` inside a test worker that has already started such a
cluster; it names that cluster's port in ``EXAMKIT_BENCH_POSTGRES_PORT``,
and the benchmark then borrows it instead of starting another (about 1 to
2 s of ``initdb`` and ``pg_ctl`` saved per benchmark), creating its
databases there and dropping them all when it stops. ``--quick`` and full
runs are always run from the command line, on a cluster of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

from examkit.testing.postgres import PostgresCluster

LENT_PORT = "EXAMKIT_BENCH_POSTGRES_PORT"
"""The environment variable naming the port of a running cluster to borrow."""


class LentCluster(PostgresCluster):
    """A running cluster on this machine, borrowed: start attaches, stop drops what was made."""

    def __init__(self, bin_dir: Path, port: int) -> None:
        super().__init__(bin_dir)
        self._lent_port = port
        self._before: frozenset[str] = frozenset()

    def _databases(self) -> frozenset[str]:
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres"
        ) as connection:
            return frozenset(
                row[0] for row in connection.execute("SELECT datname FROM pg_database")
            )

    def start(self) -> None:
        """Attach to the running cluster and note the databases it already has."""
        self.port = self._lent_port
        self._before = self._databases()

    def stop(self) -> None:
        """Drop every database made since :meth:`start`; the cluster keeps running."""
        if not self.port:
            return
        for name in sorted(self._databases() - self._before):
            self.drop_database(name)
        self.port = 0


def postgres_cluster(bin_dir: Path) -> PostgresCluster:
    """Return the cluster for this run (not yet started): a new one, or the lent one."""
    port = os.environ.get(LENT_PORT, "")
    return LentCluster(bin_dir, int(port)) if port else PostgresCluster(bin_dir)
