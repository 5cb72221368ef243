"""Privacy operations: the processing register, a person's data, erasure and retention.

The school is the controller of its pupils' and staff's data and the system's
supplier its processor (the GDPR and the Dutch education sector's privacy
covenant). This package gives a portal what that asks of it (PRIV-1 to PRIV-4):

- the processing register, generated from the record declarations: every
  stored field says whether it is personal and, if so, its purpose, legal
  basis, retention term and audience (:class:`Personal`, :class:`NotPersonal`);
- one person (:class:`PersonRef`) as every record refers to them;
- a portal's own retention periods and pseudonym key (:class:`PrivacySettings`);
- the audit trail of an administrator's locations (:class:`AuditTrail`, ``kit.privacy_audit``).
"""

from examkit.privacy._person import PersonKind, PersonRef
from examkit.privacy._settings import PrivacySettings, RetentionPeriod
from examkit.privacy._trail import (
    AUDIT_READERS,
    LOCATED_BY,
    AuditEntry,
    AuditTrail,
    locations_of,
)
from examkit.storage import Audience, FieldUse, LegalBasis, NotPersonal, Personal

__all__ = [
    "AUDIT_READERS",
    "LOCATED_BY",
    "Audience",
    "AuditEntry",
    "AuditTrail",
    "FieldUse",
    "LegalBasis",
    "NotPersonal",
    "PersonKind",
    "PersonRef",
    "Personal",
    "PrivacySettings",
    "RetentionPeriod",
    "locations_of",
]
