"""Test sessions: tests, candidates, groups, attempts, offline servers, Flemish registrations.

Revision ID: 0003_sessions
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sessions"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the test-session tables."""
    op.create_table(
        "examkit_exams",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_examkit_exams"),
    )
    op.create_table(
        "examkit_candidates",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("login_name", sa.String(20), nullable=False),
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_candidates"),
        sa.UniqueConstraint("login_name", name="uq_examkit_candidates_login_name"),
    )
    op.create_index("ix_examkit_candidates_location_code", "examkit_candidates", ["location_code"])
    op.create_table(
        "examkit_session_groups",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("sort_key", sa.String(100), nullable=False),
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("proctor", sa.String(64), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_session_groups"),
        sa.UniqueConstraint("sort_key", name="uq_examkit_session_groups_sort_key"),
    )
    for column in ("location_code", "proctor", "day"):
        op.create_index(f"ix_examkit_session_groups_{column}", "examkit_session_groups", [column])
    op.create_table(
        "examkit_session_group_candidates",
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["examkit_session_groups.id"],
            name="fk_examkit_session_group_candidates_group_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "candidate_id", name="pk_examkit_session_group_candidates"
        ),
    )
    op.create_index(
        "ix_examkit_session_group_candidates_candidate_id",
        "examkit_session_group_candidates",
        ["candidate_id"],
    )
    op.create_table(
        "examkit_test_attempts",
        sa.Column("id", sa.String(140), nullable=False),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_test_attempts"),
    )
    op.create_index("ix_examkit_test_attempts_group_id", "examkit_test_attempts", ["group_id"])
    op.create_index(
        "ix_examkit_test_attempts_candidate_id", "examkit_test_attempts", ["candidate_id"]
    )
    op.create_table(
        "examkit_offline_servers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("location_code", sa.String(6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_offline_servers"),
    )
    op.create_index(
        "ix_examkit_offline_servers_location_code", "examkit_offline_servers", ["location_code"]
    )
    op.create_table(
        "examkit_flemish_registrations",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examkit_flemish_registrations"),
    )


def downgrade() -> None:
    """Drop the test-session tables."""
    op.drop_table("examkit_flemish_registrations")
    op.drop_table("examkit_offline_servers")
    op.drop_table("examkit_test_attempts")
    op.drop_table("examkit_session_group_candidates")
    op.drop_table("examkit_session_groups")
    op.drop_table("examkit_candidates")
    op.drop_table("examkit_exams")
