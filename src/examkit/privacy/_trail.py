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

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from examkit.audit import AuditEvent
from examkit.errors import NotPermitted
from examkit.identifiers import LocationCode
from examkit.storage import Page, Repository, check_page_size
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

__all__ = [
    "AUDIT_READERS",
    "LOCATED_BY",
    "AuditBrowse",
    "AuditEntry",
    "AuditTrail",
    "locations_of",
    "subjects_located",
]

AUDIT_READERS: Final = ("facet.privacy.audit", "cito_lvs.privacy.audit")
"""The matrix actions that let their holder read the audit trail of the locations where
they hold one (the Facet and Cito administrators)."""

_CALLS: Final = 50
"""At most this many listings of the store per page asked for: a page about rare events
may come back short, with the cursor to read on."""

Locate = Callable[["UnitOfWork", Sequence[str]], Mapping[str, frozenset[str]]]
"""Finds the locations of the subjects *names* of one kind (ids after ``kind:``), each kind
in one read of its records."""

_NOWHERE: Final = frozenset[str]()


def _itself(_: UnitOfWork, names: Sequence[str]) -> Mapping[str, frozenset[str]]:
    return {name: frozenset({name}) for name in names}


def _before_slash(_: UnitOfWork, names: Sequence[str]) -> Mapping[str, frozenset[str]]:
    found = {}
    for name in names:
        place, slash, _key = name.partition("/")
        found[name] = frozenset({place}) if slash else _NOWHERE
    return found


def _stored_location(records: Callable[[UnitOfWork], Repository[str, Any]]) -> Locate:
    """Return a :data:`Locate` reading the records at once and taking each one's location."""

    def locate(uow: UnitOfWork, names: Sequence[str]) -> Mapping[str, frozenset[str]]:
        stored = records(uow).get_many(sorted(set(names)))
        return {
            name: frozenset({str(stored[name].location)}) if name in stored else _NOWHERE
            for name in names
        }

    return locate


_group: Final = _stored_location(lambda uow: uow.session_groups)
_candidate: Final = _stored_location(lambda uow: uow.candidates)
_offline_server: Final = _stored_location(lambda uow: uow.offline_servers)


def _attempt(uow: UnitOfWork, names: Sequence[str]) -> Mapping[str, frozenset[str]]:
    groups = {name: name.partition(":")[0] for name in names if ":" in name}
    located = _group(uow, sorted(set(groups.values())))
    return {name: located[groups[name]] if name in groups else _NOWHERE for name in names}


def _account(uow: UnitOfWork, names: Sequence[str]) -> Mapping[str, frozenset[str]]:
    stored = uow.authorizations.get_many(sorted(set(names)))
    found = {}
    for name in names:
        authz = stored.get(name)
        if authz is None:
            found[name] = _NOWHERE
            continue
        places = {str(place) for place in authz.belongs_to}
        places.update(str(place) for grant in authz.grants for place in grant.locations)
        found[name] = frozenset(places)
    return found


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


def subjects_located(uow: UnitOfWork, subjects: Iterable[str]) -> Mapping[str, frozenset[str]]:
    """Return the locations each of *subjects* (``kind:id``) concerns, one read per kind."""
    subjects = list(subjects)
    names: dict[str, list[str]] = {}
    for subject in subjects:
        kind, colon, name = subject.partition(":")
        if colon and name and kind in LOCATED_BY:
            names.setdefault(kind, []).append(name)
    found = dict.fromkeys(subjects, _NOWHERE)
    for kind, wanted in names.items():
        for name, places in LOCATED_BY[kind](uow, wanted).items():
            found[f"{kind}:{name}"] = places
    return found


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
    return _with_detail(subjects_located(uow, [event.subject])[event.subject], event)


def _with_detail(found: frozenset[str], event: AuditEvent) -> frozenset[str]:
    named = event.details.get("location")
    return found | {named} if named else found


@attrs.frozen
class AuditEntry:
    """One audit event as an administrator reads it, with the locations it concerns."""

    event: AuditEvent
    """The event."""
    locations: tuple[str, ...]
    """The reader's locations it concerns, sorted."""


@attrs.frozen
class AuditBrowse:
    """A page of the audit trail with the locations its reader administers.

    What the portal's audit log shows, read at once
    (:meth:`AuditTrail.browse`).
    """

    administered: tuple[LocationCode, ...]
    """The locations whose trail the reader may read, sorted (:meth:`AuditTrail.administered`)."""
    entries: Page[AuditEntry]
    """The page of events (:meth:`AuditTrail.list_at`)."""


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
        return self.browse(
            actor,
            locations=locations,
            subject=subject,
            action=action,
            since=since,
            until=until,
            after=after,
            limit=limit,
        ).entries

    def browse(
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
    ) -> AuditBrowse:
        """Return a page of the trail (:meth:`list_at`) with the locations *actor* administers.

        The two reads of the portal's audit log (:meth:`administered` and
        :meth:`list_at`, the same arguments) in one unit of work.

        Raises:
            NotPermitted: ``permission.denied``, as :meth:`list_at`.
            InvalidInput: ``storage.page_size``: *limit* is out of range.
        """
        check_page_size(limit)
        with UseCase(
            self._ports, "privacy.audit.read", f"account:{actor}", actor=actor, readonly=True
        ) as unit:
            administered = _places(unit)
            mine = {str(place) for place in administered}
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
                events = [
                    event for event in page.items if action is None or _under(event.action, action)
                ]
                known.update(
                    subjects_located(uow, {event.subject for event in events} - known.keys())
                )
                for event in events:
                    places = _with_detail(known[event.subject], event) & wanted
                    if places:
                        found.append(AuditEntry(event, tuple(sorted(places))))
                cursor = page.next_after
                if cursor is None or len(found) == limit:
                    break
        return AuditBrowse(administered, Page(tuple(found), cursor))


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
