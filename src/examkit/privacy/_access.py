"""Who may see and correct one person's data, and where that person belongs (PRIV-2).

A school's administrator for the pupils, candidates and staff of the
locations they administer; the person themself for their own account; the
operator (the service desk) everywhere. The actions are the matrix's
``<application>.privacy.export`` (:data:`PRIVACY_ACTIONS`).
"""

from __future__ import annotations

from typing import Final

from examkit.errors import ExamkitError, NotFound, NotPermitted
from examkit.identifiers import Instellingsnummer, LocationCode
from examkit.permissions import MATRIX, Actor, Place
from examkit.privacy._person import PersonRef
from examkit.records import UnitOfWork

PRIVACY_ACTIONS: Final[tuple[str, ...]] = tuple(
    code for code in MATRIX.actions if code.endswith(".privacy.export")
)
"""The matrix's actions that let their holder see, export and correct a person's data,
and see who read it, where they hold it (one per application with administrators)."""


def place_of(text: str) -> Place | None:
    """Return *text* as a location (BRIN6) or a Flemish school, or ``None`` for neither.

    >>> place_of("22AB00"), place_of("012345"), place_of("?")
    (LocationCode('22AB00'), Instellingsnummer('012345'), None)
    """
    for kind in (LocationCode, Instellingsnummer):
        try:
            return kind(text)
        except ExamkitError:
            continue
    return None


def places_of(uow: UnitOfWork, person: PersonRef) -> frozenset[Place]:
    """Return where *person* belongs: a pupil's or candidate's location, an account's places.

    An account belongs where it was added and where it holds a grant in
    force. A person not stored belongs nowhere (only the operator may then ask).
    """
    if person.location is not None:  # a pupil, named with its location
        place = place_of(person.location)
        return frozenset() if place is None else frozenset({place})
    if person.kind == "candidate":
        try:
            return frozenset({uow.candidates.get(person.id).location})
        except NotFound:
            return frozenset()
    try:
        authz = uow.authorizations.get(person.id)
    except NotFound:
        return frozenset()
    places: set[Place] = set()
    places.update(authz.belongs_to)
    for grant in authz.active_grants:
        places.update(grant.locations)
        places.update(ref.location for ref in grant.classes)
        if isinstance(grant.institution, Instellingsnummer):
            places.add(grant.institution)
    return frozenset(places)


def may_see(me: Actor, person: PersonRef, places: frozenset[Place]) -> bool:
    """Return whether *me* may see and correct *person*'s data, who belongs at *places*.

    The account holder themself may; otherwise an actor who holds one of
    :data:`PRIVACY_ACTIONS` everywhere (the operator), or at every place
    the person belongs (a person who belongs nowhere: only the operator).
    """
    if not me.active:
        return False
    if person.kind == "account" and person.id == me.account:
        return True
    for action in PRIVACY_ACTIONS:
        if me.everywhere(action):
            return True
        if places and all(me.may(action, place) for place in places):
            return True
    return False


def require_see(me: Actor, person: PersonRef, places: frozenset[Place]) -> None:
    """Refuse unless :func:`may_see`.

    Raises:
        NotPermitted: ``permission.denied``, saying nothing about the person.
    """
    if not may_see(me, person, places):
        raise NotPermitted("permission.denied")
