"""The account application (*aanvraag schoolaccount*) as a value: school, administrator, authority.

Every field is checked when the value is made: identifiers through
:mod:`examkit.identifiers`, the phone number through ``phonenumbers``, the
login name as :class:`~examkit.accounts.LoginName`, e-mail addresses for
their syntax. Whether an address belongs to the institution (ACC-3) is the
portal's rule (:class:`~examkit.applications.MailDomainRule`), checked by the
wizard, not here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from examkit._fields import (
    check_email,
    clean_text,
    normalise_email,
    optional_text,
    require_aware_utc,
    required_text,
)
from examkit.accounts import LoginName
from examkit.applications._phone import normalise_phone
from examkit.applications._working_days import AMSTERDAM
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers import Brin, LocationCode, OnderwijslocatieCode
from examkit.org import Address

__all__ = [
    "AccountApplication",
    "AdministratorDetails",
    "ApplicationStatus",
    "AuthorityDetails",
    "Decision",
    "SchoolDetails",
    "SecondaryLocation",
]

_APPLICATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SYSTEM = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _optional_olc(value: object) -> OnderwijslocatieCode | None:
    if value is None or isinstance(value, OnderwijslocatieCode):
        return value
    if isinstance(value, str) and not value.strip(" -"):
        return None
    return OnderwijslocatieCode.parse(value)  # type: ignore[arg-type]


def _location(value: object) -> LocationCode:
    if isinstance(value, LocationCode):
        return value
    return LocationCode.parse(value)  # type: ignore[arg-type]


@attrs.frozen
class SecondaryLocation:
    """A secondary location (*nevenlocatie*) the administrator will also administer.

    >>> SecondaryLocation(LocationCode("22AB01")).code
    LocationCode('22AB01')

    Implements ACC-1 and ACC-5.
    """

    code: LocationCode = attrs.field(converter=_location)
    """Its institution code + administration number (``22AB01``)."""
    onderwijslocatiecode: OnderwijslocatieCode | None = attrs.field(
        default=None, converter=_optional_olc
    )
    """Its onderwijslocatiecode (DUO), if it has one."""
    name: str = attrs.field(default="", converter=clean_text, validator=optional_text(200))
    """Its name (*locatienaam*), if given."""


def _check_locations(
    school: SchoolDetails, _: attrs.Attribute[Any], value: tuple[SecondaryLocation, ...]
) -> None:
    problems: list[ExamkitError] = []
    seen = {school.code}
    for index, location in enumerate(value):
        field = f"secondary_locations[{index}].location_code"
        if location.code.brin != school.code.brin:
            problems.append(
                InvalidInput(
                    "applications.location.other_brin",
                    field=field,
                    value=str(location.code),
                    brin=str(school.code.brin),
                )
            )
        elif location.code in seen:
            problems.append(
                InvalidInput(
                    "applications.location.duplicate", field=field, value=str(location.code)
                )
            )
        seen.add(location.code)
    if problems:
        raise ExamkitErrorGroup(problems)


def _locations(value: Iterable[SecondaryLocation]) -> tuple[SecondaryLocation, ...]:
    return tuple(value)


@attrs.frozen
class SchoolDetails:
    """Step 1, the school (*Gegevens school*): the main or inspection location and its address.

    >>> from examkit.identifiers import Postcode
    >>> school = SchoolDetails(
    ...     LocationCode("22AB00"), None, "Helpdeskschool",
    ...     Address("Waterlaan", "2", Postcode("8835BA"), "Groningen"),
    ...     (SecondaryLocation(LocationCode("22AB01")),))
    >>> str(school.brin), school.location_codes
    ('22AB', (LocationCode('22AB00'), LocationCode('22AB01')))

    Implements ACC-1 and ACC-5.
    """

    code: LocationCode = attrs.field(converter=_location)
    """The institution code + administration number (*instellingscode + administratienummer*)."""
    onderwijslocatiecode: OnderwijslocatieCode | None = attrs.field(converter=_optional_olc)
    """The onderwijslocatiecode (DUO), if the school has one."""
    name: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The school's name (main or inspection location)."""
    address: Address
    """The school's address."""
    secondary_locations: tuple[SecondaryLocation, ...] = attrs.field(
        default=(), converter=_locations, validator=_check_locations
    )
    """The secondary locations (*nevenlocaties*), each of the same BRIN, in the order entered."""

    @property
    def brin(self) -> Brin:
        """The institution (BRIN) applied for."""
        return self.code.brin

    @property
    def location_codes(self) -> tuple[LocationCode, ...]:
        """The main location and every secondary location: where the administrator acts."""
        return (self.code, *(location.code for location in self.secondary_locations))


def _phone(value: object) -> str:
    return normalise_phone(value, "phone")


