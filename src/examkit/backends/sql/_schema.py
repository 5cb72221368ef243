"""The SQL tables of declared records, built from their declarations, and their rows.

Each :class:`~examkit.storage.RecordType` becomes one table
``examkit_<name>``: its key, its version, its listing order (``ord``), one
column per single-valued index (``i_<index>``: text, or a whole number) and
the record itself as JSON written by examkit's converter (``data``); each
index with ``many`` values becomes a child table ``examkit_<name>__<index>``
of (key, value) rows. Unique indexes are unique constraints, so the database
holds them as the memory backend does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs
from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from examkit.converter import structure, unstructure
from examkit.storage import MAX_INDEX_TEXT, RecordType

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

KEY_LENGTH: Final = 300
"""The longest key a table holds (a pupil's key joins location, year and the pupil's own)."""

KEY: Final = String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")
"""A record's key: compared byte by byte, as Python compares text, on every database."""

ORDER: Final = String(KEY_LENGTH + 64).with_variant(
    String(KEY_LENGTH + 64, collation="C"), "postgresql"
)
"""The listing order: compared byte by byte, as Python compares text, on every database."""


def _text() -> Any:
    return String(MAX_INDEX_TEXT).with_variant(String(MAX_INDEX_TEXT, collation="C"), "postgresql")


def column_of(index_name: str) -> str:
    """Return the column that holds the single-valued index *index_name*."""
    return f"i_{index_name}"


@attrs.frozen
class Codec:
    """A record's JSON written out by hand: what the converter gives, without its dispatch."""

    encode: Callable[[Any], dict[str, Any]]
    """The record's data without its version."""
    decode: Callable[[dict[str, Any], int], Any]
    """The record from its data and version."""
    text: Callable[[Any], tuple[str, bool]] | None = None
    """The record's stored JSON text at once (the text of encoding :attr:`encode`'s data), and
    whether decoding it gives a record equal in every value (then a reused record written is
    kept as its row's value for the next read: :meth:`RecordTable.written`)."""


@attrs.frozen
class RecordTable:
    """One declared record's table, its child tables, and how a record becomes rows."""

    record: RecordType[Any, Any]
    """The declaration."""
    table: Table
    """The main table: key, version, ord, index columns, data."""
    children: dict[str, Table]
    """The child table of each ``many`` index, by index name."""
    codec: Codec | None = None
    """A hand-written codec, where a benchmark shows the converter misses its target."""
    reused: bool = False
    """Whether a record read (by its key or in a listing) is decoded once and reused while its
    row is unchanged.

    Only for records whose values are wholly immutable (no list, set or dict
    inside), read on nearly every use case: each backend keeps the values it decoded
    by the row's key (``DecodedRows``).
    """

    def row(self, item: Any, version: int | None = None) -> dict[str, Any]:
        """Return *item*'s main row, at *version* (else the version the item holds)."""
        return self.written(item, version)[0]

    def written(self, item: Any, version: int | None = None) -> tuple[dict[str, Any], bool]:
        """Return *item*'s main row, and whether it is kept as the row's value (reused records).

        Kept where the codec says decoding the row's data gives a record
        equal in every value: the next read of the row needs no decoding.
        """
        codec = self.codec
        kept = False
        if codec is not None and codec.text is not None:
            text, exact = codec.text(item)
            kept = exact and self.reused
        else:
            if codec is not None:
                data = codec.encode(item)
            else:
                data = unstructure(item)
                data.pop("version", None)
            text = _ENCODER.encode(data)
        if version is None:
            version = item.version
        row: dict[str, Any] = {
            "record_key": self.record.key_text(item),
            "version": version,
            "data": text,
        }
        if self.record.order is not None:
            row["ord"] = self.record.order(item)
        for index in self.record.indexes:
            if not index.many:
                values = index.values(item)
                row[column_of(index.name)] = values[0] if values else None
        return row, kept

    def child_rows(self, item: Any) -> dict[str, list[dict[str, Any]]]:
        """Return *item*'s rows in each child table, by index name."""
        key = self.record.key_text(item)
        return {
            index.name: [
                {"record_key": key, "value": value} for value in sorted(set(index.values(item)))
            ]
            for index in self.record.indexes
            if index.many
        }

    def value(self, version: int, data: str) -> Any:
        """Return the record stored as *data* at *version*."""
        loaded = json.loads(data)
        if self.codec is not None:
            return self.codec.decode(loaded, version)
        loaded["version"] = version
        return structure(loaded, self.record.cls)


