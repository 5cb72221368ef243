"""The sign-in: transactions in progress, trusted browsers, sent reminders, e-mail changes, apps.

Revision ID: 0004_signin
Revises: 0003_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_signin"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the sign-in's tables."""
    for table in ("examkit_signin_transactions", "examkit_trusted_browsers"):
        op.create_table(
            table,
            sa.Column("id", sa.String(128), nullable=False),
            sa.Column("account_id", sa.String(64), nullable=False),
            sa.Column("expires_at_us", sa.BigInteger(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("data", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        )
        op.create_index(f"ix_{table}_account_id", table, ["account_id"])
        op.create_index(f"ix_{table}_expires_at_us", table, ["expires_at_us"])
    op.create_table(
        "examkit_sent_reminders",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_sent_reminders"),
    )
    op.create_index(
        "ix_examkit_sent_reminders_account_id", "examkit_sent_reminders", ["account_id"]
    )
    for table in ("examkit_email_changes", "examkit_authenticators"):
        op.create_table(
            table,
            sa.Column("account_id", sa.String(64), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("data", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("account_id", name=f"pk_{table}"),
        )


def downgrade() -> None:
    """Drop the sign-in's tables."""
    for table in (
        "examkit_authenticators",
        "examkit_email_changes",
        "examkit_sent_reminders",
        "examkit_trusted_browsers",
        "examkit_signin_transactions",
    ):
        op.drop_table(table)
