"""Planning a session group in two steps (seed 004 §3.5, SCH-1 and SCH-2).

The first step names the test, online or offline (with the offline
server), the date and start time, the room, the proctor and the
correctors, and the candidates: imported classes (their current pupils
become candidates, keeping those who are candidates already) or the
location's candidates. The second step shows each chosen candidate with
their facilities (extra time, aids) to change before the group is planned.
The functionality-test planner plans the system check the same way, with
the FT proctors, among the location's candidates, without changing their
facilities. examkit checks everything again when the group is planned
(``kit.planning.plan``), with the changed facilities, which it stores with
the group in one unit of work: a refused plan changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.identifiers import LocationCode
from examkit.problems import http_status
from examkit.scheduling import MAX_CENTRAL_EXTRA_TIME, Candidate, Facilities, Mode
from portal._base import Area, Portal, Viewer, allowed
from portal._planning_words import (
    AIDS,
    MODES,
    chosen_location,
    class_names,
    parse_minutes,
    parse_start,
    today,
)

PLAN: Final = ("facet.sessions.plan", "facet.ft.session_groups.create")
"""Who plans a group (the FT planner: a functionality-test group)."""
_GROUP_FIELDS: Final = (
    "location",
    "ft",
    "exam",
    "mode",
    "server",
    "date",
    "time",
    "room",
    "proctor",
    "first_corrector",
    "second_corrector",
)
"""The first step's fields, carried into the second."""


