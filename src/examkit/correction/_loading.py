"""Reading a group's correction: as it starts from its session group, opened, replacements, inputs.

Shared by the correction's use cases.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from examkit.correction._model import (
    CorrectionGroup,
    CorrectionSheet,
    Mark,
    OpenItemSlot,
    Replacement,
    new_sheet,
    sheet_id,
)
from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.permissions import load_actor
from examkit.scheduling import AttemptState, GroupState, Scoring

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

SCORE_ACTION = "facet.correction.overview"
"""The matrix's action a corrector needs to score."""


def starting_correction(
    uow: UnitOfWork, group_id: str
) -> tuple[CorrectionGroup, tuple[CorrectionSheet, ...]]:
    """Return the group's correction and sheets as they start, from the session group (unstored).

    Raises:
        NotFound: there is no such group.
        InvalidState: the group was not released for correction, or has no corrector.
    """
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
    return group, tuple(new_sheet(group_id, c, slots) for c in sorted(taken))


def read_correction(
    uow: UnitOfWork, group_id: str
) -> tuple[CorrectionGroup, tuple[CorrectionSheet, ...]]:
    """Return the group's stored correction and sheets, or as they would start (nothing stored).

    Raises:
        NotFound: there is no such group.
        InvalidState: it is not opened and the group was not released for correction.
    """
    try:
        group = uow.correction_groups.get(group_id)
    except NotFound:
        return starting_correction(uow, group_id)
    return group, uow.correction_sheets.list_for_group(group_id)


def read_group(uow: UnitOfWork, group_id: str) -> CorrectionGroup:
    """Return the group's stored correction, or as it would start (without its sheets).

    Raises:
        NotFound: there is no such group.
        InvalidState: it is not opened and the group was not released for correction.
    """
    try:
        return uow.correction_groups.get(group_id)
    except NotFound:
        return starting_correction(uow, group_id)[0]


def load_correction(uow: UnitOfWork, group_id: str) -> CorrectionGroup:
    """Return the group's stored correction, opening it (storing it and its sheets) if need be.

    Only writing use cases call it, in their own unit of work: the opening
    is part of the change they make and audit.
    """
    try:
        return uow.correction_groups.get(group_id)
    except NotFound:
        pass
    group, sheets = starting_correction(uow, group_id)
    stored = uow.correction_groups.add(group)
    uow.correction_sheets.add_many(list(sheets))
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


def read_inputs(uow: UnitOfWork, group_id: str) -> tuple[Any, ...]:
    """Return what a group's results are computed from: group, sheets, attempts, people, exam.

    The sheets' candidates are read at once (``get_many``), not one by one.

    Raises:
        NotFound: the group, or a sheet's candidate, is not there.
    """
    group = uow.correction_groups.get(group_id)
    sheets = uow.correction_sheets.list_for_group(group_id)
    attempts = {a.candidate: a for a in uow.test_attempts.list_for_group(group_id)}
    people = dict(uow.candidates.get_many(s.candidate for s in sheets))
    for sheet in sheets:
        if sheet.candidate not in people:
            raise NotFound(kind="candidate", key=sheet.candidate)
    exam = uow.exams.get(group.exam)
    return group, sheets, attempts, people, exam


def read_sheet(uow: UnitOfWork, group_id: str, candidate: str) -> CorrectionSheet:
    """Return *candidate*'s sheet in *group_id*, stored or as it would start.

    Raises:
        NotFound: there is none.
    """
    try:
        uow.correction_groups.get(group_id)
    except NotFound:
        for sheet in read_correction(uow, group_id)[1]:
            if sheet.candidate == candidate:
                return sheet
    return uow.correction_sheets.get(sheet_id(group_id, candidate))
