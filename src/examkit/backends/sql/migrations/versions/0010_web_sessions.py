"""Web sessions: the table of signed-in browser sessions (WEB-2).

Builds ``examkit_web_sessions`` from the declaration of
:data:`examkit.websessions.WEB_SESSIONS`. Revision 0009 builds every table
declared when it runs, so on a new database the table exists already and
this revision leaves it as it is; on a database upgraded to 0009 before the
record existed, it creates it. A downgrade drops the table (every session
ends: the browsers sign in again).

Revision ID: 0010_web_sessions
Revises: 0009_declared_records
"""

from __future__ import annotations

from alembic import op

revision = "0010_web_sessions"
down_revision = "0009_declared_records"
branch_labels = None
depends_on = None

RECORD = "web_sessions"
"""The declared record whose table this revision adds."""


def upgrade() -> None:
    """Create the web sessions' table, unless 0009 built it already."""
    from examkit.backends.sql._tables import RECORD_TABLES, metadata

    record_table = RECORD_TABLES[RECORD]
    tables = [record_table.table, *record_table.children.values()]
    metadata.create_all(op.get_bind(), tables=tables, checkfirst=True)


def downgrade() -> None:
    """Drop the web sessions' table."""
    from examkit.backends.sql._tables import RECORD_TABLES, metadata

    record_table = RECORD_TABLES[RECORD]
    tables = [record_table.table, *record_table.children.values()]
    metadata.drop_all(op.get_bind(), tables=tables, checkfirst=True)
