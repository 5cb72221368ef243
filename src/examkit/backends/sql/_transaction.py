"""A transaction of the SQL backend: the storage primitives on the declared records' tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Integer, and_, bindparam, delete, exists, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from examkit.audit import AuditEvent
from examkit.backends.sql._errors import as_storage_error
from examkit.backends.sql._errors import translating_call as _translated
from examkit.backends.sql._fast import (
    SQLAttemptCounter,
    SQLAuditStore,
    SQLResponses,
    SQLTokenStore,
    flush_audit,
)
from examkit.backends.sql._prepared import Prepared, execute_plain
from examkit.backends.sql._schema import DecodedRows, RecordTable, column_of
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidState, NotFound
from examkit.storage import HeldUnit, IndexValue, RecordType, distinct_keys, is_storable_text

T = TypeVar("T")

MANY_CHUNK: Final = 400
"""How many keys one ``SELECT ... WHERE record_key IN (...)`` of ``get_many`` asks for."""


def _dialect_insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _child_insert(child: Any) -> Callable[[str], Any]:
    def build(_: str) -> Any:
        return insert(child).values(
            record_key=bindparam("p_record_key"), value=bindparam("p_value")
        )

    return build


class _Statements:
    """The single-row statements of one record's table, compiled once per dialect."""

    def __init__(self, table: RecordTable) -> None:
        main = table.table
        key = main.c.record_key
        row_columns: dict[str, Any] = {
            column.name: bindparam(f"p_{column.name}") for column in main.columns
        }
        self.get = Prepared(
            lambda _: select(main.c.version, main.c.data).where(key == bindparam("w_key"))
        )
        self.insert = Prepared(
            lambda dialect: (
                _dialect_insert(dialect)(main)
                .values(row_columns)
                .on_conflict_do_nothing()
                .returning(key)
            )
        )
        changed = {name: value for name, value in row_columns.items() if name != "record_key"}
        self.update = Prepared(
            lambda _: (
                update(main)
                .where(key == bindparam("w_key"), main.c.version == bindparam("w_version"))
                .values(changed)
            )
        )
        self.delete = Prepared(lambda _: delete(main).where(key == bindparam("w_key")))
        self.delete_version = Prepared(
            lambda _: delete(main).where(
                key == bindparam("w_key"), main.c.version == bindparam("w_version")
            )
        )
        self.many = select(key, main.c.version, main.c.data).where(
            key.in_(bindparam("w_keys", expanding=True))
        )
        """The SELECT of ``get_many``: the keys as one expanding parameter (built once)."""
        self.version = Prepared(lambda _: select(main.c.version).where(key == bindparam("w_key")))
        self.between = Prepared(
            lambda _: (
                select(key, main.c.data)
                .where(key >= bindparam("w_first"), key <= bindparam("w_last"))
                .order_by(key)
            )
        )
        """The SELECT of capability ``stored_json``: keys and stored JSON in a range of keys."""
        self.insert_plain = Prepared(lambda _: insert(main).values(row_columns))
        self.insert_child = {
            name: Prepared(_child_insert(child)) for name, child in table.children.items()
        }
        self.decoded = DecodedRows(table.value) if table.reused else None
        """The values decoded from this backend's reads by key, for a reused record."""


class SQLMany:
    """Capability ``many``: records by key, one ``SELECT ... IN`` per :data:`MANY_CHUNK` keys."""

    def __init__(self, transaction: SQLTransaction) -> None:
        self._tx = transaction

    def get_many(self, record: RecordType[Any, T], keys: Iterable[str]) -> Mapping[str, T]:
        """Return the records of *record*'s kind with *keys*, by key; missing keys are absent.

        Decoded as :meth:`SQLTransaction.get` decodes (a reused record's
        decoded values are reused); each key is asked once, in the order asked.
        """
        return self._tx.get_many(record, keys)


