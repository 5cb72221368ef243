"""Correction in the browser (seed 002, SCO-3): release, work lists, scoring, agreement, closing.

The planner releases a closed session group for correction; each corrector
finds the groups they correct (:meth:`examkit.correction.CorrectionWork.assigned`),
scores every candidate's open items on a screen that shows the candidate's
response and the points allowed, and the first and second corrector agree
on their differences or escalate them; the planner refers escalated items
to an independent third corrector; a corrector closes the correction, which
hands the group back to the planner. examkit decides every step: the pages
show what its use cases return, and their refusals.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.correction import EligibleCorrector, Mark, WorkItem, WorkList
from examkit.errors import ExamkitError, NotPermitted
from examkit.identifiers import LocationCode
from examkit.problems import http_status
from examkit.scheduling import GroupState, TestSessionGroup
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_

SCORE: Final = "facet.correction.overview"
"""A corrector's action (work list, scoring)."""
PLAN: Final = "facet.correctors.schedule"
"""The planner's action over correctors (refer, the group's correction page)."""
RELEASE: Final = "facet.session_groups.release_for_correction"
"""The planner's action that releases a closed group for correction."""
CORRECTION: Final = (SCORE, PLAN)
"""Who reaches the correction pages: a corrector or the planner."""
SHOWN_TO_PLANNER: Final = (
    GroupState.CLOSED,
    GroupState.RELEASED_FOR_CORRECTION,
    GroupState.CORRECTION_CLOSED,
)
"""The states of the groups on the planner's correction page."""
SCORABLE: Final = {
    Mark.FIRST: {"open", "settled"},
    Mark.SECOND: {"open", "settled"},
    Mark.THIRD: {"third"},
}
"""In which item states each corrector's place enters a score."""


def group_label(group: TestSessionGroup) -> str:
    """Return how a page names *group*: its test, room and start (Amsterdam)."""
    return f"{group.exam} · {group.room} · {group.day}"


