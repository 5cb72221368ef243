"""The candidate's test: sign-in with the access code, the player, its saves, the hand-in.

The candidate has no account: every page here is public in the portal's
sense and checks the candidate's own cookie (:mod:`portal._candidate`).
Each load of the player reserves a new page epoch
(:meth:`~examkit.scheduling.Sitting.open_page`); the page numbers its
saves and sends them one at a time, in order, to ``POST /test/save``, so
the newest page's answers win (:func:`~examkit.scheduling.page_sequence`).
The server enforces the deadline (plus the configured grace); a save after
it, or after the hand-in, is refused (409) and counted by examkit.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.problems import http_status
from examkit.scheduling import (
    Attempt,
    AttemptState,
    SittingPage,
    TransitionNotAllowed,
    page_sequence,
)
from portal._base import Area, public
from portal._candidate import (
    SAVE_HEADER,
    SignedInCandidate,
    candidate_of,
    clear_candidate_cookie,
    page_token,
    right_token,
    set_candidate_cookie,
)
from portal._i18n import N_
from portal._offline_packages import NO_PACKAGE, missing_package, no_package
from portal._test_content import ItemContent

SIGN_IN_FORM = "candidate-sign-in"
"""The candidate sign-in's form (its one-time token)."""

_ENDED = {
    AttemptState.SUBMITTED: N_("Your test has been handed in."),
    AttemptState.TIMED_OUT: N_("Time is up. Your answers have been kept."),
    AttemptState.TERMINATED: N_("The proctor has ended your test."),
    AttemptState.ABSENT: N_("Your test is over."),
}


