"""The demo's correction data: a group ready to correct, and a corrected one with a review.

At 22AB00 the demo's planner, proctor and corrector (of :mod:`portal._demo`)
and two more correctors (a second and an independent third) get the
English test of :mod:`examkit.testing.correction` (its package, wording
and answer key, is one the portal ships: :data:`portal._test_content.ENGLISH`)
and two session groups that started an hour ago: in each, three candidates answered every
item (the open ones in words) and handed in, and the proctor closed it.
The first (class 5B) is released for correction, ready for its two
correctors; the second (class 4A, the demo mentor's) is corrected (one
difference agreed), closed, its results published with N-term 1,0, and its
first candidate has a week's review.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.identifiers import Brin, LocationCode
from examkit.passwords import PRESETS, change_password
from examkit.scheduling import Mode
from examkit.testing.correction import EXAM
from portal._test_content import ENGLISH

L00: Final = LocationCode("22AB00")
PLANNER, PROCTOR, FIRST = "demo-planner", "demo-afnameleider", "demo-corrector"
CORRECTORS: Final = (
    ("22AB.T.Tweede", "Tessa", "demo-tweede"),
    ("22AB.D.Derde", "Daan", "demo-derde"),
)
"""The second and the third corrector: login name, first name, account id."""
ANSWERS: Final = (
    ("B", "C", "Eerst de prijs per stuk, dan maal twaalf: 36 euro.", "Omdat de zon warmer is."),
    ("A", "C", "12 maal 3 is 36.", "Door de broeikasgassen blijft de warmte hangen."),
    ("B", "D", "Ik weet het niet.", "Het klimaat verandert door CO2 uit auto's en fabrieken."),
)
"""Each candidate's answers: the two choice items, then the two open items in words."""
ITEMS: Final = ("k1", "k2", "o1", "o2")
"""The test's items, in order."""


def seed_correction(kit: Examkit) -> tuple[tuple[str, str], ...]:
    """Add the correction data to the demo's *kit*; return the new accounts (login, role)."""
    from portal._demo import DEMO_PASSWORD

    made = []
    for login, first, account_id in CORRECTORS:
        account = Account(
            id=account_id,
            login_name=LoginName(login),
            first_name=first,
            last_name=login.split(".")[2],
            email=f"{account_id}@heteiland.example",
            institutions=frozenset({Brin("22AB")}),
        )
        with kit.backend.begin() as uow:
            stored = uow.accounts.add(account)
            uow.accounts.update(
                change_password(
                    stored,
                    DEMO_PASSWORD,
                    policy=PRESETS["facet"],
                    hasher=kit.hasher,
                    now=kit.clock.now(),
                )
            )
            uow.commit()
        kit.grants.grant_role("demo-beheerder", account_id, "facet.corrector", at=[L00])
        made.append((login, "facet.corrector"))
    kit.candidates.register_exam(EXAM)
    _taken_group(kit, "Lokaal 12", ("Sanne", "Milan", "Noa"), "G5B")
    corrected, people = _taken_group(kit, "Lokaal 14", ("Lotte", "Bram", "Fenna"), "G4A")
    _correct(kit, corrected, people)
    return tuple(made)


def _taken_group(
    kit: Examkit, room: str, names: tuple[str, ...], class_key: str
) -> tuple[str, list[str]]:
    """Plan, sit, close and release for correction a group of three; return it and them."""
    people = [
        kit.candidates.add_candidate(
            PLANNER, location=L00, first_name=name, last_name="de Boer", class_key=class_key
        ).id
        for name in names
    ]
    group = kit.planning.plan(
        PLANNER,
        location=L00,
        exam=ENGLISH.code,
        mode=Mode.ONLINE,
        starts_at=kit.clock.now() - timedelta(hours=1),
        room=room,
        proctor=PROCTOR,
        candidates=people,
        first_corrector=FIRST,
        second_corrector=CORRECTORS[0][2],
    ).id
    kit.group_lifecycle.release(PROCTOR, group)
    code = kit.group_lifecycle.access_code(PROCTOR, group)
    with kit.backend.begin(readonly=True) as uow:
        logins = [uow.candidates.get(person).login_name for person in people]
    for person, login, answers in zip(people, logins, ANSWERS, strict=True):
        key = kit.sitting.sign_in(login, code).key
        values = (
            {"chosen": [answers[0]]},
            {"chosen": [answers[1]]},
            {"text": answers[2]},
            {"text": answers[3]},
        )
        for sequence, (item, value) in enumerate(zip(ITEMS, values, strict=True), 1):
            kit.sitting.save_response(group, person, item, value, sequence=sequence, key=key)
        kit.sitting.submit(group, person, key=key)
    kit.session_reports.write_report(PROCTOR, group, completed=True)
    kit.group_lifecycle.close(PROCTOR, group)
    kit.group_lifecycle.transition(PLANNER, group, "release_for_correction")
    return group, people


def _correct(kit: Examkit, group: str, people: list[str]) -> None:
    """Both correctors score and agree on their one difference; closed, published, reviewed."""
    second = CORRECTORS[0][2]
    for n, person in enumerate(people):
        kit.correction_work.score(FIRST, group, person, {"o1": 3 - n, "o2": n + 2})
        kit.correction_work.score(
            second, group, person, {"o1": 3 - n, "o2": 3 if n == 0 else n + 2}
        )
    kit.correction_work.agree(FIRST, group, people[0], "o2", 2, comment="Redenering deels juist")
    kit.correction_work.close(FIRST, group)
    kit.results.publish(PLANNER, group, ENGLISH.definition, "1,0")
    now = kit.clock.now()
    kit.reviews.grant_review(
        PLANNER, group, people[0], starts_at=now, ends_at=now + timedelta(days=7)
    )
