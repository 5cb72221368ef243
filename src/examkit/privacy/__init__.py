"""Privacy operations: the processing register, a person's data, erasure and retention.

The school is the controller of its pupils' and staff's data and the system's
supplier its processor (the GDPR and the Dutch education sector's privacy
covenant). This package gives a portal what that asks of it (PRIV-1 to PRIV-4):

- the processing register, generated from the record declarations: every
  stored field says whether it is personal and, if so, its purpose, legal
  basis, retention term and audience (:class:`Personal`, :class:`NotPersonal`),
  drawn up by :func:`processing_register`;
- the retention terms, each with its default period and source
  (:data:`RETENTION_TERMS`, :func:`retention_period`), and a portal's own
  periods and pseudonym key (:class:`PrivacySettings`);
- one person (:class:`PersonRef`) as every record refers to them
  (:data:`PERSON_LINKS`), and every record that does (:func:`find_person`);
- a person's data exported as one versioned JSON document and a PDF, a wrong
  field corrected through the use case that owns it, and who read whose data
  (:class:`PrivacyExport`, ``kit.privacy_export``; every reading use case and
  the reads it records: :data:`READINGS`);
- erasing one person (:class:`PrivacyErasure`, :data:`ERASURE_RULES`), the audit trail
  naming them by a keyed pseudonym (:func:`pseudonym_of`);
- the retention jobs, removing what has passed its term (:class:`PrivacyRetention`,
  ``kit.privacy_retention``);
- the audit trail of an administrator's locations (:class:`AuditTrail`, ``kit.privacy_audit``).
"""

from examkit.privacy._access import PRIVACY_ACTIONS, may_see, places_of
from examkit.privacy._erase import (
    ERASE_ACCOUNT,
    ERASE_PERSON,
    ErasureReport,
    Kept,
    PrivacyErasure,
)
from examkit.privacy._erase_rules import ERASURE_RULES, Erasing, ErasureRule, rule_for
from examkit.privacy._export import FORMAT, VERSION, WITHHELD, PersonExport, secret_fields
from examkit.privacy._locate import (
    PERSON_LINKS,
    NotListed,
    PersonLink,
    RefersToNobody,
    find_person,
)
from examkit.privacy._person import PersonKind, PersonRef
from examkit.privacy._pseudonym import pseudonym_of
from examkit.privacy._reads import READ, READINGS, Read, Reading, note_read
from examkit.privacy._rectify import CORRECTABLE
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
    removal_of,
    result_set_at,
)
from examkit.privacy._retention import (
    RETENTION_TERMS,
    RetentionTerm,
    period_text,
    retention_period,
    retention_term,
)
from examkit.privacy._service import Correction, PrivacyExport
from examkit.privacy._settings import PrivacySettings, RetentionPeriod
from examkit.privacy._trail import (
    AUDIT_READERS,
    LOCATED_BY,
    AuditBrowse,
    AuditEntry,
    AuditTrail,
    locations_of,
    subjects_located,
)
from examkit.storage import Audience, FieldUse, LegalBasis, NotPersonal, Personal

__all__ = [
    "AUDIT_READERS",
    "BATCH",
    "CORRECTABLE",
    "ERASE_ACCOUNT",
    "ERASE_PERSON",
    "ERASURE_RULES",
    "FORMAT",
    "LOCATED_BY",
    "PERSON_LINKS",
    "PRIVACY_ACTIONS",
    "PURGED_TERMS",
    "PURGE_PERMISSION",
    "READ",
    "READINGS",
    "RETENTION_JOBS",
    "RETENTION_TERMS",
    "VERSION",
    "WITHHELD",
    "Audience",
    "AuditBrowse",
    "AuditEntry",
    "AuditTrail",
    "Correction",
    "Erasing",
    "ErasureReport",
    "ErasureRule",
    "FieldUse",
    "Kept",
    "LegalBasis",
    "NotListed",
    "NotPersonal",
    "PersonExport",
    "PersonKind",
    "PersonLink",
    "PersonRef",
    "Personal",
    "PrivacyErasure",
    "PrivacyExport",
    "PrivacyRetention",
    "PrivacySettings",
    "PurgeReport",
    "Read",
    "Reading",
    "RefersToNobody",
    "RegisterRow",
    "RetentionBatch",
    "RetentionJob",
    "RetentionJobRun",
    "RetentionPeriod",
    "RetentionStep",
    "RetentionTerm",
    "find_person",
    "locations_of",
    "may_see",
    "note_read",
    "period_text",
    "places_of",
    "processing_register",
    "pseudonym_of",
    "register_problems",
    "removal_of",
    "result_set_at",
    "retention_period",
    "retention_term",
    "rule_for",
    "secret_fields",
    "subjects_located",
]
