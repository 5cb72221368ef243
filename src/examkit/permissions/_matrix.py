"""The permission matrix: applications, actions, roles and who grants what, as typed data.

Declared once, checked when this module is imported (an inconsistent matrix
is an error at import), and read by everything else: the decision
(:func:`~examkit.permissions.may`), the administration use cases, the command line
(``examkit roles matrix``) and the documentation's tables.

Every action carries the source system's own Dutch label and where in the
seed manuals it comes from; the sources are the exam system's manual (seed
004, chapter 3: a table per role with "Wordt toegekend door" and
"Handelingen"), the pupil-monitoring system's administration guide (seed
001), the practical-exam app workshop (seed 002), the Flemish test
coordinator's checklist (seed 003) and the end-test portal's account
application (seed 000).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from examkit.messages import Lang

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


class Onboarding(enum.Enum):
    """How an application tells a new user about their account."""

    CREDENTIALS = "credentials"
    """The exam system's way: an e-mail with the login name and an initial password."""
    INVITATION = "invitation"
    """The monitoring system's way: an invitation with a single-use activation link."""


class ScopeKind(enum.Enum):
    """Where a role's grant applies."""

    SYSTEM = "system"
    """Everywhere: the operator (the system's own service desk)."""
    LOCATIONS = "locations"
    """At one or more locations (BRIN6) of one Dutch institution."""
    CLASSES = "classes"
    """In one or more classes of the locations of one Dutch institution."""
    SUBJECT_CLASSES = "subject_classes"
    """For one subject in one or more classes (the subject teacher, *vakdocent*)."""
    SCHOOL = "school"
    """At one Flemish school as a whole (it has no BRIN locations)."""


class Operation(enum.Enum):
    """An administration operation; the action that allows it is tagged with it."""

    ADD_USER = "add_user"
    """Add a user (*opvoeren nieuwe gebruiker*)."""
    EDIT_USER = "edit_user"
    """Edit a user's details."""
    GRANT_ROLE = "grant_role"
    """Grant roles (who may grant which role is the matrix's ``may_grant``)."""
    GRANT_LOCATIONS = "grant_locations"
    """Grant locations to a user (a role's grant extended to more locations)."""
    REVOKE_ROLE = "revoke_role"
    """Revoke roles."""
    SET_ACCESS = "set_access"
    """Switch a user's access to the application (*toegang tot applicatie*)."""
    INVITE = "invite"
    """Send a user an invitation with an activation link."""
    DEACTIVATE = "deactivate"
    """Deactivate a user."""
    REACTIVATE = "reactivate"
    """Reactivate a deactivated user."""
    REMOVE_USER = "remove_user"
    """Remove a user who left the school."""
    LINK_INSTITUTION = "link_institution"
    """Link one account to another institution (AUTH-11)."""
    GRANT_ADMINISTRATOR = "grant_administrator"
    """Grant an administrator role after an approved application (ACC-8)."""


LOOKED_UP: Final = frozenset(
    {
        Operation.ADD_USER,
        Operation.EDIT_USER,
        Operation.SET_ACCESS,
        Operation.INVITE,
        Operation.DEACTIVATE,
        Operation.REACTIVATE,
        Operation.REMOVE_USER,
        Operation.LINK_INSTITUTION,
        Operation.GRANT_ADMINISTRATOR,
    }
)
"""Operations a use case looks up by application: at most one action per application each."""


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _operations(value: Iterable[Operation]) -> frozenset[Operation]:
    return frozenset(value)


def _label(item: System | Action | Role, lang: Lang) -> str:
    """Return its name in *lang*.

    >>> MATRIX.systems["facet"].label("en"), MATRIX.roles["facet.planner"].label("nl")
    ('Facet, the computer exam system', 'Afnameplanner')
    """
    return item.label_en if lang == "en" else item.label_nl


@attrs.frozen
class System:
    """A system whose roles examkit keeps: Facet, Cito LVS, the CSPE app, ... (*applicatie*).

    The seeds call it an application (*applicatie*); examkit says system, as
    :mod:`examkit.applications` are the account applications. A role's and an
    action's :attr:`~Role.application`, and the use cases' ``application=``,
    are a system's :attr:`code` in the seeds' word.
    """

    code: str
    """The code, the first part of its roles' and actions' codes (``facet``)."""
    label_nl: str
    """Its Dutch name."""
    label_en: str
    """Its English name."""
    onboarding: Onboarding
    """How it tells a new user about their account."""
    access_switch: bool = False
    """Whether a user needs "access to application" switched on (*Toegang tot applicatie*)."""

    label = _label


@attrs.frozen
class Action:
    """An action (*handeling*) a role may perform, with the seed's own Dutch label."""

    code: str
    """The code, ``<application>.<area>.<verb>`` (``facet.users.add``)."""
    label_nl: str
    """The seed's own Dutch words (``Opvoeren nieuwe gebruiker(s)``)."""
    label_en: str
    """An English label."""
    source: str
    """Where in the seeds it comes from."""
    operations: frozenset[Operation] = attrs.field(default=frozenset(), converter=_operations)
    """The administration operations this action allows."""

    label = _label

    @property
    def application(self) -> str:
        """The application it belongs to (the code's first part)."""
        return self.code.split(".", 1)[0]


