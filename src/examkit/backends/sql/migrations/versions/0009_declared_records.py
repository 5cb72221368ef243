"""Declared records: every aggregate's table built from its declaration, rows kept.

Each aggregate's table becomes ``examkit_<record>`` (key, version, listing
order, one column per declared index, the JSON data) with a child table per
index of many values; every stored row is read, converted by the
declarations and written to the new table, in the migration's transaction.
The attempt counters, tokens and audit trail keep their tables. This
migration cannot be reversed: :func:`downgrade` refuses.

Revision ID: 0009_declared_records
Revises: 0008_correction
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009_declared_records"
down_revision = "0008_correction"
branch_labels = None
depends_on = None

OLD_TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "examkit_institutions": ("institutions", "code", ("examkit_institution_locations",)),
    "examkit_accounts": ("accounts", "id", ("examkit_account_institutions",)),
    "examkit_authorizations": (
        "authorizations",
        "account_id",
        ("examkit_authorization_grants",),
    ),
    "examkit_exams": ("exams", "code", ()),
    "examkit_candidates": ("candidates", "id", ()),
    "examkit_session_groups": ("session_groups", "id", ("examkit_session_group_candidates",)),
    "examkit_test_attempts": ("test_attempts", "id", ()),
    "examkit_offline_servers": ("offline_servers", "id", ()),
    "examkit_flemish_registrations": ("flemish_registrations", "id", ()),
    "examkit_signin_transactions": ("signins", "id", ()),
    "examkit_trusted_browsers": ("trusted_browsers", "id", ()),
    "examkit_sent_reminders": ("sent_reminders", "id", ()),
    "examkit_email_changes": ("email_changes", "account_id", ()),
    "examkit_authenticators": ("authenticators", "account_id", ()),
    "examkit_pupils": ("pupils", "id", ()),
    "examkit_class_lists": ("class_lists", "id", ()),
    "examkit_pending_imports": ("pending_imports", "id", ()),
    "examkit_applications": ("applications", "id", ()),
    "examkit_correction_groups": ("correction_groups", "id", ()),
    "examkit_correction_sheets": ("correction_sheets", "id", ()),
}
"""Each 0008 table: its record, its key column and its child tables."""

_BATCH = 1000


def upgrade() -> None:
    """Move every row of the 0008 tables into the tables built from the declarations."""
    from examkit.backends.sql._tables import RECORD_TABLES, metadata
    from examkit.converter import structure

    bind = op.get_bind()
    kept: dict[str, list[Any]] = {}
    for old, (name, key_column, children) in OLD_TABLES.items():
        # Constant names from the table above, never input.
        query = f"SELECT {key_column}, version, data FROM {old}"  # noqa: S608
        kept[name] = list(bind.execute(sa.text(query)))
        for child in children:
            op.drop_table(child)
        op.drop_table(old)
    tables = [
        table
        for record_table in RECORD_TABLES.values()
        for table in (record_table.table, *record_table.children.values())
    ]
    metadata.create_all(bind, tables=tables)
    for name, rows in kept.items():
        record_table = RECORD_TABLES[name]
        for start in range(0, len(rows), _BATCH):
            main: list[dict[str, Any]] = []
            child_rows_of: dict[str, list[dict[str, Any]]] = {}
            for _, version, data in rows[start : start + _BATCH]:
                loaded = json.loads(data)
                loaded["version"] = version
                item = structure(loaded, record_table.record.cls)
                main.append(record_table.row(item))
                for index, child_rows in record_table.child_rows(item).items():
                    child_rows_of.setdefault(index, []).extend(child_rows)
            if main:
                bind.execute(sa.insert(record_table.table), main)
            for index, child_rows in child_rows_of.items():
                if child_rows:
                    bind.execute(sa.insert(record_table.children[index]), child_rows)


def downgrade() -> None:
    """Refuse (``sql.migration.irreversible``): the 0008 tables are not rebuilt."""
    from examkit.errors import ConfigurationError

    raise ConfigurationError("sql.migration.irreversible", revision=revision)
