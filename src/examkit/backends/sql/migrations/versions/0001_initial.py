"""Institutions, locations, accounts, attempt counters, tokens and the audit trail.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first tables."""
    op.create_table(
        "examkit_institutions",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_examkit_institutions"),
    )
    op.create_table(
        "examkit_institution_locations",
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("institution_code", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_code"],
            ["examkit_institutions.code"],
            name="fk_examkit_institution_locations_institution_code",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("location_code", name="pk_examkit_institution_locations"),
    )
    op.create_index(
        "ix_examkit_institution_locations_institution_code",
        "examkit_institution_locations",
        ["institution_code"],
    )
    op.create_table(
        "examkit_accounts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("login_name_folded", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_accounts"),
        sa.UniqueConstraint("login_name_folded", name="uq_examkit_accounts_login_name_folded"),
    )
    op.create_index("ix_examkit_accounts_email", "examkit_accounts", ["email"])
    op.create_table(
        "examkit_account_institutions",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("institution_code", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["examkit_accounts.id"],
            name="fk_examkit_account_institutions_account_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "institution_code", name="pk_examkit_account_institutions"
        ),
    )
    op.create_index(
        "ix_examkit_account_institutions_institution_code",
        "examkit_account_institutions",
        ["institution_code"],
    )
    op.create_table(
        "examkit_attempts",
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("attempt_key", sa.String(255), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("expires_at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("purpose", "attempt_key", name="pk_examkit_attempts"),
    )
    op.create_index("ix_examkit_attempts_expires_at_us", "examkit_attempts", ["expires_at_us"])
    op.create_table(
        "examkit_tokens",
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(128), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("expires_at_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("purpose", "digest", name="pk_examkit_tokens"),
    )
    op.create_index("ix_examkit_tokens_expires_at_us", "examkit_tokens", ["expires_at_us"])
    op.create_index("ix_examkit_tokens_purpose_subject", "examkit_tokens", ["purpose", "subject"])
    op.create_table(
        "examkit_audit_events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=True),
        sa.Column("action", sa.String(128), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_examkit_audit_events"),
    )
    op.create_index("ix_examkit_audit_events_at", "examkit_audit_events", ["at_us", "seq"])
    op.create_index(
        "ix_examkit_audit_events_subject", "examkit_audit_events", ["subject", "at_us", "seq"]
    )


def downgrade() -> None:
    """Drop the first tables."""
    op.drop_table("examkit_audit_events")
    op.drop_table("examkit_tokens")
    op.drop_table("examkit_attempts")
    op.drop_table("examkit_account_institutions")
    op.drop_table("examkit_accounts")
    op.drop_table("examkit_institution_locations")
    op.drop_table("examkit_institutions")
