"""The audit trail as a school's administrator may read it: the events about their locations.

An audit event names what it was done to as ``kind:id`` (``session_group:g1``,
``account:a-17``, ``location:22AB00``). :data:`LOCATED_BY` says, per kind,
how the locations an event concerns are found from that subject: the
location itself, the stored record's location (a session group, a
candidate, an attempt's group, an offline server), a pupil's location from
its name, an account's locations (where it holds a role or was added).
An event may also name its location in ``details["location"]``. An event
about none of the reader's locations (another school's, the service desk's
own, a pseudonymised one) is never shown to them.

:class:`AuditTrail` reads the trail through the audit store's listing
(:class:`~examkit.audit.AuditStore`) filtered by subject and time, keeps
the events about the administrator's locations and, if asked, of one
action, and pages on with the store's own cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from examkit.audit import AuditEvent
from examkit.errors import NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.storage import Page, check_page_size
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

__all__ = ["AUDIT_READERS", "LOCATED_BY", "AuditEntry", "AuditTrail", "locations_of"]

AUDIT_READERS: Final = ("facet.privacy.audit", "cito_lvs.privacy.audit")
"""The matrix actions that let their holder read the audit trail of the locations where
they hold one (the Facet and Cito administrators)."""

_CALLS: Final = 50
"""At most this many listings of the store per page asked for: a page about rare events
may come back short, with the cursor to read on."""

Locate = Callable[["UnitOfWork", str], frozenset[str]]


def _itself(_: UnitOfWork, name: str) -> frozenset[str]:
    return frozenset({name})


def _before_slash(_: UnitOfWork, name: str) -> frozenset[str]:
    place, slash, _key = name.partition("/")
    return frozenset({place}) if slash else frozenset()


def _group(uow: UnitOfWork, group_id: str) -> frozenset[str]:
    try:
        return frozenset({str(uow.session_groups.get(group_id).location)})
    except NotFound:
        return frozenset()


def _candidate(uow: UnitOfWork, candidate_id: str) -> frozenset[str]:
    try:
        return frozenset({str(uow.candidates.get(candidate_id).location)})
    except NotFound:
        return frozenset()


def _attempt(uow: UnitOfWork, attempt_id: str) -> frozenset[str]:
    group, colon, _candidate_id = attempt_id.partition(":")
    return _group(uow, group) if colon else frozenset()


def _offline_server(uow: UnitOfWork, server_id: str) -> frozenset[str]:
    try:
        return frozenset({str(uow.offline_servers.get(server_id).location)})
    except NotFound:
        return frozenset()


def _account(uow: UnitOfWork, account_id: str) -> frozenset[str]:
    try:
        authz = uow.authorizations.get(account_id)
    except NotFound:
        return frozenset()
    places = {str(place) for place in authz.belongs_to}
    places.update(str(place) for grant in authz.grants for place in grant.locations)
    return frozenset(places)


LOCATED_BY: Final[Mapping[str, Locate]] = MappingProxyType(
    {
        "location": _itself,
        "pupil": _before_slash,
        "session_group": _group,
        "candidate": _candidate,
        "attempt": _attempt,
        "offline_server": _offline_server,
        "account": _account,
    }
)
"""Per kind of subject (the part before ``:``), how the locations it concerns are found
from its id; a kind not here concerns no location (the service desk's own: applications,
institutions, identity providers)."""


def locations_of(uow: UnitOfWork, event: AuditEvent) -> frozenset[str]:
    """Return the locations *event* concerns: its subject's (:data:`LOCATED_BY`), its detail's.

    >>> from datetime import datetime, timezone
    >>> from examkit.backends.memory import MemoryBackend
    >>> at = datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> with MemoryBackend().begin(readonly=True) as uow:
    ...     sorted(locations_of(uow, AuditEvent(
    ...         at=at, actor=None, action="privacy.read", subject="pupil:22AB00/P1",
    ...         details={"location": "22AB01"})))
    ['22AB00', '22AB01']
    """
    kind, colon, name = event.subject.partition(":")
    locate = LOCATED_BY.get(kind)
    found = locate(uow, name) if colon and name and locate is not None else frozenset()
    named = event.details.get("location")
    return found | {named} if named else found


@attrs.frozen
class AuditEntry:
    """One audit event as an administrator reads it, with the locations it concerns."""

    event: AuditEvent
    """The event."""
    locations: tuple[str, ...]
    """The reader's locations it concerns, sorted."""


class AuditTrail:
    """The audit trail of the locations an administrator administers (PRIV-2, PRIV-3).

    Args:
        ports: The wired ports.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def administered(self, actor: str) -> tuple[LocationCode, ...]:
        """Return the locations whose audit trail *actor* may read, sorted.

        Where they hold one of :data:`AUDIT_READERS` (nowhere: an empty tuple).
        """
        with UseCase(
            self._ports, "privacy.audit.read", f"account:{actor}", actor=actor, readonly=True
        ) as unit:
            return _places(unit)

    def list_at(
        self,
        actor: str,
        *,
        locations: Collection[LocationCode] | None = None,
        subject: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[AuditEntry]:
        """Return the audit events about *actor*'s locations, by time, filtered and paged.

        Args:
            actor: The reading account: it holds one of :data:`AUDIT_READERS`
                at each location read.
            locations: Only events about these locations (all the actor's
                when ``None``).
            subject: Only events about this subject (``account:a-17``).
            action: Only events of this action, or of the actions under it
                (``auth`` or ``auth.sign_in``).
            since: Only events at or after this time.
            until: Only events before this time.
            after: The cursor of the previous page.
            limit: At most this many events (1 to ``MAX_PAGE_SIZE``). A page
                may hold fewer and still have a next one when few events
                match.

        Raises:
            NotPermitted: ``permission.denied``: the actor may read the trail
                of none of its locations, or of a location asked for (one
                message, whatever the location; audited as ``denied``).
            InvalidInput: ``storage.page_size``: *limit* is out of range.
        """
        check_page_size(limit)
        with UseCase(
            self._ports, "privacy.audit.read", f"account:{actor}", actor=actor, readonly=True
        ) as unit:
            mine = {str(place) for place in _places(unit)}
            wanted = mine if locations is None else {str(place) for place in locations}
            if not mine or not wanted or not wanted <= mine:
                raise NotPermitted("permission.denied")
            uow, found, known = unit.uow, list[AuditEntry](), dict[str, frozenset[str]]()
            cursor = after
            for _ in range(_CALLS):
                page = uow.audit.list(
                    subject=subject,
                    since=since,
                    until=until,
                    after=cursor,
                    limit=limit - len(found),
                )
                for event in page.items:
                    if action is not None and not _under(event.action, action):
                        continue
                    key = f"{event.subject}\n{event.details.get('location', '')}"
                    if key not in known:
                        known[key] = locations_of(uow, event)
                    places = known[key] & wanted
                    if places:
                        found.append(AuditEntry(event, tuple(sorted(places))))
                cursor = page.next_after
                if cursor is None or len(found) == limit:
                    break
        return Page(tuple(found), cursor)


def _places(unit: UseCase) -> tuple[LocationCode, ...]:
    found = {
        place
        for code in AUDIT_READERS
        for place in unit.actor.places(code)
        if isinstance(place, LocationCode)
    }
    return tuple(sorted(found, key=str))


def _under(action: str, wanted: str) -> bool:
    return action == wanted or action.startswith(f"{wanted}.")