class PlanGroupPages(Area):
    """Planning a group: the first step's form and its choices, the facilities, the plan."""

    def routes(self) -> list[Route]:
        """Return the routes of planning a group."""
        return [
            Route("/planning/plan", self.plan_form, methods=["GET"]),
            Route("/planning/plan", self.choose, methods=["POST"]),
            Route("/planning/plan/confirm", self.confirm, methods=["POST"]),
        ]

    async def _choices(self, viewer: Viewer, location: LocationCode) -> dict[str, Any]:
        """The lists the first step chooses from (tests, people, servers, classes, candidates)."""
        portal, desk = self.portal, self.portal.kit.planning_desk
        choices: dict[str, Any] = {
            "exams": await portal.call(desk.exams, viewer.id, location),
            "staff": await portal.call(desk.staff, viewer.id, location),
            "servers": await portal.call(desk.servers, viewer.id, location),
            "classes": (),
            "candidates": (),
        }
        if viewer.may("facet.candidates.import"):
            try:
                choices["classes"] = await portal.call(desk.classes, viewer.id, location)
            except ExamkitError:
                choices["classes"] = ()  # nothing imported (this year): no classes to choose
        choices["candidates"] = await portal.call(
            portal.kit.candidates.candidates, viewer.id, location
        )
        return choices

    async def _first_step(
        self,
        request: Request,
        viewer: Viewer,
        values: dict[str, str],
        status: int = 200,
        **context: Any,
    ) -> Response:
        portal = self.portal
        _ = portal.gettext(request)
        locations = await portal.call(portal.kit.planning_desk.locations, viewer.id, PLAN)
        location = values.get("location") or chosen_location(request, locations)
        if location not in {str(code) for code in locations}:
            return portal.message(request, _("There is no location for you to plan at."), 403)
        ft = values.get("ft") == "1" or not viewer.may("facet.sessions.plan")
        try:
            choices = await self._choices(viewer, LocationCode(location))
        except ExamkitError as error:
            return portal.refusal(request, error)
        choices["exams"] = [e for e in choices["exams"] if e.functionality_test == ft]
        names = {item.key: item.name for item in choices["classes"]}
        return await portal.form_page(
            request,
            "planning/plan.html",
            "plan-choose",
            status,
            values={"date": today(portal.kit.clock.now()).isoformat(), **values},
            location=location,
            locations=[str(code) for code in locations],
            ft=ft,
            modes=MODES,
            chosen_classes=context.pop("chosen_classes", set()),
            chosen_candidates=context.pop("chosen_candidates", set()),
            class_names=names,
            **choices,
            **context,
        )

    @allowed(*PLAN)
    async def plan_form(self, request: Request, viewer: Viewer) -> Response:
        """The first step: test, form, date and time, room, people; classes or candidates."""
        ft = "1" if request.query_params.get("ft") == "1" else ""
        return await self._first_step(request, viewer, {"ft": ft})

    @allowed(*PLAN)
    async def choose(self, request: Request, viewer: Viewer) -> Response:
        """Make candidates of the chosen classes; show the second step with their facilities."""
        portal = self.portal
        data = await portal.accepted(request, "plan-choose")
        if isinstance(data, Response):
            return data
        _ = portal.gettext(request)
        values = {name: str(data.get(name, "")).strip() for name in _GROUP_FIELDS}
        classes = {str(key) for key in data.getlist("classes")}
        chosen = {str(key) for key in data.getlist("candidates")}
        again: dict[str, Any] = {"chosen_classes": classes, "chosen_candidates": chosen}
        if parse_start(values["date"], values["time"]) is None:
            error = _("Enter the date and the start time of the group.")
            return await self._first_step(request, viewer, values, 400, error=error, **again)
        if not classes and not chosen:
            error = _("Choose at least one class or candidate.")
            return await self._first_step(request, viewer, values, 400, error=error, **again)
        try:
            location = LocationCode(values["location"])
            people: list[Candidate] = []
            if classes:
                people.extend(
                    await portal.call(
                        portal.kit.candidates.add_candidates_from_pupils,
                        viewer.id,
                        location,
                        classes=classes,
                    )
                )
            if chosen:
                listed = await portal.call(portal.kit.candidates.candidates, viewer.id, location)
                people.extend(c for c in listed if c.id in chosen)
        except ExamkitError as error:
            return await self._first_step(
                request,
                viewer,
                values,
                http_status(error),
                error=_explain(error, request, portal),
                **again,
            )
        unique = {person.id: person for person in people}
        return await self._second_step(
            request, viewer, values, list(unique.values()), {}, included=set(unique)
        )

    async def _second_step(
        self,
        request: Request,
        viewer: Viewer,
        values: dict[str, str],
        people: list[Candidate],
        entered: dict[str, dict[str, Any]],
        *,
        included: set[str],
        status: int = 200,
        **context: Any,
    ) -> Response:
        portal = self.portal
        rows = []
        for person in sorted(people, key=lambda c: (c.class_key, c.last_name, c.first_name)):
            facilities = person.facilities
            shown = entered.get(person.id) or {
                "extra": str(facilities.extra_time_minutes),
                **{field: getattr(facilities, field) for field, _ in AIDS},
            }
            rows.append({"person": person, "shown": shown, "included": person.id in included})
        exam = None
        try:
            exam = await portal.call(portal.kit.candidates.exam, values["exam"])
        except ExamkitError:
            exam = None
        return await portal.form_page(
            request,
            "planning/candidates_step.html",
            "plan-confirm",
            status,
            values=values,
            fields=_GROUP_FIELDS,
            rows=rows,
            aids=AIDS,
            exam=exam,
            maximum=MAX_CENTRAL_EXTRA_TIME,
            edit=viewer.may("facet.candidates.import"),
            class_names=await _names(portal, viewer, values["location"]),
            shown_day=_shown_day(values["date"]),
            **context,
        )

    @allowed(*PLAN)
    async def confirm(self, request: Request, viewer: Viewer) -> Response:
        """Plan the group with the candidates' changed facilities (one use case); go to its page."""
        portal = self.portal
        data = await portal.accepted(request, "plan-confirm")
        if isinstance(data, Response):
            return data
        _ = portal.gettext(request)
        values = {name: str(data.get(name, "")).strip() for name in _GROUP_FIELDS}
        ids = [str(key) for key in data.getlist("shown")]
        included = {str(key) for key in data.getlist("include")}
        entered = {person_id: _entered(data, person_id) for person_id in ids}
        try:
            # The location's candidates as the viewer may see them (never one read by an id
            # the form names alone).
            listed = await portal.call(
                portal.kit.candidates.candidates, viewer.id, LocationCode(values["location"])
            )
        except ExamkitError as error:
            return portal.refusal(request, error)
        people = [person for person in listed if person.id in set(ids)]
        again = {"included": included}
        start = parse_start(values["date"], values["time"])
        if start is None:
            missing = _("Enter the date and the start time of the group.")
            return await self._second_step(
                request, viewer, values, people, entered, status=400, error=missing, **again
            )
        try:
            changes = _changed_facilities(viewer, people, included, entered)
            # One unit of work: examkit checks the group with the new facilities and stores
            # both, or refuses and stores neither.
            group = await portal.call(
                portal.kit.planning.plan,
                viewer.id,
                location=LocationCode(values["location"]),
                exam=values["exam"],
                mode=Mode(values["mode"] or "online"),
                starts_at=start,
                room=values["room"],
                proctor=values["proctor"],
                candidates=[p.id for p in people if p.id in included],
                first_corrector=values["first_corrector"] or None,
                second_corrector=values["second_corrector"] or None,
                offline_server=(values["server"] or None) if values["mode"] == "offline" else None,
                facilities=changes,
            )
        except (ExamkitError, ValueError) as error:
            status = http_status(error) if isinstance(error, ExamkitError) else 400
            message = (
                _explain(error, request, portal)
                if isinstance(error, ExamkitError)
                else _("Choose online or offline.")
            )
            return await self._second_step(
                request, viewer, values, people, entered, status=status, error=message, **again
            )
        return portal.to(f"/planning/groups/{group.id}")


