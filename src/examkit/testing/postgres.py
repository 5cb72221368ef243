"""A throwaway PostgreSQL cluster for tests: initdb, pg_ctl, a free loopback port.

Embedding teams can use it as we do: start one cluster per test session,
give each test a clean database made from a migrated template.

>>> PostgresCluster.find_bin_dir() is None or PostgresCluster.find_bin_dir().is_dir()
True
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresCluster", "PostgresUnavailable"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs (initdb, pg_ctl) are not installed."""


def _run_as() -> list[str]:
    """Return the command prefix that runs a program as a non-root user (initdb refuses root)."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root needs runuser to start PostgreSQL as 'postgres'")
    return [runuser, "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only.

    Durability is off (``fsync=off``): it exists for tests. Use it as a
    context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, bin_dir: Path | None = None) -> None:
        found = bin_dir if bin_dir is not None else self.find_bin_dir()
        if found is None:
            raise PostgresUnavailable("PostgreSQL's initdb and pg_ctl were not found")
        self.bin_dir = found
        self.port = 0
        self._folder: Path | None = None

    @staticmethod
    def find_bin_dir() -> Path | None:
        """Return the folder with initdb and pg_ctl (newest Debian version first), if any."""
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
            reverse=True,
        )
        for candidate in candidates:
            if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
                return candidate
        initdb = shutil.which("initdb")
        return Path(initdb).parent if initdb else None

    def start(self) -> None:
        """Create and start the cluster."""
        prefix = _run_as()
        folder = Path(tempfile.mkdtemp(prefix="examkit-pg-"))
        self._folder = folder
        if prefix:
            shutil.chown(folder, "postgres", "postgres")
        data, sockets, log = folder / "data", folder / "sockets", folder / "server.log"
        sockets.mkdir()
        if prefix:
            shutil.chown(sockets, "postgres", "postgres")
        subprocess.run(  # noqa: S603 - fixed programs from the PostgreSQL installation
            [
                *prefix,
                str(self.bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        self.port = _free_port()
        options = (
            f"-F -p {self.port} -k {sockets} -c listen_addresses=127.0.0.1 "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(  # noqa: S603 - fixed programs from the PostgreSQL installation
            [
                *prefix,
                str(self.bin_dir / "pg_ctl"),
                *("-D", str(data), "-o", options, "-l", str(log)),
                *("-w", "-t", "60", "start"),
            ],
            check=True,
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of *database* in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        """Run one statement on the ``postgres`` database, outside a transaction."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement.encode())

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create database *name* (from *template*, when given); return its URL."""
        clause = f' TEMPLATE "{template}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database *name*, ending any connection to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the cluster and remove its folder."""
        folder = self._folder
        if folder is None:
            return
        self._folder = None
        subprocess.run(  # noqa: S603 - fixed programs from the PostgreSQL installation
            [
                *_run_as(),
                str(self.bin_dir / "pg_ctl"),
                *("-D", str(folder / "data"), "-m", "immediate", "-w", "stop"),
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
