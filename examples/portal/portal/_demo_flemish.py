"""The demo's Flemish school: its test coordinator, its EDEXML file, an open registration.

The school (*instellingsnummer* 012345) imported its pupils from a Flemish
EDEXML file (:func:`flemish_edexml`, made here; the national register
numbers in it are dropped by the import). It has this school year's
registration for the Flemish tests, its window open from two weeks ago
until six weeks from now, two pupil groups and six of the file's eight
pupils, one of them exempt without a reason yet: validating lists that
problem until the coordinator gives it; the other two wait at the desk to
be registered from the file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Final

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.flemish import BRUSSELS, PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import BelgianPostcode, Instellingsnummer, SchoolYear
from examkit.imports import calendar_year
from examkit.org import Address, Institution

SCHOOL: Final = Instellingsnummer("012345")
"""The demo's Flemish school."""
COORDINATOR: Final = ("BE.T.Peeters", "vlaamse_toetsen.test_coordinator")
"""The school's test coordinator: login name and role."""
FILE_PUPILS: Final = (
    ("LL01", "Lotte", "Peeters", "2014-03-15", "2", "K6A"),
    ("LL02", "Wout", "Maes", "2014-06-02", "1", "K6A"),
    ("LL03", "Aïcha", "El Amrani", "2014-01-28", "2", "K6A"),
    ("LL04", "Jonas", "Claes", "2014-09-30", "1", "K6B"),
    ("LL05", "Emma", "Janssens", "2014-12-11", "2", "K6B"),
    ("LL06", "Milan", "Wouters", "2015-04-07", "1", "K6B"),
    ("LL07", "Fien", "Goossens", "2014-05-19", "2", "K6A"),
    ("LL08", "Lucas", "Jacobs", "2014-10-03", "1", "K6B"),
)
"""The pupils in the school's EDEXML file: key, called name, surname, birth date, gender, class."""
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
"""The pupils registered so far (Emma's exemption still lacks its reason)."""


def flemish_edexml(school_year: SchoolYear) -> bytes:
    """Return the demo school's EDEXML file (the Flemish variant) for *school_year*.

    Each pupil carries a made-up national register number (check digits 00,
    which no real number has), as the school's files do: the import drops it.
    """
    pupils = "".join(
        f'    <leerling key="{key}">\n'
        f"      <achternaam>{surname}</achternaam>\n"
        f"      <roepnaam>{called}</roepnaam>\n"
        f"      <geboortedatum>{born}</geboortedatum>\n"
        f"      <geslacht>{gender}</geslacht>\n"
        f"      <jaargroep>8</jaargroep>\n"
        f'      <groep key="{group}"/>\n'
        f"      <rijksregisternummer>{born[2:4]}{born[5:7]}{born[8:10]}{index:03d}00"
        "</rijksregisternummer>\n"
        "    </leerling>\n"
        for index, (key, called, surname, born, gender, group) in enumerate(FILE_PUPILS, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<EDEX>\n"
        "  <school>\n"
        f"    <schooljaar>{school_year}</schooljaar>\n"
        f"    <instellingsnummer>{SCHOOL}</instellingsnummer>\n"
        f"    <aanmaakdatum>{school_year.first_year}-09-15T08:00:00</aanmaakdatum>\n"
        "    <auteur>Schooladministratie De Vlinder</auteur>\n"
        "    <xsdversie>2.0</xsdversie>\n"
        "  </school>\n"
        "  <groepen>\n"
        '    <groep key="K6A"><naam>6A</naam><jaargroep>8</jaargroep></groep>\n'
        '    <groep key="K6B"><naam>6B</naam><jaargroep>8</jaargroep></groep>\n'
        "  </groepen>\n"
        "  <leerlingen>\n"
        f"{pupils}"
        "  </leerlingen>\n"
        "</EDEX>\n"
    ).encode()


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
    data = flemish_edexml(calendar_year(now))
    kit.edexml_imports.confirm(account.id, kit.edexml_imports.preview(account.id, data))
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
