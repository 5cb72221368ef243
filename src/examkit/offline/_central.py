"""Centrally: the offline servers' synchronisation (``kit.offline_sync``) (SCH-7, SCH-8).

Credentials, the hand-over of a group to its offline server, the up
applier, the down queue, each server's status and its conflicts. The sync
endpoint (:class:`examkit.offline.http.SyncEndpoint`) serves the use cases
that answer an offline server; the portal's offline-server pages the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from examkit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from examkit.identifiers import LocationCode
from examkit.offline._central_handover import queue_down
from examkit.offline._central_up import SERVER_REMOVED, apply_batch, check_entries
from examkit.offline._model import ExamPackage, ServerCredential, SyncConflict, SyncMark
from examkit.offline._packages import read_range
from examkit.offline._protocol import MAX_BATCH, CrashHook, down_stream
from examkit.offline._wire import (
    DownReply,
    DownRequest,
    UpReply,
    UpRequest,
    WireConflict,
    WireEntry,
)
from examkit.scheduling import (
    Mode,
    OfflineServer,
    ServerState,
    groups_held_at,
    groups_held_by,
)
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

CREDENTIAL_PREFIX = "exo1"
"""The first part of every offline server's credential: ``exo1.<server>.<secret>``."""

PURPOSE = "offline.credential"
"""The purpose of a credential's keyed digest."""

VIEW = "facet.fao.view"
"""The FAO administrator's permission to see the servers (their status and conflicts)."""
EDIT = "facet.fao.edit"
"""The FAO administrator's permission to change a server (its credential, its conflicts)."""
PLAN = "facet.sessions.plan"
"""The planner's permission (plans the sessions an offline server runs)."""

HANDOVER_STATES = frozenset({"planned", "released"})
"""The states in which a group is handed over."""


def _server_subject(server: str) -> str:
    return f"offline_server:{server}"


def _ms(delta: float) -> int:
    return round(delta * 1000)


def _no_crash(_: str) -> None:
    """The production crash hook: nothing happens."""


@attrs.frozen
class HandOver:
    """What a hand-over did.

    Implements SCH-8.
    """

    group: str
    """The group handed over."""
    server: str
    """The offline server that holds it now."""
    queued: int
    """How many down entries it queued (0: nothing changed since the last hand-over)."""
    down_queued: int
    """The server's highest queued down number after it."""


@attrs.frozen
class ServerSyncStatus:
    """Where one offline server's synchronisation stands, for the portal's pages.

    Implements SCH-8.
    """

    server: str
    """Its id."""
    name: str
    """Its name."""
    state: ServerState
    """Its state in the registry."""
    credential_issued_at: datetime | None
    """When its current credential was issued (``None``: never)."""
    credential_revoked_at: datetime | None
    """When that credential was revoked (``None``: valid, or none)."""
    last_sync_at: datetime | None
    """When it last synchronised (central clock)."""
    up_high_water: int
    """The highest up number applied."""
    backlog: int
    """How many up entries it said were waiting at its last sync, less those applied then."""
    down_queued: int
    """The highest down number queued for it."""
    down_acknowledged: int
    """The highest down number it said it applied."""
    clock_offset_ms: int | None
    """Its clock minus the central clock at its last sync, in ms."""
    open_conflicts: int
    """How many of its conflicts are not dealt with."""
    held_groups: tuple[str, ...]
    """The groups it holds."""

    @property
    def credential_valid(self) -> bool:
        """Whether it has a credential that is not revoked."""
        return self.credential_issued_at is not None and self.credential_revoked_at is None


@attrs.frozen
class ServerSync:
    """One offline server with where its synchronisation stands and its conflicts.

    Implements SCH-8.
    """

    server: OfflineServer
    """The server as registered."""
    status: ServerSyncStatus
    """Where its synchronisation stands."""
    conflicts: tuple[SyncConflict, ...]
    """Its conflicts, open ones first, then by detection."""