class SQLStoredJson:
    """Capability ``stored_json``: records' stored JSON text in a range of keys, in one SELECT."""

    def __init__(self, transaction: SQLTransaction) -> None:
        self._tx = transaction

    def between(self, record: RecordType[Any, Any], first: str, last: str) -> list[tuple[str, str]]:
        """Return ``(key, stored JSON text)`` of each record with a key from *first* to *last*.

        In key order (as text), both bounds included; the text is the row's
        data as stored (the record without its version, as the backend wrote
        it: the converter's JSON, keys sorted, compact), read and handed back
        undecoded.
        """
        return self._tx.stored_json(record, first, last)


_CAPABILITIES: dict[str, Any] = {
    "many": SQLMany,
    "stored_json": SQLStoredJson,
    "counters": SQLAttemptCounter,
    "tokens": SQLTokenStore,
    "audit": SQLAuditStore,
    "responses": SQLResponses,
}
"""The backend's one-statement capabilities, by name."""


class SQLTransaction:
    """One transaction on one connection: the primitives, and the backend's fast paths.

    Reading transactions refuse writes (``storage.readonly``); a closed one
    refuses everything (``storage.unit_closed``). Records with unique
    values or child rows are written inside a savepoint, so a refused write
    leaves the transaction as it was (PostgreSQL aborts a transaction on a
    failed statement otherwise).
    """

    def __init__(
        self,
        conn: Connection,
        *,
        readonly: bool,
        tables: Mapping[str, RecordTable],
        compiled: CompiledStatements,
        release: Callable[[Connection], None] | None = None,
        held: HeldUnit | None = None,
    ) -> None:
        self._conn: Connection | None = conn
        self._compiled = compiled
        self._release = release if release is not None else Connection.close
        self._held = held
        self._tables = tables
        self.readonly = readonly
        self._savepoint_counter = 0
        self.pending_audit: list[AuditEvent] = []
        """Audit events appended in this unit, written in one statement before it commits."""

    # -- the primitives ----------------------------------------------------------------------

    def get(self, record: RecordType[Any, T], key: str) -> T | None:
        """Return the record with *key*, or ``None``."""
        table = self._table(record)
        conn = self.readable()
        if not is_storable_text(key):  # cannot be stored, so is not: the store is not asked
            return None
        statements = self._compiled.of(table)
        row = statements.get.run(conn, w_key=key).fetchone()
        if row is None:
            return None
        decoded = statements.decoded
        found: T = (
            table.value(row[0], row[1]) if decoded is None else decoded.value(key, row[0], row[1])
        )
        return found

    def get_many(self, record: RecordType[Any, T], keys: Iterable[str]) -> Mapping[str, T]:
        """Return the records with *keys*, by key, in the order asked; missing keys are absent."""
        table = self._table(record)
        conn = self.readable()
        asked = [key for key in distinct_keys(keys) if is_storable_text(key)]
        if len(asked) == 1:  # one key: get's prepared statement, cheaper than an IN
            one = self.get(record, asked[0])
            return {} if one is None else {asked[0]: one}
        statements = self._compiled.of(table)
        decoded = statements.decoded
        rows: dict[str, tuple[int, Any]] = {}
        for start in range(0, len(asked), MANY_CHUNK):
            chunk = asked[start : start + MANY_CHUNK]
            for row in conn.execute(statements.many, {"w_keys": chunk}):
                rows[str(row[0])] = (row[1], row[2])
        found: dict[str, T] = {}
        for key in asked:
            row_values = rows.get(key)
            if row_values is None:
                continue
            version, data = row_values
            found[key] = (
                table.value(version, data) if decoded is None else decoded.value(key, version, data)
            )
        return found

    def stored_json(
        self, record: RecordType[Any, Any], first: str, last: str
    ) -> list[tuple[str, str]]:
        """Return each stored key from *first* to *last* with its row's JSON text, in key order."""
        table = self._table(record)
        conn = self.readable()
        if not (is_storable_text(first) and is_storable_text(last)):
            return []
        rows = self._compiled.of(table).between.run(conn, w_first=first, w_last=last)
        return [(str(key), str(data)) for key, data in rows.fetchall()]

    @_translated
    def insert(self, record: RecordType[Any, T], items: Sequence[T]) -> None:
        """Store new *items*, all or nothing."""
        table = self._table(record)
        conn = self.writable()
        rows = [table.row(item, 1) for item in items]
        if not rows:
            return
        keys = [row["record_key"] for row in rows]
        repeated = _first_repeat(keys)
        if repeated is not None:
            raise AlreadyExists(kind=record.kind, key=repeated)
        _refuse_repeated_values(record, items)
        plain = not any(index.unique or index.many for index in record.indexes)
        if plain and len(rows) == 1:
            params = {f"p_{name}": value for name, value in rows[0].items()}
            if self._compiled.of(table).insert.run(conn, **params).fetchone() is None:
                raise AlreadyExists(kind=record.kind, key=keys[0])
            return
        children: dict[str, list[dict[str, Any]]] = {}
        for item in items if table.children else ():
            for name, child_rows in table.child_rows(item).items():
                children.setdefault(name, []).extend(child_rows)
        statements = self._compiled.of(table)
        try:
            with self.savepoint():
                _executemany(conn, statements.insert_plain, rows)
                for name, child_rows in children.items():
                    if child_rows:
                        _executemany(conn, statements.insert_child[name], child_rows)
        except _IntegrityError:
            raise self._conflict(table, items) from None

    @_translated
    def replace(self, record: RecordType[Any, T], item: T, *, version: int) -> None:
        """Store *item* over the stored record of its key, which must be at *version*."""
        table = self._table(record)
        conn = self.writable()
        row, kept = table.written(item)
        key = row.pop("record_key")
        params = {f"p_{name}": value for name, value in row.items()}
        statements = self._compiled.of(table)
        if not any(index.unique or index.many for index in record.indexes):
            result = statements.update.run(conn, w_key=key, w_version=version, **params)
            if result.rowcount != 1:
                raise self._missing_or_stale(table, key)
            decoded = statements.decoded
            if decoded is not None and kept:  # its next read needs no decoding
                decoded.keep(key, row["version"], row["data"], item)
            return
        main = table.table
        try:
            with self.savepoint():
                result = conn.execute(
                    update(main)
                    .where(main.c.record_key == key, main.c.version == version)
                    .values(**row)
                )
                if result.rowcount != 1:
                    raise self._missing_or_stale(table, key)
                for name, child_rows in table.child_rows(item).items():
                    child = table.children[name]
                    conn.execute(delete(child).where(child.c.record_key == key))
                    if child_rows:
                        conn.execute(insert(child), child_rows)
        except sa_exc.IntegrityError:
            raise self._conflict(table, [item], replacing=key) from None

    @_translated
    def delete(self, record: RecordType[Any, T], key: str, *, version: int | None) -> None:
        """Remove the record with *key* (only at *version*, when given); child rows cascade."""
        table = self._table(record)
        conn = self.writable()
        statements = self._compiled.of(table)
        if not is_storable_text(key):
            raise NotFound(kind=record.kind, key=key)
        if table.children:
            for child in table.children.values():
                conn.execute(delete(child).where(child.c.record_key == key))
        if version is None:
            result = statements.delete.run(conn, w_key=key)
        else:
            result = statements.delete_version.run(conn, w_key=key, w_version=version)
        if result.rowcount == 0:
            raise self._missing_or_stale(table, key)

    def find(
        self,
        record: RecordType[Any, T],
        *,
        where: Mapping[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Sequence[T]:
        """Return the records with every value of *where*, in listing order."""
        table = self._table(record)
        conn = self.readable()
        if not all(_storable(value) for value in where.values()):
            return ()
        names = tuple(sorted(where))
        shape = (
            table.table,
            names,
            None if at_most is None else at_most[0],
            after is not None,
            limit is not None,
        )
        statement = self._compiled.find(table, shape)
        params: dict[str, Any] = {f"w_{name}": where[name] for name in names}
        if at_most is not None:
            params["w_at_most"] = at_most[1]
        if after is not None:
            params["w_after"] = after
        if limit is not None:
            params["w_limit"] = limit
        rows = statement.run(conn, **params).fetchall()
        decoded = self._compiled.of(table).decoded
        if decoded is None:
            return tuple(table.value(row[1], row[2]) for row in rows)
        return tuple(decoded.value(row[0], row[1], row[2]) for row in rows)

    def capability(self, name: str) -> Any:
        """Return this backend's counter, tokens, audit, response save or reads by many keys."""
        self.readable()
        kind = _CAPABILITIES.get(name)
        return None if kind is None else kind(self)

    # -- the connection and its transaction -----------------------------------------------

    def readable(self) -> Connection:
        """Return the connection to read with; refuse when closed."""
        if self._conn is None:
            raise InvalidState("storage.unit_closed")
        return self._conn

    def writable(self) -> Connection:
        """Return the connection to write with; refuse when closed or reading only."""
        conn = self.readable()
        if self.readonly:
            raise InvalidState("storage.readonly")
        return conn

    @contextmanager
    def savepoint(self) -> Iterator[None]:  # the caller translates what it raises
        """Run the block in a savepoint: a failure undoes the block, not the transaction."""
        conn = self.writable()
        self._savepoint_counter += 1
        name = f"examkit_sp_{self._savepoint_counter}"
        conn.exec_driver_sql(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")
            conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
            raise
        conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")

    def commit(self) -> None:
        """Commit everything written (the pending audit events first), all at once, and close."""
        conn = self.readable()
        if self.pending_audit:
            try:
                flush_audit(self)
            except BaseException:
                self.rollback()
                raise
        self._conn = None
        try:
            execute_plain(conn, "COMMIT")
        except BaseException:
            _quiet_rollback(conn)
            raise
        finally:
            self._release(conn)
            self._closed()

    def rollback(self) -> None:
        """Discard everything written and close."""
        conn = self._conn
        if conn is None:
            return
        self._conn = None
        self.pending_audit = []
        try:
            _quiet_rollback(conn)
        finally:
            self._release(conn)
            self._closed()

    # -- helpers -------------------------------------------------------------------------------

    def _table(self, record: RecordType[Any, Any]) -> RecordTable:
        return self._tables[record.name]

    def _closed(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def _missing_or_stale(self, table: RecordTable, key: str) -> NotFound | ConcurrentModification:
        row = self._compiled.of(table).version.run(self.readable(), w_key=key).fetchone()
        if row is None:
            return NotFound(kind=table.record.kind, key=key)
        return ConcurrentModification(kind=table.record.kind, key=key)

    def _conflict(
        self, table: RecordTable, items: Sequence[Any], *, replacing: str | None = None
    ) -> AlreadyExists:
        """Name what a refused write clashed with: a key, else a unique value."""
        conn = self.readable()
        record, main = table.record, table.table
        if replacing is None:
            keys = [record.key_text(item) for item in items]
            for start in range(0, len(keys), 500):
                taken = conn.execute(
                    select(main.c.record_key).where(
                        main.c.record_key.in_(keys[start : start + 500])
                    )
                ).first()
                if taken is not None:
                    return AlreadyExists(kind=record.kind, key=str(taken[0]))
        for item in items:
            key = record.key_text(item)
            for index in record.indexes:
                if not index.unique:
                    continue
                for value in index.values(item):
                    if index.many:
                        child = table.children[index.name]
                        owner = conn.execute(
                            select(child.c.record_key).where(child.c.value == value)
                        ).first()
                    else:
                        column = main.c[column_of(index.name)]
                        owner = conn.execute(
                            select(main.c.record_key).where(column == value)
                        ).first()
                    if owner is not None and owner[0] != key:
                        return AlreadyExists(
                            "storage.unique", kind=record.kind, index=index.name, value=str(value)
                        )
        return AlreadyExists(kind=record.kind, key=record.key_text(items[0]))


class _IntegrityError(Exception):
    """A unique key or value was taken: raised out of :func:`_executemany`."""


def _executemany(conn: Connection, statement: Prepared, rows: Sequence[dict[str, Any]]) -> None:
    """Run *statement* once per row on the driver's cursor (a bulk write, one round trip)."""
    sql, order, _ = statement.text(conn.dialect)
    if order is None:
        args: list[Any] = [{f"p_{name}": value for name, value in row.items()} for row in rows]
    else:
        args = [tuple(row[name[2:]] for name in order) for row in rows]
    driver = conn.connection.driver_connection
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, args)
    except conn.dialect.loaded_dbapi.IntegrityError as error:
        raise _IntegrityError from error
    except Exception as error:
        if type(error).__module__.startswith(("sqlite3", "psycopg", "_sqlite3")):
            raise as_storage_error(error) from error
        raise
    finally:
        cursor.close()


class CompiledStatements:
    """A backend's compiled statements: each table's single-row ones, and one per find shape.

    Statement text only, compiled once per backend (no data is kept); a
    backend's own records' tables come and go with it.
    """

    __slots__ = ("_finds", "_statements")

    def __init__(self) -> None:
        self._statements: dict[Any, _Statements] = {}
        self._finds: dict[tuple[Any, ...], Prepared] = {}

    def of(self, table: RecordTable) -> _Statements:
        """Return the compiled single-row statements of *table* (made once)."""
        found = self._statements.get(table.table)
        if found is None:
            found = self._statements.setdefault(table.table, _Statements(table))
        return found

    def find(self, table: RecordTable, shape: tuple[Any, ...]) -> Prepared:
        """Return the SELECT of one find shape (table, values asked, bound, paging)."""
        found = self._finds.get(shape)
        if found is None:
            found = self._finds.setdefault(shape, Prepared(lambda _: _find_query(table, shape)))
        return found


def _find_query(table: RecordTable, shape: tuple[Any, ...]) -> Any:
    """Return the SELECT of one find shape, with its values as named parameters."""
    _, names, bounded, paged, limited = shape
    record, main = table.record, table.table
    conditions: list[Any] = []
    for name in names:
        if record.index(name).many:
            child = table.children[name]
            conditions.append(
                exists().where(
                    child.c.record_key == main.c.record_key,
                    child.c.value == bindparam(f"w_{name}"),
                )
            )
        else:
            conditions.append(main.c[column_of(name)] == bindparam(f"w_{name}"))
    if bounded is not None:
        if record.index(bounded).many:
            child = table.children[bounded]
            conditions.append(
                exists().where(
                    child.c.record_key == main.c.record_key,
                    child.c.value <= bindparam("w_at_most"),
                )
            )
        else:
            conditions.append(main.c[column_of(bounded)] <= bindparam("w_at_most"))
    order = main.c.ord if record.order is not None else main.c.record_key
    if paged:
        conditions.append(order > bindparam("w_after"))
    query = select(main.c.record_key, main.c.version, main.c.data)
    if conditions:
        query = query.where(and_(*conditions))
    query = query.order_by(order)
    if limited:
        query = query.limit(bindparam("w_limit", type_=Integer))
    return query


def _storable(value: IndexValue) -> bool:
    return isinstance(value, int) or is_storable_text(value)


def _first_repeat(keys: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return None


def _refuse_repeated_values(record: RecordType[Any, Any], items: Sequence[Any]) -> None:
    """Refuse a batch in which two records share a unique value (``storage.unique``)."""
    for index in record.indexes:
        if not index.unique:
            continue
        owners: dict[IndexValue, str] = {}
        for item in items:
            key = record.key_text(item)
            for value in index.values(item):
                if owners.setdefault(value, key) != key:
                    raise AlreadyExists(
                        "storage.unique", kind=record.kind, index=index.name, value=str(value)
                    )


def _quiet_rollback(conn: Connection) -> None:
    try:
        execute_plain(conn, "ROLLBACK")
    except Exception:
        conn.invalidate()
