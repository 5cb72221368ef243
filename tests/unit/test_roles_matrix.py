# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The permission matrix against the seeds, role by role, spelled out here independently.

Each role's expectation is copied from the seed's own table ("Wordt toegekend
door" / "Handelingen in Facet") or, for the systems without a table, from the
seed's sentences, quoted beside it. Only the Dutch words are compared: the
matrix's codes and English labels are examkit's own.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from examkit.permissions import (
    ACTIONS,
    MATRIX,
    ROLES,
    SYSTEMS,
    Action,
    MatrixError,
    Onboarding,
    Operation,
    PermissionMatrix,
    Role,
    ScopeKind,
)

OWN = {"Eigen gegevens wijzigen", "Wijzigen/resetten eigen wachtwoord"}
"""Gebruikersbeheer > Mijn profiel > Eigen gegevens wijzigen; Verander wachtwoord >
Wijzigen/ resetten eigen wachtwoord (every Facet table; §3.1 writes "Wijzigen eigen
wachtwoord/resetten eigen wachtwoord", the same action)."""

PRIVACY = {"Persoonsgegevens inzien, exporteren en laten verbeteren"}
"""examkit's own (PRIV-2, issue 27): every school administrator, and the service desk, answers
a person's request for access, portability and rectification (GDPR art. 15, 16 and 20)."""
ERASURE = {"Persoonsgegevens wissen"}
"""examkit's own (PRIV-3, issue 27): the Facet, Cito and end-test administrators erase their
pupils and candidates, the service desk an account (GDPR art. 17)."""

ERASURE = {"Persoonsgegevens wissen"}
"""examkit's own (PRIV-3, issue 27): the school's administrator erases its pupils' and
candidates' data on request (GDPR art. 17), the service desk an account holder's."""

# Seed 004, chapter 3: (role name, "Wordt toegekend door", "Handelingen in Facet").
FACET = {
    "facet.administrator": (
        "Beheerder Facet",
        "DUO, via het aanmeldformulier 'Aanmelding Beheerder Facet'",
        OWN
        | {
            "Opvoeren nieuwe gebruiker(s)",
            "Toekennen rol(len) aan gebruiker(s)",
            "Toekennen locatie(s) aan gebruiker(s)",
            "Wijzigen gegevens gebruiker(s)",
            "Intrekken rol(len) gebruiker(s)",
            "Deactiveren gebruiker(s)",
            "Downloads FACET",
            # Not in seed 004: issue 27 item 7, the audit log of the own locations.
            "Auditlog inzien",
        }
        | PRIVACY
        | ERASURE,
    ),
    "facet.fao_administrator": (
        "FAO beheerder",
        "Beheerder Facet",
        OWN
        | {
            "Inzien FAO's",
            "Toevoegen FAO's",
            # "Activeren, deactiveren, heractiveren, wijzigen en verwijderen FAO's": one each.
            "Activeren FAO's",
            "Deactiveren FAO's",
            "Heractiveren FAO's",
            "Wijzigen FAO's",
            "Verwijderen FAO's",
            "Downloads FACET",
        },
    ),
    "facet.ft_planner": (
        "FT afnameplanner",
        "Beheerder Facet",
        OWN | {"Overzicht FT examens/toetsen", "Aanmaken en distributie afnamegroep"},
    ),
    "facet.ft_proctor": (
        "FT afnameleider",
        "Beheerder Facet",
        OWN
        | {
            "Groepen tonen",
            "Vrijgeven afnamegroep",
            "Blokkeren afnamegroep",
            "Toegangscode",
            "Kandidaat overzicht",
            "Proces-verbaal",
            "Afsluiten afnamegroep",
        },
    ),
    "facet.planner": (
        "Afnameplanner",
        "Beheerder Facet",
        OWN
        | {
            "Raadplegen kenmerken",
            "Overzicht afnamegroepen",
            "Plannen afnames",
            "Afnameleider registreren bij de afname",
            "Corrector registreren bij de afname",
            "Raadplegen geplande afnames",
            "Inplannen correctoren",
            "Inlezen afnamegroep",
            "Raadplegen afname-import",  # under "Status afname-import"
            "Downloaden deelrapportage",
            "Inzien examenresultaten",
            "Beperkte inzage",
            "Inlezen kandidatenbestand",
            "Overzicht kandidaten",
            "Examen-/toetsresultaten",  # under "Rapportage"
            "Downloads FACET",
            # §3.5's text: "Na sluiting van de afname vraagt de afnameplanner het
            # proces-verbaal van de afname op en voegt waar nodig opmerkingen toe."
            "Proces-verbaal opvragen en opmerkingen toevoegen",
            # §3.5's text: "zorgt voor het vrijgegeven van de afnamegroep voor correctie"
            "Afnamegroep vrijgeven voor correctie",
        },
    ),
    "facet.proctor": (
        "Afnameleider",
        "Beheerder Facet",
        OWN
        | {
            "Afnamegroepen tonen",
            "Vrijgeven afnamegroep",
            "Blokkeren afnamegroep",
            "Toegangscode kandidaten opvragen",
            "Kandidaat overzicht raadplegen",
            "Proces-verbaal opstellen",
            "Afsluiten afnamegroep",
            # §3.6's text: "om actief te kunnen ingrijpen op afnamecomputers"
            "Ingrijpen op afnamecomputers",
        },
    ),
    "facet.corrector": (
        "Corrector",
        "Beheerder Facet",
        OWN
        | {
            "Overzicht correctie (corrigeren)",
            "Overeen te komen correcties (2e corrector)",
            "Downloads FACET",
            # §3.7's text: "sluit na afloop de correctie"
            "Correctie afsluiten",
            # seed 002: "Corrector kan afgesloten groepen na correctie inzien"
            "Afgesloten groepen na correctie inzien",
        },
    ),
}

# Seeds without a table: the roles as the sentences describe them.
SENTENCES = {
    # Seed 001: the administrator imports the EDEXML, adds users ("Klik in het tabblad
    # 'Gebruikers' op 'Toevoegen'"), opens a user with the pencil, ticks "Toegang tot
    # applicatie", selects roles and classes, sends an invitation, and removes a user who
    # left ("klik op de button verwijder gebruiker"). Its account comes with the Cito
    # Portal account of the Brin6.
    "cito_lvs.administrator": (
        "Beheerder",
        "the operator",
        {
            "Importeren EDEXML-bestand",
            "Nieuwe gebruikers toevoegen",
            "Gebruiker bewerken",
            "Toegang tot applicatie",
            "Rollen en klassen toewijzen",
            "Uitnodiging versturen",
            "Gebruiker verwijderen",
            # Not in seed 001: issue 27 item 7, the audit log of the own locations.
            "Auditlog inzien",
        }
        | PRIVACY
        | ERASURE,
    ),
    # "Leerlingbegeleider | ... hebben toegang tot alle rapportages van (een) bepaalde klas(sen)."
    "cito_lvs.pupil_counsellor": ("Leerlingbegeleider", "Beheerder", {"Rapportages inzien"}),
    # "Vakdocent | Docenten Nederlands, Engels of wiskunde hebben alleen toegang tot de
    # rapportage van hun vak en klas(sen)."
    "cito_lvs.subject_teacher": ("Vakdocent", "Beheerder", {"Rapportages inzien"}),
    # "Kwaliteitsmedewerker | ... hebben toegang tot alle rapportages, inclusief het
    # klassenoverzicht."
    "cito_lvs.quality_officer": (
        "Kwaliteitsmedewerker",
        "Beheerder",
        {"Rapportages inzien", "Klassenoverzicht inzien"},
    ),
    # Seed 002: "Accountbeheerder: Deze kan opdrachten klaarzetten en nakijken, maar ook
    # examinatoren toevoegen. U heeft activatiemail ontvangen vanuit Cito."
    "cspe.account_administrator": (
        "Accountbeheerder",
        "the operator",
        {"Opdrachten klaarzetten", "Nakijken", "Examinatoren toevoegen"} | PRIVACY,
    ),
    # "Examinator: Kan opdrachten klaarzetten voor kandidaten en ook nakijken. U ontvangt
    # activatiemail via uw accountbeheerder."
    "cspe.examiner": ("Examinator", "Accountbeheerder", {"Opdrachten klaarzetten", "Nakijken"}),
    # Seed 000: the portal is "het loket voor het aanmelden van de leerlingen ..., het
    # bestellen van de papieren toets, het plannen van de digitale toets en het inzien van
    # de rapportages"; "De beheerder kan met zijn account andere gebruikers toegang geven
    # tot de portal."
    "ce_portal.administrator": (
        "Beheerder portal Centrale Eindtoets",
        "the operator",
        {
            "Andere gebruikers toegang geven tot de portal",
            "Aanmelden leerlingen",
            "Bestellen papieren toets",
            "Plannen digitale toets",
            "Inzien rapportages",
        }
        | PRIVACY
        | ERASURE,
    ),
    "ce_portal.user": (
        "Gebruiker portal Centrale Eindtoets",
        "Beheerder portal Centrale Eindtoets",
        {
            "Aanmelden leerlingen",
            "Bestellen papieren toets",
            "Plannen digitale toets",
            "Inzien rapportages",
        },
    ),
    # Seed 003, the checklist of the toetscoördinator, item by item.
    "vlaamse_toetsen.test_coordinator": (
        "Toetscoördinator",
        "the operator",
        {
            "Contactgegevens controleren",  # controleer of je contactgegevens correct zijn
            "Vrijstellingen aangeven",  # welke leerlingen een vrijstelling krijgen
            "Vrijwillige deelname aangeven",  # welke leerlingen toch deelnemen
            "Leerlingen uitsluiten van de vragenlijst",  # de vragenlijst niet mogen invullen
            "Eigen hulpmiddelen aanduiden",  # eigen hulpmiddelen mogen gebruiken
            # Not in seed 003: issue 23 item 5, the school's pupils from its EDEXML file.
            "Leerlingen importeren (EDEXML-bestand)",
            "Leerlingengroepen aanmaken",  # maak de leerlingengroepen aan
            "Gegevens valideren",  # controleer de ingevulde gegevens en valideer de info
            "Toetsmomenten raadplegen",  # raadpleeg de toetsmomenten
            "Toetsassistenten voorzien",  # voorzie lokalen en toetsassistenten
            "Deelnamelijst downloaden",  # download de deelnamelijst
            "Kennismakingstoets begeleiden",  # begeleid de kennismakingstoets
            "Afname begeleiden",  # neem de toets af
            "Toetsverslag invullen",  # vul na elk toetsmoment het toetsverslag in
            "Bevraging invullen",  # vul de bevraging in
        }
        | PRIVACY
        | ERASURE,
    ),
    # "toetsassistenten om de kennismakingstoets en de afname te begeleiden"; "de
    # logboeken die de toetsassistenten hebben ingevuld".
    "vlaamse_toetsen.test_assistant": (
        "Toetsassistent",
        "Toetscoördinator",
        {"Kennismakingstoets begeleiden", "Afname begeleiden", "Logboek invullen"},
    ),
    # Seed 004: DUO registers the administrator after the signed form; "[De helpdesk
    # Facet kan] het account van de gebruiker aan verschillende instellingen koppelen";
    # seed 000: "Uw aanvraag wordt binnen 5 werkdagen behandeld". Beside the seeds, the
    # desk sees the e-mails a mail server refused (examkit's own, issue 22: none is lost)
    # and publishes a test's exam package for the offline servers (examkit's own, SCH-8),
    # and runs the retention jobs (examkit's own, PRIV-4).
    "examkit.operator": (
        "Servicedesk",
        "Servicedesk",
        {
            "Aanvraag behandelen",
            "Beheerder opvoeren",
            "Account aan instellingen koppelen",
            "Wachtrij e-mail inzien",
            "Examenpakket publiceren",
            "Bewaartermijnen toepassen",
        }
        | PRIVACY
        | ERASURE,
    ),
}

EXPECTED = FACET | SENTENCES
ADMINISTRATORS = {
    "facet.administrator",
    "cito_lvs.administrator",
    "cspe.account_administrator",
    "ce_portal.administrator",
    "vlaamse_toetsen.test_coordinator",
}


def labels_of(role: Role) -> set[str]:
    return {MATRIX.action(code).label_nl for code in role.actions}


def granters_of(code: str) -> set[str]:
    return {granter.label_nl for granter in MATRIX.granted_by(code)}


@pytest.mark.req("ROLE-1", "ROLE-3", "ROLE-4", "ROLE-6")
def test_every_role_of_the_seeds_and_no_other() -> None:
    """The matrix has exactly the roles the seeds name."""
    assert set(EXPECTED) == set(MATRIX.roles)


@pytest.mark.req("ROLE-1")
@pytest.mark.parametrize("code", sorted(FACET))
def test_exam_system_role_matches_its_seed_table(code: str) -> None:
    """Each Facet role has the seed table's name, granter and exactly its actions."""
    name, granted_by, actions = FACET[code]
    role = MATRIX.role(code)
    assert name == role.label_nl
    assert actions == labels_of(role)
    if granted_by.startswith("DUO"):
        assert role.by_application
        assert {"Servicedesk"} == granters_of(code)
    else:
        assert not role.by_application
        assert {granted_by} == granters_of(code)


@pytest.mark.req("ROLE-3", "ROLE-4", "ROLE-6", "ACC-8")
@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_role_without_a_table_matches_the_seed_sentences(code: str) -> None:
    """Each other role has the seed's name, granter and the actions its sentences name."""
    name, granted_by, actions = SENTENCES[code]
    role = MATRIX.role(code)
    assert name == role.label_nl
    assert actions == labels_of(role)
    expected_granters = {"Servicedesk"} if granted_by == "the operator" else {granted_by}
    assert expected_granters == granters_of(code)


@pytest.mark.req("ACC-8", "ROLE-2")
def test_only_administrators_come_through_an_application() -> None:
    """The administrator roles alone are granted by the operator; each grants the rest."""
    assert ADMINISTRATORS == {code for code, role in MATRIX.roles.items() if role.by_application}
    for code, role in MATRIX.roles.items():
        if code in ADMINISTRATORS or code == "examkit.operator":
            continue
        granters = {granter.code for granter in MATRIX.granted_by(code)}
        assert granters
        assert granters <= ADMINISTRATORS
        assert all(MATRIX.role(g).application == role.application for g in granters)


@pytest.mark.req("ROLE-1")
def test_the_facet_administrator_grants_every_other_facet_role() -> None:
    """'De beheerder Facet kent daarna rollen toe aan de medewerkers' (§3)."""
    assert {
        "facet.fao_administrator",
        "facet.ft_planner",
        "facet.ft_proctor",
        "facet.planner",
        "facet.proctor",
        "facet.corrector",
    } == set(MATRIX.role("facet.administrator").may_grant)


@pytest.mark.req("ROLE-1")
def test_every_exam_system_role_edits_its_own_profile_and_password() -> None:
    """'Elke gebruiker kan zijn eigen gegevens wijzigen' (§4.4)."""
    for role in MATRIX.roles_of("facet"):
        assert {"facet.profile.edit", "facet.password.change"} <= set(role.actions)


@pytest.mark.req("ROLE-1")
def test_the_corrector_is_one_role() -> None:
    """First or second corrector is an assignment per session group, not a role."""
    assert ["facet.corrector"] == [c for c in MATRIX.roles if "corrector" in c]


@pytest.mark.req("ROLE-3")
def test_scopes_follow_the_seeds() -> None:
    """Classes for counsellors, a subject in classes for subject teachers, schools in Flanders."""
    assert ScopeKind.CLASSES is MATRIX.role("cito_lvs.pupil_counsellor").scope
    assert ScopeKind.SUBJECT_CLASSES is MATRIX.role("cito_lvs.subject_teacher").scope
    assert ScopeKind.LOCATIONS is MATRIX.role("cito_lvs.quality_officer").scope
    assert ScopeKind.SCHOOL is MATRIX.role("vlaamse_toetsen.test_assistant").scope
    assert ScopeKind.SYSTEM is MATRIX.role("examkit.operator").scope
    for code in FACET:
        assert ScopeKind.LOCATIONS is MATRIX.role(code).scope


@pytest.mark.req("ROLE-3", "NOTE-1")
def test_how_new_users_are_told_and_who_has_an_access_switch() -> None:
    """Facet and the portal e-mail credentials; Cito invites and has 'Toegang tot applicatie'."""
    assert Onboarding.CREDENTIALS is MATRIX.system("facet").onboarding
    assert Onboarding.CREDENTIALS is MATRIX.system("ce_portal").onboarding
    assert Onboarding.INVITATION is MATRIX.system("cito_lvs").onboarding
    assert Onboarding.INVITATION is MATRIX.system("cspe").onboarding
    assert [a.code for a in SYSTEMS if a.access_switch] == ["cito_lvs"]


@pytest.mark.req("ROLE-5")
def test_codes_are_dotted_and_prefixed_by_their_system() -> None:
    """Role codes are ``<system>.<role>`` for the six systems of the issue."""
    systems = {"facet", "cito_lvs", "cspe", "ce_portal", "vlaamse_toetsen", "examkit"}
    assert systems == set(MATRIX.systems)
    for code in (*MATRIX.roles, *MATRIX.actions):
        assert code.split(".")[0] in systems
        assert code == code.lower()


# -- the matrix is checked when it is made ---------------------------------------


def rebuild(
    actions: tuple[Action, ...] = ACTIONS, roles: tuple[Role, ...] = ROLES
) -> PermissionMatrix:
    return PermissionMatrix.of(SYSTEMS, actions, roles)


def replace_role(code: str, **changes: Any) -> tuple[Role, ...]:
    return tuple(attrs.evolve(r, **changes) if r.code == code else r for r in ROLES)


@pytest.mark.req("ROLE-5")
def test_the_shipped_matrix_rebuilds_cleanly() -> None:
    """The parts make the same matrix again."""
    assert MATRIX == rebuild()


@pytest.mark.req("ROLE-5")
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda: rebuild(roles=replace_role("facet.planner", actions=("facet.nothing",))),
            "unknown action",
        ),
        (lambda: rebuild(roles=(*ROLES, ROLES[0])), "declared twice"),
        (
            lambda: rebuild(
                roles=replace_role("facet.planner", may_grant=("facet.administrator",))
            ),
            "administrator role granted by a non-operator",
        ),
        (
            lambda: rebuild(
                actions=(*ACTIONS, Action("facet.orphan", "Wees", "Orphan", "nowhere"))
            ),
            "no role holds it",
        ),
        (
            lambda: rebuild(roles=replace_role("facet.proctor", actions=("facet.monitor.groups",))),
            "no role holds it",
        ),
        (
            lambda: rebuild(roles=replace_role("facet.planner", may_grant=("facet.proctor",))),
            "grants roles without an action to grant them",
        ),
        (
            lambda: rebuild(
                actions=tuple(
                    attrs.evolve(a, operations={Operation.ADD_USER})
                    if a.code == "facet.users.edit"
                    else a
                    for a in ACTIONS
                )
            ),
            "add_user by",
        ),
        (
            lambda: rebuild(roles=replace_role("cspe.examiner", actions=("facet.downloads",))),
            "of another application",
        ),
        (
            lambda: rebuild(roles=replace_role("facet.corrector", scope=ScopeKind.SCHOOL)),
            "Flemish roles",
        ),
    ],
)
def test_an_inconsistent_matrix_is_refused(change: object, problem: str) -> None:
    """Each broken rule is named; nothing half-checked gets through."""
    assert callable(change)
    with pytest.raises(MatrixError, match=problem):
        change()
