"""The storage port: backends, units of work, repositories and their shared parts.

examkit's domain never touches storage directly. A
:class:`Backend` hands out :class:`UnitOfWork` objects; each holds one
repository per aggregate (``uow.institutions``, ``uow.accounts``), the
atomic :class:`AttemptCounter`, the single-use :class:`TokenStore` and the
:class:`~examkit.audit.AuditStore`. The calls are coarse (one per use-case need), so a
remote backend needs one round trip per use case.
"""

from examkit.storage._capabilities import Capabilities
from examkit.storage._declarations import (
    MAX_INDEX_TEXT,
    Index,
    IndexValue,
    RecordType,
    microseconds,
)
from examkit.storage._fallbacks import (
    AUDIT,
    COUNTERS,
    RETRIES,
    SEQUENCES,
    TOKENS,
    AuditFallback,
    CounterFallback,
    ManyFallback,
    TokenFallback,
    audit_cursor,
    check_limit_args,
    distinct_keys,
)
from examkit.storage._limits import AttemptCount, AttemptCounter, next_count
from examkit.storage._paging import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Page,
    check_page_size,
    page_of,
)
from examkit.storage._primitives import Transaction
from examkit.storage._privacy import (
    VERSION_FIELD,
    Audience,
    FieldUse,
    LegalBasis,
    NotPersonal,
    Personal,
)
from examkit.storage._records import Records, with_version
from examkit.storage._repository import Repository
from examkit.storage._tokens import StoredToken, TokenStore
from examkit.storage._unit import StoredUnit
from examkit.storage._values import (
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER,
    MAX_KEY_LENGTH,
    MAX_SEQUENCE,
    check_sequence,
    is_storable_key,
    is_storable_text,
    json_value,
    storable_key,
)
from examkit.storage._writing import HeldUnit, WritingUnits

__all__ = [
    "AUDIT",
    "COUNTERS",
    "DEFAULT_PAGE_SIZE",
    "MAX_INDEX_TEXT",
    "MAX_JSON_DEPTH",
    "MAX_JSON_NUMBER",
    "MAX_KEY_LENGTH",
    "MAX_PAGE_SIZE",
    "MAX_SEQUENCE",
    "RETRIES",
    "SEQUENCES",
    "TOKENS",
    "VERSION_FIELD",
    "AttemptCount",
    "AttemptCounter",
    "Audience",
    "AuditFallback",
    "Capabilities",
    "CounterFallback",
    "FieldUse",
    "HeldUnit",
    "Index",
    "IndexValue",
    "LegalBasis",
    "ManyFallback",
    "NotPersonal",
    "Page",
    "Personal",
    "RecordType",
    "Records",
    "Repository",
    "StoredToken",
    "StoredUnit",
    "TokenFallback",
    "TokenStore",
    "Transaction",
    "WritingUnits",
    "audit_cursor",
    "check_limit_args",
    "check_page_size",
    "check_sequence",
    "distinct_keys",
    "is_storable_key",
    "is_storable_text",
    "json_value",
    "microseconds",
    "next_count",
    "page_of",
    "storable_key",
    "with_version",
]
