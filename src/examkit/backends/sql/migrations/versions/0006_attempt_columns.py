"""An attempt's state, deadline and last save number as columns, for the one-statement save.

Revision ID: 0006_attempt_columns
Revises: 0005_pupils

Existing attempts get the columns filled from their stored JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0006_attempt_columns"
down_revision = "0005_pupils"
branch_labels = None
depends_on = None

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _us(text: str | None) -> int | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text).astimezone(UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def upgrade() -> None:
    """Add the columns and fill them from each attempt's JSON."""
    with op.batch_alter_table("examkit_test_attempts") as batch:
        batch.add_column(
            sa.Column("state", sa.String(24), nullable=False, server_default="registered")
        )
        batch.add_column(sa.Column("deadline_us", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("last_sequence", sa.Integer(), nullable=False, server_default="0")
        )
    attempts = sa.table(
        "examkit_test_attempts",
        sa.column("id", sa.String),
        sa.column("data", sa.Text),
        sa.column("state", sa.String),
        sa.column("deadline_us", sa.BigInteger),
        sa.column("last_sequence", sa.Integer),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(attempts.c.id, attempts.c.data)).all()
    for key, text in rows:
        data = json.loads(text)
        bind.execute(
            attempts.update()
            .where(attempts.c.id == key)
            .values(
                state=data.get("state", "registered"),
                deadline_us=_us(data.get("deadline")),
                last_sequence=int(data.get("last_sequence", 0)),
            )
        )
    with op.batch_alter_table("examkit_test_attempts") as batch:
        batch.alter_column("state", server_default=None)
        batch.alter_column("last_sequence", server_default=None)


def downgrade() -> None:
    """Drop the columns (the JSON keeps everything)."""
    with op.batch_alter_table("examkit_test_attempts") as batch:
        batch.drop_column("last_sequence")
        batch.drop_column("deadline_us")
        batch.drop_column("state")
