"""Shared SQLite parts of the database benchmarks: files and a bare connection.

Not a benchmark itself: the benchmarks using it take ``--quick`` and ``--smoke``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from examkit.backends.sql import SQLBackend

BUSY_TIMEOUT = 30.0
"""Seconds a writer waits, as examkit's SQLBackend default."""


def create_database(folder: Path, name: str) -> str:
    """Create and migrate an SQLite file *name* in *folder*; return its path."""
    path = folder / f"{name}.db"
    SQLBackend(f"sqlite:///{path}").close()  # creates the file and migrates it
    return str(path)


def drop_database(handle: str) -> None:
    """Remove the SQLite file *handle* with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(handle + suffix).unlink(missing_ok=True)


def connect_like_examkit(handle: str, busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open *handle* with the bare driver and examkit's default settings (the baseline's side).

    WAL, ``synchronous=NORMAL``, the busy timeout and foreign keys, in
    autocommit mode so the caller issues its own ``BEGIN``.
    """
    connection = sqlite3.connect(
        handle, isolation_level=None, check_same_thread=False, timeout=busy_timeout
    )
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection
