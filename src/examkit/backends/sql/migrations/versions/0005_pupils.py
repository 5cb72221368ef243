"""Pupils, class lists and pending imports (EDEXML imports).

Revision ID: 0005_pupils
Revises: 0004_signin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pupils"
down_revision = "0004_signin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the pupil, class list and pending import tables."""
    op.create_table(
        "examkit_pupils",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("school_year", sa.String(9), nullable=False),
        sa.Column("group_key", sa.String(256), nullable=True),
        sa.Column("year_group", sa.String(8), nullable=True),
        sa.Column("archived_at_us", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_pupils"),
    )
    op.create_index("ix_examkit_pupils_archived_at_us", "examkit_pupils", ["archived_at_us"])
    op.create_index(
        "ix_examkit_pupils_location_year",
        "examkit_pupils",
        ["location_code", "school_year", "id"],
    )
    op.create_table(
        "examkit_class_lists",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_class_lists"),
    )
    op.create_index(
        "ix_examkit_class_lists_location_code", "examkit_class_lists", ["location_code"]
    )
    op.create_table(
        "examkit_pending_imports",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("expires_at_us", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_pending_imports"),
    )
    op.create_index(
        "ix_examkit_pending_imports_expires_at_us",
        "examkit_pending_imports",
        ["expires_at_us"],
    )


def downgrade() -> None:
    """Drop the pupil, class list and pending import tables."""
    op.drop_table("examkit_pending_imports")
    op.drop_table("examkit_class_lists")
    op.drop_table("examkit_pupils")