def table_for(
    record: RecordType[Any, Any],
    metadata: MetaData,
    codec: Codec | None = None,
    *,
    reused: bool = False,
) -> RecordTable:
    """Declare *record*'s tables in *metadata*; return them with the row builder."""
    name = f"examkit_{record.name}"
    columns: list[Any] = [
        Column("record_key", KEY, primary_key=True),
        Column("version", Integer, nullable=False),
    ]
    if record.order is not None:  # else listings go by the key itself
        columns.append(Column("ord", ORDER, nullable=False, index=True))
    for index in record.indexes:
        if index.many:
            continue
        kind = BigInteger() if index.number else _text()
        columns.append(Column(column_of(index.name), kind, nullable=True))
    columns.append(Column("data", Text, nullable=False))
    table = Table(name, metadata, *columns)
    for index in record.indexes:
        if index.many:
            continue
        column = column_of(index.name)
        if index.unique:
            table.append_constraint(UniqueConstraint(column))
        elif index.searchable:
            Index(f"ix_{name}_{column}", table.c[column])
    children: dict[str, Table] = {}
    for index in record.indexes:
        if not index.many:
            continue
        kind = BigInteger() if index.number else _text()
        child = Table(
            f"{name}__{index.name}",
            metadata,
            Column(
                "record_key",
                KEY,
                ForeignKey(f"{name}.record_key", ondelete="CASCADE"),
                primary_key=True,
            ),
            Column("value", kind, primary_key=True),
        )
        if index.unique:
            child.append_constraint(UniqueConstraint("value"))
        else:
            Index(f"ix_{name}__{index.name}_value", child.c.value)
        children[index.name] = child
    return RecordTable(record=record, table=table, children=children, codec=codec, reused=reused)


def tables_for(
    records: Iterable[RecordType[Any, Any]],
    metadata: MetaData,
    codecs: Mapping[str, Codec] | None = None,
    reused: Iterable[str] = (),
) -> dict[str, RecordTable]:
    """Declare the tables of every record in *records*; return them by record name.

    *codecs* are hand-written codecs by record name; *reused* names the
    records whose decoded values are reused (:attr:`RecordTable.reused`).
    """
    found = codecs or {}
    reuse = frozenset(reused)
    return {
        record.name: table_for(
            record, metadata, found.get(record.name), reused=record.name in reuse
        )
        for record in records
    }


class DecodedRows:
    """The values last decoded from one table's rows (by key or listed), reused while unchanged.

    A value is a pure function of its row's version and data, so a row read
    again with the same version and the very same data gives the value
    decoded before: no JSON is parsed and no record built. A row changed by
    anyone (this process or another) differs in version or data and is
    decoded afresh. One per backend and table (a closed backend's go with
    it); at most :attr:`LIMIT` rows, forgotten all at once when full.

    >>> rows = DecodedRows(lambda version, data: (version, data))
    >>> first = rows.value("k", 1, '{"a":1}')
    >>> rows.value("k", 1, '{"a":1}') is first
    True
    >>> rows.value("k", 2, '{"a":2}')
    (2, '{"a":2}')
    """

    __slots__ = ("_decode", "_rows")

    LIMIT: Final = 4_096
    """The most rows kept per table."""

    def __init__(self, decode: Callable[[int, str], Any]) -> None:
        self._decode = decode
        self._rows: dict[str, tuple[int, str, Any]] = {}

    def value(self, key: str, version: int, data: str) -> Any:
        """Return the value of the row *key* read at *version* with *data*."""
        kept = self._rows.get(key)
        if kept is not None and kept[0] == version and kept[1] == data:
            return kept[2]
        value = self._decode(version, data)
        self.keep(key, version, data, value)
        return value

    def keep(self, key: str, version: int, data: str, value: Any) -> None:
        """Keep *value* as the row *key*'s at *version* with *data* (it decodes to it)."""
        if len(self._rows) >= self.LIMIT:
            self._rows.clear()
        self._rows[key] = (version, data, value)
