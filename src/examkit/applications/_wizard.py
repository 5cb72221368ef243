"""The four-step application wizard (ACC-1 to ACC-4) as a library object.

A portal shows one step at a time and hands what was typed to the wizard
as an entry (:class:`SchoolEntry`, :class:`AdministratorEntry`,
:class:`AuthorityEntry`: text exactly as typed). :meth:`ApplicationWizard.next`
checks the current step alone and reports every problem of it at once, each
naming its field (``administrator.phone_number``) and saying what to do;
:meth:`~ApplicationWizard.back` goes back keeping everything entered;
:meth:`~ApplicationWizard.review` shows everything; and
:meth:`~ApplicationWizard.confirm` makes the submitted application.

>>> wizard = ApplicationWizard("ce_portal")
>>> wizard.enter(SchoolEntry("22AB 00", "", "Helpdeskschool", "Waterlaan", "2",
...                          "8835BA", "Groningen", (LocationEntry("22AB 01"),)))
>>> wizard.next()
<WizardStep.ADMINISTRATOR: 2>
>>> wizard.enter(AdministratorEntry("Klaas", "Beheerder", "06-12345678",
...                                 "k.beheerder@gmail.com", "22AB.K.Beheerder"))
>>> try:
...     wizard.next()
... except ExamkitErrorGroup as problems:
...     print([problem.field for problem in problems.problems])
['administrator.email_address']
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Final, TypeVar

import attrs

from examkit._fields import clean_text, is_email, normalise_email, refuse_unprintable
from examkit.accounts import LoginName
from examkit.applications._model import (
    AccountApplication,
    AdministratorDetails,
    AuthorityDetails,
    SchoolDetails,
    SecondaryLocation,
)
from examkit.applications._phone import normalise_phone
from examkit.applications._rules import MailDomainRule
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, InvalidState
from examkit.identifiers import BelgianPostcode, LocationCode, OnderwijslocatieCode, Postcode
from examkit.messages import Lang, text
from examkit.org import Address
from examkit.permissions import MATRIX, ScopeKind

__all__ = [
    "ADMINISTRATOR_ROLES",
    "AdministratorEntry",
    "ApplicationWizard",
    "AuthorityEntry",
    "LocationEntry",
    "ReviewSection",
    "SchoolEntry",
    "WizardStep",
    "check_administrator",
    "check_authority",
    "check_school",
]

T = TypeVar("T")

ADMINISTRATOR_ROLES: Final[dict[str, str]] = {
    role.application: role.code
    for role in MATRIX.roles.values()
    if role.by_application and role.scope is ScopeKind.LOCATIONS
}
"""Per system a school can apply to, the administrator role an approval grants (ACC-8)."""


class WizardStep(enum.IntEnum):
    """The wizard's four screens, in order."""

    SCHOOL = 1
    """1. School."""
    ADMINISTRATOR = 2
    """2. Administrator (*Beheerder*)."""
    COMPETENT_AUTHORITY = 3
    """3. Competent authority (*Bevoegd gezag*)."""
    REVIEW = 4
    """4. Review and confirm (*Controleren en bevestigen*)."""


def _texts(value: Iterable[LocationEntry]) -> tuple[LocationEntry, ...]:
    return tuple(value)


@attrs.frozen
class LocationEntry:
    """One row of the secondary-locations table, as typed."""

    location_code: str = ""
    """Instellingscode + administratienummer (``22AB 01``)."""
    education_location_code: str = ""
    """The onderwijslocatiecode, or empty."""
    location_name: str = ""
    """The location's name, or empty."""


@attrs.frozen
class SchoolEntry:
    """Step 1 as typed: the school's codes, name, address and secondary locations."""

    location_code: str = ""
    """Instellingscode + administratienummer of the main or inspection location (``22AB 00``)."""
    education_location_code: str = ""
    """The onderwijslocatiecode, or empty."""
    school_name: str = ""
    """The school's name."""
    street: str = ""
    """Street."""
    house_number: str = ""
    """House number with any addition."""
    postcode: str = ""
    """Postcode (``8835 BA``)."""
    town: str = ""
    """Town."""
    secondary_locations: tuple[LocationEntry, ...] = attrs.field(default=(), converter=_texts)
    """The secondary locations, one row each."""


