"""The correctors' work: work lists, scoring, agreeing, escalating, closing correction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from examkit._reading import candidate_subject, note_reads
from examkit.correction._assigned import assigned_groups, candidate_responses
from examkit.correction._common import (
    AGREE,
    CLOSE,
    SCORE,
    VIEW_CLOSED,
    group_subject,
    refused_as_denied,
)
from examkit.correction._lifecycle import action_of
from examkit.correction._loading import load_correction, read_correction
from examkit.correction._model import CorrectionGroup, CorrectionSheet, Mark, apply_move, sheet_id
from examkit.correction._views import Difference, WorkList, differences, work_list
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ExamkitError,
    InvalidState,
    NotPermitted,
)
from examkit.scheduling import TestSessionGroup, TransitionNotAllowed, TransitionRecord
from examkit.scheduling import group_transition as session_transition
from examkit.usecase import Ports, UseCase

ATTEMPTS = 8
"""How often a scoring call is tried when another unit of work wrote the same sheet meanwhile."""

_MARKS_ALLOWED = {
    "score": {Mark.FIRST, Mark.SECOND, Mark.THIRD},
    "agree": {Mark.FIRST, Mark.SECOND},
    "escalate": {Mark.FIRST, Mark.SECOND},
}


class _Again(Exception):
    """Another unit of work wrote the same sheet meanwhile: nothing was kept, try again."""


class CorrectionWork:
    """The correctors' work on a group: ``kit.correction_work``.

    Work lists, the list to agree on, scoring, agreeing, escalating, the
    closed group read-only, and closing correction (which hands the group
    back to the planner).

    Args:
        ports: The wired ports.

    Implements SCO-3 and SCO-4.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def __repr__(self) -> str:
        return f"CorrectionWork({self._ports.backend!r})"

    def work_list(self, actor: str, group_id: str) -> WorkList:
        """Return *actor*'s work list of the group: their own scores, the other's once both scored.

        A closed group is shown as :meth:`closed_view` shows it.

        Raises:
            NotPermitted: *actor* is not one of the group's correctors (or the
                group is closed and they did not correct it).

        Implements SCO-3 and SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.work_list", subject, actor=actor, readonly=True
        ) as unit:
            group, sheets = read_correction(unit.uow, group_id)
            if group.is_closed:
                unit.action = "correction.view_closed"
                return _noted(unit, group, _closed_view(unit, group, sheets))
            mark = group.mark_of(actor)
            if mark is None or not unit.actor.may(SCORE, group):
                raise NotPermitted("permission.denied")
            return _noted(unit, group, work_list(group, sheets, mark))

    def assigned(self, actor: str) -> tuple[TestSessionGroup, ...]:
        """Return the groups *actor* corrects (or, once closed, corrected), by start time.

        A group released for correction where they hold a place (first,
        second or third corrector), and a group whose correction closed
        that they corrected, replaced or not; only at the locations where
        they hold the corrector's actions. A portal's corrector starts here.

        Implements SCO-3 and SCO-4.
        """
        subject = f"account:{actor}"
        with UseCase(
            self._ports, "correction.assigned", subject, actor=actor, readonly=True
        ) as unit:
            return assigned_groups(unit)

    def responses(self, actor: str, group_id: str, candidate: str) -> dict[str, str]:
        """Return *candidate*'s responses to the group's open items as text, by item.

        What a corrector scores from (the scoring screen): each open item's
        stored response through :func:`~examkit.correction.response_text`,
        empty where the candidate gave none. For the group's correctors
        while it is corrected, and those who corrected it once closed.

        Raises:
            NotPermitted: *actor* is not (and was not) one of its correctors.
            InvalidInput: *candidate* did not sit the group.
            InvalidState: the group was not released for correction.

        Implements SCO-3.
        """
        subject = f"correction_sheet:{sheet_id(group_id, candidate)}"
        with UseCase(
            self._ports, "correction.responses", subject, actor=actor, readonly=True
        ) as unit:
            return candidate_responses(unit, group_id, candidate)

    def closed_view(self, actor: str, group_id: str) -> WorkList:
        """Return a closed group, read-only, to a corrector who corrected it.

        Raises:
            NotPermitted: *actor* did not correct it or lacks the action.
            InvalidState: correction is not closed.

        Implements SCO-4.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.view_closed", subject, actor=actor, readonly=True
        ) as unit:
            group, sheets = read_correction(unit.uow, group_id)
            return _noted(unit, group, _closed_view(unit, group, sheets))

    def differences(self, actor: str, group_id: str) -> tuple[Difference, ...]:
        """Return the group's list to agree on (*overeen te komen correcties*).

        Only the first and second corrector see it, and only items both scored.

        Implements SCO-3.
        """
        subject = group_subject(group_id)
        with UseCase(
            self._ports, "correction.differences", subject, actor=actor, readonly=True
        ) as unit:
            group, sheets = read_correction(unit.uow, group_id)
            if group.mark_of(actor) not in {Mark.FIRST, Mark.SECOND} or not unit.actor.may(
                AGREE, group
            ):
                raise NotPermitted("permission.denied")
            found = differences(sheets)
            note_reads(
                unit,
                (candidate_subject(d.candidate) for d in found),
                "scores",
                str(group.location),
                listed=subject,
            )
        return found

    def score(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        scores: Mapping[str, int],
        *,
        comments: Mapping[str, str] | None = None,
    ) -> CorrectionSheet:
        """Enter *actor*'s scores of one candidate's open items (one unit of work).

        The first and second corrector score independently; each score that
        changes is kept as a new version. Equal scores (or the one corrector's)
        settle an item; different ones put it on the list to agree on. The
        third corrector scores the items referred to them (their score
        replaces both). The group's correction is opened first if it was not.

        Raises:
            NotPermitted: *actor* is not a corrector of the group.
            InvalidInput: an item is not open, or a score is out of range.
            ItemMoveNotAllowed: an item can no longer be scored this way.
            InvalidState: correction is closed, or the group not released for it.

        Implements SCO-3.
        """
        return self._move(
            actor, group_id, candidate, event="score", scores=scores, comments=comments
        )

    def agree(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        item: str,
        score: int,
        *,
        comment: str = "",
    ) -> CorrectionSheet:
        """Record the score the two correctors agreed on for *item* (final).

        Implements SCO-3.
        """
        comments = {item: comment} if comment else None
        return self._move(
            actor, group_id, candidate, event="agree", scores={item: score}, comments=comments
        )

    def escalate(self, actor: str, group_id: str, candidate: str, item: str) -> CorrectionSheet:
        """Escalate the unresolved difference on *item* to the competent authority.

        Implements SCO-3.
        """
        return self._move(actor, group_id, candidate, event="escalate", scores={item: None})

    def _move(
        self,
        actor: str,
        group_id: str,
        candidate: str,
        *,
        event: str,
        scores: Mapping[str, Any],
        comments: Mapping[str, str] | None = None,
    ) -> CorrectionSheet:
        subject = f"correction_sheet:{sheet_id(group_id, candidate)}"
        for attempt in range(ATTEMPTS):
            try:
                with UseCase(self._ports, f"correction.{event}", subject, actor=actor) as unit:
                    try:
                        stored = _move_once(
                            unit,
                            group_id,
                            candidate,
                            event=event,
                            scores=scores,
                            comments=comments,
                        )
                        unit.commit()
                    except (ConcurrentModification, AlreadyExists) as error:
                        # Another corrector's unit of work wrote the same sheet (or opened the
                        # group's correction) meanwhile: nothing of this one is kept; again.
                        if attempt < ATTEMPTS - 1:
                            raise _Again from error
                        unit.refuse(error, outcome="denied")
                    except ExamkitError as error:
                        unit.refuse(error, outcome="denied")
            except _Again:
                continue
            return stored
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self, actor: str, group_id: str) -> TestSessionGroup:
        """Close correction: only when every open item of every candidate has a final score.

        Hands the group back to the planner with the sessions lifecycle's move
        ``close_correction``, in the same unit of work.

        Raises:
            NotPermitted: *actor* is not the group's first or second corrector
                or lacks the action.
            InvalidState: an item has no final score (the error names the first
                one); correction is closed already.

        Implements SCO-3.
        """
        subject = group_subject(group_id)
        row = session_transition("close_correction")
        with UseCase(self._ports, "correction.close", subject, actor=actor) as unit:
            uow = unit.uow
            with refused_as_denied(unit):
                group = load_correction(uow, group_id)
            if group.mark_of(actor) not in {Mark.FIRST, Mark.SECOND}:
                raise NotPermitted("permission.denied")
            unit.require(row.action or CLOSE, group)
            session = uow.session_groups.get(group_id)
            with refused_as_denied(unit):
                if group.is_closed or session.state not in row.sources:
                    raise TransitionNotAllowed(event=row.event, state=session.state.value)
                for sheet in uow.correction_sheets.list_for_group(group_id):
                    open_items = sheet.unresolved()
                    if open_items:
                        raise InvalidState(
                            "correction.close.unresolved",
                            candidate=sheet.candidate,
                            item=open_items[0],
                        )
            record = TransitionRecord(
                event=row.event,
                source=session.state,
                target=row.target,
                actor=actor,
                role=unit.actor.role_for(row.action or CLOSE),
                at=unit.now,
            )
            handed = uow.session_groups.update(
                attrs.evolve(session, state=row.target, log=(*session.log, record))
            )
            uow.correction_groups.update(attrs.evolve(group, closed_at=unit.now, closed_by=actor))
            unit.audit()
            unit.audit(
                f"sessions.group.{row.event}",
                details={"from": record.source.value, "to": record.target.value},
            )
            unit.commit()
        return handed


