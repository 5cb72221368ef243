"""A ready-made correction world for tests, the demo and benchmarks.

On top of :mod:`examkit.testing.sessions`: a third corrector, a test with
two automatic and two open items defined by :mod:`examkit.scoring`, and
:func:`corrected_group`, which runs a group from planning to released for
correction (candidates sign in, answer and hand in; the proctor closes).

>>> from examkit.testing import ManualClock
>>> from examkit.testing.sessions import START
>>> kit = make_correction_kit(ManualClock(START))
>>> group, people = corrected_group(kit, 2)
>>> kit.planning.group(group).state.value
'released_for_correction'
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.audit import AuditLog
from examkit.identifiers import Brin
from examkit.permissions import Authorization, Grant
from examkit.privacy import PrivacySettings
from examkit.records import Backend
from examkit.scheduling import Candidate, Exam, Mode
from examkit.scoring import ChoiceItem, MatchCorrect, OpenItem, TestDefinition
from examkit.testing._fakes import ManualClock
from examkit.testing.sessions import L00, START, add_candidates, make_session_kit

__all__ = [
    "DEFINITION",
    "EXAM",
    "NTERM",
    "SPARE",
    "THIRD",
    "corrected_group",
    "make_correction_kit",
]

THIRD = "corrector3"
"""The independent third corrector's account (a corrector at 22AB00)."""

SPARE = "corrector4"
"""A spare corrector at 22AB00, to replace another."""

NTERM = "1,0"
"""The N-term the tests grade with."""

DEFINITION = TestDefinition(
    [
        ChoiceItem(id="k1", choices="ABCD", correct="B", scoring=MatchCorrect(points=2)),
        ChoiceItem(id="k2", choices="ABCD", correct="C", scoring=MatchCorrect(points=1)),
        OpenItem(id="o1", rubric={"aanpak": 2, "antwoord": 1}),
        OpenItem(id="o2", rubric={"uitleg": 4}),
    ]
)
"""The test as scoring defines it: two choice items and two open items (maximum 10)."""

EXAM = Exam.from_scoring(
    DEFINITION,
    code="EN-HA-2026",
    title="Engels HAVO",
    subject="Engels",
    duration=timedelta(minutes=90),
)
"""The same test as sessions keep it."""


def make_correction_kit(
    clock: ManualClock,
    audit: AuditLog | None = None,
    backend: Backend | None = None,
    *,
    privacy: PrivacySettings | None = None,
) -> Examkit:
    """Return the session kit with a third corrector and :data:`EXAM` registered."""
    kit = make_session_kit(clock, audit, backend, seed="correction", privacy=privacy)
    with kit.backend.begin() as uow:
        for account, name in ((THIRD, "Derde"), (SPARE, "Reserve")):
            uow.accounts.add(
                Account(
                    id=account,
                    login_name=LoginName(f"22AB.{account}.x"),
                    first_name="Kim",
                    last_name=name,
                    email=f"{account}@school.nl",
                    institutions=frozenset({Brin("22AB")}),
                )
            )
            uow.authorizations.add(
                Authorization(
                    account=account,
                    grants=[
                        Grant.of("facet.corrector", [L00], granted_at=START - timedelta(days=100))
                    ],
                )
            )
        uow.commit()
    kit.candidates.register_exam(EXAM)
    return kit


def corrected_group(
    kit: Examkit,
    count: int,
    *,
    second: bool = True,
    classes: tuple[str, ...] = ("4HA",),
    absent: int = 0,
) -> tuple[str, list[Candidate]]:
    """Run a group of *count* candidates to released for correction; return it and them.

    Candidates (in *classes*, round robin) sign in, answer the choice items
    and hand in; the last *absent* never come. The group starts at the kit
    clock's time; the clock ends after the group's end.
    """
    planner, proctor = "planner", "proctor"
    people = []
    for n, person in enumerate(add_candidates(kit, count)):
        with kit.backend.begin() as uow:
            changed = uow.candidates.update(
                _with_class(uow.candidates.get(person.id), classes[n % len(classes)])
            )
            uow.commit()
        people.append(changed)
    now = kit.clock.now()
    group = kit.planning.plan(
        planner,
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=now,
        room=f"Lokaal {now:%H%M%S}",
        proctor="proctor",
        candidates=[c.id for c in people],
        first_corrector="corrector",
        second_corrector="corrector2" if second else None,
    )
    kit.group_lifecycle.release(proctor, group.id)
    code = kit.group_lifecycle.access_code(proctor, group.id)
    for n, person in enumerate(people[: count - absent]):
        key = kit.sitting.sign_in(person.login_name, code).key
        kit.sitting.save_response(
            group.id, person.id, "k1", {"chosen": ["ABCD"[n % 4]]}, sequence=1, key=key
        )
        kit.sitting.save_response(group.id, person.id, "k2", {"chosen": ["C"]}, sequence=2, key=key)
        kit.sitting.submit(group.id, person.id, key=key)
    kit.session_reports.write_report(proctor, group.id, completed=True)
    if not isinstance(kit.clock, ManualClock):
        raise TypeError("corrected_group needs a kit on a ManualClock")
    kit.clock.advance(minutes=EXAM.duration.seconds // 60 + 1)
    kit.group_lifecycle.close(proctor, group.id)
    kit.group_lifecycle.transition(planner, group.id, "release_for_correction")
    return group.id, people


def _with_class(person: Candidate, class_key: str) -> Candidate:
    return attrs.evolve(person, class_key=class_key)