@attrs.frozen
class AdministratorEntry:
    """Step 2 as typed: the administrator."""

    first_name: str = ""
    """First name."""
    last_name: str = ""
    """Last name."""
    phone_number: str = ""
    """Mobile or landline number, in any usual written form."""
    email_address: str = ""
    """E-mail address at the institution."""
    login_name: str = ""
    """Wished-for login name."""


@attrs.frozen
class AuthorityEntry:
    """Step 3 as typed: the director or school head who signs."""

    initials: str = ""
    """Initials."""
    last_name: str = ""
    """Last name."""
    job_title: str = ""
    """Function (``Directeur``)."""
    email_address: str = ""
    """E-mail address at the institution."""


class _Check:
    """Collects a step's problems, each with its field."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.problems: list[ExamkitError] = []

    def field(self, name: str, value: str, read: Callable[[str], T], required: bool = True) -> T:
        where = f"{self.section}.{name}"
        if required and not value.strip():
            self.problems.append(InvalidInput("applications.field.required", field=where))
            return None  # type: ignore[return-value]
        try:
            return read(value)
        except ExamkitErrorGroup as group:
            self.problems.extend(problem.with_location(field=where) for problem in group.problems)
        except ExamkitError as error:
            self.problems.append(error.with_location(field=where))
        return None  # type: ignore[return-value]

    def email(self, name: str, value: str, rule: MailDomainRule) -> str:
        def read(raw: str) -> str:
            address = normalise_email(raw)
            if not is_email(address):
                raise InvalidInput("applications.email.invalid", value=raw.strip())
            rule.check(address, name)
            return address

        return self.field(name, value, read)

    def done(self) -> None:
        if self.problems:
            raise ExamkitErrorGroup(self.problems)


def _max(length: int) -> Callable[[str], str]:
    def read(value: str) -> str:
        cleaned = clean_text(value)
        if len(cleaned) > length:
            raise InvalidInput("input.too_long", maximum=length)
        refuse_unprintable(cleaned)
        return cleaned

    return read


def _olc(value: str) -> OnderwijslocatieCode | None:
    return None if not value.strip(" -") else OnderwijslocatieCode.parse(value)


def _postcode(value: str) -> Postcode | BelgianPostcode:
    return Postcode.parse(value)


def check_school(entry: SchoolEntry) -> SchoolDetails:
    """Return step 1's school, or raise every problem of the step.

    Raises:
        ExamkitErrorGroup: every problem, each naming its field (``school.postcode``).

    Implements ACC-1.
    """
    check = _Check("school")
    code = check.field("location_code", entry.location_code, LocationCode.parse)
    olc = check.field("education_location_code", entry.education_location_code, _olc, False)
    name = check.field("school_name", entry.school_name, _max(200))
    street = check.field("street", entry.street, _max(120))
    number = check.field("house_number", entry.house_number, _max(20))
    postcode = check.field("postcode", entry.postcode, _postcode)
    town = check.field("town", entry.town, _max(80))
    locations: list[SecondaryLocation | None] = []
    for index, row in enumerate(entry.secondary_locations):
        place = f"secondary_locations[{index}]"
        row_code = check.field(f"{place}.location_code", row.location_code, LocationCode.parse)
        row_olc = check.field(
            f"{place}.education_location_code", row.education_location_code, _olc, False
        )
        row_name = check.field(f"{place}.location_name", row.location_name, _max(200), False)
        locations.append(
            None if row_code is None else SecondaryLocation(row_code, row_olc, row_name or "")
        )
    check.done()
    try:
        return SchoolDetails(
            code,
            olc,
            name,
            Address(street, number, postcode, town),
            tuple(location for location in locations if location is not None),
        )
    except ExamkitErrorGroup as group:
        raise ExamkitErrorGroup(
            [problem.with_location(field=f"school.{problem.field}") for problem in group.problems]
        ) from None


def check_administrator(entry: AdministratorEntry, rule: MailDomainRule) -> AdministratorDetails:
    """Return step 2's administrator, or raise every problem of the step.

    The phone number must be a Dutch mobile or landline number, the e-mail
    address one of the institution (*rule*), the login name 8 to 20
    letters, digits and dots.

    Raises:
        ExamkitErrorGroup: every problem, each naming its field (``administrator.login_name``).

    Implements ACC-2 and ACC-3.
    """
    check = _Check("administrator")
    first = check.field("first_name", entry.first_name, _max(80))
    last = check.field("last_name", entry.last_name, _max(120))
    phone = check.field("phone_number", entry.phone_number, normalise_phone)
    email = check.email("email_address", entry.email_address, rule)
    login = check.field("login_name", entry.login_name, lambda value: LoginName(value.strip()))
    check.done()
    return AdministratorDetails(first, last, phone, email, login)


def check_authority(entry: AuthorityEntry, rule: MailDomainRule) -> AuthorityDetails:
    """Return step 3's competent authority, or raise every problem of the step.

    Raises:
        ExamkitErrorGroup: every problem, each naming its field
            (``competent_authority.email_address``).

    Implements ACC-3 and ACC-4.
    """
    check = _Check("competent_authority")
    initials = check.field("initials", entry.initials, _max(20))
    last = check.field("last_name", entry.last_name, _max(120))
    function = check.field("job_title", entry.job_title, _max(120))
    email = check.email("email_address", entry.email_address, rule)
    check.done()
    return AuthorityDetails(initials, last, function, email)


@attrs.frozen
class ReviewSection:
    """One block of the review screen: its title and (label, value) rows."""

    title: str
    """The block's title (``School``)."""
    rows: tuple[tuple[str, str], ...]
    """Label and value of every field, in the form's order."""


