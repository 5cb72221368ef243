"""The demo's test-session chapter: plan, release, sign in, answer, block, close, report.

Candidates are read from a candidate file here; a second group is planned
from the pupils the import chapter stored (EDEXML).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import attrs

from examkit import Examkit
from examkit.cli._demo_scoring import DEMO_TEST
from examkit.errors import ExamkitError
from examkit.flemish import FlemishRegistration, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.messages import Lang
from examkit.records import Backend
from examkit.scheduling import AccessSlip, Attempt, Exam, Incident, Mode, SessionReportData
from examkit.scoring import ChoiceResponse, NumericResponse, Response, response_data
from examkit.testing import ManualClock, store_actor
from examkit.testing.sessions import L00, START, make_session_kit

CANDIDATE_FILE = (
    "achternaam;voornaam;examennummer;klas;extra_tijd;voorlezen\r\n"
    "de Vries;Sanne;1001;4HA;30;ja\r\n"
    "Çelik;Noëlle;1002;4HA;;nee\r\n"
    "Jansen;Daan;1003;4HB;;\r\n"
).encode("cp1252")
"""A candidate file as a Dutch spreadsheet writes it: semicolons, Windows-1252."""


DEMO_EXAM = Exam.from_scoring(
    DEMO_TEST,
    code="NA-DEMO-2026",
    title="Natuurkunde (demo)",
    subject="Natuurkunde",
    duration=timedelta(minutes=90),
)
"""The session's test: the scoring chapter's demo test, as a session plans it."""

DEMO_ANSWERS: dict[int, dict[str, Response]] = {
    0: {
        "v1": ChoiceResponse("B"),
        "v2": ChoiceResponse("D"),
        "v3": ChoiceResponse("AC"),
        "v4": NumericResponse("9,8"),
    },
    1: {
        "v1": ChoiceResponse("B"),
        "v2": ChoiceResponse("A"),
        "v3": ChoiceResponse("AE"),
        "v4": NumericResponse("9.7"),
    },
}
"""What the candidates who sign in answer, by their place in the candidate file."""


@attrs.frozen
class DemoSession:
    """What the sessions chapter leaves for the later chapters (scoring, documents)."""

    attempts: tuple[Attempt, ...]
    """The group's attempts."""
    slips: tuple[AccessSlip, ...]
    """The access-code slips, taken while the group was released."""
    report: SessionReportData
    """The closed group's session report."""
    registration: FlemishRegistration
    """The validated Flemish registration."""


def run_sessions_chapter(backend: Backend, say: Callable[..., None], lang: Lang) -> DemoSession:
    """Run the chapter on *backend*, saying each step in *lang*; return what it made."""
    clock = ManualClock(START - timedelta(minutes=15))
    kit = make_session_kit(clock, backend=backend, seed="demo-sessions")
    kit.candidates.register_exam(DEMO_EXAM)
    planner, proctor = "planner", "proctor"
    people = kit.candidates.import_candidates(planner, L00, CANDIDATE_FILE)
    say("demo.sessions.candidates", count=len(people))
    group = kit.planning.plan(
        planner,
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=START,
        room="Aula",
        proctor="proctor",
        candidates=[p.id for p in people],
        first_corrector="corrector",
    )
    say("demo.sessions.planned", exam=group.exam, room=group.room, count=len(people))
    group = kit.group_lifecycle.release(proctor, group.id)
    code = kit.group_lifecycle.access_code(proctor, group.id)
    say("demo.sessions.released", code=code)
    slips = kit.group_lifecycle.access_slips(proctor, group.id)
    keys: dict[str, str] = {}
    for index, person in enumerate(people[:2]):
        signed_in = kit.sitting.sign_in(person.login_name, code)
        keys[person.id] = signed_in.key
        ends = signed_in.attempt.deadline
        deadline = ends.isoformat() if ends else ""
        say("demo.sessions.signed_in", login=person.login_name, deadline=deadline)
        for sequence, (item, answer) in enumerate(DEMO_ANSWERS[index].items(), start=1):
            data = response_data(answer)
            kit.sitting.save_response(
                group.id, person.id, item, data, sequence=sequence, key=keys[person.id]
            )
    say("demo.sessions.answered", count=2)
    kit.group_lifecycle.block(proctor, group.id, reason="brandalarm")
    try:
        kit.sitting.sign_in(people[2].login_name, code)
    except ExamkitError as error:
        say("demo.sessions.blocked", message=error.message(lang))
    kit.group_lifecycle.release(proctor, group.id)
    say("demo.sessions.released_again")
    for person in people[:2]:
        kit.sitting.submit(group.id, person.id, key=keys[person.id])
    kit.session_reports.write_report(
        proctor,
        group.id,
        started_at=START,
        ended_at=START + timedelta(hours=2),
        incidents=[Incident(at=START + timedelta(minutes=40), text="Brandalarm, 5 minuten")],
        completed=True,
    )
    clock.advance(hours=3)
    kit.group_lifecycle.close(proctor, group.id)
    report = kit.session_reports.session_report(planner, group.id)
    say("demo.sessions.closed", present=report.present, absent=report.absent)
    attempts = kit.planning.attempts(group.id)
    registration = _flemish(kit, clock, say)
    return DemoSession(attempts=attempts, slips=slips, report=report, registration=registration)


