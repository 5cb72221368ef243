"""The demo's Flemish school: its test coordinator, an open registration, groups and pupils.

The school (*instellingsnummer* 012345) has this school year's registration
for the Flemish tests, its window open from two weeks ago until six weeks
from now, two pupil groups and six pupils, one of them exempt without a
reason yet: validating lists that problem until the coordinator gives it.
The pupils are entered at the desk (the Flemish EDEXML file is not
imported here).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Final

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.flemish import BRUSSELS, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import BelgianPostcode, Instellingsnummer
from examkit.imports import calendar_year
from examkit.org import Address, Institution

SCHOOL: Final = Instellingsnummer("012345")
"""The demo's Flemish school."""
COORDINATOR: Final = ("BE.T.Peeters", "vlaamse_toetsen.test_coordinator")
"""The school's test coordinator: login name and role."""
PUPILS: Final = (
    PupilRegistration("LL01", "Lotte Peeters", group="6A"),
    PupilRegistration("LL02", "Wout Maes", group="6A", accommodations=("rekenmachine",)),
    PupilRegistration(
        "LL03",
        "Aïcha El Amrani",
        exempt_dutch=True,
        exemption_reason="Anderstalige nieuwkomer (OKAN)",
        group="6A",
    ),
    PupilRegistration("LL04", "Jonas Claes", group="6B", accommodations=("voorleessoftware",)),
    PupilRegistration("LL05", "Emma Janssens", exempt_maths=True, group="6B"),
    PupilRegistration("LL06", "Milan Wouters", voluntary=True, group="6B"),
)
"""The pupils entered so far (Emma's exemption still lacks its reason)."""


def seed_flemish(
    kit: Examkit, operator: str, set_password: Callable[[Examkit, Account], None]
) -> tuple[tuple[str, str], ...]:
    """Add the Flemish school, its coordinator (password by *set_password*) and registration.

    Returns the demo account as (login name, role), for the printout.
    """
    kit.institutions.register(
        Institution(
            code=SCHOOL,
            name="Basisschool De Vlinder",
            address=Address("Kerkstraat", "3", BelgianPostcode("9000"), "Gent"),
        )
    )
    login, role = COORDINATOR
    account = Account(
        id="demo-toetscoordinator",
        login_name=LoginName(login),
        first_name="Tine",
        last_name="Peeters",
        email="t.peeters@devlinder.example",
        institutions=frozenset({SCHOOL}),
    )
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()
    set_password(kit, account)
    kit.grants.grant_administrator(operator, account.id, at=[SCHOOL], role=role)
    now = kit.clock.now()
    today = now.astimezone(BRUSSELS).date()
    window = RegistrationWindow(today - timedelta(days=14), today + timedelta(days=42))
    registration = kit.flemish.open_registration(
        account.id,
        school=SCHOOL,
        school_year=calendar_year(now),
        window=window,
        parents_deadline=window.closes - timedelta(days=7),
        moments=[
            TestMoment("NED", "nederlands", window.closes + timedelta(days=60)),
            TestMoment("WIS", "wiskunde", window.closes + timedelta(days=62)),
        ],
    )
    for group in ("6A", "6B"):
        kit.flemish.add_group(account.id, registration.id, group)
    for pupil in PUPILS:
        kit.flemish.set_pupil(account.id, registration.id, pupil)
    return ((login, role),)
