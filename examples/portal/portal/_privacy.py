"""The administrator's privacy pages (issue 27, point 7): the audit log, and the routes.

This area serves the routes of a person's export and correction
(:mod:`portal._privacy_person`) and erasure (:mod:`portal._privacy_erase`) too.

*Auditlog* (``/audit-log``) shows a Facet or Cito administrator the audit
events about the locations they administer, as examkit reads them
(:meth:`kit.privacy_audit.browse <examkit.privacy.AuditTrail.browse>`, the locations and
a page of :meth:`~examkit.privacy.AuditTrail.list_at` in one read):
filtered by location, by person or other subject, by action and by date,
a page at a time, the oldest first. Nobody else's events: examkit decides
which events concern which locations, and refuses a location the viewer
does not administer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.privacy import AUDIT_READERS
from examkit.scheduling import AMSTERDAM
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_
from portal._planning_words import local
from portal._privacy_erase import ErasurePages
from portal._privacy_person import PersonPages

PAGE_SIZE: Final = 50
"""Events per page of the audit log."""
OUTCOMES: Final = {
    "success": N_("done"),
    "failure": N_("failed"),
    "denied": N_("refused"),
}
"""How an event ended, as the page says it."""
FILTERS: Final = ("location", "subject", "action", "from", "to")
"""The audit log's filters (query parameters), kept from page to page."""


def _day(text: str) -> date | None:
    """Return the date *text* (``YYYY-MM-DD``) names, ``None`` when empty.

    Raises:
        ValueError: it names no date.
    """
    return date.fromisoformat(text) if text else None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


class PrivacyPages(Area):
    """The audit log of the viewer's locations; and the routes of the person pages."""

    navigation: Sequence[NavEntry] = (
        *PersonPages.navigation,
        NavEntry("/audit-log", N_("Audit log"), AUDIT_READERS),
    )

    def routes(self) -> list[Route]:
        """Return the privacy pages' routes."""
        return [
            Route("/audit-log", self.audit_log, methods=["GET"]),
            *PersonPages(self.portal).routes(),
            *ErasurePages(self.portal).routes(),
        ]

    @allowed(*AUDIT_READERS)
    async def audit_log(self, request: Request, viewer: Viewer) -> Response:
        """The events about the viewer's locations, filtered, a page at a time."""
        portal = self.portal
        _ = portal.gettext(request)
        shown = {name: request.query_params.get(name, "").strip() for name in FILTERS}
        wrong: str | None = None
        try:
            first, last = _day(shown["from"]), _day(shown["to"])
        except ValueError:
            first = last = None
            wrong = _("A date is not a date.")
        else:
            late = first is not None and last is not None and last < first
            wrong = _("The last day is before the first.") if late else None
        if wrong is not None:
            mine = await portal.call(portal.kit.privacy_audit.administered, viewer.id)
            return self.render(request, mine, shown, [], None, error=wrong, status=400)
        try:
            chosen = [LocationCode(shown["location"])] if shown["location"] else None
            browsed = await portal.call(
                portal.kit.privacy_audit.browse,
                viewer.id,
                locations=chosen,
                subject=shown["subject"] or None,
                action=shown["action"] or None,
                since=None if first is None else _midnight(first),
                until=None if last is None else _midnight(last + timedelta(days=1)),
                after=request.query_params.get("after") or None,
                limit=PAGE_SIZE,
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        mine, page = browsed.administered, browsed.entries
        rows = [
            {
                "at": local(entry.event.at),
                "actor": entry.event.actor or _("the system"),
                "action": entry.event.action,
                "subject": entry.event.subject,
                "subject_link": self.link(shown, subject=entry.event.subject),
                "outcome": _(OUTCOMES[entry.event.outcome]),
                "denied": entry.event.outcome != "success",
                "details": sorted(entry.event.details.items()),
                "locations": ", ".join(entry.locations),
            }
            for entry in page.items
        ]
        more = None if page.next_after is None else self.link(shown, after=page.next_after)
        return self.render(request, mine, shown, rows, more)

    def render(
        self,
        request: Request,
        mine: Sequence[LocationCode],
        shown: dict[str, str],
        rows: list[dict[str, Any]],
        more: str | None,
        *,
        error: str | None = None,
        status: int = 200,
    ) -> Response:
        """Render the audit log with its filters, *rows* and the link to the next page."""
        return self.portal.page(
            request,
            "privacy/audit_log.html",
            status,
            locations=[str(place) for place in mine],
            shown=shown,
            rows=rows,
            more=more,
            first=self.link(shown) if request.query_params.get("after") else None,
            error=error,
        )

    @staticmethod
    def link(shown: dict[str, str], **changed: str) -> str:
        """Return the audit log's address with the filters *shown*, changed by *changed*."""
        query = {name: value for name, value in {**shown, **changed}.items() if value}
        return f"/audit-log?{urlencode(query)}" if query else "/audit-log"
