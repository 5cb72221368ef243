"""The session report (*proces-verbaal*): the proctor draws it up, the planner remarks on it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

import attrs

from examkit._reading import note_group_reads
from examkit.errors import InvalidState, NotPermitted
from examkit.scheduling._common import candidates_of, group_subject
from examkit.scheduling._held import refuse_if_held
from examkit.scheduling._lifecycle import GroupState
from examkit.scheduling._model import Incident, Remark, TestSessionGroup
from examkit.scheduling._views import SessionReportData, session_report_data
from examkit.usecase import Ports, UseCase

RETRIEVE: Final = "facet.session_report.retrieve"
"""The planner's permission to retrieve a group's report (and remark on it)."""

_OPEN: Final = frozenset({GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED})


def _draw_action(group: TestSessionGroup) -> str:
    """Return the action that draws up *group*'s report (the FT proctor's for an FT group)."""
    return (
        "facet.ft.monitor.session_report"
        if group.functionality_test
        else "facet.monitor.session_report"
    )


class SessionReports:
    """The session report of each group (``kit.session_reports``).

    Args:
        ports: The wired ports.

    Implements SCH-5.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def session_report(self, actor: str, group_id: str) -> SessionReportData:
        """Return the session report's data (*proces-verbaal*) for the proctor or the planner.

        Raises:
            NotPermitted: *actor* may neither draw up nor retrieve the group's report.

        Implements SCH-5.
        """
        with UseCase(
            self._ports,
            "sessions.report.retrieve",
            group_subject(group_id),
            actor=actor,
            readonly=True,
        ) as unit:
            group = unit.uow.session_groups.get(group_id)
            who = unit.actor
            if not (who.may(_draw_action(group), group) or who.may(RETRIEVE, group)):
                raise NotPermitted("permission.denied")
            attempts = unit.uow.test_attempts.list_for_group(group.id)
            people = candidates_of(unit.uow, group.candidates)
            note_group_reads(unit, people, "session_report", group.location, group_id)
        return session_report_data(group, attempts, people)

    def write_report(
        self,
        actor: str,
        group_id: str,
        *,
        started_at: datetime | None = None,
        ended_at: datetime | None = None,
        notes: str | None = None,
        incidents: Iterable[Incident] = (),
        completed: bool | None = None,
    ) -> TestSessionGroup:
        """Draw up the session report (*proces-verbaal opstellen*) until the group closes.

        Given fields replace the report's; *incidents* are appended.

        Raises:
            NotPermitted: *actor* may not draw up the group's report.
            InvalidState: the group is closed (the report is immutable).

        Implements SCH-5.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "sessions.report.write", subject, actor=actor) as unit:
            group = unit.uow.session_groups.get(group_id)
            unit.require(_draw_action(group), group)
            refuse_if_held(group)
            if group.state not in _OPEN:
                raise InvalidState("sessions.report.closed")
            report = group.report
            report = attrs.evolve(
                report,
                started_at=report.started_at if started_at is None else started_at,
                ended_at=report.ended_at if ended_at is None else ended_at,
                notes=report.notes if notes is None else notes,
                incidents=(*report.incidents, *incidents),
                completed=report.completed if completed is None else completed,
            )
            stored = unit.uow.session_groups.update(attrs.evolve(group, report=report))
            unit.audit()
            unit.commit()
        return stored

    def add_remark(self, actor: str, group_id: str, text: str) -> TestSessionGroup:
        """Append the planner's remark to a closed group's report (*opmerkingen toevoegen*).

        Raises:
            NotPermitted: *actor* may not retrieve the group's report.
            InvalidState: the group is not closed yet.

        Implements SCH-5.
        """
        subject = group_subject(group_id)
        with UseCase(self._ports, "sessions.report.remark", subject, actor=actor) as unit:
            group = unit.uow.session_groups.get(group_id)
            unit.require(RETRIEVE, group)
            refuse_if_held(group)
            if group.state in _OPEN or group.state is GroupState.CANCELLED:
                raise InvalidState("sessions.report.not_closed")
            remark = Remark(at=unit.now, by=actor, text=text)
            report = attrs.evolve(group.report, remarks=(*group.report.remarks, remark))
            stored = unit.uow.session_groups.update(attrs.evolve(group, report=report))
            unit.audit()
            unit.commit()
        return stored