_STEP_OF: Final[dict[type, WizardStep]] = {
    SchoolEntry: WizardStep.SCHOOL,
    AdministratorEntry: WizardStep.ADMINISTRATOR,
    AuthorityEntry: WizardStep.COMPETENT_AUTHORITY,
}


class ApplicationWizard:
    """The application wizard of one applicant: four steps, each checked on its own.

    Args:
        system: The system applied for (a key of :data:`ADMINISTRATOR_ROLES`).
        mail_rule: The portal's institution-address rule (the default list if ``None``).

    Raises:
        InvalidInput: no administrator account can be applied for in *system*.

    Implements ACC-1 to ACC-4.
    """

    def __init__(self, system: str, *, mail_rule: MailDomainRule | None = None) -> None:
        if system not in ADMINISTRATOR_ROLES:
            raise InvalidInput(
                "applications.system.unknown",
                field="system",
                value=system,
                allowed=", ".join(sorted(ADMINISTRATOR_ROLES)),
            )
        self.system = system
        """The system applied for."""
        self._rule = mail_rule if mail_rule is not None else MailDomainRule.default()
        self._step = WizardStep.SCHOOL
        self._school_entry = SchoolEntry()
        self._administrator_entry = AdministratorEntry()
        self._authority_entry = AuthorityEntry()
        self._school: SchoolDetails | None = None
        self._administrator: AdministratorDetails | None = None
        self._authority: AuthorityDetails | None = None

    @property
    def step(self) -> WizardStep:
        """The step shown now."""
        return self._step

    @property
    def school_entry(self) -> SchoolEntry:
        """What was entered at step 1 (empty until then)."""
        return self._school_entry

    @property
    def administrator_entry(self) -> AdministratorEntry:
        """What was entered at step 2."""
        return self._administrator_entry

    @property
    def authority_entry(self) -> AuthorityEntry:
        """What was entered at step 3."""
        return self._authority_entry

    def enter(self, entry: SchoolEntry | AdministratorEntry | AuthorityEntry) -> None:
        """Keep what was typed at the current step (checked by :meth:`next`).

        Raises:
            InvalidState: *entry* is not the current step's.
        """
        if _STEP_OF[type(entry)] is not self._step:
            raise InvalidState("applications.wizard.wrong_step", step=self._step.name.lower())
        if isinstance(entry, SchoolEntry):
            self._school_entry = entry
        elif isinstance(entry, AdministratorEntry):
            self._administrator_entry = entry
        else:
            self._authority_entry = entry

    def next(self) -> WizardStep:
        """Check the current step; go on to the next one when it has no problems.

        Raises:
            ExamkitErrorGroup: every problem of the step (the step stays; the entry is kept).
            InvalidState: at the review step (confirm instead).
        """
        if self._step is WizardStep.SCHOOL:
            self._school = check_school(self.school_entry)
        elif self._step is WizardStep.ADMINISTRATOR:
            self._administrator = check_administrator(self.administrator_entry, self._rule)
        elif self._step is WizardStep.COMPETENT_AUTHORITY:
            self._authority = check_authority(self.authority_entry, self._rule)
        else:
            raise InvalidState("applications.wizard.last_step")
        self._step = WizardStep(self._step + 1)
        return self._step

    def back(self) -> WizardStep:
        """Go back one step, keeping everything entered.

        Raises:
            InvalidState: at the first step.
        """
        if self._step is WizardStep.SCHOOL:
            raise InvalidState("applications.wizard.first_step")
        self._step = WizardStep(self._step - 1)
        return self._step

    def _checked(self) -> tuple[SchoolDetails, AdministratorDetails, AuthorityDetails]:
        school, admin, authority = self._school, self._administrator, self._authority
        if self._step is not WizardStep.REVIEW or not (school and admin and authority):
            raise InvalidState("applications.wizard.not_reviewing", step=self._step.name.lower())
        return school, admin, authority

    def review(self, lang: Lang = "nl") -> tuple[ReviewSection, ...]:
        """Return everything entered, checked, as the review screen shows it.

        Raises:
            InvalidState: not at the review step.
        """
        school, admin, authority = self._checked()

        def label(key: str) -> str:
            return text(f"applications.label.{key}", lang)

        secondary = ", ".join(str(location.code) for location in school.secondary_locations)
        return (
            ReviewSection(
                label("school"),
                (
                    (label("location_code"), str(school.code)),
                    (label("education_location_code"), str(school.onderwijslocatiecode or "-")),
                    (label("school_name"), school.name),
                    (label("street"), f"{school.address.street} {school.address.house_number}"),
                    (label("town"), f"{school.address.postcode} {school.address.town}"),
                    (label("secondary_locations"), secondary or "-"),
                ),
            ),
            ReviewSection(
                label("administrator"),
                (
                    (label("name"), admin.full_name),
                    (label("phone_number"), admin.phone),
                    (label("email_address"), admin.email),
                    (label("login_name"), str(admin.login_name)),
                ),
            ),
            ReviewSection(
                label("competent_authority"),
                (
                    (label("name"), authority.full_name),
                    (label("job_title"), authority.function),
                    (label("email_address"), authority.email),
                ),
            ),
        )

    def confirm(self, *, id: str, submitted_at: datetime) -> AccountApplication:
        """Return the submitted application (*Verzenden*).

        Usually called by :meth:`ApplicationService.submit
        <examkit.applications.ApplicationService.submit>`, which gives the id
        and time and stores it.

        Raises:
            InvalidState: not at the review step.
        """
        school, admin, authority = self._checked()
        return AccountApplication(
            id=id,
            system=self.system,
            school=school,
            administrator=admin,
            competent_authority=authority,
            submitted_at=submitted_at,
        )
