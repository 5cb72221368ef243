"""The account applications as stored: declared once, for every backend."""

from __future__ import annotations

from typing import Final

from examkit.applications._model import AccountApplication, ApplicationStatus
from examkit.identifiers import Brin
from examkit.storage import VERSION_FIELD, Index, NotPersonal, Page, Personal, Records, RecordType

APPLICATIONS: Final = RecordType(
    "applications",
    AccountApplication,
    kind="application",
    key=lambda item: item.id,
    indexes=(
        Index("status", lambda item: item.status.value),
        Index("brin", lambda item: str(item.brin)),
    ),
    privacy={
        "id": NotPersonal("the application's id"),
        "system": NotPersonal("the system applied for"),
        "school": NotPersonal("the school: codes, name, address, locations"),
        "administrator": Personal(
            purpose="the proposed administrator (name, phone, e-mail address, login name), "
            "to make their account",
            basis="public_task",
            retention="application",
            audience=("administrator", "operator"),
        ),
        "competent_authority": Personal(
            purpose="the competent authority's representative (initials, name, function, "
            "e-mail address) who confirms the application",
            basis="public_task",
            retention="application",
            audience=("administrator", "operator"),
        ),
        "submitted_at": NotPersonal("when the school submitted it"),
        "status": NotPersonal("where the application stands"),
        "decision": Personal(
            purpose="the operator's decision: who decided, when, why, the account made",
            basis="public_task",
            retention="application",
            audience=("administrator", "operator"),
        ),
        "version": VERSION_FIELD,
    },
)
"""Account applications (the operator's queue): by status and institution."""


class ApplicationRecords(Records[str, AccountApplication]):
    """The :class:`~examkit.applications.ApplicationRepository` on any backend."""

    def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        brin: Brin | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AccountApplication]:
        """Return the applications by id, of one status and/or institution."""
        where = {
            "status": None if status is None else status.value,
            "brin": None if brin is None else str(brin),
        }
        return self._page(where, after=after, limit=limit)