def run_pupils_chapter(kit: Examkit, say: Callable[..., None]) -> None:
    """Plan a group from the pupils the import chapter stored (the sessions chapter's staff)."""
    planner = "planner"
    people = kit.candidates.add_candidates_from_pupils(planner, L00, classes={"G4A"})
    say(
        "demo.sessions.from_pupils",
        classes="4A",
        count=len(people),
        names=", ".join(f"{p.first_name} {p.last_name} ({p.login_name})" for p in people),
    )
    group = kit.planning.plan(
        planner,
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=START + timedelta(days=1),
        room="Lokaal 4A",
        proctor="proctor",
        candidates=[p.id for p in people],
        first_corrector="corrector",
    )
    say("demo.sessions.planned", exam=group.exam, room=group.room, count=len(people))


def _flemish(kit: Examkit, clock: ManualClock, say: Callable[..., None]) -> FlemishRegistration:
    flemish = kit.flemish
    school = Instellingsnummer("012345")
    clock.set(datetime.fromisoformat("2025-02-20T10:00:00+01:00"))
    coordinator = store_actor(
        kit.backend,
        "coordinator",
        [("vlaamse_toetsen.test_coordinator", [school])],
        institutions=(),
        granted_at=clock.now(),
    )
    registration = flemish.open_registration(
        coordinator,
        school=school,
        school_year=SchoolYear("2024-2025"),
        window=RegistrationWindow(date(2025, 1, 6), date(2025, 2, 28)),
        parents_deadline=date(2025, 2, 21),
        moments=[TestMoment("NED-2025", "nederlands", date(2025, 5, 20))],
    )
    flemish.add_group(coordinator, registration.id, "6A")
    lotte = PupilRegistration("p1", "Lotte", exempt_dutch=True)
    flemish.set_pupil(coordinator, registration.id, lotte)
    try:
        flemish.validate(coordinator, registration.id)
    except ExamkitError as error:
        say("demo.sessions.flemish_problems", count=error.params.get("count", 1))
    flemish.set_pupil(
        coordinator,
        registration.id,
        PupilRegistration("p1", "Lotte", exempt_dutch=True, exemption_reason="OKAN", group="6A"),
    )
    flemish.add_group(coordinator, registration.id, "6B")
    for pupil in (
        PupilRegistration("p2", "Wout Peeters", group="6A"),
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
    ):
        flemish.set_pupil(coordinator, registration.id, pupil)
    validated = flemish.validate(coordinator, registration.id)
    say("demo.sessions.flemish_validated", school=str(school))
    return validated
