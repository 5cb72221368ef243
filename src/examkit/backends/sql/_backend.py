"""The SQL backend: SQLite (embedded default) and PostgreSQL, on SQLAlchemy Core."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from examkit.backends.sql._errors import as_storage_error, translated
from examkit.backends.sql._migrate import heads, known_revisions, upgrade
from examkit.backends.sql._prepared import execute_plain
from examkit.backends.sql._schema import tables_for
from examkit.backends.sql._tables import RECORD_TABLES, metadata
from examkit.backends.sql._transaction import CompiledStatements, SQLTransaction
from examkit.errors import ConfigurationError, ExamkitError
from examkit.records import RecordsUnit
from examkit.storage import Capabilities, RecordType, WritingUnits

P = TypeVar("P")

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]


class SQLBackend:
    """A backend on an SQL database: SQLite for one machine, PostgreSQL for several.

    ``SQLBackend("sqlite:///path/examkit.db")`` keeps everything in one file,
    in WAL mode, with ``synchronous=NORMAL``: a commit survives a crash of
    the program, and only an operating-system crash or power loss can lose
    the last commits (never corrupt the file). Choose
    ``synchronous="FULL"`` where even that is unacceptable, at some cost per
    commit. Writing units begin with ``BEGIN IMMEDIATE``, so writers queue
    (up to *busy_timeout* seconds) instead of failing halfway; readers never
    wait. Each thread keeps its last SQLite connection for its next unit
    of work (a pool checkout costs more than a whole SQLite statement);
    :meth:`close` closes them all.

    ``SQLBackend("postgresql+psycopg://user@host/db")`` uses a connection
    pool sized for concurrent use (*pool_size* + *max_overflow*). Writing
    units run at READ COMMITTED, reading units at REPEATABLE READ READ ONLY
    (a stable snapshot).

    The schema is brought to the newest migration when the backend opens,
    unless *migrate* is false (then run ``examkit.backends.sql.upgrade``
    yourself).

    Args:
        url: An SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).
        synchronous: SQLite's synchronous mode (``NORMAL`` by default).
        busy_timeout: Seconds a writer waits for another (SQLite) or for a
            pooled connection.
        pool_size: PostgreSQL: connections kept open.
        max_overflow: PostgreSQL: extra connections allowed under load.
        migrate: Bring the schema to the newest migration on open.
        records: Records declared besides examkit's own (a portal's, a
            test's): their tables are built from the declarations and
            created when missing, outside the migrations.

    Raises:
        ConfigurationError: the URL is unusable or names an unsupported database.
    """

    def __init__(
        self,
        url: str,
        *,
        synchronous: Synchronous = "NORMAL",
        busy_timeout: float = 30.0,
        pool_size: int = 10,
        max_overflow: int = 20,
        migrate: bool = True,
        records: Sequence[RecordType[Any, Any]] = (),
    ) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as error:
            raise ConfigurationError("config.invalid", reason=str(error)) from None
        self.dialect = parsed.get_backend_name()
        self.synchronous = synchronous
        self.busy_timeout = busy_timeout
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database in {"", ":memory:"} or database.startswith("file::memory:"):
                raise ConfigurationError("sql.sqlite.memory")
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                parsed,
                connect_args={"check_same_thread": False, "timeout": busy_timeout},
                isolation_level="AUTOCOMMIT",
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_timeout=busy_timeout,
                pool_reset_on_return=None,
            )
            event.listen(self.engine, "connect", self._configure_sqlite)
        elif self.dialect == "postgresql":
            self.engine = create_engine(
                parsed,
                isolation_level="AUTOCOMMIT",
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_timeout=busy_timeout,
                pool_pre_ping=True,
                pool_reset_on_return=None,
            )
        else:
            raise ConfigurationError("sql.dialect.unsupported", dialect=self.dialect)
        self.capabilities = Capabilities(threads=True, snapshot_reads=True)
        self._kept = threading.local()
        self._kept_all: weakref.WeakSet[_Kept] = weakref.WeakSet()
        self._kept_limit = pool_size
        self._kept_lock = threading.Lock()
        self._writing = WritingUnits()
        taken = [record.name for record in records if record.name in RECORD_TABLES]
        if taken:
            raise ConfigurationError("sql.record.taken", record=taken[0])
        extra = MetaData(naming_convention=metadata.naming_convention)
        self.extra_tables = tables_for(records, extra)
        """The tables of the records given besides examkit's own (created on open)."""
        self._tables = {**RECORD_TABLES, **self.extra_tables}
        self._compiled = CompiledStatements()
        if migrate:
            self.upgrade()
        if self.extra_tables:
            with translated(), self.engine.begin() as conn:
                extra.create_all(conn)

    def upgrade(self) -> None:
        """Bring the database to the newest migration, in a transaction of its own.

        The backend's own connections run in autocommit mode (each unit of
        work issues its own ``BEGIN``), so migrations get a separate,
        short-lived engine whose transactions SQLAlchemy manages.
        """
        parsed = self.engine.url
        if self.dialect == "sqlite":
            migrating = create_engine(
                parsed,
                connect_args={"check_same_thread": False, "timeout": self.busy_timeout},
                poolclass=NullPool,
            )
            event.listen(migrating, "connect", self._configure_sqlite)
            event.listen(migrating, "begin", _begin_sqlite)
        else:
            migrating = create_engine(parsed, poolclass=NullPool)
        try:
            with translated():
                upgrade(migrating)
        finally:
            migrating.dispose()

    def schema_status(self) -> Literal["current", "behind", "ahead"]:
        """Return where the database's migration stands against the shipped ones.

        ``behind``: older than the newest shipped (run :meth:`upgrade`);
        ``ahead``: a revision this release does not ship (a newer release
        migrated it).
        """
        with translated(), self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        shipped = heads()
        if current in shipped:
            return "current"
        if current is None or current in known_revisions():
            return "behind"
        return "ahead"

    def _configure_sqlite(self, dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={self.synchronous}")
            cursor.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    def begin(self, *, readonly: bool = False) -> RecordsUnit:
        """Start a unit of work (a reading one with *readonly*)."""
        conn = self._begun(self._begin_statement(readonly))
        held = None if readonly else self._writing.opened()
        return RecordsUnit(
            SQLTransaction(
                conn,
                readonly=readonly,
                tables=self._tables,
                compiled=self._compiled,
                release=self._release,
                held=held,
            )
        )

    def _begun(self, statement: str) -> Connection:
        """Return a connection on which *statement* (the unit's ``BEGIN``) ran.

        This thread's kept connection when it has one; when the database
        dropped it meanwhile (a restart, an idle timeout), it is discarded
        and the unit begins on one from the pool, which checks its
        connections before handing them out (``pre_ping``).
        """
        kept = self._take_kept()
        if kept is not None:
            try:
                execute_plain(kept, statement)
            except BaseException as error:
                if not self._disconnected(kept, error):
                    self._drop(kept)
                    raise
                kept.invalidate()
                kept.close()
            else:
                return kept
        try:
            conn = self.engine.connect()
        except SQLAlchemyError as error:
            raise as_storage_error(error) from error
        try:
            execute_plain(conn, statement)
        except BaseException as error:
            self._drop(conn)
            if isinstance(error, Exception) and not isinstance(error, ExamkitError):
                raise as_storage_error(error) from error
            raise
        return conn

    def _disconnected(self, conn: Connection, error: BaseException) -> bool:
        """Return whether *error* (raised on *conn*, or its cause) says the database dropped it."""
        cause: Any = error.__cause__ if isinstance(error, ExamkitError) else error
        dialect = self.engine.dialect
        if not isinstance(cause, dialect.loaded_dbapi.Error):
            return False
        return bool(dialect.is_disconnect(cause, conn.connection.dbapi_connection, None))

    def after_writing(self, action: Callable[[], None]) -> bool:
        """Run *action* once the writing unit this thread holds has closed (``False``: none)."""
        return self._writing.after(action)

    def _take_kept(self) -> Connection | None:
        """Return this thread's kept connection (and keep it no longer), or ``None``."""
        kept: _Kept | None = getattr(self._kept, "holder", None)
        if kept is not None and kept.conn is not None:
            conn, kept.conn = kept.conn, None
            if not (conn.closed or conn.invalidated):
                return conn
            conn.close()
        return None

    def _release(self, conn: Connection) -> None:
        """Keep *conn* for this thread's next unit, or give it back to the pool.

        At most *pool_size* threads keep one; a thread's kept connection goes
        back to the pool when the thread ends.
        """
        if not (conn.closed or conn.invalidated):
            kept: _Kept | None = getattr(self._kept, "holder", None)
            if kept is None:
                with self._kept_lock:
                    if len(self._kept_all) < self._kept_limit:
                        kept = self._kept.holder = _Kept()
                        self._kept_all.add(kept)
            if kept is not None and kept.conn is None:
                kept.conn = conn
                return
        conn.close()

    def _drop(self, conn: Connection) -> None:
        conn.close()

    def _begin_statement(self, readonly: bool) -> str:
        if self.dialect == "sqlite":
            return "BEGIN" if readonly else "BEGIN IMMEDIATE"
        if readonly:
            return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        return "BEGIN ISOLATION LEVEL READ COMMITTED"

    def close(self) -> None:
        """Close every kept and pooled connection."""
        with self._kept_lock:
            kept, self._kept_all = list(self._kept_all), weakref.WeakSet()
        for holder in kept:
            holder.close()
        self._kept = threading.local()
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"SQLBackend({self.engine.url.render_as_string(hide_password=True)!r})"


class _Kept:
    """A thread's kept SQLite connection; back to the pool when the thread ends."""

    def __init__(self) -> None:
        self.conn: Connection | None = None

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # a pool closing at exit: nothing left to tell
            self.close()


def _begin_sqlite(conn: Connection) -> None:
    """Give SQLAlchemy-managed SQLite transactions (migrations) a real BEGIN."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")
