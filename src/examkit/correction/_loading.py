"""Reading a group's correction: made from its session group on first use, replacements, inputs.

Shared by the correction's use cases.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.correction._model import (
    CorrectionGroup,
    Mark,
    OpenItemSlot,
    Replacement,
    new_sheet,
)
from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.roles import load_actor
from examkit.sessions import AttemptState, GroupState, Scoring

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

SCORE_ACTION = "facet.correction.overview"
"""The matrix's action a corrector needs to score."""


def load_correction(uow: UnitOfWork, group_id: str) -> CorrectionGroup:
    """Return the group's correction, made from the session group on first use."""
    try:
        return uow.correction_groups.get(group_id)
    except NotFound:
        pass
    session = uow.session_groups.get(group_id)
    if session.state is not GroupState.RELEASED_FOR_CORRECTION:
        raise InvalidState("correction.group.not_released", state=session.state.value)
    if session.first_corrector is None:
        raise InvalidState("sessions.guard.no_corrector")
    exam = uow.exams.get(session.exam)
    slots = [
        OpenItemSlot(item.id, item.max_score)
        for item in exam.items
        if item.scoring is Scoring.CORRECTOR
    ]
    taken = [
        attempt.candidate
        for attempt in uow.test_attempts.list_for_group(group_id)
        if attempt.state is not AttemptState.ABSENT
    ]
    group = CorrectionGroup(
        group=group_id,
        location=session.location,
        exam=session.exam,
        items=slots,
        first=session.first_corrector,
        second=session.second_corrector,
    )
    stored = uow.correction_groups.add(group)
    uow.correction_sheets.add_many([new_sheet(group_id, c, slots) for c in sorted(taken)])
    return stored


def replaced(
    uow: UnitOfWork, group: CorrectionGroup, place: Mark, account: str, *, by: str, at: datetime
) -> CorrectionGroup:
    """Return *group* with *account* in *place* instead of its corrector (checked)."""
    if group.is_closed:
        raise InvalidState("correction.group.closed")
    if place is Mark.AGREED:
        raise InvalidInput("correction.replace.mark", field="mark")
    old = {Mark.FIRST: group.first, Mark.SECOND: group.second, Mark.THIRD: group.third}[place]
    if old is None:
        raise InvalidState("correction.replace.empty", mark=place.value)
    held = group.mark_of(account)
    if held is not None and held is not place:
        raise InvalidInput("correction.corrector.not_independent", field="account")
    if not load_actor(uow, account).may(SCORE_ACTION, group):
        raise InvalidInput("sessions.group.corrector", field="account")
    field = {Mark.FIRST: "first", Mark.SECOND: "second", Mark.THIRD: "third"}[place]
    record = Replacement(place, old, account, by, at)
    fields: dict[str, Any] = {field: account}
    return attrs.evolve(group, replacements=(*group.replacements, record), **fields)


def read_inputs(backend: Backend, group_id: str) -> tuple[Any, ...]:
    """Return what a group's results are computed from: group, sheets, attempts, people, exam."""
    with backend.begin(readonly=True) as uow:
        group = uow.correction_groups.get(group_id)
        sheets = uow.correction_sheets.list_for_group(group_id)
        attempts = {a.candidate: a for a in uow.test_attempts.list_for_group(group_id)}
        people = {s.candidate: uow.candidates.get(s.candidate) for s in sheets}
        exam = uow.exams.get(group.exam)
    return group, sheets, attempts, people, exam
