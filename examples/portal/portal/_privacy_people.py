"""What the privacy pages share: the kinds of person, and a person named in a request.

A person is named by ``kind`` (``account``, ``candidate``, ``pupil``),
``id`` (the account's or candidate's id, or the pupil's key) and, for a
pupil, ``location``, in a query or a posted form: :func:`person_of` reads
them, :func:`person_query` writes them into a link; :func:`asked_person`
and :func:`posted_person` read a request's, or answer 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from examkit.privacy import PersonRef
from portal._base import Portal
from portal._i18n import N_

KINDS: Final = {
    "account": N_("A user (account)"),
    "candidate": N_("A candidate"),
    "pupil": N_("A pupil (from the school's EDEXML file)"),
}
"""The kinds of person, as the pages name them."""
_LONGEST: Final = 200


def person_of(values: Mapping[str, Any]) -> PersonRef | None:
    """Return the person *values* name (``kind``, ``id``, a pupil's ``location``), or None.

    >>> person_of({"kind": "pupil", "id": "P0042", "location": "22AB00"}).label
    'pupil:22AB00/P0042'
    >>> person_of({"kind": "pupil", "id": "P0042"}) is None
    True
    """
    kind = str(values.get("kind", "")).strip()
    key = str(values.get("id", "")).strip()
    location = str(values.get("location", "")).strip()
    if not key or len(key) > _LONGEST or len(location) > _LONGEST:
        return None
    if kind == "pupil":
        return PersonRef.pupil(location, key) if location else None
    if kind == "account":
        return PersonRef.account(key)
    if kind == "candidate":
        return PersonRef.candidate(key)
    return None


def person_query(person: PersonRef, **more: str) -> str:
    """Return the query that names *person* (with *more*), for a link.

    >>> person_query(PersonRef.candidate("c-1"))
    'kind=candidate&id=c-1'
    """
    values = {"kind": person.kind, "id": person.id}
    if person.location is not None:
        values["location"] = person.location
    return urlencode({**values, **more})


def no_person(portal: Portal, request: Request) -> Response:
    """Return the page for a request that names no person (400)."""
    _ = portal.gettext(request)
    return portal.message(
        request, _("Name a person: the kind, the id and, for a pupil, the location."), 400
    )


def asked_person(portal: Portal, request: Request) -> PersonRef | Response:
    """Return the person the request's query names, or the 400 page."""
    person = person_of(request.query_params)
    return no_person(portal, request) if person is None else person


async def posted_person(
    portal: Portal, request: Request, form: str
) -> tuple[FormData, PersonRef] | Response:
    """Return the posted *form* and the person it names, or the refusal (a spent token, 400)."""
    data = await portal.accepted(request, form)
    if isinstance(data, Response):
        return data
    person = person_of(data)
    return no_person(portal, request) if person is None else (data, person)