@attrs.frozen
class Role:
    """A role (*rol*): a named set of actions, granted at a scope."""

    code: str
    """The code, ``<application>.<role>`` (``facet.planner``)."""
    label_nl: str
    """The source system's own Dutch name (``Afnameplanner``)."""
    label_en: str
    """An English name."""
    scope: ScopeKind
    """Where a grant of it applies."""
    actions: tuple[str, ...] = attrs.field(converter=_codes)
    """The codes of the actions it holds, in the seed's order."""
    may_grant: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    """The codes of the roles its holders may grant (and revoke)."""
    by_application: bool = False
    """Granted only by the operator after a signed application (ACC-8): an administrator role."""
    source: str = ""
    """Where in the seeds it is described."""

    label = _label

    @property
    def application(self) -> str:
        """The application it belongs to (the code's first part)."""
        return self.code.split(".", 1)[0]


_Item = TypeVar("_Item", System, Action, Role)


class MatrixError(AssertionError):
    """The permission matrix is inconsistent (raised at import: a programming error)."""


@attrs.frozen(repr=False)
class PermissionMatrix:
    """The permission matrix: every application, action and role, checked when made.

    >>> MATRIX.role("facet.planner").label_nl
    'Afnameplanner'
    >>> "facet.corrector" in MATRIX.role("facet.administrator").may_grant
    True

    Implements ROLE-5.
    """

    systems: Mapping[str, System] = attrs.field(converter=_frozen_map)
    """Every system by code."""
    actions: Mapping[str, Action] = attrs.field(converter=_frozen_map)
    """Every action by code, in declaration order."""
    roles: Mapping[str, Role] = attrs.field(converter=_frozen_map)
    """Every role by code, in declaration order."""

    def __attrs_post_init__(self) -> None:
        _check(self)

    def __repr__(self) -> str:
        return (
            f"PermissionMatrix({len(self.systems)} systems, "
            f"{len(self.actions)} actions, {len(self.roles)} roles)"
        )

    @classmethod
    def of(
        cls,
        systems: Iterable[System],
        actions: Iterable[Action],
        roles: Iterable[Role],
    ) -> PermissionMatrix:
        """Build and check a matrix from its parts.

        Raises:
            MatrixError: a code is repeated, malformed or unknown, or a rule of the matrix fails.
        """
        return cls(
            systems=_by_code(systems, "system"),
            actions=_by_code(actions, "action"),
            roles=_by_code(roles, "role"),
        )

    def role(self, code: str) -> Role:
        """Return the role *code*.

        Raises:
            KeyError: there is none.
        """
        return self.roles[code]

    def action(self, code: str) -> Action:
        """Return the action *code*.

        Raises:
            KeyError: there is none.
        """
        return self.actions[code]

    def system(self, code: str) -> System:
        """Return the system *code*.

        Raises:
            KeyError: there is none.
        """
        return self.systems[code]

    def roles_of(self, application: str) -> tuple[Role, ...]:
        """Return the roles of *application*, in declaration order."""
        return tuple(role for role in self.roles.values() if role.application == application)

    def operation_action(self, application: str, operation: Operation) -> Action | None:
        """Return the action of *application* tagged with *operation*, or ``None``."""
        for action in self.actions.values():
            if action.application == application and operation in action.operations:
                return action
        return None

    def granted_by(self, role: str) -> tuple[Role, ...]:
        """Return the roles whose holders may grant *role*."""
        return tuple(granter for granter in self.roles.values() if role in granter.may_grant)


def _by_code(items: Iterable[_Item], what: str) -> dict[str, _Item]:
    found: dict[str, _Item] = {}
    for item in items:
        if item.code in found:
            raise MatrixError(f"{what} {item.code!r} is declared twice")
        found[item.code] = item
    return found


def _check(matrix: PermissionMatrix) -> None:  # noqa: PLR0912 - one list of rules
    problems: list[str] = []
    apps = matrix.systems
    for app in apps.values():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", app.code):
            problems.append(f"application {app.code!r}: code is not lower case")
    items: list[Action | Role] = [*matrix.actions.values(), *matrix.roles.values()]
    for item in items:
        if not _CODE.fullmatch(item.code):
            problems.append(f"{item.code!r}: code is not dotted lower case")
        elif item.application not in apps:
            problems.append(f"{item.code!r}: unknown application {item.application!r}")
        if not item.label_nl.strip() or not item.label_en.strip():
            problems.append(f"{item.code!r}: a label is missing")
        if not item.source.strip():
            problems.append(f"{item.code!r}: the seed it comes from is not named")
    held: set[str] = set()
    for role in matrix.roles.values():
        if len(set(role.actions)) != len(role.actions):
            problems.append(f"role {role.code!r}: an action is listed twice")
        for code in role.actions:
            held.add(code)
            action = matrix.actions.get(code)
            if action is None:
                problems.append(f"role {role.code!r}: unknown action {code!r}")
            elif action.application != role.application:
                problems.append(f"role {role.code!r}: action {code!r} is of another application")
        for code in role.may_grant:
            granted = matrix.roles.get(code)
            if granted is None:
                problems.append(f"role {role.code!r}: may grant unknown role {code!r}")
            elif granted.application != role.application and not (
                role.scope is ScopeKind.SYSTEM and granted.by_application
            ):
                problems.append(f"role {role.code!r}: may grant {code!r} of another application")
        if role.may_grant and not any(
            Operation.GRANT_ROLE in matrix.actions[code].operations
            for code in role.actions
            if code in matrix.actions
        ):
            problems.append(f"role {role.code!r}: grants roles without an action to grant them")
        granters = matrix.granted_by(role.code)
        if not granters:
            problems.append(f"role {role.code!r}: nobody may grant it")
        if role.by_application and any(g.scope is not ScopeKind.SYSTEM for g in granters):
            problems.append(f"role {role.code!r}: an administrator role granted by a non-operator")
        if role.by_application and not role.may_grant:
            problems.append(f"role {role.code!r}: an administrator role that grants nothing")
        flemish = role.application == "vlaamse_toetsen"
        if flemish != (role.scope is ScopeKind.SCHOOL):
            problems.append(f"role {role.code!r}: Flemish roles, and only they, are per school")
    for code in matrix.actions:
        if code not in held:
            problems.append(f"action {code!r}: no role holds it")
    for app in apps.values():
        for operation in LOOKED_UP:
            tagged = [
                a.code
                for a in matrix.actions.values()
                if a.application == app.code and operation in a.operations
            ]
            if len(tagged) > 1:
                problems.append(f"application {app.code!r}: {operation.value} by {tagged}")
        if app.access_switch and matrix.operation_action(app.code, Operation.SET_ACCESS) is None:
            problems.append(f"application {app.code!r}: an access switch nobody can set")
    if problems:
        raise MatrixError("the permission matrix is inconsistent:\n- " + "\n- ".join(problems))


