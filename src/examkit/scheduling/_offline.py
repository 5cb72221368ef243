"""The offline-server registry (*FAO-servers*): a location's local exam servers.

Implements SCH-8 (the registry; the synchronisation comes later).
"""

from __future__ import annotations

import enum
import re
from typing import Any, Final

import attrs

from examkit._fields import clean_text, required_text
from examkit.errors import InvalidInput, InvalidState
from examkit.identifiers import LocationCode
from examkit.permissions import MATRIX, Target
from examkit.scheduling._lifecycle import TransitionNotAllowed
from examkit.statemachine import StateMachine, Transition

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


def _server_refusal(event: str, state: ServerState) -> InvalidState:
    return TransitionNotAllowed(event=event, state=state.value)


SERVER_LIFECYCLE: Final = StateMachine(
    "offline server",
    ServerState,
    [
        Transition(
            "activate", {ServerState.REGISTERED}, ServerState.ACTIVE, action="facet.fao.activate"
        ),
        Transition(
            "deactivate", {ServerState.ACTIVE}, ServerState.INACTIVE, action="facet.fao.deactivate"
        ),
        Transition(
            "reactivate", {ServerState.INACTIVE}, ServerState.ACTIVE, action="facet.fao.reactivate"
        ),
        Transition(
            "delete",
            {ServerState.REGISTERED, ServerState.INACTIVE},
            None,
            action="facet.fao.delete",
        ),
    ],
    start=ServerState.REGISTERED,
    actions=MATRIX.actions,
    refusal=_server_refusal,
    unknown="sessions.server.event",
)
"""The registry's moves, each with the FAO administrator's action it needs.

A move whose target is ``None`` (``delete``) removes the server.

>>> SERVER_LIFECYCLE.move("reactivate", ServerState.INACTIVE).target
<ServerState.ACTIVE: 'active'>

:meta hide-value:
"""


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
