"""The account application's JSON form: versioned, English snake_case keys (ACC-1).

The keys are the form's own words in English, not the attribute names of
the Python values, so that the values may change while the form stays:
version :data:`JSON_VERSION` of format :data:`JSON_FORMAT`. Leaf values go
through examkit's converter (:mod:`examkit.converter`): identifiers as their
normalised text, times as ISO 8601 in UTC. Reading checks every field and
reports every problem at once, each naming its place in the form
(``administrator.phone_number``).

>>> from examkit.applications import example_application
>>> data = application_to_json(example_application())
>>> data["format"], data["format_version"], data["school"]["location_code"]
('examkit.account-application', 1, '22AB00')
>>> application_from_json(data) == example_application()
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, TypeVar

from examkit._fields import is_email, normalise_email, refuse_unprintable
from examkit.accounts import LoginName
from examkit.applications._model import (
    AccountApplication,
    AdministratorDetails,
    ApplicationStatus,
    AuthorityDetails,
    Decision,
    SchoolDetails,
    SecondaryLocation,
)
from examkit.applications._phone import normalise_phone
from examkit.converter import structure, unstructure
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers import BelgianPostcode, LocationCode, OnderwijslocatieCode, Postcode
from examkit.org import Address

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "application_from_json",
    "application_to_json",
]

JSON_FORMAT: Final = "examkit.account-application"
"""The value of the form's ``format`` key."""
JSON_VERSION: Final = 1
"""The version of the form this examkit writes and reads (``format_version``)."""

T = TypeVar("T")

_TOP: Final = (
    "format",
    "format_version",
    "application_id",
    "system",
    "status",
    "submitted_at",
    "school",
    "administrator",
    "competent_authority",
    "decision",
)
_SCHOOL: Final = (
    "location_code",
    "education_location_code",
    "school_name",
    "address",
    "secondary_locations",
)
_ADDRESS: Final = ("street", "house_number", "postcode", "town")
_LOCATION: Final = ("location_code", "education_location_code", "location_name")
_ADMINISTRATOR: Final = ("first_name", "last_name", "phone_number", "email_address", "login_name")
_AUTHORITY: Final = ("initials", "last_name", "job_title", "email_address")
_DECISION: Final = ("decided_at", "decided_by", "reason", "account_id")


def application_to_json(application: AccountApplication) -> dict[str, Any]:
    """Return *application* in its JSON form (a dict ready for :func:`json.dumps`).

    Implements ACC-1.
    """
    school = application.school
    admin = application.administrator
    authority = application.competent_authority
    decision = application.decision
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_VERSION,
        "application_id": application.id,
        "system": application.system,
        "status": application.status.value,
        "submitted_at": unstructure(application.submitted_at),
        "school": {
            "location_code": unstructure(school.code),
            "education_location_code": unstructure(school.onderwijslocatiecode),
            "school_name": school.name,
            "address": {
                "street": school.address.street,
                "house_number": school.address.house_number,
                "postcode": unstructure(school.address.postcode),
                "town": school.address.town,
            },
            "secondary_locations": [
                {
                    "location_code": unstructure(location.code),
                    "education_location_code": unstructure(location.onderwijslocatiecode),
                    "location_name": location.name,
                }
                for location in school.secondary_locations
            ],
        },
        "administrator": {
            "first_name": admin.first_name,
            "last_name": admin.last_name,
            "phone_number": admin.phone,
            "email_address": admin.email,
            "login_name": str(admin.login_name),
        },
        "competent_authority": {
            "initials": authority.initials,
            "last_name": authority.last_name,
            "job_title": authority.function,
            "email_address": authority.email,
        },
        "decision": None
        if decision is None
        else {
            "decided_at": unstructure(decision.decided_at),
            "decided_by": decision.decided_by,
            "reason": decision.reason,
            "account_id": decision.account,
        },
    }


