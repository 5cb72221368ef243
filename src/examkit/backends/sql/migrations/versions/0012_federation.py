"""Federated sign-in: the tables of federated links and pending federated sign-ins (AUTH-13).

Builds ``examkit_federated_links`` and ``examkit_pending_federated_sign_ins``
from the declarations of :data:`examkit.federation.FEDERATED_LINKS` and
:data:`examkit.federation.PENDING_SIGN_INS`. Revision 0009 builds every
table declared when it runs, so on a new database they exist already and
this revision leaves them; on a database upgraded before they were
declared, it creates them. An account's ``federation_only`` lives in its
JSON data (absent: ``False``), so the accounts' table is unchanged. A
downgrade drops both tables (every link is gone: the users link again).

Revision ID: 0012_federation
Revises: 0011_outbox
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Table

revision = "0012_federation"
down_revision = "0011_outbox"
branch_labels = None
depends_on = None

RECORDS = ("federated_links", "pending_federated_sign_ins")
"""The declared records whose tables this revision adds."""


def _tables() -> list[Table]:
    from examkit.backends.sql._tables import RECORD_TABLES

    found: list[Table] = []
    for name in RECORDS:
        record_table = RECORD_TABLES[name]
        found.extend([record_table.table, *record_table.children.values()])
    return found


def upgrade() -> None:
    """Create the federation's tables, unless 0009 built them already."""
    from examkit.backends.sql._tables import metadata

    metadata.create_all(op.get_bind(), tables=_tables(), checkfirst=True)


def downgrade() -> None:
    """Drop the federation's tables."""
    from examkit.backends.sql._tables import metadata

    metadata.drop_all(op.get_bind(), tables=_tables(), checkfirst=True)
