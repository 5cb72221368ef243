"""Privacy operations: the processing register, a person's data, erasure and retention.

The school is the controller of its pupils' and staff's data and the system's
supplier its processor (the GDPR and the Dutch education sector's privacy
covenant). This package gives a portal what that asks of it (PRIV-1 to PRIV-4):

- the processing register, generated from the record declarations: every
  stored field says whether it is personal and, if so, its purpose, legal
  basis, retention term and audience (:class:`Personal`, :class:`NotPersonal`);
- one person (:class:`PersonRef`) as every record refers to them;
- a portal's own retention periods and pseudonym key (:class:`PrivacySettings`);
- the retention terms, each with its default period and source
  (:data:`RETENTION_TERMS`, :func:`retention_period`);
- the processing register drawn from the declarations (:func:`processing_register`);
- the retention jobs, removing what has passed its term (:class:`PrivacyRetention`,
  ``kit.privacy_retention``).
"""

from examkit.privacy._person import PersonKind, PersonRef
from examkit.privacy._register import RegisterRow, processing_register, register_problems
from examkit.privacy._retain import (
    BATCH,
    PURGE_PERMISSION,
    PURGED_TERMS,
    RETENTION_JOBS,
    PrivacyRetention,
    PurgeReport,
    RetentionBatch,
    RetentionJob,
    RetentionJobRun,
    RetentionStep,
    result_set_at,
)
from examkit.privacy._retention import (
    RETENTION_TERMS,
    RetentionTerm,
    period_text,
    retention_period,
    retention_term,
)
from examkit.privacy._settings import PrivacySettings, RetentionPeriod
from examkit.storage import Audience, FieldUse, LegalBasis, NotPersonal, Personal

__all__ = [
    "BATCH",
    "PURGED_TERMS",
    "PURGE_PERMISSION",
    "RETENTION_JOBS",
    "RETENTION_TERMS",
    "Audience",
    "FieldUse",
    "LegalBasis",
    "NotPersonal",
    "PersonKind",
    "PersonRef",
    "Personal",
    "PrivacyRetention",
    "PrivacySettings",
    "PurgeReport",
    "RegisterRow",
    "RetentionBatch",
    "RetentionJob",
    "RetentionJobRun",
    "RetentionPeriod",
    "RetentionStep",
    "RetentionTerm",
    "period_text",
    "processing_register",
    "register_problems",
    "result_set_at",
    "retention_period",
    "retention_term",
]
