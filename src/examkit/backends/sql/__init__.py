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

from examkit.backends.sql._backend import SQLBackend, SQLUnitOfWork, Synchronous
from examkit.backends.sql._migrate import downgrade, heads, upgrade
from examkit.backends.sql._repositories import (
    SQLAccountRepository,
    SQLApplicationRepository,
    SQLAttemptCounter,
    SQLAttemptRepository,
    SQLAuditStore,
    SQLAuthenticatorRepository,
    SQLAuthorizationRepository,
    SQLCandidateRepository,
    SQLClassListRepository,
    SQLCorrectionGroupRepository,
    SQLCorrectionSheetRepository,
    SQLEmailChangeRepository,
    SQLExamRepository,
    SQLFlemishRegistrationRepository,
    SQLInstitutionRepository,
    SQLOfflineServerRepository,
    SQLPendingImportRepository,
    SQLPupilRepository,
    SQLRepository,
    SQLSentReminderRepository,
    SQLSessionGroupRepository,
    SQLSignInTransactionRepository,
    SQLTokenStore,
    SQLTrustedBrowserRepository,
)
from examkit.backends.sql._tables import metadata

__all__ = [
    "SQLAccountRepository",
    "SQLApplicationRepository",
    "SQLAttemptCounter",
    "SQLAttemptRepository",
    "SQLAuditStore",
    "SQLAuthenticatorRepository",
    "SQLAuthorizationRepository",
    "SQLBackend",
    "SQLCandidateRepository",
    "SQLClassListRepository",
    "SQLCorrectionGroupRepository",
    "SQLCorrectionSheetRepository",
    "SQLEmailChangeRepository",
    "SQLExamRepository",
    "SQLFlemishRegistrationRepository",
    "SQLInstitutionRepository",
    "SQLOfflineServerRepository",
    "SQLPendingImportRepository",
    "SQLPupilRepository",
    "SQLRepository",
    "SQLSentReminderRepository",
    "SQLSessionGroupRepository",
    "SQLSignInTransactionRepository",
    "SQLTokenStore",
    "SQLTrustedBrowserRepository",
    "SQLUnitOfWork",
    "Synchronous",
    "downgrade",
    "heads",
    "metadata",
    "upgrade",
]
