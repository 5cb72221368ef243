"""A group's correction: opening it, and reading it and its candidates' sheets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from examkit.correction._common import PLAN, SCORE, group_subject
from examkit.correction._lifecycle import ItemState
from examkit.correction._loading import load_correction, read_correction, read_group, read_sheet
from examkit.correction._model import CorrectionGroup, CorrectionSheet
from examkit.errors import NotFound, NotPermitted
from examkit.usecase import Ports, UseCase

OPEN = "correction.open"
"""The audit action of opening a group's correction."""


def _counts(value: Mapping[ItemState, int]) -> Mapping[ItemState, int]:
    return MappingProxyType({state: value.get(state, 0) for state in ItemState})


def _names(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _pairs(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(value)


@attrs.frozen
class CorrectionProgress:
    """How far a group's correction is, for the planner: items per state, the escalated.

    Implements SCO-3.
    """

    group: str
    """The session group's id."""
    candidates: int
    """How many candidates have a sheet."""
    states: Mapping[ItemState, int] = attrs.field(converter=_counts)
    """How many open items (of every candidate) are in each state (every state named)."""
    escalated: tuple[tuple[str, str], ...] = attrs.field(converter=_pairs)
    """The escalated items waiting for a third corrector: (candidate, item), in order."""
    names: Mapping[str, str] = attrs.field(factory=dict, converter=_names)
    """The full name of each of the group's correctors (first, second, third), by account."""

    @property
    def final(self) -> int:
        """How many items have their final score."""
        return sum(count for state, count in self.states.items() if state.is_final)

    @property
    def total(self) -> int:
        """How many items there are to correct."""
        return sum(self.states.values())


class Corrections:
    """A group's correction: open it, read it and its sheets; ``kit.corrections``.

    Reading never stores anything: before the correction is opened, it is
    shown as it would start from the session group (its correctors, its
    open items, a sheet for every candidate who was not absent).
    :meth:`open` stores it, which fixes its candidates and correctors from
    then on; the first writing use case (a score, a replacement, ...) opens
    it in its own unit of work when the portal did not.

    Args:
        ports: The wired ports.

    Implements SCO-3.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"Corrections({self._ports.backend!r})"

    def open(self, actor: str, group_id: str) -> CorrectionGroup:
        """Open the correction of group *group_id*: store it and a sheet for each candidate.

        A portal calls it when the planner has released the group for
        correction, or when one of its correctors first opens the work list.
        Opening an opened correction changes nothing (and is not audited again).

        Raises:
            NotPermitted: *actor* is neither the planner of correctors at the
                group's location nor one of its correctors.
            NotFound: there is no such group.
            InvalidState: the group was not released for correction.

        Implements SCO-3.
        """
        with UseCase(self._ports, OPEN, group_subject(group_id), actor=actor) as unit:
            group, sheets = read_correction(unit.uow, group_id)
            corrector = group.mark_of(actor) is not None and unit.actor.may(SCORE, group)
            if not corrector and not unit.actor.may(PLAN, group):
                raise NotPermitted("permission.denied")
            try:
                return unit.uow.correction_groups.get(group_id)
            except NotFound:
                pass
            opened = load_correction(unit.uow, group_id)
            unit.audit(details={"candidates": str(len(sheets))})
            unit.commit()
        return opened

    def progress(self, actor: str, group_id: str) -> CorrectionProgress:
        """Return how far the group's correction is (the planner's view).

        Raises:
            NotPermitted: *actor* may not schedule correctors at the group's location.
            NotFound: there is no such group.
            InvalidState: the group was not released for correction.

        Implements SCO-3.
        """
        with UseCase(
            self._ports,
            "correction.progress",
            group_subject(group_id),
            actor=actor,
            readonly=True,
        ) as unit:
            group, sheets = read_correction(unit.uow, group_id)
            unit.require(PLAN, group)
            names = {
                account: unit.uow.accounts.get(account).full_name
                for account in (group.first, group.second, group.third)
                if account is not None
            }
        states: dict[ItemState, int] = {}
        escalated = []
        for sheet in sheets:
            for key, item in sheet.items.items():
                states[item.state] = states.get(item.state, 0) + 1
                if item.state is ItemState.ESCALATED:
                    escalated.append((sheet.candidate, key))
        return CorrectionProgress(group_id, len(sheets), states, escalated, names)

    def correction(self, group_id: str) -> CorrectionGroup:
        """Return the correction of group *group_id* (as it would start, until opened).

        Raises:
            NotFound: there is no such group.
            InvalidState: the group was not released for correction.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return read_group(uow, group_id)

    def sheet(self, group_id: str, candidate: str) -> CorrectionSheet:
        """Return *candidate*'s correction sheet in *group_id*, with every version.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return read_sheet(uow, group_id, candidate)