def number_of(text: str) -> int:
    """Return a posted score as a whole number; anything else as -1, which examkit refuses."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 7 else -1


def scores_of(data: FormData, items: list[WorkItem]) -> tuple[dict[str, int], dict[str, str]]:
    """Return the scores and comments posted for *items* (an empty score field: not scored)."""
    scores: dict[str, int] = {}
    comments: dict[str, str] = {}
    for item in items:
        text = str(data.get(f"score-{item.item}", "")).strip()
        if not text:
            continue
        scores[item.item] = number_of(text)
        comment = str(data.get(f"comment-{item.item}", "")).strip()
        if comment:
            comments[item.item] = comment
    return scores, comments


class CorrectionPages(Area):
    """The correctors' and the planner's correction pages."""

    navigation = (NavEntry("/correction", N_("Correction"), CORRECTION),)

    def routes(self) -> list[Route]:
        """Return the routes of correction."""
        return [
            Route("/correction", self.groups, methods=["GET"]),
            Route("/correction/{group}", self.group, methods=["GET"]),
            Route("/correction/{group}/release", self.release, methods=["POST"]),
            Route("/correction/{group}/agree", self.agree, methods=["POST"]),
            Route("/correction/{group}/escalate", self.escalate, methods=["POST"]),
            Route("/correction/{group}/refer", self.refer, methods=["POST"]),
            Route("/correction/{group}/replace", self.replace, methods=["POST"]),
            Route("/correction/{group}/close", self.close, methods=["POST"]),
            Route("/correction/{group}/score/{candidate}", self.scoring, methods=["GET"]),
            Route("/correction/{group}/score/{candidate}", self.score, methods=["POST"]),
        ]

    # -- the groups ------------------------------------------------------------------------

    @allowed(*CORRECTION)
    async def groups(self, request: Request, viewer: Viewer) -> Response:
        """The viewer's groups to correct, and the planner's groups by correction state."""
        portal = self.portal
        try:  # one trip to a worker thread for the lists and the form's token
            context = await portal.call(self._groups_facts, viewer)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.page(
            request,
            "correction/correction_groups.html",
            may_release=viewer.may(RELEASE),
            label=group_label,
            **context,
        )

    def _groups_facts(self, viewer: Viewer) -> dict[str, Any]:
        """Return the viewer's groups to correct, the planner's groups and the form's token.

        Raises:
            ExamkitError: examkit refused one of the reads.
        """
        kit = self.portal.kit
        context: dict[str, Any] = {"assigned": [], "planned": []}
        if viewer.may(SCORE):
            context["assigned"] = kit.correction_work.assigned(viewer.id)
        if viewer.may(PLAN):
            context["planned"] = self._planned(viewer)
        context["form_token"] = kit.form_tokens.issue("correction-release")
        return context

    def _planned(self, viewer: Viewer) -> list[TestSessionGroup]:
        """Return the groups at the planner's locations that are closed or in correction."""
        kit = self.portal.kit
        found: list[TestSessionGroup] = []
        places = viewer.actor.places(PLAN)
        for location in sorted(p for p in places if isinstance(p, LocationCode)):
            after: str | None = None
            while True:
                page = kit.planning.planned_groups(viewer.id, location, after=after, limit=200)
                found.extend(g for g in page.items if g.state in SHOWN_TO_PLANNER)
                if page.next_after is None:
                    break
                after = page.next_after
        return found

    @allowed(RELEASE)
    async def release(self, request: Request, viewer: Viewer) -> Response:
        """Release a closed group for correction (the planner) and open its correction."""
        portal = self.portal
        data = await portal.accepted(request, "correction-release")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        try:
            await portal.call(
                portal.kit.group_lifecycle.transition,
                viewer.id,
                group_id,
                "release_for_correction",
            )
            await portal.call(portal.kit.corrections.open, viewer.id, group_id)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return portal.to(f"/correction/{group_id}")

    # -- one group -------------------------------------------------------------------------

    @allowed(*CORRECTION)
    async def group(self, request: Request, viewer: Viewer) -> Response:
        """A corrector's work list of the group, or the planner's view of its correction."""
        return await self._group_page(request, viewer)

    async def _group_page(
        self, request: Request, viewer: Viewer, *, error: ExamkitError | None = None
    ) -> Response:
        portal = self.portal
        group_id = request.path_params["group"]
        try:  # one trip to a worker thread for the page's every examkit call
            facts = await portal.call(self._group_facts, viewer, group_id)
        except ExamkitError as failure:
            return portal.refusal(request, failure)
        work: WorkList | None = facts["work"]
        candidates: dict[str, list[WorkItem]] = {}
        for item in work.items if work is not None else ():
            candidates.setdefault(item.candidate, []).append(item)
        context: dict[str, Any] = {"group_id": group_id}
        status = 200
        if error is not None:
            context["error"] = error.message(portal.lang(request))
            status = http_status(error)
        return portal.page(
            request,
            "correction/correction_group.html",
            status,
            label=group_label(facts["session"]),
            candidates=candidates,
            **facts,
            **context,
        )

    def _group_facts(self, viewer: Viewer, group_id: str) -> dict[str, Any]:
        """Return what the group's page shows, read by examkit, and its form's token.

        In one trip to a worker thread.

        Raises:
            ExamkitError: examkit refused one of its reads.
        """
        kit = self.portal.kit
        session = kit.planning.group(group_id)
        correction = kit.corrections.correction(group_id)
        work: WorkList | None = None
        if correction.corrected_by(viewer.id) and viewer.may(SCORE):
            work = kit.correction_work.work_list(viewer.id, group_id)
        elif not viewer.actor.may(PLAN, correction):
            raise NotPermitted("permission.denied")
        differences: tuple[Any, ...] = ()
        if work is not None and work.mark in {Mark.FIRST, Mark.SECOND} and not work.closed:
            differences = kit.correction_work.differences(viewer.id, group_id)
        planner = viewer.actor.may(PLAN, correction)
        eligible: tuple[EligibleCorrector, ...] = ()
        progress = None
        if planner:
            progress = kit.corrections.progress(viewer.id, group_id)
        if planner and not correction.is_closed:
            eligible = kit.correctors.eligible(viewer.id, group_id)
        return {
            "session": session,
            "correction": correction,
            "work": work,
            "differences": differences,
            "planner": planner,
            "eligible": eligible,
            "progress": progress,
            "form_token": kit.form_tokens.issue("correction-group"),
        }

    async def _group_move(self, request: Request, viewer: Viewer, move: str) -> Response:
        """Post one move of the group page; a refusal shows the page again with examkit's error."""
        portal = self.portal
        kit = portal.kit
        data = await portal.accepted(request, "correction-group")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        candidate = str(data.get("candidate", ""))
        item = str(data.get("item", ""))
        try:
            if move == "agree":
                await portal.call(
                    kit.correction_work.agree,
                    viewer.id,
                    group_id,
                    candidate,
                    item,
                    number_of(str(data.get("score", ""))),
                    comment=str(data.get("comment", "")).strip(),
                )
            elif move == "escalate":
                await portal.call(
                    kit.correction_work.escalate, viewer.id, group_id, candidate, item
                )
            elif move == "refer":
                third = str(data.get("third", "")).strip()
                await portal.call(kit.correctors.refer, viewer.id, group_id, third)
            elif move == "replace":
                await portal.call(
                    kit.correctors.replace,
                    viewer.id,
                    group_id,
                    str(data.get("mark", "")),
                    str(data.get("account", "")).strip(),
                )
            else:
                await portal.call(kit.correction_work.close, viewer.id, group_id)
        except ExamkitError as error:
            if isinstance(error, NotPermitted):
                return portal.refusal(request, error)
            return await self._group_page(request, viewer, error=error)
        return portal.to(f"/correction/{group_id}")

    @allowed("facet.correction.agree")
    async def agree(self, request: Request, viewer: Viewer) -> Response:
        """The first and second corrector record the score they agreed on."""
        return await self._group_move(request, viewer, "agree")

    @allowed("facet.correction.agree")
    async def escalate(self, request: Request, viewer: Viewer) -> Response:
        """The first or second corrector escalate a difference they cannot agree on."""
        return await self._group_move(request, viewer, "escalate")

    @allowed(PLAN)
    async def refer(self, request: Request, viewer: Viewer) -> Response:
        """The planner refers the escalated items to an independent third corrector."""
        return await self._group_move(request, viewer, "refer")

    @allowed(PLAN)
    async def replace(self, request: Request, viewer: Viewer) -> Response:
        """The planner replaces the first, second or third corrector (scores entered are kept)."""
        return await self._group_move(request, viewer, "replace")

    @allowed("facet.correction.close")
    async def close(self, request: Request, viewer: Viewer) -> Response:
        """A corrector closes the correction: every open item has its final score."""
        return await self._group_move(request, viewer, "close")

    # -- scoring one candidate --------------------------------------------------------------

    @allowed(SCORE)
    async def scoring(self, request: Request, viewer: Viewer) -> Response:
        """The scoring screen of one candidate: each open item's response and points allowed."""
        return await self._scoring_page(request, viewer)

    async def _scoring_page(
        self,
        request: Request,
        viewer: Viewer,
        *,
        error: ExamkitError | None = None,
        posted: FormData | None = None,
    ) -> Response:
        portal = self.portal
        group_id = request.path_params["group"]
        candidate = request.path_params["candidate"]
        try:  # one trip to a worker thread for the page's reads and its form's token
            work, responses, session, token = await portal.call(
                self._scoring_facts, viewer, group_id, candidate
            )
        except ExamkitError as failure:
            return portal.refusal(request, failure)
        items = [item for item in work.items if item.candidate == candidate]
        allowed_states = SCORABLE.get(work.mark, set()) if work.mark and not work.closed else set()
        others = sorted({item.candidate for item in work.items})
        at = others.index(candidate) if candidate in others else -1
        following = others[at + 1] if 0 <= at < len(others) - 1 else None
        status = 200
        message = None
        if error is not None:
            message = error.message(portal.lang(request))
            status = http_status(error)
        return portal.page(
            request,
            "correction/correction_score.html",
            status,
            form_token=token,
            error=message,
            group_id=group_id,
            label=group_label(session),
            candidate=candidate,
            items=items,
            editable={item.item for item in items if item.state.value in allowed_states},
            responses=responses,
            following=following,
            posted=posted,
        )

    def _scoring_facts(
        self, viewer: Viewer, group_id: str, candidate: str
    ) -> tuple[WorkList, dict[str, str], TestSessionGroup, str]:
        """Return the viewer's work list, the candidate's responses, the group and a token.

        Raises:
            ExamkitError: examkit refused one of the reads.
        """
        kit = self.portal.kit
        work = kit.correction_work.work_list(viewer.id, group_id)
        responses = kit.correction_work.responses(viewer.id, group_id, candidate)
        session = kit.planning.group(group_id)
        return work, responses, session, kit.form_tokens.issue("correction-score")

    @allowed(SCORE)
    async def score(self, request: Request, viewer: Viewer) -> Response:
        """Store the corrector's scores of one candidate; on to the next candidate."""
        portal = self.portal
        kit = portal.kit
        data = await portal.accepted(request, "correction-score")
        if isinstance(data, Response):
            return data
        group_id = request.path_params["group"]
        candidate = request.path_params["candidate"]
        try:
            work = await portal.call(kit.correction_work.work_list, viewer.id, group_id)
            items = [item for item in work.items if item.candidate == candidate]
            scores, comments = scores_of(data, items)
            await portal.call(
                kit.correction_work.score,
                viewer.id,
                group_id,
                candidate,
                scores,
                comments=comments or None,
            )
        except ExamkitError as error:
            if isinstance(error, NotPermitted):
                return portal.refusal(request, error)
            return await self._scoring_page(request, viewer, error=error, posted=data)
        following = str(data.get("next", ""))
        if following in {item.candidate for item in work.items}:
            return portal.to(f"/correction/{group_id}/score/{following}")
        return portal.to(f"/correction/{group_id}")
