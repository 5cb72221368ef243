"""What the privacy pages share: the kinds of person, and a person named in a request.

A person is named by ``kind`` (``account``, ``candidate``, ``pupil``),
``id`` (the account's or candidate's id, or the pupil's key) and, for a
pupil, ``location``, in a query or a posted form: :func:`person_of` reads
them, :func:`person_query` writes them into a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from examkit.privacy import PersonRef
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
