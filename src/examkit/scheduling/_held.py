"""A group handed to an offline server is held by it: read-only centrally (SCH-7, SCH-8).

Every central use case that would change a session group or its attempts
asks :func:`refuse_if_held` first, after its permission check: while the
group is held (:attr:`~examkit.scheduling.TestSessionGroup.held_by`), its
candidates sit on the offline server and what happens in the room comes
back by synchronisation (:mod:`examkit.offline`), so nothing central may
change it until its closed state has come back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from examkit.errors import InvalidState
from examkit.scheduling._model import TestSessionGroup
from examkit.storage import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from examkit.identifiers import LocationCode
    from examkit.records import UnitOfWork
    from examkit.scheduling._offline import OfflineServer


def refuse_if_held(group: TestSessionGroup) -> None:
    """Refuse a central change to *group* while an offline server holds it.

    >>> from datetime import timedelta
    >>> from examkit.testing.sessions import L00, START
    >>> from examkit.scheduling import Mode
    >>> group = TestSessionGroup(id="g-1", location=L00, exam="NE", mode=Mode.OFFLINE,
    ...     starts_at=START, duration=timedelta(minutes=90), room="Aula",
    ...     proctor="proctor", candidates=(), offline_server="fao-1", held_by="fao-1")
    >>> refuse_if_held(group)
    Traceback (most recent call last):
    ...
    examkit.errors.InvalidState: The group 'g-1' is held by the offline server 'fao-1'; ...

    Raises:
        InvalidState: ``offline.group.held`` (with the group and the server).

    Implements SCH-7 and SCH-8.
    """
    if group.held_by is not None:
        raise InvalidState("offline.group.held", group=group.id, server=group.held_by)


def refuse_if_group_held(uow: UnitOfWork, group_id: str) -> None:
    """Read the group *group_id* in *uow* and refuse while it is held (:func:`refuse_if_held`).

    Raises:
        NotFound: there is no such group.
        InvalidState: ``offline.group.held``.

    Implements SCH-7 and SCH-8.
    """
    refuse_if_held(uow.session_groups.get(group_id))


def groups_held_by(uow: UnitOfWork, server: OfflineServer) -> tuple[TestSessionGroup, ...]:
    """Return the groups *server* holds: those of its location held by it, by start time.

    Implements SCH-8.
    """
    return groups_held_at(uow, server.location).get(server.id, ())


def groups_held_at(
    uow: UnitOfWork, location: LocationCode
) -> dict[str, tuple[TestSessionGroup, ...]]:
    """Return the groups of *location* an offline server holds, by server, by start time.

    Reads the location's groups once, page by page.

    Implements SCH-8.
    """
    held: dict[str, list[TestSessionGroup]] = {}
    after: str | None = None
    while True:
        page = uow.session_groups.list(location=location, after=after, limit=MAX_PAGE_SIZE)
        for group in page.items:
            if group.held_by is not None:
                held.setdefault(group.held_by, []).append(group)
        if page.next_after is None:
            return {server: tuple(groups) for server, groups in held.items()}
        after = page.next_after
