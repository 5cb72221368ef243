"""The account applications as stored: declared once, for every backend."""

from __future__ import annotations

from typing import Final

from examkit.applications._model import AccountApplication, ApplicationStatus
from examkit.identifiers import Brin
from examkit.storage import Index, Page, Records, RecordType

APPLICATIONS: Final = RecordType(
    "applications",
    AccountApplication,
    kind="application",
    key=lambda item: item.id,
    indexes=(
        Index("status", lambda item: item.status.value),
        Index("brin", lambda item: str(item.brin)),
    ),
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
