"""The outbox: e-mails stored with the change that causes them, sealed, until sent.

Creates ``examkit_outbox`` from its declaration (a database made by 0009
after the outbox was declared has it already, so it is created only where
it is missing). Downgrading drops it, with any e-mail still waiting.

Revision ID: 0011_outbox
Revises: 0010_web_sessions
"""

from __future__ import annotations

from alembic import op

revision = "0011_outbox"
down_revision = "0010_web_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the outbox's table where it is missing."""
    from examkit.backends.sql._tables import RECORD_TABLES, metadata

    outbox = RECORD_TABLES["outbox"]
    metadata.create_all(op.get_bind(), tables=[outbox.table], checkfirst=True)


def downgrade() -> None:
    """Drop the outbox's table."""
    op.drop_table("examkit_outbox")