def _noted(unit: UseCase, group: CorrectionGroup, seen: WorkList) -> WorkList:
    """Note the read of the candidates' scores *seen* lists, and return it (PRIV-2)."""
    note_reads(
        unit,
        (candidate_subject(item.candidate) for item in seen.items),
        "scores",
        str(group.location),
        listed=group_subject(group.group),
    )
    return seen


def _closed_view(
    unit: UseCase, group: CorrectionGroup, sheets: tuple[CorrectionSheet, ...]
) -> WorkList:
    account = unit.actor_id or ""
    if not group.corrected_by(account) or not unit.actor.may(VIEW_CLOSED, group):
        raise NotPermitted("permission.denied")
    if not group.is_closed:
        unit.refuse(InvalidState("correction.group.open"), outcome="denied")
    return work_list(group, sheets, group.mark_of(account) or None)


def _move_once(
    unit: UseCase,
    group_id: str,
    candidate: str,
    *,
    event: str,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None,
) -> CorrectionSheet:
    """Check and store one move of one candidate's sheet in *unit*."""
    uow = unit.uow
    group = load_correction(uow, group_id)
    mark = _mark_for(unit, group, event)
    if mark is Mark.THIRD:
        event = "decide"
    if group.is_closed:
        raise InvalidState("correction.group.closed")
    sheet = uow.correction_sheets.get(sheet_id(group_id, candidate))
    changed = apply_move(
        sheet,
        event,
        mark,
        scores,
        slots=group.slots,
        double=group.double,
        by=unit.actor.account,
        at=unit.now,
        comments=comments,
    )
    stored = uow.correction_sheets.update(changed) if changed is not sheet else sheet
    details = {"items": ",".join(sorted(scores))}
    if mark is not None:
        details["mark"] = mark.value
    unit.audit(details=details)
    return stored


def _mark_for(unit: UseCase, group: CorrectionGroup, event: str) -> Mark | None:
    held = group.mark_of(unit.actor.account)
    if held not in _MARKS_ALLOWED[event] or not unit.actor.may(action_of(event), group.location):
        raise NotPermitted("permission.denied")
    if event == "agree":
        return Mark.AGREED
    if event == "escalate":
        return None
    return held
