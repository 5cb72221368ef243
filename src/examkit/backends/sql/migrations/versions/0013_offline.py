"""Offline servers that synchronise: the tables of the sync queues, inbox, marks and packages.

Builds the tables of :mod:`examkit.offline`'s declarations (SCH-8): the
offline servers' credentials, the sync queue of either side, the central
inbox, the applied natural keys, the per-server marks, the station state of
an offline server, the conflicts, and the exam packages with their chunks.
Revision 0009 builds every table declared when it runs, so on a new
database they exist already and this revision leaves them; on a database
upgraded before they were declared, it creates them. A group's ``held_by``
lives in its JSON data (absent: ``None``), so the groups' table is
unchanged. A downgrade drops these tables.

Revision ID: 0013_offline
Revises: 0012_federation
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Table

revision = "0013_offline"
down_revision = "0012_federation"
branch_labels = None
depends_on = None

RECORDS = (
    "offline_credentials",
    "sync_queue",
    "sync_inbox",
    "sync_applied_keys",
    "sync_marks",
    "offline_stations",
    "sync_conflicts",
    "exam_packages",
    "package_chunks",
)
"""The declared records whose tables this revision adds."""


def _tables() -> list[Table]:
    from examkit.backends.sql._tables import RECORD_TABLES

    found: list[Table] = []
    for name in RECORDS:
        record_table = RECORD_TABLES[name]
        found.extend([record_table.table, *record_table.children.values()])
    return found


def upgrade() -> None:
    """Create the offline synchronisation's tables, unless 0009 built them already."""
    from examkit.backends.sql._tables import metadata

    metadata.create_all(op.get_bind(), tables=_tables(), checkfirst=True)


def downgrade() -> None:
    """Drop the offline synchronisation's tables."""
    from examkit.backends.sql._tables import metadata

    metadata.drop_all(op.get_bind(), tables=_tables(), checkfirst=True)
