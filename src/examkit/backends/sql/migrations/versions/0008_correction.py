"""Correction: the groups' corrections and the candidates' correction sheets.

Revision ID: 0008_correction
Revises: 0007_applications
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_correction"
down_revision = "0007_applications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the correction group and correction sheet tables."""
    op.create_table(
        "examkit_correction_groups",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_correction_groups"),
    )
    op.create_table(
        "examkit_correction_sheets",
        sa.Column("id", sa.String(140), nullable=False),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_correction_sheets"),
    )
    op.create_index(
        "ix_examkit_correction_sheets_group_id", "examkit_correction_sheets", ["group_id"]
    )


def downgrade() -> None:
    """Drop the correction tables."""
    op.drop_table("examkit_correction_sheets")
    op.drop_table("examkit_correction_groups")