# -- The data ------------------------------------------------------------------------

_S31 = "seed 004 §3.1, table of the beheerder Facet"
_S32 = "seed 004 §3.2, table of the FAO beheerder"
_S33 = "seed 004 §3.3, table of the FT afnameplanner"
_S34 = "seed 004 §3.4, table of the FT afnameleider"
_S35 = "seed 004 §3.5, table of the afnameplanner"
_S36 = "seed 004 §3.6, table of the afnameleider"
_S37 = "seed 004 §3.7, table of the corrector"
_PROFILE = "seed 004 §3.1-§3.7, Gebruikersbeheer > Mijn profiel (every role); §4.4"
_CITO = "seed 001, instructie beheerder"
_ERASURE = (
    "examkit's own (PRIV-3): the school, as the controller, answers a request to erase a pupil's "
    "or candidate's data (GDPR art. 17); the service desk an account holder's"
)
_PRIVACY = (
    "examkit's own (PRIV-2): the school, as the controller, answers its pupils' and staff's "
    "requests for access, portability and rectification (GDPR art. 15, 16 and 20)"
)

SYSTEMS: Final[tuple[System, ...]] = (
    System(
        "facet",
        "Facet",
        "Facet, the computer exam system",
        Onboarding.CREDENTIALS,
    ),
    System(
        "cito_lvs",
        "Cito Volgsysteem VO",
        "Cito pupil-monitoring system",
        Onboarding.INVITATION,
        access_switch=True,
    ),
    System("cspe", "CSPE-app", "CSPE practical-exam app", Onboarding.INVITATION),
    System(
        "ce_portal",
        "Portal Centrale Eindtoets",
        "Central end-of-primary-school test portal",
        Onboarding.CREDENTIALS,
    ),
    System(
        "vlaamse_toetsen",
        "Vlaamse toetsen Schoolloket",
        "Flemish central tests' school desk",
        Onboarding.INVITATION,
    ),
    System(
        "examkit",
        "examkit-servicedesk",
        "examkit service desk",
        Onboarding.CREDENTIALS,
    ),
)
"""Every system whose roles examkit keeps.

:meta hide-value:
"""

_O = Operation

