"""Statements compiled once per dialect and run on the driver's own cursor: the hot paths.

SQLAlchemy Core builds a statement object, derives its cache key, makes an
execution context and wraps the result at every call: 30 to 150 µs a
statement on the machine the sign-in benchmark runs on, against 2 to 5 µs
for the driver itself. The statements a sign-in runs many times (counters,
tokens, the audit trail, a repository's get, add, update and remove) are
therefore written once as Core statements with named parameters, compiled
once per dialect, and executed on the unit of work's DBAPI connection. The
SQL is SQLAlchemy's own, for the same tables; only the per-call machinery
is skipped. Driver errors are translated at this boundary as everywhere
else: nothing from ``sqlite3`` or ``psycopg`` escapes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from examkit.backends.sql._errors import as_storage_error
from examkit.errors import ExamkitError

Build = Callable[[str], ClauseElement]
"""Makes the statement for a dialect name (``sqlite``, ``postgresql``)."""


class Prepared:
    """One statement, compiled once per dialect, executed on the driver's cursor.

    Args:
        build: Returns the Core statement for a dialect name; its parameters
            are named ``bindparam`` values.
    """

    def __init__(self, build: Build) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def text(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
        """Return the SQL for *dialect*, its parameter order and its literals' values.

        The order is that of a positional driver (``None`` for a named one);
        the literals are the statement's own values (``attempt_count = 1``).
        """
        found = self._compiled.get(dialect.name)
        if found is None:
            with self._lock:
                compiled = self._build(dialect.name).compile(dialect=dialect)
                positions = getattr(compiled, "positiontup", None) or ()
                order = tuple(positions) if dialect.positional else None
                literals = {
                    name: bind.effective_value
                    for name, bind in compiled.binds.items()  # type: ignore[attr-defined]
                    if not bind.required
                }
                found = self._compiled[dialect.name] = (str(compiled), order, literals)
        return found

    def run(self, conn: Connection, /, **params: Any) -> Any:
        """Execute with *params* on the DBAPI connection of *conn*; return the driver's cursor.

        Raises:
            StorageError: the driver failed (busy, gone, ...).
        """
        sql, order, literals = self.text(conn.dialect)
        values = {**literals, **params} if literals else params
        args: Any = values if order is None else tuple(map(values.__getitem__, order))
        return run_sql(conn, sql, args)


def run_sql(conn: Connection, sql: str, args: Any) -> Any:
    """Execute *sql* with *args* as the driver takes them on *conn*'s DBAPI connection.

    Returns the driver's cursor.

    Raises:
        StorageError: the driver failed (busy, gone, ...).
    """
    try:
        return conn.connection.driver_connection.execute(sql, args)  # type: ignore[union-attr]
    except ExamkitError:
        raise
    except Exception as error:
        if _is_driver_error(error):
            raise as_storage_error(error) from error
        raise


def execute_plain(conn: Connection, sql: str) -> None:
    """Run a statement without parameters (``BEGIN``, ``COMMIT``) on the driver's cursor."""
    # The driver's errors turned into StorageError in line (not by a context manager: this
    # runs twice per unit of work, where a generator context manager costs ~5 µs).
    try:
        conn.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
    except ExamkitError:
        raise
    except Exception as error:
        if _is_driver_error(error):
            raise as_storage_error(error) from error
        raise


def _is_driver_error(error: Exception) -> bool:
    module = type(error).__module__
    return module.startswith(("sqlite3", "psycopg", "_sqlite3"))
