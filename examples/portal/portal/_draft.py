"""The account application in progress: what the applicant typed, sealed in a signed cookie.

The four steps post one after the other and each is followed by a redirect,
so what was entered must outlive a request without an account to keep it
under. It lives in a cookie, as a :class:`Draft` sealed with an HMAC under
a key derived from the portal's token key, for :data:`DRAFT_LIFETIME`: the
browser holds only what its user typed, and cannot change it unnoticed (a
changed or expired cookie reads as an empty draft). Nothing in it is
trusted: every step is checked again by examkit's wizard whenever the draft
is read back (:func:`wizard_of`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from examkit.applications import (
    AdministratorEntry,
    ApplicationWizard,
    AuthorityEntry,
    LocationEntry,
    SchoolEntry,
    WizardStep,
)
from examkit.errors import ExamkitError

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