class _Reader:
    """Reads a form, collecting every problem with its place in the form."""

    def __init__(self) -> None:
        self.problems: list[ExamkitError] = []

    def fail(self, error: ExamkitError, place: str) -> None:
        if isinstance(error, ExamkitErrorGroup):
            for problem in error.problems:
                self.fail(problem, place)
            return
        inner = error.field
        field = place if inner is None or place.endswith(inner) else _join(place, inner)
        self.problems.append(error.with_location(field=field))

    def section(self, data: Any, place: str, keys: tuple[str, ...]) -> Mapping[str, Any] | None:
        """Return *data* if it is an object with only *keys*; record the problem otherwise."""
        if not isinstance(data, Mapping):
            self.problems.append(
                InvalidInput(
                    "applications.json.not_object",
                    field=place or "$",
                    actual=type(data).__name__,
                )
            )
            return None
        unknown = sorted(set(data) - set(keys))
        for key in unknown:
            self.problems.append(
                InvalidInput("applications.json.unknown_key", field=_join(place, key))
            )
        return data

    def value(self, data: Mapping[str, Any], place: str, key: str, read: Callable[[Any], T]) -> T:
        """Return ``read(data[key])``; record a missing key or an unusable value."""
        where = _join(place, key)
        if key not in data:
            self.problems.append(InvalidInput("applications.json.missing_key", field=where))
            return _MISSING  # type: ignore[return-value]
        try:
            return read(data[key])
        except ExamkitErrorGroup as group:
            self.fail(group, where)
        except ExamkitError as error:
            self.problems.append(error.with_location(field=where))
        return _MISSING  # type: ignore[return-value]

    def make(self, place: str, build: Callable[[], T]) -> T:
        """Return ``build()`` unless a part is missing; record what the value refuses."""
        try:
            return build()
        except _Incomplete:
            return _MISSING  # type: ignore[return-value]
        except ExamkitError as error:
            self.fail(error, place)
            return _MISSING  # type: ignore[return-value]


class _Incomplete(Exception):
    """A part of the value could not be read (its problem is recorded already)."""


class _Missing:
    """The stand-in for a part that could not be read."""


_MISSING: Final = _Missing()


def _whole(*parts: object) -> None:
    if any(part is _MISSING for part in parts):
        raise _Incomplete


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    refuse_unprintable(value)
    return value


def _optional_text(value: Any) -> str:
    return "" if value is None else _text(value)


def _postcode(value: Any) -> Postcode | BelgianPostcode:
    return structure(value, Postcode | BelgianPostcode)  # type: ignore[arg-type]


def _optional_olc(value: Any) -> OnderwijslocatieCode | None:
    if value is None or (isinstance(value, str) and not value.strip(" -")):
        return None
    return structure(value, OnderwijslocatieCode)


def _version(value: Any) -> int:
    if value != JSON_VERSION or isinstance(value, bool):
        raise InvalidInput("applications.json.version", value=str(value), supported=JSON_VERSION)
    return JSON_VERSION


def _format(value: Any) -> str:
    if value != JSON_FORMAT:
        raise InvalidInput("applications.json.format", value=str(value), expected=JSON_FORMAT)
    return JSON_FORMAT


def _status(value: Any) -> ApplicationStatus:
    try:
        return ApplicationStatus(value)
    except ValueError:
        raise InvalidInput(
            "applications.json.status",
            value=str(value),
            allowed=", ".join(status.value for status in ApplicationStatus),
        ) from None


def _time(value: Any) -> datetime:
    return structure(value, datetime)


def _location(reader: _Reader, data: Any, place: str) -> SecondaryLocation:
    item = reader.section(data, place, _LOCATION)
    if item is None:
        return _MISSING  # type: ignore[return-value]
    code = reader.value(item, place, "location_code", lambda v: structure(v, LocationCode))
    olc = reader.value(item, place, "education_location_code", _optional_olc)
    name = item.get("location_name", "")
    try:
        name = _optional_text(name)
    except ExamkitError as error:
        reader.fail(error, _join(place, "location_name"))
        return _MISSING  # type: ignore[return-value]

    def build() -> SecondaryLocation:
        _whole(code, olc)
        return SecondaryLocation(code, olc, name)

    return reader.make(place, build)


def _school(reader: _Reader, data: Any) -> SchoolDetails:
    place = "school"
    school = reader.section(data, place, _SCHOOL)
    if school is None:
        return _MISSING  # type: ignore[return-value]
    code = reader.value(school, place, "location_code", lambda v: structure(v, LocationCode))
    olc = reader.value(school, place, "education_location_code", _optional_olc)
    name = reader.value(school, place, "school_name", _required)
    address = _address(reader, school.get("address"), _join(place, "address"))
    raw_locations = school.get("secondary_locations", [])
    locations: list[SecondaryLocation] = []
    if not isinstance(raw_locations, list):
        reader.problems.append(
            InvalidInput(
                "applications.json.not_list",
                field=_join(place, "secondary_locations"),
                actual=type(raw_locations).__name__,
            )
        )
    else:
        locations = [
            _location(reader, item, f"{place}.secondary_locations[{index}]")
            for index, item in enumerate(raw_locations)
        ]

    def build() -> SchoolDetails:
        _whole(code, olc, name, address, *locations)
        return SchoolDetails(code, olc, name, address, tuple(locations))

    return reader.make(place, build)


