"""The suite's PostgreSQL database: one per worker, emptied before each test.

``postgres_url`` (tests/conftest.py) hands every test the same migrated database of its
worker after emptying it; these tests prove that a test sees none of the rows, sequence
values or open transactions an earlier test left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Integer,
    String,
    Table,
    create_engine,
    func,
    select,
    text,
)
from tests.conftest import server_records

from examkit.backends.sql import heads, metadata

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _row(table: Table) -> dict[str, Any]:
    """One row of made-up values for *table*, leaving autoincrementing keys to the database."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.autoincrement is True:
            continue
        if isinstance(column.type, Integer | BigInteger):
            row[column.name] = 1
        elif isinstance(column.type, String) and column.type.length is not None:
            row[column.name] = "x"
        else:
            row[column.name] = "{}"
    return row


def _fill_every_table(connection: Connection) -> None:
    """Insert one row into every table, foreign keys unchecked (the rows need not agree)."""
    connection.execute(text("SET session_replication_role = replica"))
    for table in metadata.sorted_tables:
        connection.execute(table.insert(), [_row(table)])


def _counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in metadata.sorted_tables
    }


def _new_audit_seq(connection: Connection) -> int:
    audit = metadata.tables["examkit_audit_events"]
    inserted = connection.execute(audit.insert().returning(audit.c.seq), [_row(audit)])
    return int(inserted.scalar_one())


def test_a_test_gets_an_empty_database_at_the_newest_migration(engine: Engine) -> None:
    with engine.connect() as connection:
        assert set(_counts(connection).values()) == {0}
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert list(version) == list(heads())


def test_emptying_covers_every_table_examkit_declares(postgres_database: Any) -> None:
    served = {f"examkit_{record.name}" for record in server_records()}
    assert set(postgres_database.tables()) == set(metadata.tables) | served


def test_the_next_test_sees_no_row_sequence_value_or_open_transaction_of_this_one(
    engine: Engine, postgres_database: Any
) -> None:
    with engine.begin() as connection:
        _fill_every_table(connection)
        assert [_new_audit_seq(connection), _new_audit_seq(connection)] == [2, 3]
    leaked = engine.connect()  # a test that leaves a transaction open, holding row locks
    leaked.execute(text("UPDATE examkit_institutions SET data = 'locked'"))
    assert _new_audit_seq(leaked) == 4

    postgres_database.empty()  # what postgres_url does before the next test

    leaked.invalidate()
    with engine.begin() as connection:
        counts = _counts(connection)
        assert counts == dict.fromkeys(counts, 0)
        assert len(counts) == len(metadata.tables)
        assert _new_audit_seq(connection) == 1
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert list(version) == list(heads())
