"""The exam day and the Flemish school of benchmarks/portal_pages.py's data set.

Not a benchmark itself: :mod:`benchmarks.portal_pages` calls
:func:`exam_day` and :func:`flemish_school` when it builds its data set, so
that the pages of issue 23's part 2 (the planning's groups and servers, the
proctor monitor, the correction, the results and review, the Flemish school
desk) open with data behind them. Everything goes through examkit's use
cases, as in the portal's demo (``portal._demo_correction``,
``portal._demo_examday``, ``portal._demo_flemish``), at the benchmark's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Final

import attrs

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.flemish import BRUSSELS, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import BelgianPostcode, Instellingsnummer, LocationCode
from examkit.imports import calendar_year
from examkit.org import Address, Institution
from examkit.scheduling import AMSTERDAM, Candidate, Mode
from examkit.testing.correction import DEFINITION, EXAM, NTERM

FLEMISH_SCHOOL: Final = Instellingsnummer("054321")
"""The benchmark's Flemish school (*instellingsnummer*)."""
FLEMISH_HELPER: Final = "benchmark-toetscoordinator"
"""The Flemish school's own test coordinator, who grants the viewer the assistant's role."""
MOMENTS: Final = ("NED", "WIS")
"""The registration's test moments."""
_OPEN_ANSWERS: Final = (
    "Eerst de prijs per stuk, dan maal twaalf: 36 euro.",
    "Door de broeikasgassen blijft de warmte hangen.",
)