@attrs.frozen
class AdministratorDetails:
    """Step 2, the administrator (*beheerder*) who will get the account.

    >>> person = AdministratorDetails(
    ...     "Klaas", "Beheerder", "06-12345678", "k.beheerder@helpdeskschool.nl",
    ...     LoginName("22AB.K.Beheerder"))
    >>> person.full_name, person.phone
    ('Klaas Beheerder', '0612345678')

    Implements ACC-2.
    """

    first_name: str = attrs.field(converter=clean_text, validator=required_text(80))
    """The first name (*voornaam*)."""
    last_name: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The last name with any prefix (*achternaam*)."""
    phone: str = attrs.field(converter=_phone)
    """A Dutch mobile or landline number, kept as its ten digits (``0612345678``)."""
    email: str = attrs.field(converter=normalise_email, validator=check_email)
    """The e-mail address that receives the login details."""
    login_name: LoginName
    """The wished-for login name (*gewenste inlognaam*)."""

    @property
    def full_name(self) -> str:
        """First and last name, as printed."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen
class AuthorityDetails:
    """Step 3, the competent authority (*bevoegd gezag*): the director or school head who signs.

    >>> AuthorityDetails("G.", "Jansen", "Directeur", "g.jansen@helpdeskschool.nl").full_name
    'G. Jansen'

    Implements ACC-4.
    """

    initials: str = attrs.field(converter=clean_text, validator=required_text(20))
    """The initials (*voorletters*), ``G.``."""
    last_name: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The last name with any prefix."""
    function: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The function (*functie*), ``Directeur``."""
    email: str = attrs.field(converter=normalise_email, validator=check_email)
    """The e-mail address that receives the registration confirmation."""

    @property
    def full_name(self) -> str:
        """Initials and last name, as printed."""
        return f"{self.initials} {self.last_name}"


class ApplicationStatus(enum.Enum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    """Confirmed by the school; waiting in the operator's queue."""
    APPROVED = "approved"
    """Approved: the administrator has the account and role."""
    REJECTED = "rejected"
    """Rejected, with a reason."""


def _aware_decided_at(value: datetime) -> datetime:
    return require_aware_utc(value, "decided_at")


@attrs.frozen
class Decision:
    """The operator's decision on an application.

    Implements ACC-6 and ACC-8.
    """

    decided_at: datetime = attrs.field(converter=_aware_decided_at)
    """When the operator decided."""
    decided_by: str
    """The operator's account id."""
    reason: str = attrs.field(default="", converter=clean_text, validator=optional_text(1000))
    """Why (required for a rejection)."""
    account: str | None = None
    """The administrator's account id (on approval: created, or the earlier year's)."""


def _application_id(value: str) -> str:
    text = clean_text(value)
    if not _APPLICATION_ID.fullmatch(text):
        raise InvalidInput("applications.id.invalid", field="id", value=text)
    return text


def _system(value: str) -> str:
    text = clean_text(value)
    if not _SYSTEM.fullmatch(text):
        raise InvalidInput("applications.system.invalid", field="system", value=text)
    return text


def _aware_submitted_at(value: datetime) -> datetime:
    return require_aware_utc(value, "submitted_at")


def _check_decision(
    application: AccountApplication, _: attrs.Attribute[Any], value: Decision | None
) -> None:
    decided = application.status is not ApplicationStatus.SUBMITTED
    if decided != (value is not None):
        raise InvalidInput("applications.decision.mismatch", field="decision")


@attrs.frozen
class AccountApplication:
    """A school's application for an administrator account (*aanvraag schoolaccount*).

    Made by :meth:`ApplicationWizard.confirm <examkit.applications.ApplicationWizard.confirm>`,
    kept by the backend, decided by the operator. Its JSON form is
    :func:`~examkit.applications.application_to_json`.

    Implements ACC-1 to ACC-4, ACC-6 and ACC-8.
    """

    id: str = attrs.field(converter=_application_id)
    """The application's id (letters, digits, ``-`` and ``_``)."""
    system: str = attrs.field(converter=_system)
    """The system applied for: an application code of the role matrix (``ce_portal``)."""
    school: SchoolDetails
    """Step 1: the school."""
    administrator: AdministratorDetails
    """Step 2: the administrator."""
    competent_authority: AuthorityDetails
    """Step 3: the competent authority."""
    submitted_at: datetime = attrs.field(converter=_aware_submitted_at)
    """When the school confirmed it (UTC)."""
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    """Where it stands."""
    decision: Decision | None = attrs.field(default=None, validator=_check_decision)
    """The operator's decision, once decided."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version, bumped by the backend at every write (0: never stored)."""

    @property
    def brin(self) -> Brin:
        """The institution applied for."""
        return self.school.brin

    def submitted_on(self) -> date:
        """Return the day it was submitted, in Dutch time (the due date counts from here)."""
        return self.submitted_at.astimezone(AMSTERDAM).date()
