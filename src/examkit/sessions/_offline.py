"""The offline-server registry (*FAO-servers*): a location's local exam servers.

Implements SCH-8 (the registry; the synchronisation comes later).
"""

from __future__ import annotations

import enum
import re
from typing import Any, Final

import attrs

from examkit._fields import clean_text, required_text
from examkit.errors import InvalidInput
from examkit.identifiers import LocationCode
from examkit.roles import Target
from examkit.sessions._lifecycle import TransitionNotAllowed

_HOST = re.compile(
    r"(\d{1,3}(\.\d{1,3}){3})|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
)


class ServerState(enum.Enum):
    """An offline server's state in the registry.

    Implements SCH-8.
    """

    REGISTERED = "registered"
    """Added, not yet activated (*toegevoegd*)."""
    ACTIVE = "active"
    """Active: it can be chosen for offline groups (*actief*)."""
    INACTIVE = "inactive"
    """Deactivated: it cannot be chosen (*gedeactiveerd*)."""


SERVER_LIFECYCLE: Final[tuple[tuple[str, frozenset[ServerState], ServerState | None, str], ...]] = (
    ("activate", frozenset({ServerState.REGISTERED}), ServerState.ACTIVE, "facet.fao.activate"),
    ("deactivate", frozenset({ServerState.ACTIVE}), ServerState.INACTIVE, "facet.fao.deactivate"),
    ("reactivate", frozenset({ServerState.INACTIVE}), ServerState.ACTIVE, "facet.fao.reactivate"),
    (
        "delete",
        frozenset({ServerState.REGISTERED, ServerState.INACTIVE}),
        None,
        "facet.fao.delete",
    ),
)
"""The registry's moves: (event, from, to (``None``: deleted), the FAO administrator's action).

:meta hide-value:
"""

_BY_EVENT: Final = {row[0]: row for row in SERVER_LIFECYCLE}


def _check_host(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value or len(value) > 253 or not _HOST.fullmatch(value):
        raise InvalidInput("sessions.server.address", field=attribute.name, value=value)


@attrs.frozen
class OfflineServer:
    """An offline server (*FAO-server*) registered at a location.

    >>> server = OfflineServer(id="fao-1", location=LocationCode("22AB00"),
    ...                        name="FAO lokaal 12", address="192.168.1.20")
    >>> server.state.value, server.is_choosable
    ('registered', False)

    Implements SCH-8.
    """

    id: str
    """Its id, the key."""
    location: LocationCode
    """The location it stands at."""
    name: str = attrs.field(converter=clean_text, validator=required_text(100))
    """Its name."""
    address: str = attrs.field(converter=clean_text, validator=_check_host)
    """Its IP address or host name (``faoid.fao-facet.onl``)."""
    state: ServerState = ServerState.REGISTERED
    """Its state."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""

    @property
    def is_choosable(self) -> bool:
        """Whether an offline group may run on it (active)."""
        return self.state is ServerState.ACTIVE

    @property
    def permission_target(self) -> Target:
        """Where it is, for permission decisions: its location."""
        return Target.of(self.location)


def server_action(event: str) -> str:
    """Return the FAO administrator's action for registry move *event*.

    Raises:
        InvalidInput: ``sessions.server.event``: there is no such move.
    """
    return _server_row(event)[3]


def _server_row(event: object) -> tuple[str, frozenset[ServerState], ServerState | None, str]:
    row = _BY_EVENT.get(event) if isinstance(event, str) else None
    if row is None:
        raise InvalidInput("sessions.server.event", field="event", event=str(event)[:40])
    return row


def next_server_state(state: ServerState, event: str) -> ServerState | None:
    """Return the state *event* leads to (``None``: deleted).

    >>> next_server_state(ServerState.INACTIVE, "reactivate")
    <ServerState.ACTIVE: 'active'>

    Raises:
        InvalidInput: there is no such move.
        TransitionNotAllowed: *state* does not allow *event*.
    """
    _, sources, target, _ = _server_row(event)
    if state not in sources:
        raise TransitionNotAllowed(event=event, state=state.value)
    return target
