"""The SQL tables (SQLAlchemy Core), declared once: the migrations must match them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)
"""Every table examkit keeps."""

institutions = Table(
    "examkit_institutions",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

institution_locations = Table(
    "examkit_institution_locations",
    metadata,
    Column("location_code", String(6), primary_key=True),
    Column(
        "institution_code",
        String(16),
        ForeignKey("examkit_institutions.code", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

accounts = Table(
    "examkit_accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("login_name_folded", String(64), nullable=False, unique=True),
    Column("email", String(254), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

account_institutions = Table(
    "examkit_account_institutions",
    metadata,
    Column(
        "account_id",
        String(64),
        ForeignKey("examkit_accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("institution_code", String(16), primary_key=True, index=True),
)

authorizations = Table(
    "examkit_authorizations",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

authorization_grants = Table(
    "examkit_authorization_grants",
    metadata,
    Column(
        "account_id",
        String(64),
        ForeignKey("examkit_authorizations.account_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("role", String(64), nullable=False, index=True),
    Column("institution_code", String(16), nullable=True, index=True),
    Column("location_code", String(6), nullable=True, index=True),
)
"""One row per place of each active grant, for listing by role, institution and location."""

attempts = Table(
    "examkit_attempts",
    metadata,
    Column("purpose", String(64), primary_key=True),
    Column("attempt_key", String(255), primary_key=True),
    Column("attempt_count", Integer, nullable=False),
    Column("expires_at_us", BigInteger, nullable=False, index=True),
)

tokens = Table(
    "examkit_tokens",
    metadata,
    Column("purpose", String(64), primary_key=True),
    Column("digest", String(128), primary_key=True),
    Column("subject", String(255), nullable=False),
    Column("expires_at_us", BigInteger, nullable=False, index=True),
    Column("data", Text, nullable=False),
    Index("ix_examkit_tokens_purpose_subject", "purpose", "subject"),
)

audit_events = Table(
    "examkit_audit_events",
    metadata,
    Column(
        "seq",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("at_us", BigInteger, nullable=False),
    Column("actor", String(255), nullable=True),
    Column("action", String(128), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("details", Text, nullable=False),
    Index("ix_examkit_audit_events_at", "at_us", "seq"),
    Index("ix_examkit_audit_events_subject", "subject", "at_us", "seq"),
)

exams = Table(
    "examkit_exams",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

candidates = Table(
    "examkit_candidates",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("login_name", String(20), nullable=False, unique=True),
    Column("location_code", String(6), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

session_groups = Table(
    "examkit_session_groups",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sort_key", String(100), nullable=False, unique=True),
    Column("location_code", String(6), nullable=False, index=True),
    Column("proctor", String(64), nullable=False, index=True),
    Column("day", String(10), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

session_group_candidates = Table(
    "examkit_session_group_candidates",
    metadata,
    Column(
        "group_id",
        String(64),
        ForeignKey("examkit_session_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("candidate_id", String(64), primary_key=True, index=True),
)
"""One row per candidate of a group, to find a candidate's groups (overlap, sign-in)."""

test_attempts = Table(
    "examkit_test_attempts",
    metadata,
    Column("id", String(140), primary_key=True),
    Column("group_id", String(64), nullable=False, index=True),
    Column("candidate_id", String(64), nullable=False, index=True),
    # Copies of what decides whether a save is stored, for the one-statement save
    # (SQLAttemptRepository.record_response); kept by every write of the row.
    Column("state", String(24), nullable=False),
    Column("deadline_us", BigInteger, nullable=True),
    Column("last_sequence", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

offline_servers = Table(
    "examkit_offline_servers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("location_code", String(6), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

flemish_registrations = Table(
    "examkit_flemish_registrations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

signin_transactions = Table(
    "examkit_signin_transactions",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("expires_at_us", BigInteger, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

trusted_browsers = Table(
    "examkit_trusted_browsers",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("expires_at_us", BigInteger, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

sent_reminders = Table(
    "examkit_sent_reminders",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

email_changes = Table(
    "examkit_email_changes",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

authenticators = Table(
    "examkit_authenticators",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

pupils = Table(
    "examkit_pupils",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("location_code", String(6), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("group_key", String(256), nullable=True),
    Column("year_group", String(8), nullable=True),
    Column("archived_at_us", BigInteger, nullable=True, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_examkit_pupils_location_year", "location_code", "school_year", "id"),
)
"""Imported pupils, one row each; the id starts with location and school year."""

class_lists = Table(
    "examkit_class_lists",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("location_code", String(6), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
"""Imported groups, combination groups and teachers, one row per location and school year."""

pending_imports = Table(
    "examkit_pending_imports",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("expires_at_us", BigInteger, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
"""Imports waiting for confirmation: erased when confirmed, cancelled or expired."""

applications = Table(
    "examkit_applications",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("brin", String(4), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
"""Account applications, one row each; status and BRIN for the operator's queue."""

correction_groups = Table(
    "examkit_correction_groups",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
"""The session groups' corrections: correctors, replacements, closing, review grants."""

correction_sheets = Table(
    "examkit_correction_sheets",
    metadata,
    Column("id", String(140), primary_key=True),
    Column("group_id", String(64), nullable=False, index=True),
    Column("candidate_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
"""One candidate's open items in a group with every score version (JSON)."""
