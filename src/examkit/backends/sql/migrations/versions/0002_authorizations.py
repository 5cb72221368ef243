"""Authorizations: accounts' grants and access, with an index of active grants' places.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the authorization tables."""
    op.create_table(
        "examkit_authorizations",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_examkit_authorizations"),
    )
    op.create_table(
        "examkit_authorization_grants",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("institution_code", sa.String(16), nullable=True),
        sa.Column("location_code", sa.String(6), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["examkit_authorizations.account_id"],
            name="fk_examkit_authorization_grants_account_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "seq", name="pk_examkit_authorization_grants"),
    )
    op.create_index(
        "ix_examkit_authorization_grants_role", "examkit_authorization_grants", ["role"]
    )
    op.create_index(
        "ix_examkit_authorization_grants_institution_code",
        "examkit_authorization_grants",
        ["institution_code"],
    )
    op.create_index(
        "ix_examkit_authorization_grants_location_code",
        "examkit_authorization_grants",
        ["location_code"],
    )


def downgrade() -> None:
    """Drop the authorization tables."""
    op.drop_table("examkit_authorization_grants")
    op.drop_table("examkit_authorizations")