@attrs.frozen
class LocationServers:
    """A location's offline servers with where each one's synchronisation stands.

    What the portal's list of offline servers shows, read at once
    (:meth:`OfflineSync.location_servers`).

    Implements SCH-8.
    """

    locations: tuple[LocationCode, ...]
    """Where the actor may view the offline servers, sorted."""
    location: LocationCode | None
    """The location read (``None``: the actor may view the servers of no location)."""
    servers: tuple[OfflineServer, ...]
    """Its servers as registered, by id."""
    statuses: Mapping[str, ServerSyncStatus]
    """Where each server's synchronisation stands, by server id."""


class OfflineSync:
    """The central side of the offline servers' synchronisation (``kit.offline_sync``).

    Args:
        ports: The wired ports.
        crash: Called at each named crash point (a test's; production: none).

    Implements SCH-7 and SCH-8.
    """

    def __init__(self, ports: Ports, *, crash: CrashHook | None = None) -> None:
        self._ports = ports
        self._crash: CrashHook = crash if crash is not None else _no_crash

    # -- credentials ---------------------------------------------------------------------

    def issue_credential(self, actor: str, server_id: str) -> str:
        """Issue a new credential for the active server *server_id*; shown this once only.

        Only its keyed digest is stored; it replaces the server's earlier one.

        Returns:
            ``exo1.<server>.<secret>``, for the offline server's configuration.

        Raises:
            NotFound: there is no such server.
            NotPermitted: *actor* may not edit the server.
            InvalidState: ``offline.credential.inactive``: the server is not active.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(self._ports, "offline.credential.issued", subject, actor=actor) as unit:
            server = unit.uow.offline_servers.get(server_id)
            unit.require(EDIT, server)
            if server.state is not ServerState.ACTIVE:
                raise InvalidState("offline.credential.inactive", server=server.id)
            secret = self._ports.secrets.token_urlsafe(32)
            credential = ServerCredential(
                server=server.id,
                secret_digest=self._ports.digester.digest(PURPOSE, server.id, secret),
                issued_at=unit.now,
                issued_by=actor,
                location=str(server.location),
            )
            stored = unit.uow.offline_credentials.get_many([server.id]).get(server.id)
            if stored is None:
                unit.uow.offline_credentials.add(credential)
            else:
                unit.uow.offline_credentials.update(
                    attrs.evolve(credential, version=stored.version)
                )
            unit.audit()
            unit.commit()
        return f"{CREDENTIAL_PREFIX}.{server.id}.{secret}"

    def authenticate(self, credential: str) -> str:
        """Return the id of the offline server whose genuine credential *credential* is.

        A credential revoked with its server's deactivation or deletion is
        still recognised (so its late uploads are refused with
        ``offline.server.removed`` and reported); every use case checks the
        server's state itself.

        Raises:
            NotPermitted: ``offline.credential.invalid``: unknown, wrong, or
                revoked while its server is active (a reactivated server needs a
                new credential).

        Implements SCH-8.
        """
        parts = credential.split(".", 1) if isinstance(credential, str) else []
        if len(parts) != 2 or parts[0] != CREDENTIAL_PREFIX or "." not in parts[1]:
            raise NotPermitted("offline.credential.invalid")
        server_id, secret = parts[1].rsplit(".", 1)
        with self._ports.backend.begin(readonly=True) as uow:
            stored = uow.offline_credentials.get_many([server_id]).get(server_id)
            server = uow.offline_servers.get_many([server_id]).get(server_id)
        digester = self._ports.digester
        if stored is None or not digester.matches(stored.secret_digest, PURPOSE, server_id, secret):
            raise NotPermitted("offline.credential.invalid")
        if stored.revoked_at is not None and server is not None and server.is_choosable:
            raise NotPermitted("offline.credential.invalid")
        return server_id

    # -- the hand-over -------------------------------------------------------------------

    def hand_over(self, actor: str, group_id: str) -> HandOver:
        """Hand the offline group *group_id* to its server: it holds it until it comes back closed.

        Queues in ``down:<server>`` every master record the group needs there
        (:func:`~examkit.offline._central_handover.master_records`), each at
        its central version; handing the same group over again queues only
        the master data that changed since (never the group and its attempts
        again: the room owns what changes them now). The group, the queue, the mark and the audit
        event are written in one unit. The planner (who plans the session)
        or the FAO administrator (who runs the server) may do it.

        Raises:
            NotFound: there is no such group.
            NotPermitted: *actor* may do neither at the group's location.
            InvalidInput: ``offline.handover.mode``: not an offline group on a server.
            InvalidState: ``offline.handover.state`` (not planned or released) or
                ``offline.handover.server`` (the server is not active or has no
                valid credential).

        Implements SCH-7 and SCH-8.
        """
        subject = f"session_group:{group_id}"
        with UseCase(self._ports, "offline.handover", subject, actor=actor) as unit:
            uow = unit.uow
            group = uow.session_groups.get(group_id)
            if not (unit.actor.may(PLAN, group) or unit.actor.may(EDIT, group)):
                raise NotPermitted("permission.denied")
            server_id = group.offline_server
            if group.mode is not Mode.OFFLINE or server_id is None:
                raise InvalidInput("offline.handover.mode", field="group", group=group.id)
            if group.state.value not in HANDOVER_STATES:
                raise InvalidState(
                    "offline.handover.state", group=group.id, state=group.state.value
                )
            server = uow.offline_servers.get_many([server_id]).get(server_id)
            credential = uow.offline_credentials.get_many([server_id]).get(server_id)
            if (
                server is None
                or not server.is_choosable
                or credential is None
                or credential.revoked_at is not None
            ):
                raise InvalidState("offline.handover.server", server=server_id)
            first = group.held_by is None
            if first:
                group = uow.session_groups.update(attrs.evolve(group, held_by=server_id))
            mark = uow.sync_marks.get_many([server_id]).get(server_id)
            before = mark if mark is not None else SyncMark(server_id)
            after, queued = queue_down(uow, before, group, unit.now, first=first)
            if mark is None:
                uow.sync_marks.add(after)
            elif queued:
                uow.sync_marks.update(after)
            unit.audit(details={"server": server_id, "queued": str(queued)})
            self._crash("central.handover.before_commit")
            unit.commit()
        return HandOver(group.id, server_id, queued, after.down_queued)

    # -- what the endpoint serves ----------------------------------------------------------

    def receive_up(self, server_id: str, request: UpRequest) -> UpReply:
        """Apply a batch of *server_id*'s up entries in one transaction; return the reply.

        The entries are applied strictly in order with the mark and their
        inbox rows, the answers grouped per attempt
        (:func:`~examkit.offline._central_up.apply_batch`); one audit event
        tells the batch. The reply leaves after the commit.

        Raises:
            NotPermitted: ``offline.wire.server`` (the request names another
                server) or ``offline.server.removed`` (the server is deactivated
                or deleted: its entries are recorded as a conflict, not applied).
            InvalidInput: an entry of an unknown kind, out of order, not matching
                its digest, or with an unusable body (nothing applied).

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(self._ports, "offline.sync.up", subject) as unit:
            if request.server != server_id:
                raise NotPermitted("offline.wire.server")
            check_entries(request.entries)
            uow, now = unit.uow, unit.now
            server = uow.offline_servers.get_many([server_id]).get(server_id)
            if server is None or not server.is_choosable:
                self._removed(unit, server_id, request)
            stored = uow.sync_marks.get_many([server_id]).get(server_id)
            mark = stored if stored is not None else SyncMark(server_id)
            first = mark.up_high_water
            high, batch = apply_batch(uow, mark, request.entries, now)
            offset = request.clock_offset_ms
            if offset is None:
                offset = _ms((request.sent_at - now).total_seconds())
            changed = attrs.evolve(
                mark,
                up_high_water=high,
                backlog=max(0, request.backlog - (high - first)),
                last_sync_at=now,
                clock_offset_ms=offset,
            )
            if stored is None:
                uow.sync_marks.add(changed)
            else:
                uow.sync_marks.update(changed)
            if request.entries:
                unit.audit(
                    details={
                        "server": server_id,
                        "from": str(first),
                        "to": str(high),
                        "received": str(len(request.entries)),
                        "conflicts": str(len(batch.conflicts)),
                    }
                )
            self._crash("central.up.before_commit")
            unit.commit()
        self._crash("central.up.after_commit")
        conflicts = tuple(WireConflict.of(item) for item in batch.conflicts.values())
        return UpReply(high, now, self._ports.clock.now(), conflicts)

    def _removed(self, unit: UseCase, server_id: str, request: UpRequest) -> None:
        """Record a removed server's upload as a conflict, keep it, and refuse it."""
        if request.entries:
            first = request.entries[0]
            conflict = SyncConflict(
                id=f"{server_id}:{first.seq}:{SERVER_REMOVED}",
                server=server_id,
                kind=first.kind,
                key=first.key,
                seq=first.seq,
                reason=SERVER_REMOVED,
                detected_at=unit.now,
                detail=f"{len(request.entries)} entries from {first.seq} not applied",
            )
            if unit.uow.sync_conflicts.get_many([conflict.id]).get(conflict.id) is None:
                unit.uow.sync_conflicts.add(conflict)
            unit.commit()
        unit.refuse(NotPermitted("offline.server.removed", server=server_id))

    def send_down(self, server_id: str, request: DownRequest) -> DownReply:
        """Return the next down entries above what *server_id* applied; record its sync.

        Records the applied mark, the sync's time and the clock offset.

        Raises:
            NotPermitted: ``offline.wire.server`` or ``offline.server.removed``.
            InvalidInput: ``offline.down.applied``: more applied than queued.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(self._ports, "offline.sync.down", subject) as unit:
            if request.server != server_id:
                raise NotPermitted("offline.wire.server")
            uow, now = unit.uow, unit.now
            server = uow.offline_servers.get_many([server_id]).get(server_id)
            if server is None or not server.is_choosable:
                raise NotPermitted("offline.server.removed", server=server_id)
            stored = uow.sync_marks.get_many([server_id]).get(server_id)
            mark = stored if stored is not None else SyncMark(server_id)
            if request.applied > mark.down_queued:
                raise InvalidInput(
                    "offline.down.applied",
                    field="applied",
                    applied=request.applied,
                    queued=mark.down_queued,
                )
            entries = uow.sync_queue.numbered(
                down_stream(server_id),
                request.applied + 1,
                min(mark.down_queued, request.applied + MAX_BATCH),
            )
            self._crash("central.down.after_read")
            offset = request.clock_offset_ms
            if offset is None:
                offset = _ms((request.sent_at - now).total_seconds())
            # a late (reordered) request carries an older number: the mark never goes back
            acknowledged = max(mark.down_acknowledged, request.applied)
            changed = attrs.evolve(
                mark, down_acknowledged=acknowledged, last_sync_at=now, clock_offset_ms=offset
            )
            if stored is None:
                uow.sync_marks.add(changed)
            else:
                uow.sync_marks.update(changed)
            unit.commit()
        wired = tuple(WireEntry.of(entry) for entry in entries)
        return DownReply(wired, mark.down_queued, now, self._ports.clock.now())

    def package_range(self, server_id: str, digest: str, start: int) -> tuple[ExamPackage, bytes]:
        """Return package *digest* and its content from byte *start*, for *server_id* only.

        Only a package of the test of a group the server holds reaches it.

        Raises:
            NotPermitted: ``offline.server.removed``.
            NotFound: no such package, or not one of the server's held groups' tests.
            InvalidInput: ``offline.package.range``: *start* is beyond the content.

        Implements SCH-8.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            server = uow.offline_servers.get_many([server_id]).get(server_id)
            if server is None or not server.is_choosable:
                raise NotPermitted("offline.server.removed", server=server_id)
            package = uow.exam_packages.get_many([digest]).get(digest)
            exams = {group.exam for group in groups_held_by(uow, server)}
            if package is None or not package.verified or package.exam not in exams:
                raise NotFound(kind="exam package", key=digest)
            return package, read_range(uow, digest, start)

    # -- the portal's pages --------------------------------------------------------------

    def status(self, actor: str, location: LocationCode) -> tuple[ServerSyncStatus, ...]:
        """Return where each offline server of *location* stands, by name.

        Raises:
            NotPermitted: *actor* may not view the servers there.

        Implements SCH-8.
        """
        subject = f"location:{location}"
        with UseCase(
            self._ports, "offline.sync.status", subject, actor=actor, readonly=True
        ) as unit:
            unit.require(VIEW, location)
            found = _servers_at(unit.uow, location)[1].values()
        return tuple(sorted(found, key=lambda item: (item.name, item.server)))

    def location_servers(self, actor: str, location: str | None = None) -> LocationServers:
        """Return the locations where *actor* views servers, and one's servers with their status.

        What the list of offline servers shows, in one unit of work: the
        locations (as :meth:`~examkit.scheduling.PlanningDesk.locations` with
        ``facet.fao.view``), the servers of the location read (as
        :meth:`~examkit.scheduling.OfflineServerRegistry.servers`) and their
        status (as :meth:`status`), the location's groups read once for all.

        Args:
            actor: The reading account.
            location: The location chosen (a location code as text); one the
                actor may not view the servers of, or ``None``, reads the
                first of theirs.

        Implements SCH-8.
        """
        with UseCase(
            self._ports, "offline.sync.status", "locations", actor=actor, readonly=True
        ) as unit:
            places = sorted(
                {place for place in unit.actor.places(VIEW) if isinstance(place, LocationCode)},
                key=str,
            )
            chosen = next((place for place in places if str(place) == location), None)
            chosen = chosen if chosen is not None or not places else places[0]
            if chosen is None:
                return LocationServers((), None, (), {})
            unit.subject = f"location:{chosen}"
            servers, statuses = _servers_at(unit.uow, chosen)
        return LocationServers(tuple(places), chosen, servers, statuses)

    def server_sync(self, actor: str, server_id: str) -> ServerSync:
        """Return the server *server_id*, where its sync stands and its conflicts, at once.

        What a server's page shows, in one read (:meth:`status` of its
        location and :meth:`conflicts`, for that one server).

        Raises:
            NotFound: there is no such server.
            NotPermitted: *actor* may not view the servers at its location.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(
            self._ports, "offline.sync.status", subject, actor=actor, readonly=True
        ) as unit:
            uow = unit.uow
            server = uow.offline_servers.get(server_id)
            unit.require(VIEW, server.location)
            conflicts = uow.sync_conflicts.for_server(server_id)
            held = groups_held_at(uow, server.location).get(server_id, ())
            status = _status(
                server,
                uow.sync_marks.get_many([server_id]).get(server_id),
                uow.offline_credentials.get_many([server_id]).get(server_id),
                conflicts,
                tuple(group.id for group in held),
            )
        return ServerSync(server, status, _in_order(conflicts))

    def conflicts(self, actor: str, server_id: str) -> tuple[SyncConflict, ...]:
        """Return the conflicts of *server_id*, open ones first, then by detection.

        A deleted server's conflicts (its late uploads, refused) stay
        visible at the location its credential was issued for.

        Raises:
            NotFound: there is no such server, nor a credential it had.
            NotPermitted: *actor* may not view the server.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(
            self._ports, "offline.conflict.view", subject, actor=actor, readonly=True
        ) as unit:
            unit.require(VIEW, _place_of(unit.uow, server_id))
            found = unit.uow.sync_conflicts.for_server(server_id)
        return _in_order(found)

    def resolve_conflict(self, actor: str, conflict_id: str) -> SyncConflict:
        """Mark the conflict *conflict_id* dealt with (it stays, with who and when).

        Raises:
            NotFound: there is no such conflict.
            NotPermitted: *actor* may not edit the server at the server's location.
            InvalidState: ``offline.conflict.resolved``: it was dealt with already.

        Implements SCH-8.
        """
        subject = f"sync_conflict:{conflict_id}"
        with UseCase(self._ports, "offline.conflict.resolved", subject, actor=actor) as unit:
            conflict = unit.uow.sync_conflicts.get(conflict_id)
            unit.require(EDIT, _place_of(unit.uow, conflict.server))
            if conflict.resolved_at is not None:
                raise InvalidState("offline.conflict.resolved")
            stored = unit.uow.sync_conflicts.update(
                attrs.evolve(conflict, resolved_at=unit.now, resolved_by=actor)
            )
            unit.audit(details={"server": conflict.server, "reason": conflict.reason})
            unit.commit()
        return stored