def exam_day(
    kit: Examkit,
    *,
    viewer: str,
    planner: str,
    second_corrector: str,
    candidates: Sequence[Candidate],
    per_group: int,
) -> dict[str, str]:
    """Store today's released group and two groups that were sat; return their ids by kind.

    The test is :data:`examkit.testing.correction.EXAM` (two choice items, two
    open ones); *viewer* is the proctor of all three groups and their first
    corrector (*second_corrector* the second), so the monitor and the
    correction show them to her. Each group has *per_group* of *candidates*
    (three different slices):

    - ``today_group``: planned today (a few minutes ago, never before
      midnight in Amsterdam), released; half its candidates signed in, of
      whom half answered the choice items;
    - ``correcting_group``: started an hour ago, every candidate answered
      every item and handed in, closed, released for correction; the first
      corrector scored half the candidates (``correcting_candidate``: one
      scored by nobody yet);
    - ``corrected_group``: the same, corrected by both (their differences
      agreed), closed, its results published with N-term 1,0, a week's
      review granted to its first candidate (``reviewed_candidate``).
    """
    kit.candidates.register_exam(EXAM)
    chunks = [candidates[n * per_group : (n + 1) * per_group] for n in range(3)]
    if any(len(chunk) < per_group for chunk in chunks):
        raise ValueError(f"the exam day needs {3 * per_group} candidates, not {len(candidates)}")
    now = kit.clock.now()
    midnight = datetime.combine(now.astimezone(AMSTERDAM).date(), time(0, 0), tzinfo=AMSTERDAM)
    staff = _Staff(planner, viewer, second_corrector)
    today = _plan(kit, staff, chunks[0], max(now - timedelta(minutes=5), midnight), "Lokaal 31")
    code = kit.group_lifecycle.release(viewer, today).access_code
    assert code is not None
    for n, person in enumerate(chunks[0][: per_group // 2]):
        key = kit.sitting.sign_in(person.login_name, code).key
        if n % 2 == 0:
            for sequence, (item, chosen) in enumerate((("k1", "B"), ("k2", "A")), 1):
                kit.sitting.save_response(
                    today, person.id, item, {"chosen": [chosen]}, sequence=sequence, key=key
                )
    correcting = _taken(kit, staff, chunks[1], now, "Lokaal 32")
    for n, person in enumerate(chunks[1][: per_group // 2]):
        kit.correction_work.score(viewer, correcting, person.id, {"o1": n % 4, "o2": n % 5})
    corrected = _taken(kit, staff, chunks[2], now, "Lokaal 33")
    for n, person in enumerate(chunks[2]):
        kit.correction_work.score(viewer, corrected, person.id, {"o1": n % 4, "o2": n % 5})
        kit.correction_work.score(
            second_corrector, corrected, person.id, {"o1": n % 4, "o2": (n + 1) % 5}
        )
        kit.correction_work.agree(viewer, corrected, person.id, "o2", n % 5)
    kit.correction_work.close(viewer, corrected)
    kit.results.publish(planner, corrected, DEFINITION, NTERM)
    kit.reviews.grant_review(
        planner, corrected, chunks[2][0].id, starts_at=now, ends_at=now + timedelta(days=7)
    )
    return {
        "today_group": today,
        "correcting_group": correcting,
        "corrected_group": corrected,
        "correcting_candidate": chunks[1][per_group - 1].id,
        "reviewed_candidate": chunks[2][0].id,
    }


@attrs.frozen
class _Staff:
    planner: str
    proctor: str
    second: str


def _plan(
    kit: Examkit, staff: _Staff, people: Sequence[Candidate], starts_at: datetime, room: str
) -> str:
    proctor = staff.proctor
    return kit.planning.plan(
        staff.planner,
        location=LocationCode("22AB00"),
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=starts_at,
        room=room,
        proctor=proctor,
        candidates=[c.id for c in people],
        first_corrector=proctor,
        second_corrector=staff.second,
    ).id


def _taken(
    kit: Examkit, staff: _Staff, people: Sequence[Candidate], now: datetime, room: str
) -> str:
    """A group sat an hour ago: every item answered, handed in, released for correction."""
    proctor = staff.proctor
    group = _plan(kit, staff, people, now - timedelta(hours=1), room)
    kit.group_lifecycle.release(proctor, group)
    code = kit.group_lifecycle.access_code(proctor, group)
    assert code is not None
    for n, person in enumerate(people):
        key = kit.sitting.sign_in(person.login_name, code).key
        values = (
            ("k1", {"chosen": ["ABCD"[n % 4]]}),
            ("k2", {"chosen": ["C"]}),
            ("o1", {"text": _OPEN_ANSWERS[n % 2]}),
            ("o2", {"text": _OPEN_ANSWERS[(n + 1) % 2]}),
        )
        for sequence, (item, value) in enumerate(values, 1):
            kit.sitting.save_response(group, person.id, item, value, sequence=sequence, key=key)
        kit.sitting.submit(group, person.id, key=key)
    kit.session_reports.write_report(proctor, group, completed=True)
    kit.group_lifecycle.close(proctor, group)
    kit.group_lifecycle.transition(staff.planner, group, "release_for_correction")
    return group


def flemish_edexml(school_year: object, pupils: int) -> bytes:
    """Return the Flemish school's EDEXML file (the Flemish variant) with *pupils* pupils."""
    rows = "".join(
        f'    <leerling key="VL{n:04d}">\n'
        f"      <achternaam>Peeters {n}</achternaam>\n"
        f"      <roepnaam>{('Lotte', 'Wout', 'Jonas', 'Emma')[n % 4]}</roepnaam>\n"
        f"      <geboortedatum>2014-0{n % 9 + 1}-1{n % 10}</geboortedatum>\n"
        f"      <geslacht>{n % 2 + 1}</geslacht>\n"
        "      <jaargroep>8</jaargroep>\n"
        f'      <groep key="K6{"AB"[n % 2]}"/>\n'
        "    </leerling>\n"
        for n in range(pupils)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<EDEX>\n"
        "  <school>\n"
        f"    <schooljaar>{school_year}</schooljaar>\n"
        f"    <instellingsnummer>{FLEMISH_SCHOOL}</instellingsnummer>\n"
        "    <aanmaakdatum>2026-09-15T08:00:00</aanmaakdatum>\n"
        "    <auteur>Schooladministratie De Linde</auteur>\n"
        "    <xsdversie>2.0</xsdversie>\n"
        "  </school>\n"
        "  <groepen>\n"
        '    <groep key="K6A"><naam>6A</naam><jaargroep>8</jaargroep></groep>\n'
        '    <groep key="K6B"><naam>6B</naam><jaargroep>8</jaargroep></groep>\n'
        "  </groepen>\n"
        "  <leerlingen>\n"
        f"{rows}"
        "  </leerlingen>\n"
        "</EDEX>\n"
    ).encode()


def flemish_school(kit: Examkit, *, operator: str, viewer: str, pupils: int) -> dict[str, str]:
    """Store the Flemish school, its coordinator and registration; link *viewer* to it.

    As ``portal._demo_flemish`` makes its school: the school (registered),
    its test coordinator (an account of the school, given the role by the
    operator), who imports the school's EDEXML file of *pupils* pupils and
    opens this school year's registration (window open from two weeks ago
    for six weeks, two test moments after it), with two pupil groups and
    all but the last two pupils of the file (every fifth exempt from Dutch
    with its reason); then a second file, with the last pupil gone, is left
    pending by *viewer* (only who previewed an import sees it): she is
    linked to the school by the operator (one login for several schools) and
    given the coordinator's role there by him; the test assistant's role is
    granted to her by ``give_every_needed_role`` (by the school's own
    coordinator).

    Returns the values for path parameters: ``registration``, ``moment``,
    ``flemish_pupil``, ``flemish_import``.
    """
    kit.institutions.register(
        Institution(
            code=FLEMISH_SCHOOL,
            name="Basisschool De Linde",
            address=Address("Dorpsstraat", "12", BelgianPostcode("2000"), "Antwerpen"),
        )
    )
    coordinator = Account(
        id=FLEMISH_HELPER,
        login_name=LoginName("BE.A.Janssens"),
        first_name="An",
        last_name="Janssens",
        email="a.janssens@delinde.example",
        institutions=frozenset({FLEMISH_SCHOOL}),
    )
    with kit.backend.begin() as uow:  # the school's first account, as the demo makes it
        uow.accounts.add(coordinator)
        uow.commit()
    kit.grants.grant_administrator(
        operator, FLEMISH_HELPER, at=[FLEMISH_SCHOOL], role="vlaamse_toetsen.test_coordinator"
    )
    kit.grants.link_institution(operator, viewer, FLEMISH_SCHOOL)
    kit.grants.grant_administrator(
        operator, viewer, at=[FLEMISH_SCHOOL], role="vlaamse_toetsen.test_coordinator"
    )
    now = kit.clock.now()
    year = calendar_year(now)
    kit.edexml_imports.confirm(
        FLEMISH_HELPER,
        kit.edexml_imports.preview(FLEMISH_HELPER, flemish_edexml(year, pupils)),
    )
    today = now.astimezone(BRUSSELS).date()
    window = RegistrationWindow(today - timedelta(days=14), today + timedelta(days=28))
    registration = kit.flemish.open_registration(
        FLEMISH_HELPER,
        school=FLEMISH_SCHOOL,
        school_year=year,
        window=window,
        parents_deadline=window.closes - timedelta(days=7),
        moments=[
            TestMoment(MOMENTS[0], "nederlands", window.closes + timedelta(days=60)),
            TestMoment(MOMENTS[1], "wiskunde", window.closes + timedelta(days=62)),
        ],
    )
    for group in ("6A", "6B"):
        kit.flemish.add_group(FLEMISH_HELPER, registration.id, group)
    for n in range(max(pupils - 2, 1)):
        exempt = n % 5 == 4
        kit.flemish.set_pupil(
            FLEMISH_HELPER,
            registration.id,
            PupilRegistration(
                f"VL{n:04d}",
                f"{('Lotte', 'Wout', 'Jonas', 'Emma')[n % 4]} Peeters {n}",
                group=f"6{'AB'[n % 2]}",
                exempt_dutch=exempt,
                exemption_reason="Anderstalige nieuwkomer (OKAN)" if exempt else "",
            ),
        )
    pending = kit.edexml_imports.preview(viewer, flemish_edexml(year, pupils - 1))
    return {
        "registration": registration.id,
        "moment": MOMENTS[0],
        "flemish_pupil": "VL0000",
        "flemish_import": pending.id,
    }
