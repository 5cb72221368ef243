"""The SQL tables: every declared record's, built from its declaration, and the capabilities'.

The migrations must match them (a test compares).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from examkit.backends.sql._attempt_codec import (
    attempt_data,
    attempt_from_data,
    attempt_text,
)
from examkit.backends.sql._schema import Codec, RecordTable, tables_for
from examkit.backends.sql._signin_codecs import (
    account_data,
    account_from_data,
    sign_in_data,
    sign_in_from_data,
    trusted_browser_data,
    trusted_browser_from_data,
)
from examkit.backends.sql._sync_codecs import (
    inbox_data,
    inbox_from_data,
    inbox_text,
    queued_data,
    queued_from_data,
)
from examkit.records import RECORDS
from examkit.storage import AUDIT, COUNTERS, SEQUENCES, TOKENS

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)
"""Every table examkit keeps."""

RECORD_TABLES: dict[str, RecordTable] = tables_for(
    (record for record in RECORDS if record not in {COUNTERS, TOKENS, SEQUENCES, AUDIT}),
    metadata,
    # Hand-written codecs, only where a benchmark misses its target with the converter's:
    # benchmarks/exam_day.py (attempts), benchmarks/signin.py (accounts, sign-ins, trusted
    # browsers) and benchmarks/offline_sync.py (the sync queue and the central inbox).
    codecs={
        "test_attempts": Codec(
            encode=attempt_data,
            decode=attempt_from_data,
            text=attempt_text,
        ),
        "accounts": Codec(encode=account_data, decode=account_from_data),
        "signins": Codec(encode=sign_in_data, decode=sign_in_from_data),
        "trusted_browsers": Codec(encode=trusted_browser_data, decode=trusted_browser_from_data),
        "sync_queue": Codec(encode=queued_data, decode=queued_from_data),
        "sync_inbox": Codec(encode=inbox_data, decode=inbox_from_data, text=inbox_text),
    },
    # Read by key on nearly every use case, and wholly immutable: the acting account and
    # its grants (every use case loads them in its unit), the group's correction (each score
    # reads it). benchmarks/correction.py misses its target decoding them afresh each time.
    # The imported pupils, class lists and pending imports (frozen values of tuples) are read
    # whole by the class pages and by every reload of an import's preview
    # (benchmarks/portal_pages.py). So are a location's candidates, its session groups and
    # their attempts, by the planning's, the monitor's and the correction's pages (the same
    # benchmark missed its target on them), and the correction sheets, read whole by the
    # results' and the review's pages: their values are frozen too, but for a saved
    # response's JSON value, which nobody changes (the memory backend hands out its stored
    # values the same way). An attempt changes with every save: its row is decoded afresh.
    # A session group is also read by every candidate's sign-in (benchmarks/exam_day.py).
    # A Flemish registration (frozen, its pupils a tuple) is read by every page of the
    # Flemish desk: decoding its 48 pupils was most of a pupil page's examkit part. A test
    # (frozen, its items a tuple) is read by every planning, results and review page. An
    # account application (frozen, its secondary locations a tuple) is read by the service
    # desk's queue and application pages, and its decoding (every phone number parsed and
    # every address checked again) was most of the queue's examkit part.
    reused=(
        "accounts",
        "authorizations",
        "correction_groups",
        "pupils",
        "class_lists",
        "pending_imports",
        "candidates",
        "session_groups",
        "test_attempts",
        "correction_sheets",
        "flemish_registrations",
        "exams",
        "applications",
    ),
)
"""The tables of every domain record, by record name.

The capabilities' own records (counters, tokens, the audit trail) are kept
in the tables below, written by the backend's one-statement operations.
"""

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
