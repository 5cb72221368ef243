"""The portal's demo: a fresh SQLite file with a school, a user per role, an imported EDEXML file.

``make demo`` (``python -m portal demo``) serves it on 127.0.0.1:8000 and
prints the demo accounts with their passwords; every e-mail (the one-time
codes) lands in the development mailbox at ``/dev/mailbox``, which exists in
the demo only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import attrs
from starlette.applications import Starlette

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.applications import AdministratorEntry, AuthorityEntry, LocationEntry, SchoolEntry
from examkit.backends.sql import SQLBackend
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import calendar_year
from examkit.passwords import PRESETS, change_password
from examkit.permissions import ClassRef, Subject
from examkit.privacy import PrivacySettings
from examkit.testing import demo_edexml
from examkit.testing.conformance import make_institution
from portal._app import create_app
from portal._config import PATHS, PortalConfig
from portal._demo_correction import seed_correction
from portal._demo_examday import seed_exam_day
from portal._demo_flemish import seed_flemish
from portal._demo_offline import OfflineDay, seed_offline_day
from portal._mailbox import DevMailbox

DEMO_PASSWORD: Final = "Demo-Tzummarum-2026"  # noqa: S105 - the demo's, printed for the user
"""Every demo account's password (a demo's only; never a real portal's)."""
L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")


@attrs.frozen
class DemoAccount:
    """One demo account: its login name and what it may do."""

    login_name: str
    """Its login name."""
    role: str
    """Its role, as the permission matrix names it."""


ROLES: Final = (
    ("22AB.K.Beheerder", "Karin", "facet.administrator"),
    ("22AB.P.Planner", "Pieter", "facet.planner"),
    ("22AB.A.Afnameleider", "Anouk", "facet.proctor"),
    ("22AB.C.Corrector", "Chris", "facet.corrector"),
    ("22AB.M.Mentor", "Mirjam", "cito_lvs.pupil_counsellor"),
    ("22AB.V.Vakdocent", "Vera", "cito_lvs.subject_teacher"),
)
"""The demo's staff at 22AB00: login name, first name and the role each holds (the Cito
roles in a class of the imported file: the mentor in 4A, the maths teacher in 5B)."""
_CLASSES: Final = {
    "cito_lvs.pupil_counsellor": (ClassRef(LocationCode("22AB00"), "G4A"), None),
    "cito_lvs.subject_teacher": (ClassRef(LocationCode("22AB00"), "G5B"), Subject.MATHS),
}

APPLICATIONS: Final = (
    (
        SchoolEntry(
            "22CD 00",
            "",
            "De Wadden",
            "Dijk",
            "1",
            "8835 BA",
            "Tzummarum",
            (LocationEntry("22CD 01", "", "De Wadden Noord"),),
        ),
        AdministratorEntry(
            "Anna", "Visser", "06-12345678", "a.visser@dewadden.example", "22CD.A.Visser"
        ),
        AuthorityEntry("P.", "de Boer", "Directeur", "p.deboer@dewadden.example"),
    ),
    (
        SchoolEntry("22EF 00", "", "Het Wad", "Kade", "7", "8801 AB", "Franeker"),
        AdministratorEntry(
            "Joris", "Bakker", "0517 123456", "j.bakker@hetwad.example", "22EF.J.Bakker"
        ),
        AuthorityEntry("M.", "Hoekstra", "Schoolleider", "m.hoekstra@hetwad.example"),
    ),
)
"""Two schools' account applications waiting in the service desk's queue."""