def _place_of(uow: UnitOfWork, server_id: str) -> LocationCode:
    """Return the location of *server_id*, or of its credential once it is deleted.

    Raises:
        NotFound: neither is stored.
    """
    server = uow.offline_servers.get_many([server_id]).get(server_id)
    if server is not None:
        return server.location
    credential = uow.offline_credentials.get_many([server_id]).get(server_id)
    if credential is None or credential.location is None:
        raise NotFound(kind="offline server", key=server_id)
    return LocationCode(credential.location)


def _in_order(conflicts: tuple[SyncConflict, ...]) -> tuple[SyncConflict, ...]:
    """Return *conflicts* open ones first, then by detection."""
    return tuple(
        sorted(
            conflicts,
            key=lambda item: (item.resolved_at is not None, item.detected_at, item.id),
        )
    )


def _servers_at(
    uow: UnitOfWork, location: LocationCode
) -> tuple[tuple[OfflineServer, ...], dict[str, ServerSyncStatus]]:
    """Return *location*'s servers by id and each one's status by id, the groups read once."""
    servers = uow.offline_servers.list(location=location, limit=MAX_PAGE_SIZE).items
    ids = [server.id for server in servers]
    marks = uow.sync_marks.get_many(ids)
    credentials = uow.offline_credentials.get_many(ids)
    held = groups_held_at(uow, location) if servers else {}
    statuses = {
        server.id: _status(
            server,
            marks.get(server.id),
            credentials.get(server.id),
            uow.sync_conflicts.for_server(server.id),
            tuple(group.id for group in held.get(server.id, ())),
        )
        for server in servers
    }
    return servers, statuses


def _status(
    server: OfflineServer,
    mark: SyncMark | None,
    credential: ServerCredential | None,
    conflicts: tuple[SyncConflict, ...],
    held: tuple[str, ...],
) -> ServerSyncStatus:
    mark = mark if mark is not None else SyncMark(server.id)
    return ServerSyncStatus(
        server=server.id,
        name=server.name,
        state=server.state,
        credential_issued_at=None if credential is None else credential.issued_at,
        credential_revoked_at=None if credential is None else credential.revoked_at,
        last_sync_at=mark.last_sync_at,
        up_high_water=mark.up_high_water,
        backlog=mark.backlog,
        down_queued=mark.down_queued,
        down_acknowledged=mark.down_acknowledged,
        clock_offset_ms=mark.clock_offset_ms,
        open_conflicts=sum(1 for item in conflicts if item.resolved_at is None),
        held_groups=held,
    )
