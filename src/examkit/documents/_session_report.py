"""DOC-3: the official session report (*proces-verbaal van de afname*)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from examkit.documents._pdf import (
    HEADING,
    SMALL,
    TITLE,
    WIDTH,
    build_pdf,
    data_digest,
    dutch_datetime,
    dutch_time,
    field_table,
    grid_table,
    para,
    space,
    yes_no,
)
from examkit.scheduling import AttemptState, GroupState, SessionReportData

GROUP_STATE_NL: Final[Mapping[GroupState, str]] = MappingProxyType(
    {
        GroupState.PLANNED: "gepland",
        GroupState.RELEASED: "vrijgegeven",
        GroupState.BLOCKED: "geblokkeerd",
        GroupState.CLOSED: "afgesloten",
        GroupState.RELEASED_FOR_CORRECTION: "vrijgegeven voor correctie",
        GroupState.CORRECTION_CLOSED: "correctie afgesloten",
        GroupState.RESULTS_PUBLISHED: "resultaten gepubliceerd",
        GroupState.REVIEW_OPEN: "inzage open",
        GroupState.ARCHIVED: "gearchiveerd",
        GroupState.CANCELLED: "geannuleerd",
    }
)
"""How the report names a group's state, in Dutch (every state)."""

ATTEMPT_STATE_NL: Final[Mapping[AttemptState, str]] = MappingProxyType(
    {
        AttemptState.REGISTERED: "aangemeld",
        AttemptState.IN_PROGRESS: "bezig",
        AttemptState.PAUSED: "gepauzeerd",
        AttemptState.SUBMITTED: "ingeleverd",
        AttemptState.TIMED_OUT: "tijd verstreken",
        AttemptState.TERMINATED: "beëindigd",
        AttemptState.ABSENT: "afwezig",
    }
)
"""How the report names a candidate's attempt state, in Dutch (every state)."""

REPORT_TITLE = "Proces-verbaal van de afname"
"""The document's title."""


def _when(value: datetime | None) -> str:
    return dutch_datetime(value) if value is not None else "-"


def _clock(value: datetime | None) -> str:
    return dutch_time(value) if value is not None else "-"


def session_report_pdf(report: SessionReportData, *, test: str = "") -> bytes:
    """Return the PDF of the official session report of one group.

    It shows the group (location, test, room, proctor, state), the planned
    and actual start and end, every candidate's attendance with their
    incidents, the incidents about the whole group, the proctor's notes,
    whether the proctor completed the report, the planner's remarks and the
    group's log.

    Args:
        report: the report's data, from :meth:`examkit.scheduling.SessionReports.session_report`.
        test: the test's title, shown beside its code when given.

    Implements DOC-3 (SCH-5).
    """
    exam = f"{report.exam} ({test})" if test else report.exam
    story: list[Flowable] = [
        para(REPORT_TITLE, TITLE),
        field_table(
            [
                ("Afnamegroep", report.group),
                ("Locatie (BRIN)", report.location),
                ("Toets", exam),
                ("Lokaal", report.room),
                ("Afnameleider", report.proctor),
                ("Status", GROUP_STATE_NL[report.state]),
                ("Gepland begin", _when(report.planned_start)),
                ("Gepland einde", _when(report.planned_end)),
                ("Werkelijk begin", _when(report.started_at)),
                ("Werkelijk einde", _when(report.ended_at)),
                ("Aanwezig", str(report.present)),
                ("Afwezig", str(report.absent)),
                ("Afgerond door de afnameleider", yes_no(report.completed)),
            ]
        ),
        para("Aanwezigheid", HEADING),
    ]
    rows = []
    for line in report.attendance:
        details = [f"{dutch_time(i.at)} {i.text}" for i in line.incidents]
        if line.end_reason:
            details.insert(0, f"Reden: {line.end_reason}")
        if line.late_saves:
            details.append(f"Te laat verstuurde antwoorden geweigerd: {line.late_saves}")
        rows.append(
            [
                line.name,
                line.login_name,
                line.number or "-",
                yes_no(line.present),
                ATTEMPT_STATE_NL[line.state],
                f"{_clock(line.started_at)} - {_clock(line.ended_at)}" if line.present else "-",
                str(line.extra_time_minutes) if line.extra_time_minutes else "-",
                "\n".join(details) or "-",
            ]
        )
    story.append(
        grid_table(
            [
                "Naam",
                "Inlognaam",
                "Nr.",
                "Aanw.",
                "Status",
                "Tijd",
                "Extra (min.)",
                "Bijzonderheden",
            ],
            rows,
            [30 * mm, 24 * mm, 12 * mm, 14 * mm, 22 * mm, 24 * mm, 15 * mm, WIDTH - 141 * mm],
            style=SMALL,
        )
    )
    story.append(para("Onregelmatigheden (hele groep)", HEADING))
    if report.incidents:
        story.append(
            grid_table(
                ["Tijd", "Wat er gebeurde"],
                [[dutch_datetime(i.at), i.text] for i in report.incidents],
                [40 * mm, WIDTH - 40 * mm],
            )
        )
    else:
        story.append(para("Geen."))
    story += [
        para("Opmerkingen van de afnameleider", HEADING),
        para(report.notes or "Geen."),
        para("Opmerkingen van de planner", HEADING),
    ]
    if report.remarks:
        story.append(
            grid_table(
                ["Tijd", "Door", "Opmerking"],
                [[dutch_datetime(r.at), r.by, r.text] for r in report.remarks],
                [40 * mm, 30 * mm, WIDTH - 70 * mm],
            )
        )
    else:
        story.append(para("Geen."))
    story.append(para("Logboek", HEADING))
    story.append(
        grid_table(
            ["Tijd", "Stap", "Van", "Naar", "Door (rol)", "Reden"],
            [
                [
                    dutch_datetime(record.at),
                    record.event,
                    GROUP_STATE_NL[record.source],
                    GROUP_STATE_NL[record.target],
                    f"{record.actor} ({record.role})",
                    record.reason or "-",
                ]
                for record in report.log
            ],
            [30 * mm, 22 * mm, 22 * mm, 22 * mm, 40 * mm, WIDTH - 136 * mm],
            style=SMALL,
        )
    )
    story.append(space(2))
    return build_pdf(
        story,
        title=f"{REPORT_TITLE} {report.group}",
        subject=f"Proces-verbaal {exam}, {report.room}",
        document_id=data_digest("session-report", [test, report]),
        footer=f"Proces-verbaal {report.group} - {report.location}",
    )
