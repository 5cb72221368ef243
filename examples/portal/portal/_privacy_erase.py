"""Erasing one person's data on request, for whoever may (issue 27, point 7; PRIV-3).

``/privacy/erase`` asks for confirmation, naming the person and what
erasure means: everything about them that no retention term holds back is
removed at once, the audit log keeps its events under a pseudonym, and it
cannot be undone. The confirmed erasure
(:meth:`kit.privacy_erasure.erase <examkit.privacy.PrivacyErasure.erase>`)
answers with what was erased and what stays, under which term and until
when. A school's administrator erases the pupils and candidates of their
locations; an account is the service desk's to erase. examkit decides: a
person of another school is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError
from examkit.privacy import ERASE_ACCOUNT, ERASE_PERSON, ErasureReport, PersonRef
from portal._base import Area, Viewer, allowed
from portal._planning_words import local
from portal._privacy_people import KINDS, asked_person, person_query, posted_person

ERASERS: Final = (*ERASE_PERSON, ERASE_ACCOUNT)
"""The matrix actions that show the erasure pages (the use case decides about the person)."""


def may_erase(viewer: Viewer, person: PersonRef) -> bool:
    """Return whether *viewer* holds the action that erases *person*'s kind somewhere."""
    return viewer.may(ERASE_ACCOUNT) if person.kind == "account" else viewer.may(*ERASE_PERSON)


def report_rows(report: ErasureReport) -> dict[str, Any]:
    """Return what the answer page shows of *report*."""
    return {
        "erased": sorted(report.erased.items()),
        "stripped": sorted(report.stripped.items()),
        "kept": [
            {
                "record": kept.record,
                "count": kept.count,
                "term": kept.term,
                "until": None if kept.until is None else local(kept.until),
                "why": kept.why,
                "source": kept.source,
            }
            for kept in report.kept
        ],
        "audit_events": report.audit_events,
        "tokens": report.tokens,
        "offline": report.offline,
        "changed": report.changed,
        "pseudonym": report.pseudonym,
    }


class ErasurePages(Area):
    """The erasure's confirmation and its answer."""

    navigation: Sequence[Any] = ()

    def routes(self) -> list[Route]:
        """Return the erasure's routes."""
        return [
            Route("/privacy/erase", self.confirm, methods=["GET"]),
            Route("/privacy/erase", self.erase, methods=["POST"]),
        ]

    @allowed(*ERASERS)
    async def confirm(self, request: Request, viewer: Viewer) -> Response:
        """Ask to confirm the erasure of the person named, saying what it means."""
        person = asked_person(self.portal, request)
        if isinstance(person, Response):
            return person
        if not may_erase(viewer, person):
            _ = self.portal.gettext(request)
            return self.portal.message(request, _("This page is not for you."), 403)
        return await self.portal.form_page(
            request,
            "privacy/erase.html",
            "privacy-erase",
            person=person,
            kind=KINDS[person.kind],
            query=person_query(person),
        )

    @allowed(*ERASERS)
    async def erase(self, request: Request, viewer: Viewer) -> Response:
        """Erase the person, then say what was erased and what stays until when."""
        portal = self.portal
        posted = await posted_person(portal, request, "privacy-erase")
        if isinstance(posted, Response):
            return posted
        person = posted[1]
        try:
            report = await portal.call(portal.kit.privacy_erasure.erase, viewer.id, person)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.page(
            request,
            "privacy/erased.html",
            person=person,
            kind=KINDS[person.kind],
            **report_rows(report),
        )