def _address(reader: _Reader, data: Any, place: str) -> Address:
    if data is None:
        reader.problems.append(InvalidInput("applications.json.missing_key", field=place))
        return _MISSING  # type: ignore[return-value]
    item = reader.section(data, place, _ADDRESS)
    if item is None:
        return _MISSING  # type: ignore[return-value]
    street = reader.value(item, place, "street", _text)
    number = reader.value(item, place, "house_number", _text)
    postcode = reader.value(item, place, "postcode", _postcode)
    town = reader.value(item, place, "town", _text)

    def build() -> Address:
        _whole(street, number, postcode, town)
        return Address(street, number, postcode, town)

    return reader.make(place, build)


def _administrator(reader: _Reader, data: Any) -> AdministratorDetails:
    place = "administrator"
    item = reader.section(data, place, _ADMINISTRATOR)
    if item is None:
        return _MISSING  # type: ignore[return-value]
    first = reader.value(item, place, "first_name", _required)
    last = reader.value(item, place, "last_name", _required)
    phone = reader.value(item, place, "phone_number", lambda v: normalise_phone(_text(v)))
    email = reader.value(item, place, "email_address", _email)
    login = reader.value(item, place, "login_name", lambda v: LoginName(_text(v)))

    def build() -> AdministratorDetails:
        _whole(first, last, phone, email, login)
        return AdministratorDetails(first, last, phone, email, login)

    return reader.make(place, build)


def _authority(reader: _Reader, data: Any) -> AuthorityDetails:
    place = "competent_authority"
    item = reader.section(data, place, _AUTHORITY)
    if item is None:
        return _MISSING  # type: ignore[return-value]
    initials = reader.value(item, place, "initials", _required)
    last = reader.value(item, place, "last_name", _required)
    function = reader.value(item, place, "job_title", _required)
    email = reader.value(item, place, "email_address", _email)

    def build() -> AuthorityDetails:
        _whole(initials, last, function, email)
        return AuthorityDetails(initials, last, function, email)

    return reader.make(place, build)


def _decision(reader: _Reader, data: Any) -> Decision | None:
    if data is None:
        return None
    place = "decision"
    item = reader.section(data, place, _DECISION)
    if item is None:
        return _MISSING  # type: ignore[return-value]
    at = reader.value(item, place, "decided_at", _time)
    by = reader.value(item, place, "decided_by", _text)
    reason = reader.value(item, place, "reason", _optional_text)
    account = item.get("account_id")

    def build() -> Decision:
        _whole(at, by, reason)
        return Decision(at, by, reason, None if account is None else _text(account))

    return reader.make(place, build)


def _required(value: Any) -> str:
    if not _text(value).strip():
        raise InvalidInput("applications.field.required")
    return str(value)


def _email(value: Any) -> str:
    address = normalise_email(_required(value))
    if not is_email(address):
        raise InvalidInput("applications.email.invalid", value=str(value))
    return address


def application_from_json(data: Any) -> AccountApplication:
    """Return the application in the JSON form *data* (as :func:`json.loads` returns it).

    Raises:
        InvalidInput: one problem (its ``field`` is its place in the form).
        ExamkitErrorGroup: several problems, every one listed.

    Implements ACC-1.
    """
    reader = _Reader()
    top = reader.section(data, "", _TOP)
    if top is None:
        raise reader.problems[0]
    reader.value(top, "", "format", _format)
    reader.value(top, "", "format_version", _version)
    app_id = reader.value(top, "", "application_id", _text)
    system = reader.value(top, "", "system", _text)
    status = reader.value(top, "", "status", _status)
    submitted = reader.value(top, "", "submitted_at", _time)
    school = _school(reader, top.get("school")) if "school" in top else _absent(reader, "school")
    admin = (
        _administrator(reader, top["administrator"])
        if "administrator" in top
        else _absent(reader, "administrator")
    )
    authority = (
        _authority(reader, top["competent_authority"])
        if "competent_authority" in top
        else _absent(reader, "competent_authority")
    )
    decision = _decision(reader, top.get("decision"))

    def build() -> AccountApplication:
        _whole(app_id, system, status, submitted, school, admin, authority, decision)
        return AccountApplication(
            id=app_id,
            system=system,
            school=school,
            administrator=admin,
            competent_authority=authority,
            submitted_at=submitted,
            status=status,
            decision=decision,
        )

    application = reader.make("", build)
    if reader.problems:
        if len(reader.problems) == 1:
            raise reader.problems[0]
        raise ExamkitErrorGroup(reader.problems)
    return application


def _absent(reader: _Reader, key: str) -> Any:
    reader.problems.append(InvalidInput("applications.json.missing_key", field=key))
    return _MISSING
