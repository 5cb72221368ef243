"""The imported classes of a location and each class's pupils (seed 001, step 5).

examkit decides what each user sees (:meth:`examkit.imports.Rosters.classes_for`):
the administrator and the quality officer every class of their
locations, a pupil counsellor or a subject teacher only their own classes.
The pages show what it returns.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.edexml import Teacher
from examkit.errors import ExamkitError
from examkit.identifiers import LocationCode
from examkit.imports import ROSTER_ACTIONS, ClassList, EnrolledPupil
from examkit.problems import http_status
from examkit.storage import Page
from portal._base import Area, NavEntry, Viewer, allowed
from portal._i18n import N_

PAGE_SIZE: Final = 100
"""How many pupils a class page shows at a time."""


def _teachers_of(classes: ClassList) -> dict[str, list[str]]:
    """Return the names of each class's teachers, by the class's key."""
    names: dict[str, list[str]] = {}
    for teacher in classes.teachers:
        for taught in teacher.groups:
            names.setdefault(taught.key, []).append(_name(teacher))
    return names


def _name(teacher: Teacher) -> str:
    return teacher.name.full_name or teacher.key


class ClassesPages(Area):
    """The classes of a location, and the pupils of a class."""

    navigation = (NavEntry("/classes", N_("Classes"), ROSTER_ACTIONS),)

    def routes(self) -> list[Route]:
        """Return the routes of the class lists."""
        return [
            Route("/classes", self.classes, methods=["GET"]),
            Route("/classes/{location}/{group}", self.pupils, methods=["GET"]),
        ]

    @allowed(*ROSTER_ACTIONS)
    async def classes(self, request: Request, viewer: Viewer) -> Response:
        """The classes of one of the viewer's locations (the first unless one is chosen)."""
        portal = self.portal
        rosters = portal.kit.rosters
        chosen = request.query_params.get("location", "")

        def read() -> tuple[list[str], str, ClassList | ExamkitError | None]:
            """The viewer's locations, the one shown and its classes: one worker trip."""
            locations = [str(code) for code in rosters.locations_for(viewer.id)]
            location = chosen if chosen in locations else (locations[0] if locations else "")
            if not location:
                return locations, location, None
            try:
                return locations, location, rosters.classes_for(viewer.id, LocationCode(location))
            except ExamkitError as refused:
                return locations, location, refused

        locations, location, classes = await portal.call(read)
        context: dict[str, Any] = {"locations": locations, "location": location}
        if classes is None:
            _ = portal.gettext(request)
            return portal.page(
                request,
                "classes/classes.html",
                error=_("There are no classes for you to see."),
                **context,
            )
        if isinstance(classes, ExamkitError):
            message = classes.message(portal.lang(request))
            return portal.page(
                request, "classes/classes.html", http_status(classes), error=message, **context
            )
        return portal.page(
            request,
            "classes/classes.html",
            classes=classes,
            teachers=_teachers_of(classes),
            **context,
        )

    @allowed(*ROSTER_ACTIONS)
    async def pupils(self, request: Request, viewer: Viewer) -> Response:
        """The current pupils of one class (a group or a combination group), a page at a time."""
        portal = self.portal
        key = request.path_params["group"]
        after = request.query_params.get("after") or None
        try:
            location = LocationCode(request.path_params["location"])
            rosters = portal.kit.rosters

            def read() -> tuple[Page[EnrolledPupil], ClassList]:  # one trip to a worker thread
                pupils = rosters.class_pupils(
                    viewer.id, location, key, after=after, limit=PAGE_SIZE
                )
                return pupils, rosters.classes_for(viewer.id, location)

            page, classes = await portal.call(read)
        except ExamkitError as error:
            return portal.refusal(request, error)
        found = [group.name for group in classes.groups if group.key == key] + [
            group.name for group in classes.combination_groups if group.key == key
        ]
        return portal.page(
            request,
            "classes/class.html",
            location=str(location),
            name=found[0] if found else key,
            pupils=page.items,
            next_after=page.next_after,
            key=key,
            teachers=_teachers_of(classes).get(key, []),
        )