ACTIONS: Final[tuple[Action, ...]] = (
    # -- facet: user management (Gebruikersbeheer) and downloads
    Action("facet.profile.edit", "Eigen gegevens wijzigen", "Edit own details", _PROFILE),
    Action(
        "facet.password.change",
        "Wijzigen/resetten eigen wachtwoord",
        "Change or reset own password",
        _PROFILE,
    ),
    Action(
        "facet.users.add",
        "Opvoeren nieuwe gebruiker(s)",
        "Add new users",
        _S31,
        {_O.ADD_USER},
    ),
    Action(
        "facet.users.grant_roles",
        "Toekennen rol(len) aan gebruiker(s)",
        "Grant roles to users",
        _S31,
        {_O.GRANT_ROLE},
    ),
    Action(
        "facet.users.grant_locations",
        "Toekennen locatie(s) aan gebruiker(s)",
        "Grant locations to users",
        _S31,
        {_O.GRANT_LOCATIONS},
    ),
    Action(
        "facet.users.edit",
        "Wijzigen gegevens gebruiker(s)",
        "Edit users' details",
        _S31,
        {_O.EDIT_USER},
    ),
    Action(
        "facet.users.revoke_roles",
        "Intrekken rol(len) gebruiker(s)",
        "Revoke users' roles",
        _S31,
        {_O.REVOKE_ROLE},
    ),
    Action(
        "facet.users.deactivate",
        "Deactiveren gebruiker(s)",
        "Deactivate (and reactivate) users",
        _S31,
        {_O.DEACTIVATE, _O.REACTIVATE},
    ),
    Action(
        "facet.downloads",
        "Downloads FACET",
        "Download Facet's manuals and software",
        "seed 004 §3.1, §3.2, §3.5, §3.7 (Downloads > FACET); §2.3",
    ),
    Action(
        "facet.privacy.audit",
        "Auditlog inzien",
        "Read the audit log of the own locations",
        "issue 27, item 7: an audit-log view filtered by the administrator's locations",
    ),
    # -- facet: offline servers (Beheren FAO's)
    Action("facet.fao.view", "Inzien FAO's", "View offline servers", _S32),
    Action("facet.fao.add", "Toevoegen FAO's", "Add offline servers", _S32),
    Action("facet.fao.activate", "Activeren FAO's", "Activate offline servers", _S32),
    Action("facet.fao.deactivate", "Deactiveren FAO's", "Deactivate offline servers", _S32),
    Action("facet.fao.reactivate", "Heractiveren FAO's", "Reactivate offline servers", _S32),
    Action("facet.fao.edit", "Wijzigen FAO's", "Edit offline servers", _S32),
    Action("facet.fao.delete", "Verwijderen FAO's", "Delete offline servers", _S32),
    # -- facet: functionality test (FT) planning and monitoring
    Action(
        "facet.ft.exams.overview",
        "Overzicht FT examens/toetsen",
        "Overview of functionality-test exams",
        _S33,
    ),
    Action(
        "facet.ft.session_groups.create",
        "Aanmaken en distributie afnamegroep",
        "Create and distribute a functionality-test session group",
        _S33,
    ),
    Action("facet.ft.monitor.groups", "Groepen tonen", "Show the FT groups", _S34),
    Action("facet.ft.monitor.release", "Vrijgeven afnamegroep", "Release an FT group", _S34),
    Action("facet.ft.monitor.block", "Blokkeren afnamegroep", "Block an FT group", _S34),
    Action("facet.ft.monitor.access_code", "Toegangscode", "Get an FT group's access code", _S34),
    Action("facet.ft.monitor.candidates", "Kandidaat overzicht", "FT candidate overview", _S34),
    Action(
        "facet.ft.monitor.session_report",
        "Proces-verbaal",
        "Draw up an FT session report",
        _S34,
    ),
    Action("facet.ft.monitor.close", "Afsluiten afnamegroep", "Close an FT group", _S34),
    # -- facet: planning (Examenbeheer, Afnamebeheer, Kandidaatbeheer, Rapportage)
    Action(
        "facet.exams.characteristics",
        "Raadplegen kenmerken",
        "Consult exam characteristics",
        _S35,
    ),
    Action(
        "facet.session_groups.overview",
        "Overzicht afnamegroepen",
        "Overview of session groups",
        _S35,
    ),
    Action("facet.sessions.plan", "Plannen afnames", "Plan sessions", _S35),
    Action(
        "facet.sessions.register_proctor",
        "Afnameleider registreren bij de afname",
        "Register the proctor of a session",
        _S35,
    ),
    Action(
        "facet.sessions.register_corrector",
        "Corrector registreren bij de afname",
        "Register a corrector of a session",
        _S35,
    ),
    Action(
        "facet.sessions.view_planned",
        "Raadplegen geplande afnames",
        "Consult planned sessions",
        _S35,
    ),
    Action("facet.correctors.schedule", "Inplannen correctoren", "Schedule correctors", _S35),
    Action(
        "facet.session_groups.import",
        "Inlezen afnamegroep",
        "Read in session groups",
        _S35,
    ),
    Action(
        "facet.session_groups.import_status",
        "Raadplegen afname-import",
        "Consult the status of a session import",
        _S35 + " (Status afname-import)",
    ),
    Action(
        "facet.partial_reports.download",
        "Downloaden deelrapportage",
        "Download partial reports",
        _S35 + " (Deelrapportages)",
    ),
    Action(
        "facet.results.view",
        "Inzien examenresultaten",
        "View exam results",
        _S35 + " (Deelrapportages)",
    ),
    Action(
        "facet.review.limited",
        "Beperkte inzage",
        "Grant limited review of a taken exam",
        _S35 + " (Deelrapportages)",
    ),
    Action(
        "facet.candidates.import",
        "Inlezen kandidatenbestand",
        "Read in a candidate file",
        _S35 + " (Kandidaatbeheer)",
    ),
    Action(
        "facet.candidates.overview",
        "Overzicht kandidaten",
        "Overview of candidates",
        _S35 + " (Kandidaatbeheer)",
    ),
    Action(
        "facet.reports.results",
        "Examen-/toetsresultaten",
        "Exam and test results report",
        _S35 + " (Rapportage)",
    ),
    Action(
        "facet.session_report.retrieve",
        "Proces-verbaal opvragen en opmerkingen toevoegen",
        "Retrieve the session report and add remarks",
        "seed 004 §3.5 text: vraagt het proces-verbaal op en voegt opmerkingen toe",
    ),
    Action(
        "facet.session_groups.release_for_correction",
        "Afnamegroep vrijgeven voor correctie",
        "Release a session group for correction",
        "seed 004 §3.5 and §3.7 text: de afnameplanner geeft de afnamegroep vrij voor correctie",
    ),
    # -- facet: the proctor monitor (Afnamemonitor)
    Action("facet.monitor.groups", "Afnamegroepen tonen", "Show session groups", _S36),
    Action("facet.monitor.release", "Vrijgeven afnamegroep", "Release a session group", _S36),
    Action("facet.monitor.block", "Blokkeren afnamegroep", "Block a session group", _S36),
    Action(
        "facet.monitor.access_code",
        "Toegangscode kandidaten opvragen",
        "Get the candidates' access code",
        _S36,
    ),
    Action(
        "facet.monitor.candidates",
        "Kandidaat overzicht raadplegen",
        "Consult the candidate overview",
        _S36,
    ),
    Action(
        "facet.monitor.session_report",
        "Proces-verbaal opstellen",
        "Draw up the session report",
        _S36,
    ),
    Action("facet.monitor.close", "Afsluiten afnamegroep", "Close a session group", _S36),
    Action(
        "facet.monitor.intervene",
        "Ingrijpen op afnamecomputers",
        "Act on candidates' session computers",
        "seed 004 §3.6 text: om actief te kunnen ingrijpen op afnamecomputers",
    ),
    # -- facet: correction (Correctiebeheer)
    Action(
        "facet.correction.overview",
        "Overzicht correctie (corrigeren)",
        "Correction overview (correct)",
        _S37,
    ),
    Action(
        "facet.correction.agree",
        "Overeen te komen correcties (2e corrector)",
        "Corrections to agree on (second corrector)",
        _S37,
    ),
    Action(
        "facet.correction.close",
        "Correctie afsluiten",
        "Close the correction",
        "seed 004 §3.7 text: sluit na afloop de correctie",
    ),
    Action(
        "facet.correction.view_closed",
        "Afgesloten groepen na correctie inzien",
        "View closed groups after correction",
        "seed 002: Corrector kan afgesloten groepen na correctie inzien",
    ),
    # -- cito_lvs: the administration module and the reports
    Action(
        "cito_lvs.edexml.import",
        "Importeren EDEXML-bestand",
        "Import an EDEXML file",
        _CITO + ", stap 2-3",
    ),
    Action(
        "cito_lvs.users.add",
        "Nieuwe gebruikers toevoegen",
        "Add new users",
        _CITO + ", stap 6",
        {_O.ADD_USER},
    ),
    Action(
        "cito_lvs.users.edit",
        "Gebruiker bewerken",
        "Edit a user",
        "seed 001, gebruiker verwijderen stap 1: klik op het potloodje achter de naam",
        {_O.EDIT_USER},
    ),
    Action(
        "cito_lvs.users.access",
        "Toegang tot applicatie",
        "Access to the application",
        _CITO + ", stap 8: vink 'Toegang tot applicatie' aan",
        {_O.SET_ACCESS},
    ),
    Action(
        "cito_lvs.users.assign",
        "Rollen en klassen toewijzen",
        "Assign roles and classes",
        _CITO + ", stap 7-8: selecteer per gebruiker rollen en klassen",
        {_O.GRANT_ROLE, _O.REVOKE_ROLE},
    ),
    Action(
        "cito_lvs.users.invite",
        "Uitnodiging versturen",
        "Send an invitation",
        _CITO + ", stap 8-10",
        {_O.INVITE},
    ),
    Action(
        "cito_lvs.users.remove",
        "Gebruiker verwijderen",
        "Remove a user",
        "seed 001, instructie gebruiker verwijderen",
        {_O.REMOVE_USER},
    ),
    Action(
        "cito_lvs.privacy.audit",
        "Auditlog inzien",
        "Read the audit log of the own locations",
        "issue 27, item 7: an audit-log view filtered by the administrator's locations",
    ),
    Action(
        "cito_lvs.reports.view",
        "Rapportages inzien",
        "View reports",
        _CITO + ", stap 8 a-c (toegang tot rapportages)",
    ),
    Action(
        "cito_lvs.class_overview.view",
        "Klassenoverzicht inzien",
        "View the class overview",
        _CITO + ", stap 8 c (inclusief het klassenoverzicht)",
    ),
    # -- cspe: the practical-exam app
    Action(
        "cspe.assignments.prepare",
        "Opdrachten klaarzetten",
        "Prepare assignments",
        "seed 002, CSPE-app: verschillende rollen",
    ),
    Action(
        "cspe.assignments.mark",
        "Nakijken",
        "Mark assignments",
        "seed 002, CSPE-app: verschillende rollen",
    ),
    Action(
        "cspe.examiners.add",
        "Examinatoren toevoegen",
        "Add examiners",
        "seed 002, CSPE-app: accountbeheerder",
        {_O.ADD_USER, _O.GRANT_ROLE, _O.INVITE},
    ),
    # -- ce_portal: the end-test portal
    Action(
        "ce_portal.users.grant_access",
        "Andere gebruikers toegang geven tot de portal",
        "Give other users access to the portal",
        "seed 000 §2.2: de beheerder kan andere gebruikers toegang geven tot de portal",
        {_O.ADD_USER, _O.GRANT_ROLE},
    ),
    Action(
        "ce_portal.pupils.register",
        "Aanmelden leerlingen",
        "Register pupils for the end test",
        "seed 000 §1: het aanmelden van de leerlingen",
    ),
    Action(
        "ce_portal.paper_test.order",
        "Bestellen papieren toets",
        "Order the paper test",
        "seed 000 §1: het bestellen van de papieren toets",
    ),
    Action(
        "ce_portal.digital_test.plan",
        "Plannen digitale toets",
        "Plan the digital test",
        "seed 000 §1: het plannen van de digitale toets",
    ),
    Action(
        "ce_portal.reports.view",
        "Inzien rapportages",
        "View reports",
        "seed 000 §1: het inzien van de rapportages",
    ),
    # -- vlaamse_toetsen: the Flemish central tests' school desk
    Action(
        "vlaamse_toetsen.contact.check",
        "Contactgegevens controleren",
        "Check the school's contact details",
        "seed 003: controleer of je contactgegevens correct zijn",
    ),
    Action(
        "vlaamse_toetsen.exemptions.set",
        "Vrijstellingen aangeven",
        "Record exemptions (Dutch, maths)",
        "seed 003: geef aan welke leerlingen een vrijstelling krijgen",
    ),
    Action(
        "vlaamse_toetsen.participation.set",
        "Vrijwillige deelname aangeven",
        "Record voluntary participation",
        "seed 003: geef aan welke leerlingen toch deelnemen",
    ),
    Action(
        "vlaamse_toetsen.questionnaire.exclude",
        "Leerlingen uitsluiten van de vragenlijst",
        "Exclude pupils from the questionnaire",
        "seed 003: geef door welke leerlingen de vragenlijst niet mogen invullen",
    ),
    Action(
        "vlaamse_toetsen.accommodations.set",
        "Eigen hulpmiddelen aanduiden",
        "Record own accommodations",
        "seed 003: duid aan welke leerlingen eigen hulpmiddelen mogen gebruiken",
    ),
    Action(
        "vlaamse_toetsen.pupils.import",
        "Leerlingen importeren (EDEXML-bestand)",
        "Import the pupils (EDEXML file)",
        "issue 23, item 5: a Flemish school's pupils come from its EDEXML file",
    ),
    Action(
        "vlaamse_toetsen.pupil_groups.create",
        "Leerlingengroepen aanmaken",
        "Create pupil groups",
        "seed 003: maak de leerlingengroepen aan",
    ),
    Action(
        "vlaamse_toetsen.registration.validate",
        "Gegevens valideren",
        "Validate the registration",
        "seed 003: controleer de ingevulde gegevens en valideer de info",
    ),
    Action(
        "vlaamse_toetsen.participation_list.download",
        "Deelnamelijst downloaden",
        "Download the participation list",
        "seed 003: download de deelnamelijst met vrijstellingen en toegekende hulpmiddelen",
    ),
    Action(
        "vlaamse_toetsen.test_moments.view",
        "Toetsmomenten raadplegen",
        "Consult the test moments",
        "seed 003: raadpleeg de toetsmomenten in het Vlaamse toetsen Schoolloket",
    ),
    Action(
        "vlaamse_toetsen.assistants.appoint",
        "Toetsassistenten voorzien",
        "Appoint test assistants",
        "seed 003: voorzie lokalen en toetsassistenten",
        {_O.ADD_USER, _O.GRANT_ROLE, _O.INVITE},
    ),
    Action(
        "vlaamse_toetsen.practice_test.supervise",
        "Kennismakingstoets begeleiden",
        "Supervise the practice test",
        "seed 003: toetsassistenten om de kennismakingstoets te begeleiden; begeleid de "
        "kennismakingstoets",
    ),
    Action(
        "vlaamse_toetsen.test.supervise",
        "Afname begeleiden",
        "Supervise the test",
        "seed 003: toetsassistenten om de afname te begeleiden; neem de toets af",
    ),
    Action(
        "vlaamse_toetsen.logbook.fill_in",
        "Logboek invullen",
        "Fill in the logbook",
        "seed 003: de logboeken die de toetsassistenten hebben ingevuld",
    ),
    Action(
        "vlaamse_toetsen.test_report.fill_in",
        "Toetsverslag invullen",
        "Fill in the test report",
        "seed 003: vul na elk toetsmoment het toetsverslag in",
    ),
    Action(
        "vlaamse_toetsen.survey.fill_in",
        "Bevraging invullen",
        "Fill in the survey",
        "seed 003: vul de bevraging in",
    ),
    # -- examkit: the operator (the system's own service desk)
    Action(
        "examkit.applications.handle",
        "Aanvraag behandelen",
        "Handle an account application",
        "seed 000 §2: uw aanvraag wordt binnen 5 werkdagen behandeld; seed 004 §3.1",
    ),
    Action(
        "examkit.administrators.grant",
        "Beheerder opvoeren",
        "Register an administrator",
        "seed 004 §3: voert DUO uw instellingsgegevens en de gegevens van uw beheerder op",
        {_O.GRANT_ADMINISTRATOR, _O.GRANT_ROLE},
    ),
    Action(
        "examkit.accounts.link_institution",
        "Account aan instellingen koppelen",
        "Link an account to several institutions",
        "seed 004 §3.1: de helpdesk kan het account aan verschillende instellingen koppelen",
        {_O.LINK_INSTITUTION},
    ),
    Action(
        "examkit.mail.queue",
        "Wachtrij e-mail inzien",
        "See the e-mails waiting for the mail server",
        "examkit's own (NOTE-1): an e-mail the mail server refused waits, visible to the desk",
    ),
    Action(
        "examkit.privacy.purge",
        "Bewaartermijnen toepassen",
        "Remove what has passed its retention term",
        "examkit's own (PRIV-4): the retention jobs, also run by the portal's scheduler",
    ),
    Action(
        "examkit.exam_packages.publish",
        "Examenpakket publiceren",
        "Publish an exam package",
        "examkit's own (SCH-8): the exam board's supplier publishes a test's content, which "
        "travels to the offline servers before the session",
    ),
    # -- privacy (PRIV-3): erasing one person's data
    *(
        Action(
            f"{system}.privacy.erase",
            "Persoonsgegevens wissen",
            "Erase a person's data",
            _ERASURE,
        )
        for system in ("facet", "cito_lvs", "ce_portal", "vlaamse_toetsen", "examkit")
    ),
    # -- privacy (PRIV-2): a person's data exported and corrected, who read what
    *(
        Action(
            f"{system}.privacy.export",
            "Persoonsgegevens inzien, exporteren en laten verbeteren",
            "View, export and correct a person's data",
            _PRIVACY,
        )
        for system in ("facet", "cito_lvs", "cspe", "ce_portal", "vlaamse_toetsen", "examkit")
    ),
)
"""Every action, grouped by application and area, in the seeds' order.

:meta hide-value:
"""

