"""The shipped migrations: one head, no drift from the tables, up and down on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from examkit.backends.sql import downgrade, heads, metadata, upgrade
from examkit.errors import ConfigurationError
from examkit.testing.postgres import PostgresCluster

OLD_TABLES = {
    "examkit_signin_transactions",
    "examkit_institution_locations",
    "examkit_account_institutions",
    "examkit_authorization_grants",
    "examkit_session_group_candidates",
}
"""Tables of 0008 that 0009 replaces under other names."""

TABLES = {
    "examkit_institutions",
    "examkit_institutions__location",
    "examkit_accounts",
    "examkit_accounts__institution",
    "examkit_authorizations",
    "examkit_authorizations__grant",
    "examkit_signins",
    "examkit_trusted_browsers",
    "examkit_sent_reminders",
    "examkit_email_changes",
    "examkit_authenticators",
    "examkit_attempts",
    "examkit_tokens",
    "examkit_audit_events",
    "examkit_exams",
    "examkit_candidates",
    "examkit_session_groups",
    "examkit_session_groups__candidate",
    "examkit_test_attempts",
    "examkit_offline_servers",
    "examkit_flemish_registrations",
    "examkit_pupils",
    "examkit_class_lists",
    "examkit_pending_imports",
    "examkit_applications",
    "examkit_correction_groups",
    "examkit_correction_sheets",
    "examkit_web_sessions",
}


def test_there_is_a_single_head() -> None:
    """Migrations form one line: exactly one head."""
    assert len(heads()) == 1


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"examkit_empty_{tmp_path.name[-12:].replace('-', '_')}".lower()
    url = cluster.create_database(name)
    try:
        yield url
    finally:
        cluster.drop_database(name)


def test_upgrade_to_head_creates_every_table_and_0009_cannot_be_reversed(empty_url: str) -> None:
    """0001-0008 go up and down; 0009 builds the declared tables and refuses to go back."""
    engine = create_engine(empty_url)
    try:
        upgrade(engine, "0008_correction")
        assert set(inspect(engine).get_table_names()) >= OLD_TABLES
        downgrade(engine)
        assert not OLD_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        names = set(inspect(engine).get_table_names())
        assert names >= TABLES
        assert not OLD_TABLES & names
        with pytest.raises(ConfigurationError) as refused:
            downgrade(engine, "0008_correction")
        assert "sql.migration.irreversible" == refused.value.code
        # 0010 went down before 0009 refused (on SQLite, whose DDL is not rolled back)
        assert set(inspect(engine).get_table_names()) >= TABLES - {"examkit_web_sessions"}
    finally:
        engine.dispose()


@pytest.mark.req("WEB-2")
def test_0010_adds_the_web_sessions_table_to_a_database_at_0009_and_drops_it_going_back(
    empty_url: str,
) -> None:
    """A database made at 0009 before web sessions existed gets their table; 0009 has none."""
    engine = create_engine(empty_url)
    try:
        upgrade(engine, "0009_declared_records")
        with engine.begin() as connection:  # as 0009 left a database before the record existed
            connection.execute(text("DROP TABLE examkit_web_sessions"))
        upgrade(engine)
        assert "examkit_web_sessions" in inspect(engine).get_table_names()
        downgrade(engine, "0009_declared_records")
        assert "examkit_web_sessions" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert "examkit_web_sessions" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_from_the_tables(empty_url: str) -> None:
    """The migrations produce exactly the tables the code declares."""
    engine = create_engine(empty_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_existing_attempts_get_their_save_columns_from_their_json(empty_url: str) -> None:
    """0006 fills state, deadline and last save number of stored attempts from their JSON."""
    engine = create_engine(empty_url)
    attempt = {
        "group": "g-1",
        "candidate": "c-1",
        "state": "in_progress",
        "deadline": "2026-05-12T09:30:00+00:00",
        "last_sequence": 7,
    }
    try:
        upgrade(engine, "0005_pupils")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO examkit_test_attempts"
                    " (id, group_id, candidate_id, version, data) VALUES"
                    " ('g-1:c-1', 'g-1', 'c-1', 3, :data), ('g-1:c-2', 'g-1', 'c-2', 1, :fresh)"
                ),
                {"data": json.dumps(attempt), "fresh": json.dumps({"group": "g-1"})},
            )
        upgrade(engine, "0008_correction")
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, state, deadline_us, last_sequence FROM examkit_test_attempts"
                    " ORDER BY id"
                )
            ).all()
        deadline = datetime(2026, 5, 12, 9, 30, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
        assert [tuple(row) for row in rows] == [
            ("g-1:c-1", "in_progress", deadline // timedelta(microseconds=1), 7),
            ("g-1:c-2", "registered", None, 0),
        ]
    finally:
        downgrade(engine)
        engine.dispose()


@pytest.mark.req("PLAT-1")
def test_the_kit_s_health_says_where_the_schema_stands(empty_url: str) -> None:
    """Current after the migrations; behind at an older one; ahead at one not shipped."""
    from examkit.backends.sql import SQLBackend
    from examkit.testing import make_kit

    engine = create_engine(empty_url)
    try:
        upgrade(engine, "0008_correction")
        behind = SQLBackend(empty_url, migrate=False)
        assert "behind" == make_kit(backend=behind).health().schema
        behind.close()
        current = SQLBackend(empty_url)
        health = make_kit(backend=current).health()
        assert (True, "ok", "current") == (health.ok, health.storage, health.schema)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        ahead = make_kit(backend=current).health()
        assert (False, "ahead") == (ahead.ok, ahead.schema)
        current.close()
    finally:
        engine.dispose()


@pytest.mark.req("PLAT-1")
def test_the_kit_s_health_reports_an_unreadable_store_by_its_code(tmp_path: Path) -> None:
    """No tables at all: never migrated (behind), the read fails; it raises nothing."""
    from examkit.backends.sql import SQLBackend
    from examkit.testing import make_kit

    backend = SQLBackend(f"sqlite:///{tmp_path / 'bare.db'}", migrate=False)
    try:
        health = make_kit(backend=backend).health()
    finally:
        backend.close()
    assert (False, "behind") == (health.ok, health.schema)
    assert health.storage.startswith(("storage.", "sql."))
