"""The SQL backend (extra ``sql``): SQLite as the embedded default, PostgreSQL for production.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> backend = SQLBackend(f"sqlite:///{folder / 'examkit.db'}")
>>> with backend.begin(readonly=True) as uow:
...     uow.institutions.list().items
()
>>> backend.close()
"""

try:
    import alembic  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise ImportError(
        "examkit.backends.sql needs the 'sql' extra: pip install examkit[sql]"
        f" ({missing.name} is not installed)"
    ) from missing

from examkit.backends.sql._backend import SQLBackend, Synchronous
from examkit.backends.sql._fast import SQLAttemptCounter, SQLAuditStore, SQLResponses, SQLTokenStore
from examkit.backends.sql._migrate import downgrade, heads, upgrade
from examkit.backends.sql._schema import Codec, RecordTable, table_for
from examkit.backends.sql._tables import RECORD_TABLES, metadata
from examkit.backends.sql._transaction import SQLTransaction

__all__ = [
    "RECORD_TABLES",
    "Codec",
    "RecordTable",
    "SQLAttemptCounter",
    "SQLAuditStore",
    "SQLBackend",
    "SQLResponses",
    "SQLTokenStore",
    "SQLTransaction",
    "Synchronous",
    "downgrade",
    "heads",
    "metadata",
    "table_for",
    "upgrade",
]
