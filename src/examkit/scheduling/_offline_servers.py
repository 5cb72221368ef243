"""The offline-server registry (*FAO's*): list, add, edit, and move servers through their life."""

from __future__ import annotations

from typing import cast

import attrs

from examkit.errors import InvalidState
from examkit.identifiers import LocationCode
from examkit.scheduling._common import location_subject
from examkit.scheduling._held import groups_held_by
from examkit.scheduling._offline import SERVER_LIFECYCLE, OfflineServer, ServerState
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase


def _server_subject(server_id: str) -> str:
    return f"offline_server:{server_id}"


class OfflineServerRegistry:
    """The offline servers of each location (``kit.offline_servers``).

    Args:
        ports: The wired ports.

    Implements SCH-8.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def servers(self, actor: str, location: LocationCode) -> tuple[OfflineServer, ...]:
        """Return the offline servers of *location* (*inzien FAO's*).

        Raises:
            NotPermitted: *actor* may not view them.

        Implements SCH-8.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.server.view", subject, actor=actor, readonly=True
        ) as unit:
            unit.require("facet.fao.view", location)
            return unit.uow.offline_servers.list(location=location, limit=MAX_PAGE_SIZE).items

    def add_server(
        self, actor: str, *, location: LocationCode, name: str, address: str
    ) -> OfflineServer:
        """Register an offline server at *location* (*toevoegen FAO*); it starts inactive.

        Raises:
            NotPermitted: *actor* may not add servers there.
            InvalidInput: the name or address is unusable.

        Implements SCH-8.
        """
        subject = location_subject(location)
        with UseCase(self._ports, "sessions.server.add", subject, actor=actor) as unit:
            unit.require("facet.fao.add", location)
            server = OfflineServer(
                id="fao-" + self._ports.secrets.token_urlsafe(6),
                location=location,
                name=name,
                address=address,
            )
            stored = unit.uow.offline_servers.add(server)
            unit.audit(subject=_server_subject(stored.id))
            unit.commit()
        return stored

    def edit_server(
        self, actor: str, server_id: str, *, name: str | None = None, address: str | None = None
    ) -> OfflineServer:
        """Change a server's name or address (*wijzigen FAO*).

        Raises:
            NotPermitted: *actor* may not edit it.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(self._ports, "sessions.server.edit", subject, actor=actor) as unit:
            server = unit.uow.offline_servers.get(server_id)
            unit.require("facet.fao.edit", server)
            changed = attrs.evolve(
                server,
                name=server.name if name is None else name,
                address=server.address if address is None else address,
            )
            stored = unit.uow.offline_servers.update(changed)
            unit.audit()
            unit.commit()
        return stored

    def server_transition(self, actor: str, server_id: str, event: str) -> OfflineServer | None:
        """Activate, deactivate, reactivate or delete a server (``None`` when deleted).

        Deactivating or deleting a server revokes its sync credential in the
        same unit (:mod:`examkit.offline`): a reactivated server needs a new one.

        Raises:
            InvalidInput: ``sessions.server.event``: there is no such move.
            NotPermitted: *actor* lacks the move's action at the server's location.
            TransitionNotAllowed: the server's state does not allow the move.
            InvalidState: ``offline.server.holds``: a server that still holds groups
                cannot be deleted.

        Implements SCH-8.
        """
        subject = _server_subject(server_id)
        with UseCase(self._ports, f"sessions.server.{event}", subject, actor=actor) as unit:
            server = unit.uow.offline_servers.get(server_id)
            (move,) = SERVER_LIFECYCLE.event(event)  # one row per move, each with an action
            unit.require(cast(str, move.action), server)
            target = SERVER_LIFECYCLE.move(event, server.state).target
            if target is not ServerState.ACTIVE:
                _revoke_credential(unit, server, target is None)
            stored: OfflineServer | None
            if target is None:
                unit.uow.offline_servers.remove(server.id, version=server.version)
                stored = None
            else:
                stored = unit.uow.offline_servers.update(attrs.evolve(server, state=target))
            unit.audit()
            unit.commit()
        return stored


def _revoke_credential(unit: UseCase, server: OfflineServer, deleting: bool) -> None:
    """Revoke *server*'s sync credential in *unit*; refuse to delete a server holding groups."""
    uow = unit.uow
    if deleting:
        held = [group.id for group in groups_held_by(uow, server)]
        if held:
            raise InvalidState("offline.server.holds", server=server.id, groups=", ".join(held))
    credential = uow.offline_credentials.get_many([server.id]).get(server.id)
    if credential is not None and credential.revoked_at is None:
        uow.offline_credentials.update(attrs.evolve(credential, revoked_at=unit.now))
        unit.audit("offline.credential.revoked", details={"server": server.id})