_OWN = ("facet.profile.edit", "facet.password.change")
_FT_MONITOR = (
    "facet.ft.monitor.groups",
    "facet.ft.monitor.release",
    "facet.ft.monitor.block",
    "facet.ft.monitor.access_code",
    "facet.ft.monitor.candidates",
    "facet.ft.monitor.session_report",
    "facet.ft.monitor.close",
)
_MONITOR = (
    "facet.monitor.groups",
    "facet.monitor.release",
    "facet.monitor.block",
    "facet.monitor.access_code",
    "facet.monitor.candidates",
    "facet.monitor.session_report",
    "facet.monitor.close",
    "facet.monitor.intervene",
)
_PORTAL = (
    "ce_portal.pupils.register",
    "ce_portal.paper_test.order",
    "ce_portal.digital_test.plan",
    "ce_portal.reports.view",
)
_SUPERVISE = ("vlaamse_toetsen.practice_test.supervise", "vlaamse_toetsen.test.supervise")

ROLES: Final[tuple[Role, ...]] = (
    Role(
        "facet.administrator",
        "Beheerder Facet",
        "Facet administrator",
        ScopeKind.LOCATIONS,
        (
            *_OWN,
            "facet.users.add",
            "facet.users.grant_roles",
            "facet.users.grant_locations",
            "facet.users.edit",
            "facet.users.revoke_roles",
            "facet.users.deactivate",
            "facet.downloads",
            "facet.privacy.audit",
            "facet.privacy.erase",
            "facet.privacy.export",
        ),
        may_grant=(
            "facet.fao_administrator",
            "facet.ft_planner",
            "facet.ft_proctor",
            "facet.planner",
            "facet.proctor",
            "facet.corrector",
        ),
        by_application=True,
        source=_S31,
    ),
    Role(
        "facet.fao_administrator",
        "FAO beheerder",
        "Offline-server administrator",
        ScopeKind.LOCATIONS,
        (
            "facet.fao.view",
            "facet.fao.add",
            "facet.fao.activate",
            "facet.fao.deactivate",
            "facet.fao.reactivate",
            "facet.fao.edit",
            "facet.fao.delete",
            *_OWN,
            "facet.downloads",
        ),
        source=_S32,
    ),
    Role(
        "facet.ft_planner",
        "FT afnameplanner",
        "Functionality-test planner",
        ScopeKind.LOCATIONS,
        ("facet.ft.exams.overview", "facet.ft.session_groups.create", *_OWN),
        source=_S33,
    ),
    Role(
        "facet.ft_proctor",
        "FT afnameleider",
        "Functionality-test proctor",
        ScopeKind.LOCATIONS,
        (*_FT_MONITOR, *_OWN),
        source=_S34,
    ),
    Role(
        "facet.planner",
        "Afnameplanner",
        "Planner",
        ScopeKind.LOCATIONS,
        (
            "facet.exams.characteristics",
            "facet.session_groups.overview",
            "facet.sessions.plan",
            "facet.sessions.register_proctor",
            "facet.sessions.register_corrector",
            "facet.sessions.view_planned",
            "facet.correctors.schedule",
            "facet.session_groups.import",
            "facet.session_groups.import_status",
            "facet.partial_reports.download",
            "facet.results.view",
            "facet.review.limited",
            "facet.candidates.import",
            "facet.candidates.overview",
            *_OWN,
            "facet.reports.results",
            "facet.downloads",
            "facet.session_report.retrieve",
            "facet.session_groups.release_for_correction",
        ),
        source=_S35,
    ),
    Role(
        "facet.proctor",
        "Afnameleider",
        "Proctor",
        ScopeKind.LOCATIONS,
        (*_MONITOR, *_OWN),
        source=_S36,
    ),
    Role(
        "facet.corrector",
        "Corrector",
        "Corrector (first or second, per session group)",
        ScopeKind.LOCATIONS,
        (
            "facet.correction.overview",
            "facet.correction.agree",
            *_OWN,
            "facet.downloads",
            "facet.correction.close",
            "facet.correction.view_closed",
        ),
        source=_S37,
    ),
    Role(
        "cito_lvs.administrator",
        "Beheerder",
        "Administrator",
        ScopeKind.LOCATIONS,
        (
            "cito_lvs.edexml.import",
            "cito_lvs.users.add",
            "cito_lvs.users.edit",
            "cito_lvs.users.access",
            "cito_lvs.users.assign",
            "cito_lvs.users.invite",
            "cito_lvs.users.remove",
            "cito_lvs.privacy.audit",
            "cito_lvs.privacy.erase",
            "cito_lvs.privacy.export",
        ),
        may_grant=(
            "cito_lvs.pupil_counsellor",
            "cito_lvs.subject_teacher",
            "cito_lvs.quality_officer",
        ),
        by_application=True,
        source="seed 001, instructie voor beheerders (Cito Portal-account per Brin6)",
    ),
    Role(
        "cito_lvs.pupil_counsellor",
        "Leerlingbegeleider",
        "Pupil counsellor",
        ScopeKind.CLASSES,
        ("cito_lvs.reports.view",),
        source=_CITO + ", stap 8 a",
    ),
    Role(
        "cito_lvs.subject_teacher",
        "Vakdocent",
        "Subject teacher (Dutch, English or maths)",
        ScopeKind.SUBJECT_CLASSES,
        ("cito_lvs.reports.view",),
        source=_CITO + ", stap 8 b",
    ),
    Role(
        "cito_lvs.quality_officer",
        "Kwaliteitsmedewerker",
        "Quality officer",
        ScopeKind.LOCATIONS,
        ("cito_lvs.reports.view", "cito_lvs.class_overview.view"),
        source=_CITO + ", stap 8 c",
    ),
    Role(
        "cspe.account_administrator",
        "Accountbeheerder",
        "Account administrator",
        ScopeKind.LOCATIONS,
        (
            "cspe.assignments.prepare",
            "cspe.assignments.mark",
            "cspe.examiners.add",
            "cspe.privacy.export",
        ),
        may_grant=("cspe.examiner",),
        by_application=True,
        source="seed 002, CSPE-app: accountbeheerder (activatiemail vanuit Cito)",
    ),
    Role(
        "cspe.examiner",
        "Examinator",
        "Examiner",
        ScopeKind.LOCATIONS,
        ("cspe.assignments.prepare", "cspe.assignments.mark"),
        source="seed 002, CSPE-app: examinator (activatiemail via de accountbeheerder)",
    ),
    Role(
        "ce_portal.administrator",
        "Beheerder portal Centrale Eindtoets",
        "End-test portal administrator",
        ScopeKind.LOCATIONS,
        (
            "ce_portal.users.grant_access",
            *_PORTAL,
            "ce_portal.privacy.erase",
            "ce_portal.privacy.export",
        ),
        may_grant=("ce_portal.user",),
        by_application=True,
        source="seed 000 §2: aanvragen schoolaccount; gegevens beheerder portal",
    ),
    Role(
        "ce_portal.user",
        "Gebruiker portal Centrale Eindtoets",
        "End-test portal user",
        ScopeKind.LOCATIONS,
        _PORTAL,
        source="seed 000 §2.2: de beheerder kan andere gebruikers toegang geven tot de portal",
    ),
    Role(
        "vlaamse_toetsen.test_coordinator",
        "Toetscoördinator",
        "Test coordinator",
        ScopeKind.SCHOOL,
        (
            "vlaamse_toetsen.contact.check",
            "vlaamse_toetsen.exemptions.set",
            "vlaamse_toetsen.participation.set",
            "vlaamse_toetsen.questionnaire.exclude",
            "vlaamse_toetsen.accommodations.set",
            "vlaamse_toetsen.pupils.import",
            "vlaamse_toetsen.pupil_groups.create",
            "vlaamse_toetsen.registration.validate",
            "vlaamse_toetsen.test_moments.view",
            "vlaamse_toetsen.assistants.appoint",
            "vlaamse_toetsen.participation_list.download",
            *_SUPERVISE,
            "vlaamse_toetsen.test_report.fill_in",
            "vlaamse_toetsen.survey.fill_in",
            "vlaamse_toetsen.privacy.erase",
            "vlaamse_toetsen.privacy.export",
        ),
        may_grant=("vlaamse_toetsen.test_assistant",),
        by_application=True,
        source="seed 003, checklist toetscoördinator",
    ),
    Role(
        "vlaamse_toetsen.test_assistant",
        "Toetsassistent",
        "Test assistant",
        ScopeKind.SCHOOL,
        (*_SUPERVISE, "vlaamse_toetsen.logbook.fill_in"),
        source="seed 003: toetsassistenten begeleiden de kennismakingstoets en de afname",
    ),
    Role(
        "examkit.operator",
        "Servicedesk",
        "Operator (the system's own service desk)",
        ScopeKind.SYSTEM,
        (
            "examkit.applications.handle",
            "examkit.administrators.grant",
            "examkit.accounts.link_institution",
            "examkit.mail.queue",
            "examkit.exam_packages.publish",
            "examkit.privacy.erase",
            "examkit.privacy.export",
            "examkit.privacy.purge",
        ),
        may_grant=(
            "facet.administrator",
            "cito_lvs.administrator",
            "cspe.account_administrator",
            "ce_portal.administrator",
            "vlaamse_toetsen.test_coordinator",
            "examkit.operator",
        ),
        source="seed 004 §3.1 (DUO, via het aanmeldformulier; de helpdesk Facet); seed 000 §2",
    ),
)
"""Every role, by application, in the seeds' order.

:meta hide-value:
"""

MATRIX: Final[PermissionMatrix] = PermissionMatrix.of(SYSTEMS, ACTIONS, ROLES)
"""The permission matrix, checked at import.

:meta hide-value:
"""

OPERATOR: Final = "examkit.operator"
"""The operator's role code: the system's own service desk."""