def _json(status: int, **body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def clock(seconds: int | None) -> str:
    """Return *seconds* as the player's clock shows them: ``1:05:09`` (empty: no deadline).

    >>> clock(3909), clock(None)
    ('1:05:09', '')
    """
    if seconds is None:
        return ""
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _int(value: object) -> int | None:
    return value if type(value) is int else None


class TestPages(Area):
    """The candidate's sign-in, the test player and its endpoints."""

    __test__ = False  # not a pytest test class

    def routes(self) -> list[Route]:
        """Return the candidate's routes."""
        return [
            Route("/test", self.sign_in_page, methods=["GET"]),
            Route("/test", self.sign_in, methods=["POST"]),
            Route("/test/player", self.player, methods=["GET"]),
            Route("/test/save", self.save, methods=["POST"]),
            Route("/test/contact", self.contact, methods=["POST"]),
            Route("/test/hand-in", self.hand_in, methods=["POST"]),
            Route("/test/done", self.done, methods=["GET"]),
        ]

    # -- signing in --------------------------------------------------------------------------

    async def running(self, candidate: SignedInCandidate | None) -> Attempt | None:
        """Return the cookie's attempt while it runs (a heartbeat of the key), else ``None``."""
        if candidate is None:
            return None
        try:
            attempt = await self.portal.call(
                self.portal.kit.sitting.contact,
                candidate.group,
                candidate.candidate,
                key=candidate.key,
            )
        except ExamkitError:
            return None
        return None if attempt.state.is_final else attempt

    @public
    async def sign_in_page(self, request: Request) -> Response:
        """The candidate's sign-in (login name and access code); a running test goes on."""
        if await self.running(candidate_of(request)) is not None:
            return self.portal.to("/test/player")
        return await self.portal.form_page(request, "test/candidate_sign_in.html", SIGN_IN_FORM)

    @public
    async def sign_in(self, request: Request) -> Response:
        """Sign the candidate in (start or re-enter the test) and open the player."""
        portal = self.portal
        data = await portal.accepted(request, SIGN_IN_FORM)
        if isinstance(data, Response):
            return data
        login = str(data.get("login_name", ""))
        if self.portal.station is not None and await portal.call(
            missing_package, portal.kit, login, str(data.get("access_code", ""))
        ):
            return no_package(portal, request)
        try:
            session = await portal.call(
                portal.kit.sitting.sign_in, login, str(data.get("access_code", ""))
            )
        except ExamkitError as error:
            return await portal.form_page(
                request,
                "test/candidate_sign_in.html",
                SIGN_IN_FORM,
                http_status(error),
                error=error.message(portal.lang(request)),
                login_name=login,
            )
        response = portal.to("/test/player")
        signed = SignedInCandidate(session.group, session.candidate, session.key)
        set_candidate_cookie(response, signed, portal.config)
        return response

    # -- the player --------------------------------------------------------------------------

    def opened(
        self, candidate: SignedInCandidate
    ) -> tuple[SittingPage, tuple[ItemContent, ...], bool, bool]:
        """Open a page (a new epoch); return it, the items, read-aloud and enlarged print."""
        kit = self.portal.kit
        page = kit.sitting.open_page(candidate.group, candidate.candidate, key=candidate.key)
        items = self.portal.contents(kit.candidates.exam(page.attempt.exam))
        facilities = kit.candidates.candidate(candidate.candidate).facilities
        return page, items, facilities.read_aloud, facilities.enlarged_print

    @public
    async def player(self, request: Request) -> Response:
        """The test: one item per screen, every change saved; over: the closing page."""
        portal = self.portal
        candidate = candidate_of(request)
        if candidate is None:
            return portal.to("/test")
        try:
            page, items, read_aloud, large = await portal.call(self.opened, candidate)
        except InvalidState as error:
            if error.code == NO_PACKAGE:
                return no_package(portal, request)
            return portal.to("/test/done")
        except (NotPermitted, NotFound):
            response = portal.to("/test")
            clear_candidate_cookie(response, portal.config)
            return response
        attempt = page.attempt
        answers = {item: saved.value for item, saved in attempt.responses.items()}
        return portal.page(
            request,
            "test/player.html",
            items=items,
            answers=answers,
            answered={i.id for i in items if i.answered(answers.get(i.id))},
            page=page,
            attempt=attempt,
            attempt_key=candidate.attempt,
            save_token=page_token(portal.config, candidate, page.epoch),
            paused=attempt.state is AttemptState.PAUSED,
            seconds=(seconds := self.seconds_left(page.attempt.deadline)),
            time_left=clock(seconds),
            beat_ms=int(portal.config.beat_seconds * 1000),
            read_aloud=read_aloud,
            large=large,
        )

    # -- the page's requests -----------------------------------------------------------------

    async def page_request(
        self, request: Request
    ) -> tuple[SignedInCandidate, dict[str, Any]] | JSONResponse:
        """Return the candidate and the JSON body of a page's request, or the refusal.

        Refused: another site (403), no candidate (401), a body that is no
        JSON object (400), a save token that is not this page's (403).
        """
        portal = self.portal
        if portal.cross_site_refusal(request) is not None:
            return _json(403, error="cross_site")
        candidate = candidate_of(request)
        if candidate is None:
            return _json(401, error="signed_out")
        try:
            body = await request.json()
        except ValueError:
            return _json(400, error="json")
        epoch = _int(body.get("epoch")) if isinstance(body, dict) else None
        if epoch is None or not isinstance(body, dict):
            return _json(400, error="json")
        if not right_token(portal.config, candidate, epoch, request.headers.get(SAVE_HEADER, "")):
            return _json(403, error="page")
        return candidate, body

    def seconds_left(self, attempt_deadline: datetime | None) -> int | None:
        """Return the seconds until *attempt_deadline* now, rounded up (``None`` without one).

        Rounded up, so the page's countdown (which starts when the answer arrives)
        never shows the time as up before the server's deadline has passed.
        """
        if attempt_deadline is None:
            return None
        left = (attempt_deadline - self.portal.kit.clock.now()).total_seconds()
        return max(0, math.ceil(left))

    @public
    async def save(self, request: Request) -> Response:
        """Save one answer of the page: 200 with what happened, 409 when late or over."""
        portal = self.portal
        found = await self.page_request(request)
        if isinstance(found, JSONResponse):
            return found
        candidate, body = found
        lang = portal.lang(request)
        try:
            counter = _int(body.get("counter"))
            sequence = page_sequence(body["epoch"], counter if counter is not None else 0)
            receipt = await portal.call(
                portal.kit.sitting.save_response,
                candidate.group,
                candidate.candidate,
                body.get("item"),  # type: ignore[arg-type]  # examkit checks it is text
                body.get("value"),
                sequence=sequence,
                key=candidate.key,
            )
        except InvalidState as error:
            state = str(error.params.get("state", ""))
            over = error.code == "sessions.response.deadline" or state not in {
                AttemptState.PAUSED.value,
                AttemptState.IN_PROGRESS.value,
            }
            return _json(409, refused=error.code, message=error.message(lang), over=over)
        except (NotPermitted, NotFound):
            return _json(401, error="signed_out")
        except InvalidInput as error:
            return _json(400, refused=error.code, message=error.message(lang))
        except ConcurrentModification as error:
            return _json(503, refused=error.code, message=error.message(lang))
        return _json(
            200,
            stored=receipt.stored,
            acknowledged=receipt.stored or not receipt.superseded,
            superseded=receipt.superseded,
            seconds_left=self.seconds_left(receipt.deadline),
        )

    @public
    async def contact(self, request: Request) -> Response:
        """The page's heartbeat: the attempt's state and time left."""
        portal = self.portal
        found = await self.page_request(request)
        if isinstance(found, JSONResponse):
            return found
        candidate, _ = found
        try:
            attempt = await portal.call(
                portal.kit.sitting.contact,
                candidate.group,
                candidate.candidate,
                key=candidate.key,
            )
        except (NotPermitted, NotFound):
            return _json(401, error="signed_out")
        seconds = self.seconds_left(attempt.deadline)
        return _json(
            200,
            state=attempt.state.value,
            seconds_left=seconds,
            over=attempt.state.is_final,
            paused=attempt.state is AttemptState.PAUSED,
        )

    @public
    async def hand_in(self, request: Request) -> Response:
        """Hand the test in (the page's form, with its save token); then the closing page.

        The page's save token stands in for a one-time form token: a test
        can outlast one, and handing in twice changes nothing (the second
        finds the test handed in).
        """
        portal = self.portal
        if (refusal := portal.cross_site_refusal(request)) is not None:
            return refusal
        candidate = candidate_of(request)
        if candidate is None:
            return portal.to("/test")
        data = await request.form()
        epoch = str(data.get("epoch", ""))
        token = str(data.get("page_token", ""))
        if not epoch.isdigit() or not right_token(portal.config, candidate, int(epoch), token):
            _ = portal.gettext(request)
            return portal.message(
                request, _("This request did not come from this portal and was refused."), 403
            )
        try:
            await portal.call(
                portal.kit.sitting.submit, candidate.group, candidate.candidate, key=candidate.key
            )
        except TransitionNotAllowed:
            pass  # handed in (or ended) already: the closing page says so
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.to("/test/done")

    @public
    async def done(self, request: Request) -> Response:
        """The closing page: handed in, time up, or ended; a running test goes back to it."""
        portal = self.portal
        candidate = candidate_of(request)
        if candidate is None:
            return portal.to("/test")
        try:
            attempt = await portal.call(
                portal.kit.sitting.contact,
                candidate.group,
                candidate.candidate,
                key=candidate.key,
            )
        except (NotPermitted, NotFound):
            return portal.to("/test")
        seconds = self.seconds_left(attempt.deadline)
        if not attempt.state.is_final and seconds != 0:
            return portal.to("/test/player")
        ended = _ENDED.get(attempt.state, N_("Time is up. Your answers have been kept."))
        return portal.page(
            request, "test/handed_in.html", ended=ended, answered=len(attempt.responses)
        )
