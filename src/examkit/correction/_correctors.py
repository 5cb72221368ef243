"""The planner's part in correction: replacing a corrector, referring to a third corrector."""

from __future__ import annotations

import attrs

from examkit.correction._common import PLAN, SCORE, group_subject, refused_as_denied
from examkit.correction._lifecycle import ItemState
from examkit.correction._loading import load_correction, read_group, replaced
from examkit.correction._model import (
    CorrectionGroup,
    CorrectionSheet,
    Mark,
    Replacement,
    apply_move,
)
from examkit.errors import InvalidInput, InvalidState
from examkit.permissions import Actor, as_target, load_actor
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase


@attrs.frozen
class EligibleCorrector:
    """A corrector the planner may put in a group's place: account id and name.

    Implements SCO-3.
    """

    account: str
    """The account's id (what :meth:`CorrectorChanges.refer` and ``replace`` take)."""
    name: str
    """The account holder's full name."""


class CorrectorChanges:
    """The planner changes a group's correctors during correction: ``kit.correctors``.

    Args:
        ports: The wired ports.

    Implements SCO-3.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"CorrectorChanges({self._ports.backend!r})"

    def replace(self, actor: str, group_id: str, mark: Mark | str, account: str) -> CorrectionGroup:
        """Replace the group's first, second or third corrector; scores entered are kept.

        Possible until correction closes; the newcomer must hold the corrector
        role at the group's location and be none of the group's other correctors.

        Raises:
            NotPermitted: *actor* may not schedule correctors there.
            InvalidInput: *account* is not a corrector there, or holds another place;
                *mark* is no place (first, second or third).
            InvalidState: correction is closed, or there is no such place to fill.

        Implements SCO-3.
        """
        try:
            place = Mark(mark)
        except ValueError:
            raise InvalidInput("correction.replace.mark", field="mark") from None
        with UseCase(
            self._ports, "correction.replace", group_subject(group_id), actor=actor
        ) as unit:
            group = load_correction(unit.uow, group_id)
            unit.require(PLAN, group)
            with refused_as_denied(unit):
                changed = replaced(unit.uow, group, place, account, by=actor, at=unit.now)
            stored = unit.uow.correction_groups.update(changed)
            unit.audit(details={"mark": place.value, "account": account})
            unit.commit()
        return stored

    def eligible(self, actor: str, group_id: str) -> tuple[EligibleCorrector, ...]:
        """Return who may take a place in the group's correction (planner), by name.

        The accounts of the location's institution that hold the corrector's
        action at the group's location and hold no place (first, second or
        third) in this group: the third corrector and a replacement are
        chosen from them.

        Raises:
            NotPermitted: *actor* may not schedule correctors there.
            InvalidState: the group was not released for correction.

        Implements SCO-3.
        """
        with UseCase(
            self._ports,
            "correction.eligible",
            group_subject(group_id),
            actor=actor,
            readonly=True,
        ) as unit:
            uow = unit.uow
            group = read_group(uow, group_id)
            unit.require(PLAN, group)
            found = []
            target = as_target(group)  # once, not per account
            after: str | None = None
            while True:
                page = uow.accounts.list(
                    institution=group.location.brin, after=after, limit=MAX_PAGE_SIZE
                )
                candidates = [a for a in page.items if group.mark_of(a.id) is None]
                # the page's grants read at once (one round trip), not one account at a time
                held = uow.authorizations.get_many(a.id for a in candidates)
                for account in candidates:
                    grants = held.get(account.id)
                    if grants is None:
                        continue  # no grants: no corrector
                    if Actor.of(account, grants).may(SCORE, target):
                        found.append(EligibleCorrector(account.id, account.full_name))
                if page.next_after is None:
                    break
                after = page.next_after
        return tuple(sorted(found, key=lambda c: (c.name, c.account)))

    def refer(self, actor: str, group_id: str, third: str) -> CorrectionGroup:
        """Assign an independent third corrector to the group's escalated items (planner).

        Every escalated item moves to the third corrector, whose scores replace both.

        Raises:
            NotPermitted: *actor* may not schedule correctors there.
            InvalidInput: *third* is not a corrector there, or is the first or second corrector.
            InvalidState: correction is closed, or no item is escalated.

        Implements SCO-3.
        """
        with UseCase(self._ports, "correction.refer", group_subject(group_id), actor=actor) as unit:
            uow = unit.uow
            group = load_correction(uow, group_id)
            unit.require(PLAN, group)
            with refused_as_denied(unit):
                moved = _referred(unit, group, third)
            for sheet in moved:
                uow.correction_sheets.update(sheet)
            changed = group
            if group.third != third:
                record = Replacement(Mark.THIRD, group.third, third, actor, unit.now)
                changed = attrs.evolve(
                    group, third=third, replacements=(*group.replacements, record)
                )
            stored = uow.correction_groups.update(changed) if changed != group else group
            unit.audit(details={"third": third, "sheets": str(len(moved))})
            unit.commit()
        return stored


def _referred(unit: UseCase, group: CorrectionGroup, third: str) -> list[CorrectionSheet]:
    """Return the group's sheets with their escalated items referred to *third* (checked)."""
    uow = unit.uow
    if group.is_closed:
        raise InvalidState("correction.group.closed")
    if third in (group.first, group.second):
        raise InvalidInput("correction.corrector.not_independent", field="third")
    if not load_actor(uow, third).may(SCORE, group):
        raise InvalidInput("sessions.group.corrector", field="third")
    moved = []
    for sheet in uow.correction_sheets.list_for_group(group.group):
        escalated = {
            key: None for key, item in sheet.items.items() if item.state is ItemState.ESCALATED
        }
        if escalated:
            moved.append(
                apply_move(
                    sheet,
                    "refer",
                    None,
                    escalated,
                    slots=group.slots,
                    double=group.double,
                    by=unit.actor.account,
                    at=unit.now,
                )
            )
    if not moved and group.third is None:
        raise InvalidState("correction.refer.nothing")
    return moved
