# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""0009: a database filled by ``examkit demo`` at 0008 upgrades with every row kept (PLAT-2).

The fixture ``tests/fixtures/demo-0008.json`` holds every row of every table
after ``examkit demo`` ran at revision 0008 (made by that version's code).
The test loads it into an empty database at 0008, upgrades to the newest
revision, and finds every record, child value and capability row again,
both in the new tables and through the repositories.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, text

from examkit.accounts import LoginName
from examkit.backends.sql import SQLBackend, upgrade
from examkit.converter import structure
from examkit.records import RECORDS
from examkit.testing.postgres import PostgresCluster

pytestmark = pytest.mark.req("PLAT-2")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "demo-0008.json"

MOVED = {
    # 0008 main table: (0009 table, 0008 key column)
    "examkit_institutions": ("examkit_institutions", "code"),
    "examkit_accounts": ("examkit_accounts", "id"),
    "examkit_authorizations": ("examkit_authorizations", "account_id"),
    "examkit_exams": ("examkit_exams", "code"),
    "examkit_candidates": ("examkit_candidates", "id"),
    "examkit_session_groups": ("examkit_session_groups", "id"),
    "examkit_test_attempts": ("examkit_test_attempts", "id"),
    "examkit_flemish_registrations": ("examkit_flemish_registrations", "id"),
    "examkit_signin_transactions": ("examkit_signins", "id"),
    "examkit_pupils": ("examkit_pupils", "id"),
    "examkit_class_lists": ("examkit_class_lists", "id"),
    "examkit_applications": ("examkit_applications", "id"),
}
CHILDREN = {
    # 0008 child table: (its key column, its value column, 0009 child table)
    "examkit_institution_locations": (
        "institution_code",
        "location_code",
        "examkit_institutions__location",
    ),
    "examkit_account_institutions": (
        "account_id",
        "institution_code",
        "examkit_accounts__institution",
    ),
    "examkit_session_group_candidates": (
        "group_id",
        "candidate_id",
        "examkit_session_groups__candidate",
    ),
}
KEPT = ("examkit_attempts", "examkit_tokens", "examkit_audit_events")
BY_TABLE = {f"examkit_{record.name}": record for record in RECORDS}


def as_record(record: Any, version: int, data: str) -> Any:
    """The record stored as *data* at *version*, as examkit reads it."""
    return structure({**json.loads(data), "version": version}, record.cls)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'demo.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"examkit_demo_{tmp_path.name[-12:].replace('-', '_')}".lower()
    made = cluster.create_database(name)
    try:
        yield made
    finally:
        cluster.drop_database(name)


def rows_of(conn: Any, table: str, columns: list[str]) -> set[tuple[Any, ...]]:
    # Table and column names from the fixture and the constants above, never input.
    query = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608
    return {tuple(row) for row in conn.execute(text(query))}


def test_a_demo_database_at_0008_upgrades_with_every_row_kept(url: str) -> None:
    """Every record, child value and counter, token and audit row survives 0009."""
    dump = json.loads(FIXTURE.read_text())
    assert "0008_correction" == dump["revision"]
    tables: dict[str, Any] = dump["tables"]
    engine = create_engine(url)
    try:
        upgrade(engine, "0008_correction")
        reflected = MetaData()
        reflected.reflect(engine)
        with engine.begin() as conn:
            for table in reflected.sorted_tables:
                found = tables.get(table.name)
                if found and found["rows"]:
                    rows = [dict(zip(found["columns"], row, strict=True)) for row in found["rows"]]
                    conn.execute(insert(table), rows)
        upgrade(engine)
        with engine.connect() as conn:
            for old, (new, key) in MOVED.items():
                record = BY_TABLE[new]
                before = {}
                for values in tables[old]["rows"]:
                    row = dict(zip(tables[old]["columns"], values, strict=True))
                    before[row[key]] = as_record(record, row["version"], row["data"])
                after = {
                    key_: as_record(record, version, data)
                    for key_, version, data in rows_of(conn, new, ["record_key", "version", "data"])
                }
                assert before == after, old
                versions = {key_: item.version for key_, item in before.items()}
                assert versions == {key_: item.version for key_, item in after.items()}, old
                assert before, f"the demo stored nothing in {old}"
            for old, (owner, value, new) in CHILDREN.items():
                columns = tables[old]["columns"]
                pairs = {
                    (row[columns.index(owner)], row[columns.index(value)])
                    for row in tables[old]["rows"]
                }
                assert pairs == rows_of(conn, new, ["record_key", "value"]), old
            for kept in KEPT:
                columns = tables[kept]["columns"]
                assert {tuple(row) for row in tables[kept]["rows"]} == rows_of(conn, kept, columns)
    finally:
        engine.dispose()
    read_back(url, tables)


def read_back(url: str, tables: dict[str, Any]) -> None:
    """Read every upgraded record through the repositories, and find the grants by role."""
    backend = SQLBackend(url)
    try:
        with backend.begin(readonly=True) as uow:
            for record in RECORDS:
                if record.name in {"attempt_counters", "single_use_tokens", "sequences"}:
                    continue
                if record.name == "audit_events":
                    assert len(tables["examkit_audit_events"]["rows"]) == len(
                        uow.audit.list(limit=1000).items
                    )
                    continue
                stored: tuple[Any, ...] = uow.repository(record)._find()
                assert all(item.version >= 1 for item in stored)
            logins = {
                json.loads(row[-1])["login_name"] for row in tables["examkit_accounts"]["rows"]
            }
            for login in logins:
                assert login == uow.accounts.get_by_login_name(LoginName(login)).login_name.value
            grants = tables["examkit_authorization_grants"]
            assert grants["rows"]
            for account, _, role, institution, location in grants["rows"]:
                listed = uow.authorizations.list(
                    role=role, institution=institution, location=location, limit=1000
                )
                assert account in {item.account for item in listed.items}, (role, location)
    finally:
        backend.close()
