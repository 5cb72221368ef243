"""The account application in progress: what the applicant typed, sealed in a signed cookie.

The four steps post one after the other and each is followed by a redirect,
so what was entered must outlive a request without an account to keep it
under. It lives in a cookie, as a :class:`Draft` sealed with an HMAC under
a key derived from the portal's token key, for :data:`DRAFT_LIFETIME`: the
browser holds only what its user typed, and cannot change it unnoticed (a
changed or expired cookie reads as an empty draft). Nothing in it is
trusted: every step is checked again by examkit's wizard whenever the draft
is read back (:func:`wizard_of`).

The steps' inputs are written out here too (:data:`FIELDS`), with how a
posted form becomes the wizard's entry (:func:`entry_of`) and how the
wizard's problems find their inputs again (:func:`problems_of`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import zlib
from datetime import datetime, timedelta
from typing import Any, Final

import attrs
from starlette.datastructures import FormData

from examkit.applications import (
    AdministratorEntry,
    ApplicationWizard,
    AuthorityEntry,
    LocationEntry,
    SchoolEntry,
    WizardStep,
)
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.messages import Lang
from portal._i18n import N_

DRAFT_LIFETIME: Final = timedelta(hours=2)
"""How long an application in progress is kept after its last step."""
MAX_LOCATIONS: Final = 20
"""The most secondary locations one application lists (the cookie's size stays small)."""
_MAX_TEXT: Final = 300
_PURPOSE: Final = b"portal.applications.draft"

Entry = SchoolEntry | AdministratorEntry | AuthorityEntry


@attrs.frozen
class Draft:
    """What the applicant entered at each step, and the furthest step they may open."""

    reached: WizardStep = WizardStep.SCHOOL
    """The furthest step reached (every earlier one passed its check)."""
    school: SchoolEntry = attrs.field(factory=SchoolEntry)
    """Step 1 as typed."""
    administrator: AdministratorEntry = attrs.field(factory=AdministratorEntry)
    """Step 2 as typed."""
    authority: AuthorityEntry = attrs.field(factory=AuthorityEntry)
    """Step 3 as typed."""

    def entry(self, step: WizardStep) -> Entry:
        """Return what was typed at *step* (1 to 3)."""
        return (self.school, self.administrator, self.authority)[step - 1]

    def with_entry(self, entry: Entry) -> Draft:
        """Return this draft keeping *entry* at its step."""
        if isinstance(entry, SchoolEntry):
            return attrs.evolve(self, school=entry)
        if isinstance(entry, AdministratorEntry):
            return attrs.evolve(self, administrator=entry)
        return attrs.evolve(self, authority=entry)


def _key(token_key: bytes) -> bytes:
    return hmac.new(token_key, _PURPOSE, hashlib.sha256).digest()


def seal(draft: Draft, token_key: bytes, now: datetime) -> str:
    """Return *draft* as a cookie value: compressed JSON and its HMAC, valid from *now*."""
    body = {
        "reached": int(draft.reached),
        "school": attrs.asdict(draft.school),
        "administrator": attrs.asdict(draft.administrator),
        "authority": attrs.asdict(draft.authority),
        "expires": int((now + DRAFT_LIFETIME).timestamp()),
    }
    payload = zlib.compress(json.dumps(body, separators=(",", ":")).encode("utf-8"))
    mac = hmac.new(_key(token_key), payload, hashlib.sha256).digest()
    return ".".join(base64.urlsafe_b64encode(part).decode("ascii") for part in (payload, mac))


def unseal(value: str | None, token_key: bytes, now: datetime) -> Draft:
    """Return the draft sealed in *value*; an empty one if it is missing, changed or expired."""
    if not value or value.count(".") != 1:
        return Draft()
    try:
        payload, mac = (base64.urlsafe_b64decode(part) for part in value.split("."))
        expected = hmac.new(_key(token_key), payload, hashlib.sha256).digest()
        if not hmac.compare_digest(mac, expected):
            return Draft()
        body = json.loads(zlib.decompress(payload, bufsize=16384))
        if int(body["expires"]) < now.timestamp():
            return Draft()
        return _draft(body)
    except (ValueError, KeyError, TypeError, zlib.error):
        return Draft()


def _texts(kind: type[Any], found: object) -> Any:
    if not isinstance(found, dict):
        raise TypeError(kind.__name__)
    names = [field.name for field in attrs.fields(kind)]
    values = {name: found.get(name, "") for name in names if name != "secondary_locations"}
    if not all(isinstance(value, str) and len(value) <= _MAX_TEXT for value in values.values()):
        raise TypeError(kind.__name__)
    return values


def _draft(body: dict[str, Any]) -> Draft:
    school = body["school"]
    rows = school.get("secondary_locations", []) if isinstance(school, dict) else None
    if not isinstance(rows, list) or len(rows) > MAX_LOCATIONS:
        raise TypeError("secondary_locations")
    return Draft(
        reached=WizardStep(int(body["reached"])),
        school=SchoolEntry(
            **_texts(SchoolEntry, school),
            secondary_locations=tuple(LocationEntry(**_texts(LocationEntry, row)) for row in rows),
        ),
        administrator=AdministratorEntry(**_texts(AdministratorEntry, body["administrator"])),
        authority=AuthorityEntry(**_texts(AuthorityEntry, body["authority"])),
    )


def wizard_of(wizard: ApplicationWizard, draft: Draft, upto: WizardStep) -> WizardStep:
    """Enter and check *draft*'s steps before *upto* in a fresh *wizard*; return where it stands.

    That is *upto*, or an earlier step whose entry no longer passes (the
    wizard stays there, its entry entered).
    """
    for step in (WizardStep.SCHOOL, WizardStep.ADMINISTRATOR, WizardStep.COMPETENT_AUTHORITY):
        if step >= upto:
            break
        wizard.enter(draft.entry(step))
        try:
            wizard.next()
        except ExamkitError:
            return step
    return wizard.step


_SECTION: Final = {
    WizardStep.SCHOOL: "school",
    WizardStep.ADMINISTRATOR: "administrator",
    WizardStep.COMPETENT_AUTHORITY: "competent_authority",
}
_ENTRY: Final[dict[WizardStep, type[Entry]]] = {
    WizardStep.SCHOOL: SchoolEntry,
    WizardStep.ADMINISTRATOR: AdministratorEntry,
    WizardStep.COMPETENT_AUTHORITY: AuthorityEntry,
}
ROW_FIELDS: Final = ("location_code", "education_location_code", "location_name")
BLANK_ROWS: Final = 2
"""The empty rows the secondary locations' table offers below those entered."""


@attrs.frozen
class Field:
    """One input of a step: its name in the form (examkit's field), label, hint, autocomplete."""

    name: str
    """The entry's attribute and the form's field name."""
    label: str
    """Its label (a message id of the portal's catalogues)."""
    hint: str = ""
    """A line under the label, or empty."""
    autocomplete: str = "off"
    """The input's ``autocomplete``."""
    required: bool = True
    """Whether the step needs it."""
    kind: str = "text"
    """The input's ``type``."""


FIELDS: Final[dict[WizardStep, tuple[Field, ...]]] = {
    WizardStep.SCHOOL: (
        Field(
            "location_code",
            N_("Institution code + administration number"),
            N_("Of the main or inspection location, for example 22AB 00."),
        ),
        Field("education_location_code", N_("Education location code"), required=False),
        Field("school_name", N_("School name"), autocomplete="organization"),
        Field("street", N_("Street"), autocomplete="address-line1"),
        Field("house_number", N_("House number")),
        Field("postcode", N_("Postcode"), autocomplete="postal-code"),
        Field("town", N_("Town"), autocomplete="address-level2"),
    ),
    WizardStep.ADMINISTRATOR: (
        Field("first_name", N_("First name"), autocomplete="given-name"),
        Field("last_name", N_("Last name"), autocomplete="family-name"),
        Field(
            "phone_number",
            N_("Phone number"),
            N_("A mobile or landline number."),
            autocomplete="tel",
            kind="tel",
        ),
        Field(
            "email_address",
            N_("E-mail address"),
            N_(
                "The administrator receives the sign-in details at this address: one of the "
                "institution, not a private (Gmail or Hotmail) address."
            ),
            autocomplete="email",
            kind="email",
        ),
        Field(
            "login_name",
            N_("Desired login name"),
            N_("8 to 20 characters: letters, digits and dots, for example 22AB.K.Beheerder."),
        ),
    ),
    WizardStep.COMPETENT_AUTHORITY: (
        Field("initials", N_("Initials")),
        Field("last_name", N_("Last name"), autocomplete="family-name"),
        Field("job_title", N_("Function"), N_("For example director or head of school.")),
        Field(
            "email_address",
            N_("E-mail address"),
            N_("The director's or head of school's address at the institution."),
            autocomplete="email",
            kind="email",
        ),
    ),
}
"""The inputs of steps 1 to 3, in the form's order (step 1 also has the locations' table)."""


def field_id(name: str) -> str:
    """Return the HTML id of the input named *name* (``secondary_locations[0].location_code``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-")


def entry_of(step: WizardStep, form: FormData) -> Entry:
    """Return what was typed at *step* in the posted *form* (empty location rows left out)."""
    kind = _ENTRY[step]
    values: dict[str, Any] = {
        field.name: str(form.get(field.name, ""))[:300] for field in FIELDS[step]
    }
    if kind is not SchoolEntry:
        return kind(**values)
    rows = []
    for index in range(2 * MAX_LOCATIONS):
        cells = [
            str(form.get(f"secondary_locations[{index}].{name}", ""))[:300] for name in ROW_FIELDS
        ]
        if any(cell.strip() for cell in cells):
            rows.append(LocationEntry(*cells))
    return attrs.evolve(SchoolEntry(secondary_locations=tuple(rows[:MAX_LOCATIONS])), **values)


def problems_of(error: ExamkitError, step: WizardStep, lang: Lang) -> dict[str, str]:
    """Return each problem's message by the form's field name (the step's prefix taken off)."""
    prefix = f"{_SECTION[step]}."
    found: dict[str, str] = {}
    problems = error.problems if isinstance(error, ExamkitErrorGroup) else [error]
    for problem in problems:
        name = (problem.field or "").removeprefix(prefix)
        found.setdefault(name, problem.message(lang))
    return found
