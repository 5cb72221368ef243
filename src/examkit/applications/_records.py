"""The account applications as stored: declared once, for every backend."""

from __future__ import annotations

from functools import partial
from typing import Final

from examkit.applications._model import AccountApplication, ApplicationStatus
from examkit.identifiers import Brin
from examkit.storage import VERSION_FIELD, Index, NotPersonal, Page, Personal, Records, RecordType

_applied: Final = partial(
    Personal, basis="public_task", retention="application", audience=("administrator", "operator")
)
"""An application's field about a person, seen by the school's administrator and the desk: give
it the purpose."""


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
        "administrator": _applied(
            "the proposed administrator (name, phone, e-mail address, login name), "
            "to make their account"
        ),
        "competent_authority": _applied(
            "the competent authority's representative (initials, name, function, "
            "e-mail address) who confirms the application"
        ),
        "submitted_at": NotPersonal("when the school submitted it"),
        "status": NotPersonal("where the application stands"),
        "decision": _applied("the operator's decision: who decided, when, why, the account made"),
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
