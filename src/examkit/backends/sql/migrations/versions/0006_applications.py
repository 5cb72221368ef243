"""Account applications (the operator's queue).

Revision ID: 0006_applications
Revises: 0005_pupils
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_applications"
down_revision = "0005_pupils"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the application table."""
    op.create_table(
        "examkit_applications",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("brin", sa.String(4), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_applications"),
    )
    op.create_index("ix_examkit_applications_brin", "examkit_applications", ["brin"])
    op.create_index("ix_examkit_applications_status", "examkit_applications", ["status"])


def downgrade() -> None:
    """Drop the application table."""
    op.drop_table("examkit_applications")