async def _names(portal: Portal, viewer: Viewer, location: str) -> dict[str, str]:
    """Return the names of the location's classes by key (none for a malformed location)."""
    try:
        code = LocationCode(location)
    except ExamkitError:
        return {}
    return await class_names(portal, viewer, code)


def _shown_day(text: str) -> str:
    """Return the ISO date *text* as ``dd-mm-yyyy`` (as it is when it is no date)."""
    try:
        return date.fromisoformat(text).strftime("%d-%m-%Y")
    except ValueError:
        return text


def _entered(data: FormData, person: str) -> dict[str, Any]:
    """Return the facilities entered for *person* (as typed: the page shows them again)."""
    return {
        "extra": str(data.get(f"extra-{person}", "")).strip(),
        **{field: data.get(f"{field}-{person}") == "yes" for field, _ in AIDS},
    }


def _facilities(entered: dict[str, Any], person: Candidate) -> Facilities:
    """Return the facilities *entered* for *person*.

    Raises:
        InvalidInput: the extra time is not a whole number of 0 to 240 minutes.
    """
    minutes = parse_minutes(str(entered["extra"]), f"extra-{person.id}")
    return Facilities(
        extra_time_minutes=minutes, **{field: bool(entered[field]) for field, _ in AIDS}
    )


def _changed_facilities(
    viewer: Viewer,
    people: list[Candidate],
    included: set[str],
    entered: dict[str, dict[str, Any]],
) -> dict[str, Facilities]:
    """Return the facilities entered that differ from the stored ones, by candidate id.

    Only for the candidates in the group, and only for who may set them.

    Raises:
        InvalidInput: an extra time is not a whole number of 0 to 240 minutes.
    """
    if not viewer.may("facet.candidates.import"):
        return {}
    changed: dict[str, Facilities] = {}
    for person in people:
        if person.id not in included:
            continue
        wanted = _facilities(entered[person.id], person)
        if wanted != person.facilities:
            changed[person.id] = wanted
    return changed


def _explain(error: ExamkitError, request: Request, portal: Portal) -> str:
    """Return *error*'s message in the request's language (every problem of a group)."""
    lang = portal.lang(request)
    if isinstance(error, ExamkitErrorGroup):
        return " ".join(problem.message(lang) for problem in error.problems)
    return error.message(lang)