def seed(kit: Examkit) -> tuple[DemoAccount, ...]:
    """Fill a fresh kit: the school 22AB with two locations, the desk, a user per role, pupils."""
    kit.institutions.register(make_institution("22AB", secondary=1, name="Het Eiland"))
    desk = kit.grants.create_first_operator(
        login_name="examkit.servicedesk",
        first_name="Sanne",
        last_name="Servicedesk",
        email="servicedesk@demo.example",
    )
    accounts = [DemoAccount("examkit.servicedesk", "examkit.operator")]
    _set_password(kit, desk)
    for login, first, role in ROLES:
        last = login.split(".")[2]
        account = Account(
            id=f"demo-{last.lower()}",
            login_name=LoginName(login),
            first_name=first,
            last_name=last,
            email=f"{last.lower()}@heteiland.example",
            institutions=frozenset({Brin("22AB")}),
        )
        with kit.backend.begin() as uow:
            uow.accounts.add(account)
            uow.commit()
        _set_password(kit, account)
        if role == "facet.administrator":
            kit.grants.grant_administrator(desk.id, account.id, at=[L00, L01])
            kit.grants.grant_administrator(
                desk.id, account.id, at=[L00, L01], role="cito_lvs.administrator"
            )
        elif role in _CLASSES:
            in_class, subject = _CLASSES[role]
            kit.grants.grant_role(
                "demo-beheerder", account.id, role, at=[in_class], subject=subject
            )
            kit.users.set_access(
                "demo-beheerder", account.id, application="cito_lvs", institution=Brin("22AB")
            )
        else:
            kit.grants.grant_role("demo-beheerder", account.id, role, at=[L00])
        accounts.append(DemoAccount(login, role))
    year = calendar_year(kit.clock.now())
    preview = kit.edexml_imports.preview("demo-beheerder", demo_edexml(year))
    kit.edexml_imports.confirm("demo-beheerder", preview)
    seed_exam_day(kit)
    for entries in APPLICATIONS:
        wizard = kit.applications.wizard("facet")
        for entry in entries:
            wizard.enter(entry)
            wizard.next()
        kit.applications.submit(wizard)
    accounts.extend(DemoAccount(*made) for made in seed_flemish(kit, desk.id, _set_password))
    accounts.extend(DemoAccount(*made) for made in seed_correction(kit))
    return tuple(accounts)


def _set_password(kit: Examkit, account: Account) -> None:
    with kit.backend.begin() as uow:
        stored = uow.accounts.get(account.id)
        chosen = change_password(
            stored, DEMO_PASSWORD, policy=PRESETS["facet"], hasher=kit.hasher, now=kit.clock.now()
        )
        uow.accounts.update(chosen)
        uow.commit()


@attrs.frozen
class Demo:
    """The demo portal, its kit, its accounts and its address."""

    app: Starlette
    """The portal."""
    kit: Examkit
    """Its kit."""
    accounts: tuple[DemoAccount, ...]
    """The demo accounts (password :data:`DEMO_PASSWORD`)."""
    origin: str
    """Its address."""
    update: Path
    """An EDEXML file to try the import with: the imported one, a pupil renamed and one new."""
    offline: OfflineDay
    """The offline exam day: the group run on the school's offline server without internet."""


def demo_app(folder: Path, *, port: int = 8000) -> Demo:
    """Return the demo portal on a fresh SQLite file in *folder*."""
    database = folder / "examkit-demo.db"
    database.unlink(missing_ok=True)
    origin = f"http://127.0.0.1:{port}"
    mailbox = DevMailbox()
    kit = Examkit(
        backend=SQLBackend(f"sqlite:///{database}"),
        mailer=mailbox,
        settings=Settings(
            token_key=b"demo-token-key-not-a-secret-0000",
            base_url=origin,
            paths=PATHS,
            privacy=PrivacySettings(pseudonym_key=b"demo-pseudonym-key-not-a-secret-"),
        ),
    )
    accounts = seed(kit)
    offline = seed_offline_day(
        kit,
        folder / "examkit-demo-fao.db",
        origin=origin,
        mailer=mailbox,
        token_key=b"demo-offline-key-not-a-secret-00",
    )
    config = PortalConfig(
        base_url=origin,
        token_key=b"demo-token-key-not-a-secret-0000",
        database=f"sqlite:///{database}",
        applications=("facet", "cito_lvs", "vlaamse_toetsen", "examkit"),
        secure_cookies=False,
    )
    app = create_app(kit, config, mailbox=mailbox)
    update = folder / "examkit-demo-update.xml"
    update.write_bytes(demo_update(calendar_year(kit.clock.now())))
    return Demo(app, kit, accounts, origin, update, offline)


def demo_update(year: SchoolYear) -> bytes:
    """Return the demo file for *year* a week later: Noor is now Nora, and Daan is new in 4A."""
    text = demo_edexml(year).decode("utf-8").replace("<roepnaam>Noor<", "<roepnaam>Nora<")
    daan = (
        '    <leerling key="L005">\n'
        "      <achternaam>Visser</achternaam>\n"
        "      <roepnaam>Daan</roepnaam>\n"
        "      <geboortedatum>2018-05-09</geboortedatum>\n"
        "      <geslacht>1</geslacht>\n"
        "      <jaargroep>4</jaargroep>\n"
        '      <groep key="G4A"/>\n'
        '      <vestiging key="TZ"/>\n'
        "    </leerling>\n"
        "  </leerlingen>"
    )
    return text.replace("  </leerlingen>", daan, 1).encode("utf-8")
