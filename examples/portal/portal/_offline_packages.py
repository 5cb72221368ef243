"""The portal's test packages as exam packages: JSON that travels to the offline servers.

Centrally the portal reads each test's wording from :data:`portal._test_content.CONTENTS`;
when a group is handed to an offline server it publishes that test's package
(:func:`package_bytes`) with ``kit.exam_packages.publish``, so it travels down
with the group and is verified there by its digest. On the offline server
the player reads the wording from the verified local package only
(:func:`items_from_package`): a missing or unverified package means the test
cannot start.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import Response

from examkit import Examkit
from examkit.errors import ExamkitError, InvalidState
from examkit.scheduling import Exam, GroupState, normalise_access_code
from portal._test_content import CONTENTS, Choice, ItemContent, TestContent

if TYPE_CHECKING:
    from portal._base import Portal

FORMAT: Final = "examkit-portal-test/1"
"""The package's format, its first field."""
MEDIA_TYPE: Final = "application/json"
"""The package's media type."""
NO_PACKAGE: Final = "offline.package.unverified"
"""The code of examkit's refusal to use a package that is missing or not verified."""


def package_bytes(content: TestContent) -> bytes:
    """Return *content*'s items as the package's JSON (UTF-8, sorted keys: one digest per test).

    >>> from portal._test_content import DEMO
    >>> json.loads(package_bytes(DEMO))["items"][0]["id"]
    'v1'
    """
    items = [
        {
            "id": item.id,
            "kind": item.kind,
            "prompt": item.prompt,
            "choices": [{"id": c.id, "text": c.text} for c in item.choices],
            "unit": item.unit,
            "max_score": item.max_score,
        }
        for item in content.items
    ]
    data = {"format": FORMAT, "code": content.code, "items": items}
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")


def package_of(exam: str) -> bytes | None:
    """Return the package of the test *exam* the portal ships, or ``None`` without one."""
    content = CONTENTS.get(exam)
    return None if content is None else package_bytes(content)


def _item(data: Any) -> ItemContent:
    return ItemContent(
        id=str(data["id"]),
        kind=data["kind"],
        prompt=str(data["prompt"]),
        choices=tuple(Choice(str(c["id"]), str(c["text"])) for c in data["choices"]),
        unit=str(data["unit"]),
        max_score=int(data["max_score"]),
    )


def items_from_package(content: bytes, exam: Exam) -> tuple[ItemContent, ...]:
    """Return the items of *exam* from its package's *content* (verified by the caller).

    Raises:
        InvalidState: ``offline.package.unverified`` when the content is no
            package of this test (another format, another test, other items).
    """
    try:
        data = json.loads(content.decode("utf-8"))
        ok = data["format"] == FORMAT and data["code"] == exam.code
        items = tuple(_item(entry) for entry in data["items"]) if ok else ()
    except (ValueError, KeyError, TypeError):
        items = ()
    if not items or [item.id for item in items] != [slot.id for slot in exam.items]:
        raise InvalidState(NO_PACKAGE, package=exam.code)
    return items


def package_contents(kit: Examkit) -> Callable[[Exam], tuple[ItemContent, ...]]:
    """Return where the offline server's player reads a test's wording: its verified package.

    Raises (the returned function):
        InvalidState: :data:`NO_PACKAGE` when the test has no verified package here.
    """

    def contents(exam: Exam) -> tuple[ItemContent, ...]:
        return items_from_package(kit.exam_packages.content(exam.code), exam)

    return contents


def missing_package(kit: Examkit, login_name: str, access_code: str) -> bool:
    """Return whether the test the candidate would start with this code lacks a verified package.

    Only a login name and code that match a released (or blocked) group
    are looked at; anything else is left to the sign-in's own refusal.
    """
    code = normalise_access_code(access_code)
    login = login_name.strip().upper()
    with kit.backend.begin(readonly=True) as uow:
        try:
            candidate = uow.candidates.get_by_login_name(login)
        except ExamkitError:
            return False
        exams = [
            group.exam
            for attempt in uow.test_attempts.list_for_candidate(candidate.id)
            if (group := uow.session_groups.get(attempt.group)).state
            in {GroupState.RELEASED, GroupState.BLOCKED}
            and group.access_code is not None
            and normalise_access_code(group.access_code) == code
        ]
    for exam in exams:
        try:
            package_contents(kit)(kit.candidates.exam(exam))
        except InvalidState:
            return True
    return False


def no_package(portal: Portal, request: Request) -> Response:
    """The page that says the test cannot start: no verified exam package on this server."""
    _ = portal.gettext(request)
    return portal.message(
        request,
        _(
            "This test cannot start: its exam package has not arrived on this offline server "
            "or could not be verified. Tell the proctor; the test starts once the package is "
            "complete."
        ),
        503,
    )
