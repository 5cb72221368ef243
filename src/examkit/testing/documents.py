"""Sample data for the printed documents, and every document rendered from it.

The values use Dutch and French accented names on purpose, so a test can
check that the shipped font carries them and that the text stays
searchable. :func:`render_samples` renders every document; tests run it in
two processes and compare the bytes.

>>> sorted(render_samples())
['access-slips', 'account-application', 'participation-list', 'results-report', 'session-report']
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from examkit.applications import example_application
from examkit.documents import (
    ItemResult,
    ResultsReport,
    ReviewPeriod,
    access_slips_pdf,
    account_application_pdf,
    participation_list_pdf,
    results_report_pdf,
    session_report_pdf,
)
from examkit.flemish import FlemishRegistration, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.scheduling import (
    AccessSlip,
    AttemptState,
    Attendance,
    GroupState,
    Incident,
    Remark,
    SessionReportData,
    TransitionRecord,
)

__all__ = [
    "SAMPLE_START",
    "SAMPLE_TEST",
    "render_samples",
    "sample_registration",
    "sample_results",
    "sample_session_report",
    "sample_slips",
]

SAMPLE_START = datetime.fromisoformat("2026-05-12T09:00:00+02:00")
"""When the sample group starts."""
SAMPLE_TEST = "Frans vwo (Études françaises)"
"""The sample test's title."""


def sample_slips() -> tuple[AccessSlip, ...]:
    """Return three candidates' access-code slips of one group."""
    people = (
        ("c1", "Noëlle Çelik", "NCELIK01"),
        ("c2", "Sanne de Vries", "SVRIES02"),
        ("c3", "François Lefèvre", "FLEFEV03"),
    )
    return tuple(
        AccessSlip(
            group="g-frans-5v",
            room="Lokaal B.12",
            starts_at=SAMPLE_START,
            candidate=candidate,
            name=name,
            login_name=login,
            access_code="WW3F-6KFU",
        )
        for candidate, name, login in people
    )


def sample_session_report() -> SessionReportData:
    """Return a closed group's session report: two present, one absent, incidents, a remark."""
    start = SAMPLE_START
    return SessionReportData(
        group="g-frans-5v",
        location="22AB00",
        exam="FA-VWO-2026",
        room="Lokaal B.12",
        proctor="a.leider",
        state=GroupState.CLOSED,
        planned_start=start,
        planned_end=start + timedelta(minutes=150),
        started_at=start + timedelta(minutes=2),
        ended_at=start + timedelta(minutes=155),
        attendance=(
            Attendance(
                candidate="c1",
                login_name="NCELIK01",
                name="Noëlle Çelik",
                number="1002",
                present=True,
                state=AttemptState.SUBMITTED,
                started_at=start + timedelta(minutes=3),
                ended_at=start + timedelta(minutes=140),
                end_reason="",
                extra_time_minutes=30,
                incidents=(
                    Incident(
                        at=start + timedelta(minutes=50),
                        text="Pc herstart, 4 minuten",
                        candidate="c1",
                    ),
                ),
                late_saves=2,
            ),
            Attendance(
                candidate="c3",
                login_name="FLEFEV03",
                name="François Lefèvre",
                number="1003",
                present=True,
                state=AttemptState.TERMINATED,
                started_at=start + timedelta(minutes=4),
                ended_at=start + timedelta(minutes=70),
                end_reason="telefoon gebruikt",
                extra_time_minutes=0,
                incidents=(),
            ),
            Attendance(
                candidate="c2",
                login_name="SVRIES02",
                name="Sanne de Vries",
                number="1001",
                present=False,
                state=AttemptState.ABSENT,
                started_at=None,
                ended_at=None,
                end_reason="",
                extra_time_minutes=0,
                incidents=(),
            ),
        ),
        present=2,
        absent=1,
        incidents=(Incident(at=start + timedelta(minutes=40), text="Brandalarm, 5 minuten"),),
        notes="Rustig verlopen na het alarm.",
        completed=True,
        remarks=(
            Remark(
                at=start + timedelta(days=1),
                by="p.planner",
                text="Herkansing voor Sanne aangevraagd.",
            ),
        ),
        log=(
            TransitionRecord(
                event="release",
                source=GroupState.PLANNED,
                target=GroupState.RELEASED,
                actor="a.leider",
                role="facet.proctor",
                at=start - timedelta(minutes=10),
            ),
            TransitionRecord(
                event="close",
                source=GroupState.RELEASED,
                target=GroupState.CLOSED,
                actor="a.leider",
                role="facet.proctor",
                at=start + timedelta(minutes=160),
                reason="afname voorbij",
            ),
        ),
    )


def sample_registration() -> FlemishRegistration:
    """Return a validated Flemish registration: exemptions, a questionnaire refusal, aids."""
    return FlemishRegistration(
        school=Instellingsnummer("012345"),
        school_year=SchoolYear("2024-2025"),
        window=RegistrationWindow(date(2025, 1, 6), date(2025, 2, 28)),
        parents_deadline=date(2025, 2, 21),
        moments=(
            TestMoment("NED-2025", "nederlands", date(2025, 5, 20)),
            TestMoment("WIS-2025", "wiskunde", date(2025, 5, 22)),
        ),
        pupils=(
            PupilRegistration(
                "p1", "Lotte Janssens", exempt_dutch=True, exemption_reason="OKAN", group="6A"
            ),
            PupilRegistration("p2", "Wout Peeters", group="6A", accommodations=("rekenmachine",)),
            PupilRegistration(
                "p3", "Aïcha El Amrani", group="6B", accommodations=("voorleessoftware",)
            ),
            PupilRegistration(
                "p4",
                "Célestine Dubois",
                group="6B",
                no_questionnaire=True,
                questionnaire_requested_on=date(2025, 2, 14),
            ),
            PupilRegistration(
                "p5",
                "Jérôme Maes",
                exempt_dutch=True,
                exempt_maths=True,
                exemption_reason="langdurig ziek",
            ),
        ),
        groups=("6A", "6B"),
        validated_at=datetime.fromisoformat("2025-02-27T15:00:00+01:00"),
        validated_by="coordinator",
    )


def sample_results() -> ResultsReport:
    """Return a candidate's results with an open item, a comment and a review period."""
    closed = SAMPLE_START + timedelta(days=14)
    return ResultsReport(
        candidate="Noëlle Çelik",
        login_name="NCELIK01",
        test=SAMPLE_TEST,
        items=(
            ItemResult("v1", "B", 2, 2),
            ItemResult("v2", "A, C", 1, 2, "Eén juist antwoord."),
            ItemResult("v3", "Le garçon a réussi l'épreuve.", "1.5", 3, "Accent grave vergeten."),
        ),
        total="4.5",
        maximum=7,
        grade="6.2",
        review=ReviewPeriod(opens=closed, closes=closed + timedelta(days=2)),
    )


def render_samples() -> dict[str, bytes]:
    """Return every document rendered from the sample data, by document kind."""
    return {
        "account-application": account_application_pdf(example_application()),
        "access-slips": access_slips_pdf(sample_slips(), test=SAMPLE_TEST),
        "session-report": session_report_pdf(sample_session_report(), test=SAMPLE_TEST),
        "participation-list": participation_list_pdf(sample_registration()),
        "results-report": results_report_pdf(sample_results()),
    }
